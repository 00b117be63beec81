// C++ (tree-sitter-cpp 0.23): the node names C++ adds to the C table, `using` and namespace
// aliases, and how an unqualified call resolves through them.
#include <array>

#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/lowerer.hpp"

namespace cq::treesitter {

namespace {
constexpr std::array k_cpp = {
    NameKind{"namespace_identifier", true, Kind::identifier},
    NameKind{"qualified_identifier", true, Kind::qualified_id},
    NameKind{"template_function", true, Kind::template_fn},
    NameKind{"template_method", true, Kind::template_fn},
    NameKind{"raw_string_literal", true, Kind::string},
    NameKind{"raw_string_content", true, Kind::string_piece},
    NameKind{"raw_string_delimiter", true, Kind::string_piece},
    NameKind{"user_defined_literal", true, Kind::number},
    NameKind{"this", true, Kind::this_lit},
    NameKind{"class_specifier", true, Kind::class_def},
    NameKind{"struct_specifier", true, Kind::class_def},
    NameKind{"union_specifier", true, Kind::class_def},
    NameKind{"field_declaration_list", true, Kind::class_body},
    NameKind{"namespace_definition", true, Kind::namespace_def},
    NameKind{"declaration_list", true, Kind::block_scope},
    NameKind{"lambda_expression", true, Kind::lambda},
    NameKind{"for_range_loop", true, Kind::for_each},
    NameKind{"try_statement", true, Kind::try_stmt},
    NameKind{"catch_clause", true, Kind::catch_clause},
    NameKind{"new_expression", true, Kind::new_expr},
    NameKind{"co_await_expression", true, Kind::await_expr},
    NameKind{"using_declaration", true, Kind::using_decl},
    NameKind{"namespace_alias_definition", true, Kind::namespace_alias},
    NameKind{"condition_clause", true, Kind::wrapper},
    NameKind{"and", false, Kind::op_logical_and},
    NameKind{"or", false, Kind::op_logical_or},
    NameKind{"namespace", false, Kind::kw_namespace},
};

// Members of std namespaces that code commonly calls unqualified after a using-directive.
struct KnownMembers {
    std::string_view ns;
    std::array<std::string_view, 4> names;
};
constexpr std::array k_known_members = {
    KnownMembers{"std::this_thread", {"sleep_for", "sleep_until", "yield", "get_id"}},
};

// std sub-namespaces reachable as `this_thread::x` after `using namespace std;`
constexpr std::array<std::string_view, 8> k_std_namespaces = {
    "this_thread", "chrono", "filesystem", "ranges", "views", "literals", "placeholders", "pmr",
};

bool known_member(std::string_view ns, std::string_view name) {
    for (const KnownMembers& k : k_known_members) {
        if (k.ns != ns) {
            continue;
        }
        for (std::string_view n : k.names) {
            if (n == name) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

std::span<const NameKind> cpp_kinds() { return k_cpp; }

// using namespace a::b;   using a::b::f;
void Lowerer::cpp_using(TSNode node) {
    bool directive = false;
    TSNode target{};
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        if (!ts_node_is_named(ch) && kind_of(ch) == Kind::kw_namespace) {
            directive = true;
        } else if (ts_node_is_named(ch) && kind_of(ch) != Kind::comment) {
            target = ch;
        }
        return true;
    });
    if (ts_node_is_null(target)) {
        return;
    }
    std::string full = strip_whitespace(text(target), 512);
    if (full.rfind("::", 0) == 0) {
        full.erase(0, 2);
    }
    Import imp;
    imp.range = range(node);
    if (directive) {
        imp.module = full;
        add_alias(std::string(), full, node, true);
    } else {
        const std::size_t sep = full.rfind("::");
        imp.name = sep == std::string::npos ? full : full.substr(sep + 2);
        imp.module = sep == std::string::npos ? std::string() : full.substr(0, sep);
        imp.alias = imp.name;
        add_alias(imp.alias, full, node);
    }
    m_model.imports.push_back(std::move(imp));
}

// namespace tt = std::this_thread;
void Lowerer::cpp_namespace_alias(TSNode node) {
    const TSNode name = field(node, Field::name);
    TSNode target{};
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        if (ts_node_is_named(ch) && !ts_node_eq(ch, name) && kind_of(ch) != Kind::comment) {
            target = ch;
        }
        return true;
    });
    if (ts_node_is_null(name) || ts_node_is_null(target)) {
        return;
    }
    std::string full = strip_whitespace(text(target), 512);
    if (full.rfind("::", 0) == 0) {
        full.erase(0, 2);
    }
    Import imp;
    imp.module = full;
    imp.alias = std::string(text(name));
    imp.range = range(node);
    add_alias(imp.alias, full, node);
    m_model.imports.push_back(std::move(imp));
}

std::string Lowerer::cpp_resolve(const CallSite& call, std::string_view key) const {
    if (key.rfind("::", 0) == 0) {
        return std::string(key.substr(2));
    }
    const std::size_t tmpl = key.find('<');
    const std::string_view plain = key.substr(0, tmpl);
    if (plain.find('.') != std::string_view::npos || plain.find("->") != std::string_view::npos) {
        return std::string(key);  // a member call
    }
    const std::uint32_t at = call.range.start_byte;
    const std::size_t sep = plain.find("::");
    auto directive_active = [&](std::string_view ns) {
        for (const Alias& a : m_aliases) {
            if (a.directive && a.target == ns && a.start <= at && at < a.end) {
                return true;
            }
        }
        return false;
    };
    if (sep != std::string_view::npos) {
        const std::string_view head = plain.substr(0, sep);
        if (const Alias* a = find_alias(head, at)) {
            return a->target + std::string(key.substr(sep));
        }
        for (std::string_view sub : k_std_namespaces) {
            if (head == sub && directive_active("std")) {
                return "std::" + std::string(key);
            }
        }
        return std::string(key);
    }
    if (const Alias* a = find_alias(plain, at)) {
        return a->target + std::string(key.substr(plain.size()));
    }
    bool any_directive = false;
    for (const Alias& a : m_aliases) {
        any_directive = any_directive || a.directive;
    }
    if (!any_directive) {
        return std::string(key);
    }
    // A function this file defines at namespace scope is not taken from a using-directive.
    if (!m_free_function_names_built) {
        m_free_function_names_built = true;
        for (const Function& f : m_model.functions) {
            if (!f.is_method && !f.is_lambda) {
                m_free_function_names.insert(f.name);
            }
        }
    }
    if (m_free_function_names.count(std::string(plain)) != 0) {
        return std::string(key);
    }
    const Alias* only_user = nullptr;
    std::size_t user_count = 0;
    for (auto it = m_aliases.rbegin(); it != m_aliases.rend(); ++it) {
        if (!it->directive || it->start > at || at >= it->end) {
            continue;
        }
        if (known_member(it->target, plain)) {
            return it->target + "::" + std::string(key);
        }
        if (it->target != "std" && it->target.rfind("std::", 0) != 0) {
            only_user = &*it;
            ++user_count;
        }
    }
    if (user_count == 1 && only_user != nullptr) {
        return only_user->target + "::" + std::string(key);
    }
    return std::string(key);
}

}  // namespace cq::treesitter
