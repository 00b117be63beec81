// C (tree-sitter-c 0.23): node table and the hooks shared with C++ (declarators, parameters,
// function definitions, #include).
#include <array>

#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/lowerer.hpp"

namespace cq::treesitter {

namespace {
constexpr std::array k_c = {
    NameKind{"comment", true, Kind::comment},
    NameKind{"identifier", true, Kind::identifier},
    NameKind{"field_identifier", true, Kind::identifier},
    NameKind{"type_identifier", true, Kind::identifier},
    NameKind{"statement_identifier", true, Kind::identifier},
    NameKind{"number_literal", true, Kind::number},
    NameKind{"string_literal", true, Kind::string},
    NameKind{"char_literal", true, Kind::char_lit},
    NameKind{"concatenated_string", true, Kind::concatenated_string},
    NameKind{"string_content", true, Kind::string_piece},
    NameKind{"escape_sequence", true, Kind::string_piece},
    NameKind{"system_lib_string", true, Kind::string_piece},
    NameKind{"preproc_arg", true, Kind::string_piece},
    NameKind{"true", true, Kind::true_lit},
    NameKind{"false", true, Kind::false_lit},
    NameKind{"null", true, Kind::null_lit},
    NameKind{"function_definition", true, Kind::function_decl},
    NameKind{"if_statement", true, Kind::if_stmt},
    NameKind{"else_clause", true, Kind::else_clause},
    NameKind{"switch_statement", true, Kind::switch_stmt},
    NameKind{"case_statement", true, Kind::switch_case},
    NameKind{"for_statement", true, Kind::for_c},
    NameKind{"while_statement", true, Kind::while_stmt},
    NameKind{"do_statement", true, Kind::do_stmt},
    NameKind{"seh_except_clause", true, Kind::catch_clause},
    NameKind{"conditional_expression", true, Kind::ternary},
    NameKind{"binary_expression", true, Kind::binary},
    NameKind{"goto_statement", true, Kind::goto_stmt},
    NameKind{"call_expression", true, Kind::call},
    NameKind{"assignment_expression", true, Kind::assignment},
    NameKind{"init_declarator", true, Kind::init_declarator},
    NameKind{"declaration", true, Kind::declaration},
    NameKind{"field_expression", true, Kind::member},
    NameKind{"subscript_expression", true, Kind::subscript},
    NameKind{"parenthesized_expression", true, Kind::wrapper},
    NameKind{"unary_expression", true, Kind::unary},
    NameKind{"argument_list", true, Kind::argument_list},
    NameKind{"storage_class_specifier", true, Kind::storage_class},
    NameKind{"preproc_include", true, Kind::include},
    NameKind{"compound_statement", true, Kind::block_scope},
    NameKind{"&&", false, Kind::op_logical_and},
    NameKind{"||", false, Kind::op_logical_or},
    NameKind{"+", false, Kind::op_plus},
    NameKind{"?", false, Kind::op_question},
    NameKind{"default", false, Kind::kw_default},
};
}  // namespace

std::span<const NameKind> c_kinds() { return k_c; }

// --- C / C++ hooks ----------------------------------------------------------------------------

// The node naming a declarator: descends pointer / reference / array / function / parenthesized
// declarators to the identifier (or qualified name, destructor, operator) they declare.
TSNode Lowerer::c_declarator_name(const LanguageSpec& spec, TSNode d) {
    const TSFieldId declarator = spec.field(Field::declarator);
    for (int guard = 0; guard < 64 && !ts_node_is_null(d); ++guard) {
        const Kind k = spec.kind(ts_node_symbol(d));
        if (k == Kind::identifier || k == Kind::qualified_id || k == Kind::template_fn) {
            return d;
        }
        const std::string_view type = type_of(d);
        if (type == "destructor_name" || type == "operator_name" ||
            type == "structured_binding_declarator") {
            return d;
        }
        TSNode next = declarator != 0 ? ts_node_child_by_field_id(d, declarator) : TSNode{};
        if (ts_node_is_null(next)) {
            // reference_declarator and parenthesized_declarator hold it without a field
            const std::uint32_t n = ts_node_named_child_count(d);
            for (std::uint32_t i = 0; i < n; ++i) {
                const TSNode ch = ts_node_named_child(d, i);
                if (spec.kind(ts_node_symbol(ch)) != Kind::comment) {
                    next = ch;
                    break;
                }
            }
        }
        if (ts_node_is_null(next)) {
            return d;
        }
        d = next;
    }
    return d;
}

void Lowerer::c_params(TSNode params, std::vector<Parameter>& out) {
    each_child(params, [&](TSNode p, const TSTreeCursor*) {
        const std::string_view type = type_of(p);
        Parameter param;
        param.range = range(p);
        if (!ts_node_is_named(p)) {
            if (type == "...") {
                param.name = "...";
                param.variadic = true;
                out.push_back(std::move(param));
            }
            return true;
        }
        if (type == "variadic_parameter") {
            param.name = "...";
            param.variadic = true;
        } else if (type == "parameter_declaration" || type == "optional_parameter_declaration" ||
                   type == "variadic_parameter_declaration") {
            const TSNode decl = field(p, Field::declarator);
            if (ts_node_is_null(decl)) {
                // `f(void)` declares no parameter
                if (type == "parameter_declaration" && trim(text(p)) == "void") {
                    return true;
                }
            } else {
                param.name = strip_whitespace(text(c_declarator_name(m_spec, decl)));
            }
            param.has_default = !ts_node_is_null(field(p, Field::default_value));
            param.variadic = type == "variadic_parameter_declaration";
        } else {
            return true;
        }
        out.push_back(std::move(param));
        return true;
    });
}

void Lowerer::c_function_info(TSNode node, Kind kind, const Entry& parent, const Ctx& in,
                              FunctionInfo& info) {
    if (kind == Kind::lambda) {
        info.is_lambda = true;
        info.name_node = field(node, Field::captures);
        info.body = field(node, Field::body);
        info.params = field(field(node, Field::declarator), Field::parameters);
        if (parent.kind == Kind::init_declarator) {
            const TSNode d = field(parent.node, Field::declarator);
            if (kind_of(d) == Kind::identifier) {
                info.name = std::string(text(d));
            }
        }
        return;
    }
    info.body = field(node, Field::body);
    // find the function_declarator under pointer / reference declarators
    TSNode d = field(node, Field::declarator);
    for (int guard = 0; guard < 32 && !ts_node_is_null(d); ++guard) {
        if (!ts_node_is_null(field(d, Field::parameters))) {
            break;
        }
        TSNode next = field(d, Field::declarator);
        if (ts_node_is_null(next)) {
            next = first_named_child(d);
        }
        d = next;
    }
    if (!ts_node_is_null(d)) {
        info.params = field(d, Field::parameters);
        info.name_node = c_declarator_name(m_spec, field(d, Field::declarator));
    }
    bool is_static = false;
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        if (kind_of(ch) == Kind::storage_class && trim(text(ch)) == "static") {
            is_static = true;
        }
        return true;
    });
    TSNode name = info.name_node;
    if (kind_of(name) == Kind::qualified_id) {
        // out-of-line definition: A::f, ns::A::f
        info.qualified_suffix = strip_whitespace(text(name), 512);
        TSNode scope{};
        for (int guard = 0; guard < 64 && kind_of(name) == Kind::qualified_id; ++guard) {
            const TSNode next = field(name, Field::name);
            if (ts_node_is_null(next)) {
                break;
            }
            scope = field(name, Field::scope);
            name = next;
        }
        info.class_name = strip_whitespace(text(scope));
        info.is_method = !info.class_name.empty();
        info.name_node = name;
    }
    if (kind_of(name) == Kind::template_fn) {
        name = field(name, Field::name);
    }
    info.name = strip_whitespace(text(name));
    if (!in.class_name.empty()) {
        info.is_method = true;
        info.class_name = std::string(in.class_name);
    }
    info.is_exported = !in.internal && (info.is_method || !is_static);
}

void Lowerer::c_include(TSNode node) {
    const TSNode path = field(node, Field::path);
    if (ts_node_is_null(path)) {
        return;
    }
    Import imp;
    imp.module = std::string(trim(text(path)));
    imp.range = range(node);
    m_model.imports.push_back(std::move(imp));
}

}  // namespace cq::treesitter
