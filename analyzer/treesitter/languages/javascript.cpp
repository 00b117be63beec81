// JavaScript (tree-sitter-javascript 0.23, JSX included): node table and the hooks shared with
// TypeScript (imports, require(), parameters, function naming, exports).
#include <array>

#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/lowerer.hpp"

namespace cq::treesitter {

namespace {
constexpr std::array k_javascript = {
    NameKind{"comment", true, Kind::comment},
    NameKind{"hash_bang_line", true, Kind::comment},
    NameKind{"html_comment", true, Kind::comment},
    NameKind{"identifier", true, Kind::identifier},
    NameKind{"property_identifier", true, Kind::identifier},
    NameKind{"shorthand_property_identifier", true, Kind::identifier},
    NameKind{"shorthand_property_identifier_pattern", true, Kind::identifier},
    NameKind{"private_property_identifier", true, Kind::identifier},
    NameKind{"statement_identifier", true, Kind::identifier},
    NameKind{"number", true, Kind::number},
    NameKind{"string", true, Kind::string},
    NameKind{"template_string", true, Kind::template_string},
    NameKind{"string_fragment", true, Kind::string_piece},
    NameKind{"escape_sequence", true, Kind::string_piece},
    NameKind{"html_character_reference", true, Kind::string_piece},
    NameKind{"jsx_text", true, Kind::string_piece},
    NameKind{"regex", true, Kind::regex},
    NameKind{"true", true, Kind::true_lit},
    NameKind{"false", true, Kind::false_lit},
    NameKind{"null", true, Kind::null_lit},
    NameKind{"undefined", true, Kind::null_lit},
    NameKind{"this", true, Kind::this_lit},
    NameKind{"super", true, Kind::this_lit},
    NameKind{"import", true, Kind::import_callee},
    NameKind{"function_declaration", true, Kind::function_decl},
    NameKind{"generator_function_declaration", true, Kind::function_decl},
    NameKind{"function_expression", true, Kind::function_expr},
    NameKind{"function", true, Kind::function_expr},
    NameKind{"generator_function", true, Kind::function_expr},
    NameKind{"arrow_function", true, Kind::arrow},
    NameKind{"method_definition", true, Kind::method},
    NameKind{"class_declaration", true, Kind::class_def},
    NameKind{"class", true, Kind::class_def},
    NameKind{"class_body", true, Kind::class_body},
    NameKind{"decorator", true, Kind::decorator},
    NameKind{"if_statement", true, Kind::if_stmt},
    NameKind{"else_clause", true, Kind::else_clause},
    NameKind{"switch_statement", true, Kind::switch_stmt},
    NameKind{"switch_case", true, Kind::switch_case},
    NameKind{"switch_default", true, Kind::switch_default},
    NameKind{"for_statement", true, Kind::for_c},
    NameKind{"for_in_statement", true, Kind::for_each},
    NameKind{"while_statement", true, Kind::while_stmt},
    NameKind{"do_statement", true, Kind::do_stmt},
    NameKind{"try_statement", true, Kind::try_stmt},
    NameKind{"catch_clause", true, Kind::catch_clause},
    NameKind{"ternary_expression", true, Kind::ternary},
    NameKind{"binary_expression", true, Kind::binary},
    NameKind{"break_statement", true, Kind::break_stmt},
    NameKind{"continue_statement", true, Kind::continue_stmt},
    NameKind{"call_expression", true, Kind::call},
    NameKind{"new_expression", true, Kind::new_expr},
    NameKind{"await_expression", true, Kind::await_expr},
    NameKind{"yield_expression", true, Kind::yield_expr},
    NameKind{"assignment_expression", true, Kind::assignment},
    NameKind{"augmented_assignment_expression", true, Kind::aug_assignment},
    NameKind{"variable_declarator", true, Kind::var_declarator},
    NameKind{"lexical_declaration", true, Kind::lexical_decl},
    NameKind{"variable_declaration", true, Kind::lexical_decl},
    NameKind{"field_definition", true, Kind::field_def},
    NameKind{"member_expression", true, Kind::member},
    NameKind{"subscript_expression", true, Kind::subscript},
    NameKind{"parenthesized_expression", true, Kind::wrapper},
    NameKind{"object", true, Kind::object_lit},
    NameKind{"array", true, Kind::array_lit},
    NameKind{"pair", true, Kind::pair},
    NameKind{"unary_expression", true, Kind::unary},
    NameKind{"template_substitution", true, Kind::template_substitution},
    NameKind{"arguments", true, Kind::argument_list},
    NameKind{"import_statement", true, Kind::es_import},
    NameKind{"export_statement", true, Kind::export_stmt},
    NameKind{"export_clause", true, Kind::export_clause},
    NameKind{"&&", false, Kind::op_logical_and},
    NameKind{"||", false, Kind::op_logical_or},
    NameKind{"+", false, Kind::op_plus},
    NameKind{"?", false, Kind::op_question},
    NameKind{"*", false, Kind::op_star},
    NameKind{"=>", false, Kind::op_arrow},
    NameKind{"async", false, Kind::kw_async},
    NameKind{"await", false, Kind::kw_await},
    NameKind{"function", false, Kind::kw_function},
    NameKind{"default", false, Kind::kw_default},
};
}  // namespace

std::span<const NameKind> javascript_kinds() { return k_javascript; }

// --- JavaScript / TypeScript hooks -------------------------------------------------------------

void Lowerer::js_params(TSNode params, std::vector<Parameter>& out) {
    each_child(params, [&](TSNode p, const TSTreeCursor*) {
        if (!ts_node_is_named(p) || kind_of(p) == Kind::comment ||
            kind_of(p) == Kind::decorator) {
            return true;
        }
        const std::string_view type = type_of(p);
        Parameter param;
        param.range = range(p);
        TSNode pattern = p;
        if (type == "required_parameter" || type == "optional_parameter") {
            pattern = field(p, Field::pattern);
            param.has_default =
                type == "optional_parameter" || !ts_node_is_null(field(p, Field::value));
            if (kind_of(pattern) == Kind::this_lit) {
                return true;  // TS `this` parameter: a type annotation, not a parameter
            }
        }
        const std::string_view ptype = type_of(pattern);
        if (ptype == "assignment_pattern") {
            param.has_default = true;
            pattern = field(pattern, Field::left);
        } else if (ptype == "rest_pattern") {
            param.variadic = true;
            pattern = first_named_child(pattern);
        }
        param.name = strip_whitespace(text(pattern));
        out.push_back(std::move(param));
        return true;
    });
}

void Lowerer::js_function_info(TSNode node, Kind kind, const Entry& parent, const Ctx& in,
                               FunctionInfo& info) {
    info.params = field(node, Field::parameters);
    if (ts_node_is_null(info.params)) {
        info.params = field(node, Field::parameter);  // x => ...
    }
    info.body = field(node, Field::body);
    // `async`, `*` come before the name and the parameters
    TSNode keyword{};
    TSNode arrow{};
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        const Kind k = kind_of(ch);
        if (!ts_node_is_named(ch)) {
            if (k == Kind::kw_async) {
                info.is_async = true;
            } else if (k == Kind::op_star) {
                info.is_generator = true;
            } else if (k == Kind::kw_function && ts_node_is_null(keyword)) {
                keyword = ch;
            } else if (k == Kind::op_arrow) {
                arrow = ch;
                return false;
            }
        }
        return !(ts_node_is_named(ch) && k != Kind::decorator && k != Kind::comment &&
                 kind != Kind::arrow);
    });

    const TSNode own_name = field(node, Field::name);
    if (kind == Kind::function_decl || kind == Kind::method ||
        (kind == Kind::function_expr && !ts_node_is_null(own_name))) {
        info.name_node = own_name;
        if (kind_of(own_name) == Kind::string) {
            info.name = decode_string_literal(text(own_name), m_spec.language, 200);
        } else {
            info.name = std::string(text(own_name));
        }
    } else {
        info.name_node = kind == Kind::arrow ? arrow : keyword;
        info.is_lambda = true;
    }

    // The name of an anonymous function comes from what it is assigned to.
    std::string_view hint;
    switch (parent.kind) {
    case Kind::var_declarator: {
        const TSNode n = field(parent.node, Field::name);
        if (kind_of(n) == Kind::identifier) {
            hint = text(n);
        }
        break;
    }
    case Kind::assignment: {
        const TSNode left = field(parent.node, Field::left);
        if (kind_of(left) == Kind::member) {
            hint = text(field(left, Field::property));
        } else if (kind_of(left) == Kind::identifier) {
            hint = text(left);
        }
        const std::string target = strip_whitespace(text(left));
        if (target.rfind("exports.", 0) == 0 || target.rfind("module.exports", 0) == 0) {
            info.is_exported = true;
        }
        break;
    }
    case Kind::pair: {
        const TSNode key = field(parent.node, Field::key);
        if (kind_of(key) == Kind::string) {
            info.name = decode_string_literal(text(key), m_spec.language, 200);
        } else {
            hint = text(key);
        }
        break;
    }
    case Kind::field_def: {
        TSNode prop = field(parent.node, Field::property);
        if (ts_node_is_null(prop)) {
            prop = field(parent.node, Field::name);
        }
        hint = text(prop);
        info.is_method = true;
        info.class_name = std::string(in.class_name);
        break;
    }
    case Kind::export_stmt:
        info.is_exported = true;
        break;
    default:
        break;
    }
    if (info.name.empty()) {
        info.name = std::string(hint);
    }
    if (kind == Kind::method) {
        info.is_method = true;
        info.class_name = std::string(in.class_name);
    }
    // module.exports = { handler() {}, other: async () => {} }
    {
        std::size_t up = m_stack.size() - 1;  // the parent entry
        if (m_stack[up].kind == Kind::pair && up > 0) {
            --up;
        }
        if (m_stack[up].kind == Kind::object_lit && up > 0 &&
            m_stack[up - 1].kind == Kind::assignment) {
            const std::string target =
                strip_whitespace(text(field(m_stack[up - 1].node, Field::left)));
            if (target == "module.exports" || target == "exports") {
                info.is_exported = true;
            }
        }
    }
    // export const handler = async () => {}
    if (parent.kind == Kind::var_declarator && m_stack.size() >= 3) {
        const Entry& decl = m_stack[m_stack.size() - 2];
        const Entry& outer = m_stack[m_stack.size() - 3];
        if (decl.kind == Kind::lexical_decl && outer.kind == Kind::export_stmt) {
            info.is_exported = true;
        }
    }
}

// import d, { a as b } from 'm';  import * as ns from 'm';  import x = require('m')
void Lowerer::js_import(TSNode node) {
    TSNode source = field(node, Field::source);
    bool bound = false;
    auto module_of = [&](TSNode src) {
        return decode_string_literal(text(src), m_spec.language, 200);
    };
    auto add = [&](const std::string& module, std::string name, std::string local) {
        Import imp;
        imp.module = module;
        imp.name = std::move(name);
        imp.alias = std::move(local);
        imp.range = range(node);
        std::string target = module;
        if (!imp.name.empty() && imp.name != "default") {
            target += '.';
            target += imp.name;
        }
        if (!imp.alias.empty()) {
            add_alias(imp.alias, std::move(target), node);
        }
        m_model.imports.push_back(std::move(imp));
        bound = true;
    };
    each_child(node, [&](TSNode clause, const TSTreeCursor*) {
        const std::string_view type = type_of(clause);
        if (type == "import_require_clause") {
            const TSNode src = field(clause, Field::source);
            add(module_of(src), "", std::string(text(first_named_child(clause))));
            return true;
        }
        if (type != "import_clause") {
            return true;
        }
        const std::string module = module_of(source);
        each_child(clause, [&](TSNode part, const TSTreeCursor*) {
            const std::string_view ptype = type_of(part);
            if (kind_of(part) == Kind::identifier) {
                add(module, "default", std::string(text(part)));
            } else if (ptype == "namespace_import") {
                add(module, "", std::string(text(first_named_child(part))));
            } else if (ptype == "named_imports") {
                each_child(part, [&](TSNode spec, const TSTreeCursor*) {
                    if (type_of(spec) != ("import_specifier")) {
                        return true;
                    }
                    const TSNode name = field(spec, Field::name);
                    const TSNode alias = field(spec, Field::alias);
                    std::string imported = kind_of(name) == Kind::string
                                               ? module_of(name)
                                               : std::string(text(name));
                    std::string local =
                        ts_node_is_null(alias) ? imported : std::string(text(alias));
                    add(module, std::move(imported), std::move(local));
                    return true;
                });
            }
            return true;
        });
        return true;
    });
    if (!bound && !ts_node_is_null(source)) {
        Import imp;
        imp.module = module_of(source);
        imp.range = range(node);
        m_model.imports.push_back(std::move(imp));
    }
}

// const x = require('m');  const { a, b: c } = require('m');  const p = require('m').promises;
// const m = await import('m');
void Lowerer::js_require_declarator(TSNode declarator) {
    TSNode value = field(declarator, Field::value);
    for (int guard = 0; guard < 8; ++guard) {
        const Kind k = kind_of(value);
        if (k == Kind::await_expr || k == Kind::wrapper) {
            value = first_named_child(value);
        } else {
            break;
        }
    }
    std::string suffix;
    if (kind_of(value) == Kind::member) {
        suffix.push_back('.');
        suffix += text(field(value, Field::property));
        value = field(value, Field::object);
    }
    if (kind_of(value) != Kind::call) {
        return;
    }
    const TSNode callee = field(value, Field::function);
    if (text(callee) != "require" && kind_of(callee) != Kind::import_callee) {
        return;
    }
    const TSNode arg = first_named_child(field(value, Field::arguments));
    if (kind_of(arg) != Kind::string) {
        return;
    }
    const std::string module = decode_string_literal(text(arg), m_spec.language, 200);
    m_require_handled = ts_node_start_byte(value);
    const TSNode name = field(declarator, Field::name);
    auto add = [&](std::string imported, std::string local, std::string target) {
        Import imp;
        imp.module = module;
        imp.name = std::move(imported);
        imp.alias = local;
        imp.range = range(declarator);
        add_alias(std::move(local), std::move(target), declarator);
        m_model.imports.push_back(std::move(imp));
    };
    const std::string base = module + suffix;
    const std::string member = suffix.empty() ? std::string() : suffix.substr(1);
    if (kind_of(name) == Kind::identifier) {
        add(member, std::string(text(name)), base);
        return;
    }
    // destructuring: const { a, b: c } = require('m')
    auto bind = [&](TSNode key, TSNode local) {
        std::string imported(text(key));
        std::string qualified = member.empty() ? imported : member + "." + imported;
        add(std::move(qualified), std::string(text(local)), base + "." + imported);
    };
    each_child(name, [&](TSNode p, const TSTreeCursor*) {
        const std::string_view type = type_of(p);
        if (kind_of(p) == Kind::identifier) {
            bind(p, p);
        } else if (type == "pair_pattern") {
            const TSNode key = field(p, Field::key);
            TSNode val = field(p, Field::value);
            if (type_of(val) == ("assignment_pattern")) {
                val = field(val, Field::left);
            }
            if (kind_of(val) == Kind::identifier) {
                bind(key, val);
            }
        } else if (type == "object_assignment_pattern") {
            const TSNode left = field(p, Field::left);
            if (kind_of(left) == Kind::identifier) {
                bind(left, left);
            }
        }
        return true;
    });
}

// export { a, b as c }
void Lowerer::js_export_names(TSNode node) {
    each_child(node, [&](TSNode spec, const TSTreeCursor*) {
        if (type_of(spec) == ("export_specifier")) {
            m_exported_names.emplace_back(text(field(spec, Field::name)));
        }
        return true;
    });
}

}  // namespace cq::treesitter
