// Python (tree-sitter-python 0.23): node table and the Python-specific lowering hooks.
#include <array>

#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/lowerer.hpp"

namespace cq::treesitter {

namespace {
constexpr std::array k_python = {
    NameKind{"comment", true, Kind::comment},
    NameKind{"line_continuation", true, Kind::skip_leaf},
    NameKind{"identifier", true, Kind::identifier},
    NameKind{"integer", true, Kind::number},
    NameKind{"float", true, Kind::number},
    NameKind{"string", true, Kind::string},
    NameKind{"concatenated_string", true, Kind::concatenated_string},
    NameKind{"string_content", true, Kind::string_piece},
    NameKind{"string_start", true, Kind::string_piece},
    NameKind{"string_end", true, Kind::string_piece},
    NameKind{"escape_sequence", true, Kind::string_piece},
    NameKind{"escape_interpolation", true, Kind::string_piece},
    NameKind{"format_specifier", true, Kind::string_piece},
    NameKind{"true", true, Kind::true_lit},
    NameKind{"false", true, Kind::false_lit},
    NameKind{"none", true, Kind::null_lit},
    NameKind{"function_definition", true, Kind::function_decl},
    NameKind{"lambda", true, Kind::lambda},
    NameKind{"class_definition", true, Kind::class_def},
    NameKind{"decorated_definition", true, Kind::decorated_def},
    NameKind{"decorator", true, Kind::decorator},
    NameKind{"if_statement", true, Kind::if_stmt},
    NameKind{"elif_clause", true, Kind::elif_clause},
    NameKind{"else_clause", true, Kind::else_clause},
    NameKind{"match_statement", true, Kind::match_stmt},
    NameKind{"case_clause", true, Kind::case_clause},
    NameKind{"for_statement", true, Kind::for_each},
    NameKind{"while_statement", true, Kind::while_stmt},
    NameKind{"try_statement", true, Kind::try_stmt},
    NameKind{"except_clause", true, Kind::catch_clause},
    NameKind{"except_group_clause", true, Kind::catch_clause},
    NameKind{"conditional_expression", true, Kind::ternary},
    NameKind{"boolean_operator", true, Kind::bool_op},
    NameKind{"binary_operator", true, Kind::binary},
    NameKind{"list_comprehension", true, Kind::comprehension},
    NameKind{"set_comprehension", true, Kind::comprehension},
    NameKind{"dictionary_comprehension", true, Kind::comprehension},
    NameKind{"generator_expression", true, Kind::comprehension},
    NameKind{"for_in_clause", true, Kind::comp_for},
    NameKind{"if_clause", true, Kind::comp_if},
    NameKind{"call", true, Kind::call},
    NameKind{"await", true, Kind::await_expr},
    NameKind{"yield", true, Kind::yield_expr},
    NameKind{"assignment", true, Kind::assignment},
    NameKind{"augmented_assignment", true, Kind::aug_assignment},
    NameKind{"attribute", true, Kind::member},
    NameKind{"subscript", true, Kind::subscript},
    NameKind{"parenthesized_expression", true, Kind::wrapper},
    NameKind{"dictionary", true, Kind::object_lit},
    NameKind{"list", true, Kind::array_lit},
    NameKind{"tuple", true, Kind::array_lit},
    NameKind{"set", true, Kind::array_lit},
    NameKind{"pair", true, Kind::pair},
    NameKind{"keyword_argument", true, Kind::keyword_argument},
    NameKind{"unary_operator", true, Kind::unary},
    NameKind{"interpolation", true, Kind::interpolation},
    NameKind{"argument_list", true, Kind::argument_list},
    NameKind{"import_statement", true, Kind::import_stmt},
    NameKind{"import_from_statement", true, Kind::import_from},
    NameKind{"and", false, Kind::op_logical_and},
    NameKind{"or", false, Kind::op_logical_or},
    NameKind{"async", false, Kind::kw_async},
    NameKind{"if", false, Kind::kw_if},
    NameKind{"else", false, Kind::kw_else},
    NameKind{"+", false, Kind::op_plus},
    NameKind{"%", false, Kind::op_percent},
};
}  // namespace

std::span<const NameKind> python_kinds() { return k_python; }

// --- Python hooks ---------------------------------------------------------------------------

void Lowerer::py_params(TSNode params, std::vector<Parameter>& out) {
    each_child(params, [&](TSNode p, const TSTreeCursor*) {
        if (!ts_node_is_named(p)) {
            return true;
        }
        const std::string_view type = type_of(p);
        Parameter param;
        param.range = range(p);
        if (type == "identifier") {
            param.name = std::string(text(p));
        } else if (type == "default_parameter" || type == "typed_default_parameter") {
            param.name = std::string(text(field(p, Field::name)));
            param.has_default = true;
        } else if (type == "typed_parameter") {
            TSNode inner = first_named_child(p);
            const std::string_view itype = type_of(inner);
            if (itype == "list_splat_pattern" || itype == "dictionary_splat_pattern") {
                param.name = std::string(text(first_named_child(inner)));
                param.variadic = true;
            } else {
                param.name = std::string(text(inner));
            }
        } else if (type == "list_splat_pattern" || type == "dictionary_splat_pattern") {
            param.name = std::string(text(first_named_child(p)));
            param.variadic = true;
        } else if (type == "keyword_separator" || type == "positional_separator" ||
                   type == "comment") {
            return true;
        } else {
            param.name = std::string(text(p));
        }
        out.push_back(std::move(param));
        return true;
    });
}

void Lowerer::py_function_info(TSNode node, Kind kind, const Entry& parent, const Ctx& in,
                               FunctionInfo& info) {
    info.params = field(node, Field::parameters);
    info.body = field(node, Field::body);
    if (kind == Kind::lambda) {
        info.is_lambda = true;
        info.name_node = first_child(node);
        // `f = lambda x: ...` is named after the variable it is bound to
        if (parent.kind == Kind::assignment) {
            const TSNode left = field(parent.node, Field::left);
            if (kind_of(left) == Kind::identifier) {
                info.name = std::string(text(left));
            }
        }
        return;
    }
    const TSNode name = field(node, Field::name);
    info.name = std::string(text(name));
    info.name_node = name;
    info.is_async = kind_of(first_child(node)) == Kind::kw_async;
    info.is_method = !in.class_name.empty();
    info.class_name = std::string(in.class_name);
    info.is_exported = in.function < 0 && in.class_name.empty();
}

// `import a.b`, `import a.b as c`
void Lowerer::py_import(TSNode node) {
    each_child(node, [&](TSNode child, const TSTreeCursor*) {
        const std::string_view type = type_of(child);
        Import imp;
        imp.range = range(node);
        if (type == "dotted_name") {
            imp.module = std::string(text(child));
            imp.alias = imp.module;
            // `import os.path` binds `os`, which names the module `os`.
            const std::string_view head = text(first_named_child(child));
            add_alias(std::string(head), std::string(head), node);
        } else if (type == "aliased_import") {
            imp.module = std::string(text(field(child, Field::name)));
            imp.alias = std::string(text(field(child, Field::alias)));
            add_alias(imp.alias, imp.module, node);
        } else {
            return true;
        }
        m_model.imports.push_back(std::move(imp));
        return true;
    });
}

// `from m import a`, `from m import a as b`, `from . import x`, `from m import *`
void Lowerer::py_import_from(TSNode node) {
    const TSNode module = field(node, Field::module_name);
    const std::string mod = strip_whitespace(text(module));
    bool seen_module = false;
    each_child(node, [&](TSNode child, const TSTreeCursor*) {
        if (ts_node_eq(child, module)) {
            seen_module = true;
            return true;
        }
        if (!seen_module) {
            return true;
        }
        const std::string_view type = type_of(child);
        Import imp;
        imp.range = range(node);
        imp.module = mod;
        if (type == "dotted_name") {
            imp.name = std::string(text(child));
            imp.alias = imp.name;
        } else if (type == "aliased_import") {
            imp.name = std::string(text(field(child, Field::name)));
            imp.alias = std::string(text(field(child, Field::alias)));
        } else if (type == "wildcard_import") {
            imp.name = std::string(1, '*');
        } else {
            return true;
        }
        if (!imp.alias.empty()) {
            std::string target = mod;
            if (!target.empty() && target.back() != '.') {
                target += '.';
            }
            target += imp.name;
            add_alias(imp.alias, std::move(target), node);
        }
        m_model.imports.push_back(std::move(imp));
        return true;
    });
}

}  // namespace cq::treesitter
