#include "analyzer/treesitter/lowerer.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "analyzer/lexer/lexer.hpp"

namespace cq::treesitter {
namespace {

constexpr std::size_t k_max_scope_bytes = 512;
constexpr std::size_t k_max_text = 200;
constexpr std::size_t k_max_string_value = 4096;

}  // namespace

Lowerer::Lowerer(const LanguageSpec& spec, FileModel& model, const TSTree* tree)
    : m_spec(spec), m_model(model), m_tree(tree), m_src(model.source) {
    m_python = spec.language == Language::python;
    m_js = is_js_family(spec.language);
    m_c_family = is_c_family(spec.language);
    m_cpp = spec.language == Language::cpp;
}

Lowerer::~Lowerer() {
    for (std::size_t i = 0; i < m_cursors_made; ++i) {
        ts_tree_cursor_delete(&m_cursors[i]);
    }
}

// ---- node helpers ----------------------------------------------------------------------------

std::string_view Lowerer::text(TSNode n) const {
    if (ts_node_is_null(n)) {
        return {};
    }
    const std::uint32_t s = ts_node_start_byte(n);
    const std::uint32_t e = ts_node_end_byte(n);
    if (s > e || e > m_src.size()) {
        return {};
    }
    return m_src.substr(s, e - s);
}

Range Lowerer::range(TSNode n) const {
    Range r;
    if (ts_node_is_null(n)) {
        return r;
    }
    const TSPoint a = ts_node_start_point(n);
    const TSPoint b = ts_node_end_point(n);
    r.start_line = a.row + 1;
    r.start_column = a.column + 1;
    r.end_line = b.row + 1;
    r.end_column = b.column + 1;
    r.start_byte = ts_node_start_byte(n);
    r.end_byte = ts_node_end_byte(n);
    return r;
}

Range Lowerer::span(TSNode from, TSNode to) const {
    Range a = range(from);
    const Range b = range(to);
    a.end_line = b.end_line;
    a.end_column = b.end_column;
    a.end_byte = b.end_byte;
    return a;
}

TSNode Lowerer::field(TSNode n, Field f) const {
    const TSFieldId id = m_spec.field(f);
    if (id == 0 || ts_node_is_null(n)) {
        return TSNode{};
    }
    return ts_node_child_by_field_id(n, id);
}

TSNode Lowerer::first_child(TSNode n) const {
    if (ts_node_is_null(n) || ts_node_child_count(n) == 0) {
        return TSNode{};
    }
    return ts_node_child(n, 0);
}

TSNode Lowerer::first_named_child(TSNode n) {
    TSNode found{};
    each_child(n, [&](TSNode c, const TSTreeCursor*) {
        if (ts_node_is_named(c) && kind_of(c) != Kind::comment) {
            found = c;
            return false;
        }
        return true;
    });
    return found;
}

std::string Lowerer::capped_text(TSNode n, std::size_t cap) const {
    return std::string(utf8_prefix(trim(text(n)), cap));
}

TSTreeCursor* Lowerer::acquire_cursor(TSNode n) {
    if (m_cursor_depth < m_cursors.size()) {
        TSTreeCursor* cur = &m_cursors[m_cursor_depth];
        if (m_cursor_depth >= m_cursors_made) {
            *cur = ts_tree_cursor_new(n);
            ++m_cursors_made;
        } else {
            ts_tree_cursor_reset(cur, n);
        }
        ++m_cursor_depth;
        return cur;
    }
    // Deeper than the pool (never in practice): a private cursor.
    auto* cur = new TSTreeCursor(ts_tree_cursor_new(n));
    ++m_cursor_depth;
    return cur;
}

void Lowerer::release_cursor(TSTreeCursor* cur) {
    --m_cursor_depth;
    if (m_cursor_depth >= m_cursors.size()) {
        ts_tree_cursor_delete(cur);
        delete cur;
    }
}

std::int32_t Lowerer::push_scope(std::int32_t parent, std::string_view name) {
    std::string s = qualify(parent, name);
    if (s.size() > k_max_scope_bytes) {
        s.resize(utf8_prefix(s, k_max_scope_bytes).size());
    }
    m_scopes.push_back(std::move(s));
    return static_cast<std::int32_t>(m_scopes.size() - 1);
}

std::string Lowerer::qualify(std::int32_t scope, std::string_view name) const {
    if (scope < 0) {
        return std::string(name);
    }
    std::string s = m_scopes[static_cast<std::size_t>(scope)];
    s += m_spec.scope_separator;
    s += name;
    return s;
}

void Lowerer::add_alias(std::string local, std::string target, TSNode at, bool directive) {
    Alias a;
    a.local = std::move(local);
    a.target = std::move(target);
    a.directive = directive;
    a.end = m_cur != nullptr ? m_cur->block_end : UINT32_MAX;
    // Python and JS module-level imports are visible everywhere in the file (functions run
    // after the module body); C++ using-declarations only below themselves.
    const bool module_level = m_cur == nullptr || m_cur->function < 0;
    a.start = (!m_c_family && module_level) ? 0 : ts_node_start_byte(at);
    m_aliases.push_back(std::move(a));
}

// ---- the walk --------------------------------------------------------------------------------

void Lowerer::run() {
    const TSNode root = ts_tree_root_node(m_tree);
    m_stack.reserve(64);
    Entry sentinel{};
    sentinel.node = TSNode{};
    sentinel.ctx.block_end = UINT32_MAX;
    m_stack.push_back(sentinel);

    TSTreeCursor cur = ts_tree_cursor_new(root);
    for (;;) {
        const TSNode node = ts_tree_cursor_current_node(&cur);
        Entry& parent = m_stack.back();
        Ctx in = parent.ctx;
        if (parent.want_fields) {
            const TSFieldId fid = ts_tree_cursor_current_field_id(&cur);
            if (fid != 0) {
                if (fid == m_spec.field(Field::initializer) ||
                    (fid == m_spec.field(Field::right) && parent.kind == Kind::for_each)) {
                    // evaluated once, before the loop runs
                    in.loop = parent.in_loop;
                    in.loop_depth = parent.in_loop_depth;
                    in.in_loop_condition = parent.in_loop_condition;
                } else if (fid == m_spec.field(Field::condition) ||
                           fid == m_spec.field(Field::update) ||
                           fid == m_spec.field(Field::increment)) {
                    in.in_loop_condition = true;
                }
            }
        }
        Entry self;
        self.node = node;
        self.kind = kind_of(node);
        self.in_container = in.container;
        self.in_loop = in.loop;
        self.in_loop_depth = in.loop_depth;
        self.in_loop_condition = in.in_loop_condition;
        self.ctx = in;
        self.ctx.run = -1;
        self.ctx.else_if = false;
        m_cur = &in;
        const bool descend = visit(node, parent, in, self);
        m_cur = nullptr;
        if (descend && ts_tree_cursor_goto_first_child(&cur)) {
            m_stack.push_back(self);
            continue;
        }
        bool done = false;
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!ts_tree_cursor_goto_parent(&cur)) {
                done = true;
                break;
            }
            m_stack.pop_back();
        }
        if (done) {
            break;
        }
    }
    ts_tree_cursor_delete(&cur);
    finish();
}

bool Lowerer::visit(TSNode node, Entry& parent, const Ctx& in, Entry& self) {
    Ctx& c = self.ctx;
    const Kind kind = self.kind;
    if (ts_node_child_count(node) == 0) {
        visit_leaf(node, kind, parent, in);
        return false;
    }
    if (parent.kind == Kind::class_body && kind != Kind::decorator && kind != Kind::comment &&
        kind != Kind::method) {
        m_pending_decorators.clear();
    }
    switch (kind) {
    case Kind::error:
        note_syntax_error(node, false);
        return true;
    case Kind::comment:
        visit_leaf(node, kind, parent, in);
        return false;
    case Kind::string:
    case Kind::template_string: {
        bool descend = false;
        lower_string(node, parent, in, descend);
        return descend;
    }
    case Kind::string_piece:
    case Kind::regex:
    case Kind::char_lit:
    case Kind::number:
        return false;

    // ---- functions and scopes
    case Kind::function_decl:
    case Kind::function_expr:
    case Kind::arrow:
    case Kind::lambda:
    case Kind::method:
        begin_function(node, kind, parent, in, c);
        return true;
    case Kind::class_def:
        begin_class(node, parent, in, c);
        return true;
    case Kind::namespace_def: {
        const TSNode name = field(node, Field::name);
        if (!ts_node_is_null(name)) {
            c.scope = push_scope(in.scope, strip_whitespace(text(name), k_max_scope_bytes));
        } else if (m_cpp) {
            c.internal = true;  // namespace { ... }
        }
        return true;
    }
    case Kind::decorator:
        if (parent.kind == Kind::class_body) {
            std::string_view t = trim(text(node));
            if (!t.empty() && t.front() == '@') {
                t.remove_prefix(1);
            }
            if (m_pending_decorator_owner != ts_node_start_byte(parent.node)) {
                m_pending_decorators.clear();
            }
            m_pending_decorator_owner = ts_node_start_byte(parent.node);
            m_pending_decorators.push_back(strip_whitespace(t));
        }
        return true;
    case Kind::object_lit:
        if (m_js && (parent.kind == Kind::var_declarator || parent.kind == Kind::assignment)) {
            const TSNode name = parent.kind == Kind::var_declarator
                                    ? field(parent.node, Field::name)
                                    : field(parent.node, Field::left);
            const std::string target = strip_whitespace(text(name), k_max_scope_bytes);
            // `module.exports = { handler() {} }` names its members plainly, as
            // `exports.handler = ...` does
            if (!ts_node_is_null(name) && target != "module.exports" && target != "exports" &&
                (kind_of(name) == Kind::identifier || kind_of(name) == Kind::member)) {
                c.scope = push_scope(in.scope, target);
            }
        }
        return true;
    case Kind::block_scope:
    case Kind::class_body:
        if (m_cpp) {
            c.block_end = ts_node_end_byte(node);
        }
        return true;

    // ---- control flow
    case Kind::if_stmt: {
        std::int32_t id = -1;
        if (in.else_if && parent.kind == Kind::else_clause) {
            id = add_control(in, in.container, ControlKind::else_if,
                             span(first_child(parent.node), first_child(node)));
        } else {
            id = add_control(in, in.container, ControlKind::if_, range(first_child(node)));
        }
        if (id >= 0) {
            c.container = id;
        }
        return true;
    }
    case Kind::else_clause: {
        if (parent.kind != Kind::if_stmt) {
            // `else` of for / while / try: no node; it runs after the loop, not inside it.
            c.container = parent.in_container;
            c.loop = parent.in_loop;
            c.loop_depth = parent.in_loop_depth;
            c.in_loop_condition = parent.in_loop_condition;
            return true;
        }
        if (!m_python) {
            TSNode only{};
            int named = 0;
            each_child(node, [&](TSNode ch, const TSTreeCursor*) {
                if (ts_node_is_named(ch) && kind_of(ch) != Kind::comment) {
                    only = ch;
                    ++named;
                }
                return named < 2;
            });
            if (named == 1 && kind_of(only) == Kind::if_stmt) {
                c.container = parent.in_container;
                c.else_if = true;
                return true;
            }
        }
        const std::int32_t id =
            add_control(in, parent.in_container, ControlKind::else_, range(first_child(node)));
        c.container = id >= 0 ? id : parent.in_container;
        return true;
    }
    case Kind::elif_clause: {
        const std::int32_t id = add_control(in, parent.in_container, ControlKind::else_if,
                                            range(first_child(node)));
        c.container = id >= 0 ? id : parent.in_container;
        return true;
    }
    case Kind::switch_stmt:
    case Kind::match_stmt: {
        const std::int32_t id =
            add_control(in, in.container, ControlKind::switch_, range(first_child(node)));
        if (id >= 0) {
            c.container = id;
        }
        return true;
    }
    case Kind::switch_case:
    case Kind::switch_default:
    case Kind::case_clause: {
        const TSNode kw = first_child(node);
        std::uint32_t flags = 0;
        if (kind == Kind::switch_default || kind_of(kw) == Kind::kw_default) {
            flags = control_flag::k_default;
        } else if (kind == Kind::case_clause) {
            // `case _:` without a guard is Python's default
            bool wildcard = false;
            bool guarded = false;
            each_child(node, [&](TSNode ch, const TSTreeCursor*) {
                if (!ts_node_is_named(ch)) {
                    return true;
                }
                const Kind k = kind_of(ch);
                if (k == Kind::comp_if) {
                    guarded = true;
                } else if (k != Kind::comment && type_of(ch) == ("case_pattern")) {
                    wildcard = trim(text(ch)) == "_";
                }
                return true;
            });
            if (wildcard && !guarded) {
                flags = control_flag::k_default;
            }
        }
        const std::int32_t id = add_control(in, in.container, ControlKind::case_, range(kw), flags);
        if (id >= 0) {
            c.container = id;
        }
        return true;
    }
    case Kind::for_c:
    case Kind::for_each:
    case Kind::while_stmt:
    case Kind::do_stmt:
        begin_loop(node, kind, in, c, self);
        return true;
    case Kind::comprehension:
        begin_comprehension(node, in, c, self);
        return true;
    case Kind::comp_for: {
        if (parent.kind != Kind::comprehension) {
            return true;
        }
        const std::int32_t k = parent.aux2++;
        const std::int32_t id = add_control(in, in.container, ControlKind::loop,
                                            range(first_child(node)),
                                            control_flag::k_comprehension);
        if (id >= 0) {
            c.container = id;
        }
        if (parent.aux0 >= 0) {
            c.loop = k == 0 ? parent.in_loop : parent.aux0 + k - 1;
            c.loop_depth = static_cast<std::uint16_t>(parent.in_loop_depth + k);
        }
        return true;
    }
    case Kind::comp_if: {
        if (parent.kind != Kind::comprehension) {
            return true;  // a `case` guard: no node of its own
        }
        const std::int32_t id = add_control(in, in.container, ControlKind::if_,
                                            range(first_child(node)),
                                            control_flag::k_comprehension);
        if (id >= 0) {
            c.container = id;
        }
        if (parent.aux0 >= 0) {
            const std::int32_t seen = parent.aux2;
            c.loop = seen == 0 ? parent.in_loop : parent.aux0 + seen - 1;
            c.loop_depth = static_cast<std::uint16_t>(parent.in_loop_depth + seen);
        }
        return true;
    }
    case Kind::catch_clause: {
        const std::int32_t id =
            add_control(in, in.container, ControlKind::catch_, range(first_child(node)));
        if (id >= 0) {
            c.container = id;
        }
        c.in_handler = true;
        return true;
    }
    case Kind::ternary: {
        TSNode mark{};
        each_child(node, [&](TSNode ch, const TSTreeCursor*) {
            const Kind k = kind_of(ch);
            if (!ts_node_is_named(ch) && (k == Kind::op_question || k == Kind::kw_if)) {
                mark = ch;
                return false;
            }
            return true;
        });
        const std::int32_t id = add_control(in, in.container, ControlKind::ternary,
                                            range(ts_node_is_null(mark) ? node : mark));
        if (id >= 0) {
            c.container = id;
        }
        return true;
    }
    case Kind::binary:
    case Kind::bool_op:
        lower_logical(node, in, c);
        return true;
    case Kind::break_stmt:
    case Kind::continue_stmt:
        if (!ts_node_is_null(field(node, Field::label))) {
            add_control(in, in.container, ControlKind::jump, range(first_child(node)),
                        control_flag::k_labeled);
        }
        return true;
    case Kind::goto_stmt:
        add_control(in, in.container, ControlKind::jump, range(first_child(node)),
                    control_flag::k_goto);
        return true;

    // ---- expressions and statements
    case Kind::call:
    case Kind::new_expr:
        lower_call(node, kind, in);
        return true;
    case Kind::await_expr:
        lower_await(node, in, c);
        return true;
    case Kind::yield_expr:
        if (in.function >= 0) {
            m_model.functions[static_cast<std::size_t>(in.function)].is_generator = true;
        }
        return true;
    case Kind::assignment:
    case Kind::aug_assignment:
    case Kind::init_declarator:
    case Kind::field_def:
        lower_assignment(node, kind, parent, in);
        return true;
    case Kind::var_declarator:
        lower_assignment(node, kind, parent, in);
        if (m_js) {
            js_require_declarator(node);
        }
        return true;

    // ---- imports
    case Kind::import_stmt:
        py_import(node);
        return true;
    case Kind::import_from:
        py_import_from(node);
        return true;
    case Kind::es_import:
        js_import(node);
        return true;
    case Kind::export_clause:
        js_export_names(node);
        return true;
    case Kind::include:
        c_include(node);
        return true;
    case Kind::using_decl:
        cpp_using(node);
        return true;
    case Kind::namespace_alias:
        cpp_namespace_alias(node);
        return true;
    default:
        return true;
    }
}

void Lowerer::visit_leaf(TSNode node, Kind kind, const Entry& parent, const Ctx& in) {
    const std::uint32_t s = ts_node_start_byte(node);
    const std::uint32_t e = ts_node_end_byte(node);
    if (s >= e) {
        if (ts_node_is_missing(node)) {
            note_syntax_error(node, true);
        }
        return;
    }
    switch (kind) {
    case Kind::comment:  // its lines come from the lexer, with the tokens
        return;
    case Kind::skip_leaf:
        return;
    case Kind::error:
        note_syntax_error(node, false);
        break;
    case Kind::string:
    case Kind::template_string: {
        bool descend = false;
        lower_string(node, parent, in, descend);
        return;
    }
    case Kind::op_logical_and:
    case Kind::op_logical_or:
        if (in.run >= 0) {
            FlatControl& run = m_flat[static_cast<std::size_t>(in.run)];
            const std::uint8_t op = kind == Kind::op_logical_and ? 1 : 2;
            if (run.node.operators == 0) {
                run.node.range = range(node);
                run.node.sequences = 1;
            } else if (run.last_op != op && run.node.sequences < UINT16_MAX) {
                ++run.node.sequences;
            }
            if (run.node.operators < UINT16_MAX) {
                ++run.node.operators;
            }
            run.last_op = op;
        }
        break;
    default:
        break;
    }
}

void Lowerer::note_syntax_error(TSNode node, bool missing) {
    ++m_syntax_errors;
    if (m_syntax_errors > k_max_syntax_diagnostics) {
        return;
    }
    const TSPoint p = ts_node_start_point(node);
    Diagnostic d;
    d.level = DiagnosticLevel::error;
    d.line = p.row + 1;
    d.column = p.column + 1;
    d.message = "syntax error at line " + std::to_string(d.line);
    if (missing) {
        d.message += ": missing `";
        d.message += ts_node_type(node);
        d.message += '`';
    } else {
        std::string_view t = utf8_prefix(text(node), 40);
        const std::size_t nl = t.find('\n');
        if (nl != std::string_view::npos) {
            t = t.substr(0, nl);
        }
        t = trim(t);
        if (!t.empty()) {
            d.message += ": unexpected `";
            d.message += t;
            d.message += '`';
        }
    }
    m_model.diagnostics.push_back(std::move(d));
}

// ---- control tree --------------------------------------------------------------------------

std::int32_t Lowerer::add_control(const Ctx& c, std::int32_t container, ControlKind kind, Range r,
                                  std::uint32_t flags) {
    if (c.function < 0) {
        return -1;
    }
    std::int32_t parent = container;
    if (parent >= 0 && m_flat[static_cast<std::size_t>(parent)].function != c.function) {
        parent = -1;  // defensive: a container always belongs to the current function
    }
    std::uint16_t depth =
        parent < 0 ? 1 : static_cast<std::uint16_t>(m_flat[static_cast<std::size_t>(parent)].depth + 1);
    if (depth > k_max_control_depth) {
        while (parent >= 0 && m_flat[static_cast<std::size_t>(parent)].depth >= k_max_control_depth) {
            parent = m_flat[static_cast<std::size_t>(parent)].parent;
        }
        depth = parent < 0
                    ? 1
                    : static_cast<std::uint16_t>(m_flat[static_cast<std::size_t>(parent)].depth + 1);
        if (!m_depth_capped) {
            m_depth_capped = true;
            Diagnostic d;
            d.level = DiagnosticLevel::warning;
            d.line = r.start_line;
            d.column = r.start_column;
            d.message = "control nesting deeper than " + std::to_string(k_max_control_depth) +
                        " levels at line " + std::to_string(r.start_line) +
                        ": deeper structures are attached at that depth";
            m_model.diagnostics.push_back(std::move(d));
        }
    }
    FlatControl fc;
    fc.node.kind = kind;
    fc.node.flags = flags;
    fc.node.range = r;
    fc.parent = parent;
    fc.function = c.function;
    fc.depth = depth;
    m_flat.push_back(std::move(fc));
    return static_cast<std::int32_t>(m_flat.size() - 1);
}

void Lowerer::build_control_trees() {
    // Children were created after their parents (pre-order), so walking backwards moves every
    // finished subtree into its parent; children lists come out reversed and are flipped once.
    for (std::size_t i = m_flat.size(); i-- > 0;) {
        FlatControl& fc = m_flat[i];
        std::reverse(fc.node.children.begin(), fc.node.children.end());
        if (fc.parent >= 0) {
            m_flat[static_cast<std::size_t>(fc.parent)].node.children.push_back(std::move(fc.node));
        } else if (fc.function >= 0 &&
                   static_cast<std::size_t>(fc.function) < m_model.functions.size()) {
            m_model.functions[static_cast<std::size_t>(fc.function)].control.push_back(
                std::move(fc.node));
        }
    }
    for (Function& f : m_model.functions) {
        std::reverse(f.control.begin(), f.control.end());
    }
    m_flat.clear();
}

// ---- functions and classes -------------------------------------------------------------------

void Lowerer::begin_function(TSNode node, Kind kind, const Entry& parent, const Ctx& in, Ctx& c) {
    FunctionInfo info;
    if (m_python) {
        py_function_info(node, kind, parent, in, info);
    } else if (m_js) {
        js_function_info(node, kind, parent, in, info);
    } else {
        c_function_info(node, kind, parent, in, info);
    }
    Function f;
    if (info.name.empty()) {
        info.name = (m_python || m_c_family) && kind == Kind::lambda ? "<lambda>" : "<anonymous>";
    }
    f.name = std::move(info.name);
    f.qualified_name = qualify(in.scope, info.qualified_suffix.empty() ? std::string_view(f.name)
                                                                       : info.qualified_suffix);
    if (f.qualified_name.size() > k_max_scope_bytes + 64) {
        f.qualified_name.resize(utf8_prefix(f.qualified_name, k_max_scope_bytes + 64).size());
    }
    f.class_name = std::move(info.class_name);
    f.range = range(node);
    f.name_range = ts_node_is_null(info.name_node) ? range(first_child(node)) : range(info.name_node);
    if (ts_node_is_null(info.body)) {
        f.body_range = f.range;
        f.body_range.start_line = f.range.end_line;
        f.body_range.start_column = f.range.end_column;
        f.body_range.start_byte = f.range.end_byte;
    } else {
        f.body_range = range(info.body);
    }
    if (!ts_node_is_null(info.params)) {
        if (m_python) {
            py_params(info.params, f.params);
        } else if (m_js) {
            if (kind_of(info.params) == Kind::identifier) {
                Parameter p;
                p.name = std::string(text(info.params));
                p.range = range(info.params);
                f.params.push_back(std::move(p));
            } else {
                js_params(info.params, f.params);
            }
        } else {
            c_params(info.params, f.params);
        }
    }
    // decorators
    if (m_python && parent.kind == Kind::decorated_def) {
        each_child(parent.node, [&](TSNode ch, const TSTreeCursor*) {
            if (kind_of(ch) == Kind::decorator) {
                std::string_view t = trim(text(ch));
                if (!t.empty() && t.front() == '@') {
                    t.remove_prefix(1);
                }
                f.decorators.push_back(strip_whitespace(t));
            }
            return true;
        });
    }
    if (m_js) {
        if (parent.kind == Kind::class_body &&
            m_pending_decorator_owner == ts_node_start_byte(parent.node)) {
            f.decorators = std::move(m_pending_decorators);
            m_pending_decorators.clear();
        }
        each_child(node, [&](TSNode ch, const TSTreeCursor*) {
            if (kind_of(ch) == Kind::decorator) {
                std::string_view t = trim(text(ch));
                if (!t.empty() && t.front() == '@') {
                    t.remove_prefix(1);
                }
                f.decorators.push_back(strip_whitespace(t));
            }
            return true;
        });
    }
    f.parent = in.function;
    f.is_async = info.is_async;
    f.is_generator = info.is_generator;
    f.is_method = info.is_method;
    f.is_lambda = info.is_lambda;
    f.is_exported = info.is_exported;

    const auto idx = static_cast<std::int32_t>(m_model.functions.size());
    const Range name_range = f.name_range;
    std::string qualified = f.qualified_name;
    m_model.functions.push_back(std::move(f));

    const std::int32_t nested =
        add_control(in, in.container, ControlKind::nested_function, name_range);
    if (nested >= 0) {
        m_flat[static_cast<std::size_t>(nested)].node.function = idx;
    }
    const auto pending = m_pending_fn_args.find(ts_node_start_byte(node));
    if (pending != m_pending_fn_args.end()) {
        auto& call = m_model.calls[static_cast<std::size_t>(pending->second.first)];
        if (pending->second.second < call.args.size()) {
            call.args[pending->second.second].function = idx;
        }
        m_pending_fn_args.erase(pending);
    }

    c.function = idx;
    c.container = -1;
    c.loop = -1;
    c.loop_depth = 0;
    c.run = -1;
    c.in_handler = false;
    c.in_loop_condition = false;
    c.class_name = {};
    c.awaited_id = nullptr;
    c.await_index = -1;
    c.block_end = ts_node_end_byte(node);
    if (qualified.size() > k_max_scope_bytes) {
        qualified.resize(utf8_prefix(qualified, k_max_scope_bytes).size());
    }
    m_scopes.push_back(std::move(qualified));
    c.scope = static_cast<std::int32_t>(m_scopes.size() - 1);
}

void Lowerer::begin_class(TSNode node, const Entry& parent, const Ctx& in, Ctx& c) {
    std::string_view name = text(field(node, Field::name));
    if (name.empty() && m_js) {
        if (parent.kind == Kind::var_declarator) {
            const TSNode n = field(parent.node, Field::name);
            if (kind_of(n) == Kind::identifier) {
                name = text(n);
            }
        } else if (parent.kind == Kind::assignment) {
            const TSNode left = field(parent.node, Field::left);
            name = kind_of(left) == Kind::member ? text(field(left, Field::property)) : text(left);
        }
    }
    if (name.empty()) {
        name = "<anonymous>";
    }
    c.scope = push_scope(in.scope, strip_whitespace(name, k_max_scope_bytes));
    c.class_name = name;
}

// ---- loops -----------------------------------------------------------------------------------

namespace {

// Identifier texts inside a pattern (loop variables), skipping object-pattern keys.
template <class Lower>
void collect_identifiers(Lower& low, const LanguageSpec& spec, TSNode pattern,
                         std::vector<std::string>& out) {
    if (ts_node_is_null(pattern)) {
        return;
    }
    if (ts_node_child_count(pattern) == 0) {
        if (spec.kind(ts_node_symbol(pattern)) == Kind::identifier) {
            out.emplace_back(low.text(pattern));
        }
        return;
    }
    const TSFieldId key = spec.field(Field::key);
    const TSFieldId type = spec.field(Field::type);
    const TSFieldId value = spec.field(Field::value);
    TSTreeCursor cur = ts_tree_cursor_new(pattern);
    std::size_t budget = 256;
    bool moved = ts_tree_cursor_goto_first_child(&cur);
    std::size_t depth = moved ? 1 : 0;
    while (moved && budget-- > 0 && out.size() < 32) {
        const TSNode n = ts_tree_cursor_current_node(&cur);
        const TSFieldId fid = ts_tree_cursor_current_field_id(&cur);
        const bool skip = fid != 0 && (fid == key || fid == type || fid == value);
        if (!skip && ts_node_child_count(n) == 0 &&
            spec.kind(ts_node_symbol(n)) == Kind::identifier) {
            out.emplace_back(low.text(n));
        }
        if (!skip && ts_tree_cursor_goto_first_child(&cur)) {
            ++depth;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (depth <= 1 || !ts_tree_cursor_goto_parent(&cur)) {
                moved = false;
                break;
            }
            --depth;
        }
    }
    ts_tree_cursor_delete(&cur);
}

std::string_view strip_parens(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
        s = trim(s.substr(1, s.size() - 2));
    }
    return s;
}

}  // namespace

void Lowerer::begin_loop(TSNode node, Kind kind, const Ctx& in, Ctx& c, Entry& self) {
    Loop loop;
    TSNode kw = first_child(node);
    bool is_await = false;
    if (kind_of(kw) == Kind::kw_async) {
        is_await = true;
        kw = ts_node_child(node, 1);
    }
    const TSNode body = field(node, Field::body);
    TSNode header_end{};
    TSNode do_while_kw{};
    bool after_body = false;
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        if (!ts_node_is_named(ch) && kind_of(ch) == Kind::kw_await) {
            is_await = true;
        }
        if (!ts_node_is_null(body) && ts_node_eq(ch, body)) {
            after_body = true;
            return true;
        }
        if (!after_body) {
            header_end = ch;
        } else if (ts_node_is_null(do_while_kw) && !ts_node_is_named(ch)) {
            do_while_kw = ch;
        }
        return true;
    });
    switch (kind) {
    case Kind::for_c: loop.kind = LoopKind::for_; break;
    case Kind::for_each: loop.kind = is_await ? LoopKind::for_await : LoopKind::for_each; break;
    case Kind::while_stmt: loop.kind = LoopKind::while_; break;
    default: loop.kind = LoopKind::do_while; break;
    }
    loop.range = range(node);
    loop.body_range = ts_node_is_null(body) ? loop.range : range(body);
    if (kind == Kind::do_stmt) {
        loop.header_range =
            ts_node_is_null(do_while_kw) ? loop.range : span(do_while_kw, ts_node_child(node, ts_node_child_count(node) - 1));
    } else {
        loop.header_range = span(node, ts_node_is_null(header_end) ? node : header_end);
    }
    if (kind == Kind::for_each) {
        loop.target = capped_text(field(node, Field::right), k_max_text);
        TSNode vars = field(node, Field::left);
        if (ts_node_is_null(vars)) {
            vars = field(node, Field::declarator);  // C++ range-for
        }
        collect_identifiers(*this, m_spec, vars, loop.variables);
    } else {
        const TSNode cond = field(node, Field::condition);
        if (!ts_node_is_null(cond)) {
            loop.condition = std::string(utf8_prefix(strip_parens(text(cond)), k_max_text));
            if (!loop.condition.empty() && loop.condition.back() == ';') {
                loop.condition.pop_back();
            }
        }
        if (kind == Kind::for_c) {
            const TSNode init = field(node, Field::initializer);
            const Kind ik = kind_of(init);
            if (ik == Kind::declaration || ik == Kind::lexical_decl) {
                each_child(init, [&](TSNode d, const TSTreeCursor*) {
                    const Kind dk = kind_of(d);
                    if (dk == Kind::var_declarator) {
                        collect_identifiers(*this, m_spec, field(d, Field::name), loop.variables);
                    } else if (dk == Kind::init_declarator) {
                        loop.variables.emplace_back(
                            text(c_declarator_name(m_spec, field(d, Field::declarator))));
                    } else if (dk == Kind::identifier && m_c_family) {
                        loop.variables.emplace_back(text(d));
                    }
                    return true;
                });
            } else if (ik == Kind::assignment) {
                loop.variables.emplace_back(trim(text(field(init, Field::left))));
            }
        }
    }
    loop.function = in.function;
    loop.parent = in.loop;
    loop.depth = static_cast<std::uint16_t>(in.loop_depth + 1);
    m_model.loops.push_back(std::move(loop));
    const auto idx = static_cast<std::int32_t>(m_model.loops.size() - 1);

    const std::int32_t id = add_control(in, in.container, ControlKind::loop, range(kw),
                                        kind == Kind::do_stmt ? control_flag::k_do_while : 0);
    if (id >= 0) {
        c.container = id;
    }
    c.loop = idx;
    c.loop_depth = static_cast<std::uint16_t>(in.loop_depth + 1);
    self.want_fields = true;
}

void Lowerer::begin_comprehension(TSNode node, const Ctx& in, Ctx& c, Entry& self) {
    TSNode body{};
    std::vector<TSNode> clauses;
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        const Kind k = kind_of(ch);
        if (k == Kind::comp_for) {
            clauses.push_back(ch);
        } else if (ts_node_is_null(body) && ts_node_is_named(ch) && k != Kind::comment &&
                   k != Kind::comp_if) {
            body = ch;
        }
        return true;
    });
    if (clauses.empty()) {
        return;
    }
    const auto first = static_cast<std::int32_t>(m_model.loops.size());
    for (std::size_t k = 0; k < clauses.size(); ++k) {
        Loop loop;
        loop.kind = LoopKind::comprehension;
        loop.range = range(node);
        loop.header_range = range(clauses[k]);
        loop.body_range = ts_node_is_null(body) ? loop.range : range(body);
        loop.target = capped_text(field(clauses[k], Field::right), k_max_text);
        collect_identifiers(*this, m_spec, field(clauses[k], Field::left), loop.variables);
        loop.function = in.function;
        loop.parent = k == 0 ? in.loop : first + static_cast<std::int32_t>(k) - 1;
        loop.depth = static_cast<std::uint16_t>(in.loop_depth + k + 1);
        m_model.loops.push_back(std::move(loop));
    }
    const auto n = static_cast<std::int32_t>(clauses.size());
    self.aux0 = first;
    self.aux1 = n;
    self.aux2 = 0;
    c.loop = first + n - 1;
    c.loop_depth = static_cast<std::uint16_t>(in.loop_depth + n);
}

// ---- logical runs ------------------------------------------------------------------------------

void Lowerer::lower_logical(TSNode node, const Ctx& in, Ctx& c) {
    const TSNode op = field(node, Field::operator_);
    const Kind ok = ts_node_is_null(op) ? Kind::other : kind_of(op);
    if (ok != Kind::op_logical_and && ok != Kind::op_logical_or) {
        return;
    }
    if (in.run >= 0) {
        c.run = in.run;  // an operand of the enclosing run continues it
        return;
    }
    const std::int32_t id = add_control(in, in.container, ControlKind::logical_run, range(op));
    if (id < 0) {
        return;
    }
    c.run = id;
    c.container = id;
}

// ---- calls -------------------------------------------------------------------------------------

void Lowerer::lower_call(TSNode node, Kind kind, const Ctx& in) {
    CallSite cs;
    TSNode callee{};
    if (kind == Kind::new_expr) {
        cs.is_new = true;
        callee = field(node, Field::constructor);
        if (ts_node_is_null(callee)) {
            callee = field(node, Field::type);
        }
    } else {
        callee = field(node, Field::function);
    }
    const TSNode args = field(node, Field::arguments);
    cs.range = range(node);
    TSNode name_node = callee;
    std::string key;
    if (!ts_node_is_null(callee)) {
        cs.callee_range = range(callee);
        cs.callee = strip_whitespace(text(callee), k_max_text);
        const Kind ck = kind_of(callee);
        if (ck == Kind::member) {
            TSNode obj = field(callee, Field::object);
            if (ts_node_is_null(obj)) {
                obj = field(callee, Field::argument);
            }
            TSNode prop = field(callee, Field::property);
            if (ts_node_is_null(prop)) {
                prop = field(callee, Field::attribute);
            }
            if (ts_node_is_null(prop)) {
                prop = field(callee, Field::field);
            }
            cs.receiver = strip_whitespace(text(obj), k_max_text);
            name_node = prop;
            std::string name = strip_whitespace(text(prop), k_max_text);
            if (name.rfind("template", 0) == 0) {
                name.erase(0, 8);
            }
            cs.name = name.substr(0, name.find('<'));
            // require('m').f(...) resolves to m.f
            if (m_js && kind_of(obj) == Kind::call) {
                const TSNode inner = field(obj, Field::function);
                const TSNode inner_args = field(obj, Field::arguments);
                const TSNode first = first_named_child(inner_args);
                if (text(inner) == "require" && kind_of(first) == Kind::string) {
                    key = decode_string_literal(text(first), m_spec.language, k_max_text) + "." +
                          cs.name;
                }
            }
        } else if (ck == Kind::qualified_id) {
            TSNode q = callee;
            for (int guard = 0; guard < 64 && kind_of(q) == Kind::qualified_id; ++guard) {
                const TSNode next = field(q, Field::name);
                if (ts_node_is_null(next)) {
                    break;
                }
                q = next;
            }
            name_node = q;
            if (kind_of(q) == Kind::template_fn) {
                name_node = field(q, Field::name);
            }
            cs.name = strip_whitespace(text(name_node), k_max_text);
            const std::size_t sep = cs.callee.rfind("::", cs.callee.find('<'));
            if (sep != std::string::npos) {
                cs.receiver = cs.callee.substr(0, sep);
            }
        } else if (ck == Kind::template_fn) {
            name_node = field(callee, Field::name);
            cs.name = strip_whitespace(text(name_node), k_max_text);
        } else if (ts_node_child_count(callee) == 0 || ck == Kind::identifier ||
                   ck == Kind::this_lit || ck == Kind::import_callee) {
            cs.name = cs.callee;
        }
    }
    cs.function = in.function;
    cs.loop = in.loop;
    cs.loop_depth = in.loop_depth;
    cs.in_handler = in.in_handler;
    cs.in_loop_condition = in.in_loop_condition;
    if (in.function >= 0) {
        cs.in_async = m_model.functions[static_cast<std::size_t>(in.function)].is_async;
    }
    const auto idx = static_cast<std::int32_t>(m_model.calls.size());
    if (in.awaited_id != nullptr && in.awaited_id == node.id) {
        cs.awaited = true;
        if (in.await_index >= 0) {
            m_model.awaits[static_cast<std::size_t>(in.await_index)].call = idx;
        }
    }

    // arguments
    auto add_arg = [&](TSNode a) {
        TSNode value = a;
        Argument arg = make_argument(a, value);
        if (arg.kind == ArgKind::function) {
            m_pending_fn_args[ts_node_start_byte(value)] = {idx, cs.args.size()};
        }
        cs.args.push_back(std::move(arg));
    };
    if (!ts_node_is_null(args)) {
        if (kind_of(args) == Kind::argument_list) {
            each_child(args, [&](TSNode a, const TSTreeCursor*) {
                if (ts_node_is_named(a) && kind_of(a) != Kind::comment) {
                    add_arg(a);
                }
                return true;
            });
        } else {
            add_arg(args);  // tagged template, generator argument, C++ braced init
        }
    }

    // imports through require() / import()
    if (m_js && !ts_node_is_null(callee) &&
        (cs.callee == "require" || kind_of(callee) == Kind::import_callee) && !cs.args.empty() &&
        cs.args.front().kind == ArgKind::string_literal) {
        if (ts_node_start_byte(node) != m_require_handled) {
            Import imp;
            imp.module = cs.args.front().value;
            imp.range = cs.range;
            m_model.imports.push_back(std::move(imp));
        }
    }

    // recursion: a call of the enclosing function by its own name. A Python or JS method
    // calls itself through self / this / cls; a bare name there is another function.
    if (in.function >= 0 && !cs.is_new && !cs.name.empty()) {
        const Function& f = m_model.functions[static_cast<std::size_t>(in.function)];
        const bool named = !f.name.empty() && f.name.front() != '<';
        const bool self_receiver =
            cs.receiver == "self" || cs.receiver == "this" || cs.receiver == "cls";
        const bool bare_ok = !f.is_method || m_c_family;
        if (named && ((bare_ok && cs.callee == f.name) || cs.callee == f.qualified_name ||
                      (f.is_method && self_receiver && cs.name == f.name))) {
            add_control(in, in.container, ControlKind::recursion, range(name_node));
        }
    }

    m_model.calls.push_back(std::move(cs));
    m_call_keys.push_back(std::move(key));
}

Argument Lowerer::make_argument(TSNode node, TSNode& value) {
    Argument arg;
    value = node;
    if (kind_of(node) == Kind::keyword_argument) {
        arg.keyword = std::string(text(field(node, Field::name)));
        value = field(node, Field::value);
    }
    arg.range = range(node);
    arg.text = std::string(utf8_prefix(text(node), k_max_text));
    // look through parentheses and type assertions
    for (int guard = 0; guard < 32 && kind_of(value) == Kind::wrapper; ++guard) {
        const TSNode inner = first_named_child(value);
        if (ts_node_is_null(inner)) {
            break;
        }
        value = inner;
    }
    arg.kind = classify(value);
    if (arg.kind == ArgKind::string_literal) {
        arg.value = string_value(value, k_max_text);
    } else if (arg.kind == ArgKind::object) {
        each_child(value, [&](TSNode p, const TSTreeCursor*) {
            const Kind pk = kind_of(p);
            TSNode key{};
            if (pk == Kind::pair) {
                key = field(p, Field::key);
            } else if (pk == Kind::method) {
                key = field(p, Field::name);
            } else if (pk == Kind::identifier) {
                key = p;  // shorthand property
            }
            if (!ts_node_is_null(key)) {
                if (kind_of(key) == Kind::string) {
                    arg.object_keys.push_back(string_value(key, k_max_text));
                } else {
                    arg.object_keys.emplace_back(utf8_prefix(text(key), k_max_text));
                }
            }
            return arg.object_keys.size() < 64;
        });
    }
    return arg;
}

bool Lowerer::has_interpolation(TSNode node) {
    // Only Python f-strings (and t-strings) and JavaScript template strings hold interpolations:
    // any other string literal needs no walk over its children.
    if (kind_of(node) == Kind::string) {
        if (!m_python) {
            return false;
        }
        const std::string_view t = text(node);
        const std::size_t quote = t.find_first_of("'\"");
        const std::string_view prefix = t.substr(0, quote);
        if (prefix.find_first_of("fFtT") == std::string_view::npos) {
            return false;
        }
    }
    bool found = false;
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        const Kind k = kind_of(ch);
        if (k == Kind::interpolation || k == Kind::template_substitution) {
            found = true;
        } else if (k == Kind::string) {
            each_child(ch, [&](TSNode g, const TSTreeCursor*) {
                const Kind gk = kind_of(g);
                found = gk == Kind::interpolation || gk == Kind::template_substitution;
                return !found;
            });
        }
        return !found;
    });
    return found;
}

std::string Lowerer::string_value(TSNode node, std::size_t cap) {
    if (kind_of(node) != Kind::concatenated_string) {
        return decode_string_literal(text(node), m_spec.language, cap);
    }
    std::string out;
    each_child(node, [&](TSNode ch, const TSTreeCursor*) {
        if (kind_of(ch) == Kind::string) {
            out += decode_string_literal(text(ch), m_spec.language, cap);
        }
        return out.size() < cap;
    });
    return std::string(utf8_prefix(out, cap));
}

ArgKind Lowerer::classify(TSNode node) {
    for (int guard = 0; guard < 32; ++guard) {
        if (ts_node_is_null(node)) {
            return ArgKind::other;
        }
        switch (kind_of(node)) {
        case Kind::wrapper: {
            const TSNode inner = first_named_child(node);
            if (ts_node_is_null(inner)) {
                return ArgKind::other;
            }
            node = inner;
            continue;
        }
        case Kind::string:
        case Kind::template_string:
        case Kind::concatenated_string:
            return has_interpolation(node) ? ArgKind::interpolated : ArgKind::string_literal;
        case Kind::number: return ArgKind::number_literal;
        case Kind::unary: {
            const TSNode operand = field(node, Field::argument);
            const TSNode op = field(node, Field::operator_);
            const std::string_view o = text(op);
            if (kind_of(operand) == Kind::number && (o == "-" || o == "+")) {
                return ArgKind::number_literal;
            }
            return ArgKind::other;
        }
        case Kind::true_lit:
        case Kind::false_lit: return ArgKind::bool_literal;
        case Kind::null_lit: return ArgKind::null_literal;
        case Kind::identifier:
        case Kind::this_lit: return ArgKind::identifier;
        case Kind::member:
        case Kind::qualified_id: return ArgKind::member;
        case Kind::call: {
            if (m_python) {
                // "...".format(...) builds a string
                const TSNode fn = field(node, Field::function);
                if (kind_of(fn) == Kind::member &&
                    text(field(fn, Field::attribute)) == "format") {
                    const Kind ok = kind_of(field(fn, Field::object));
                    if (ok == Kind::string || ok == Kind::concatenated_string) {
                        return ArgKind::concatenation;
                    }
                }
            }
            return ArgKind::call;
        }
        case Kind::new_expr: return ArgKind::call;
        case Kind::binary: {
            // + with a string operand anywhere in the chain; Python "fmt" % args
            TSNode stack[64];
            std::size_t top = 0;
            stack[top++] = node;
            std::size_t budget = 128;
            while (top > 0 && budget-- > 0) {
                const TSNode n = stack[--top];
                const Kind k = kind_of(n);
                if (k == Kind::string || k == Kind::template_string ||
                    k == Kind::concatenated_string) {
                    return ArgKind::concatenation;
                }
                if (k == Kind::wrapper) {
                    const TSNode inner = first_named_child(n);
                    if (!ts_node_is_null(inner) && top < 64) {
                        stack[top++] = inner;
                    }
                    continue;
                }
                if (k != Kind::binary) {
                    continue;
                }
                const Kind op = kind_of(field(n, Field::operator_));
                if (op == Kind::op_percent && m_python) {
                    const Kind lk = kind_of(field(n, Field::left));
                    if (lk == Kind::string || lk == Kind::concatenated_string) {
                        return ArgKind::concatenation;
                    }
                }
                if (op == Kind::op_plus && top + 2 <= 64) {
                    stack[top++] = field(n, Field::left);
                    stack[top++] = field(n, Field::right);
                }
            }
            return ArgKind::other;
        }
        case Kind::function_expr:
        case Kind::arrow:
        case Kind::lambda: return ArgKind::function;
        case Kind::object_lit: return ArgKind::object;
        case Kind::array_lit: return ArgKind::array;
        default: return ArgKind::other;
        }
    }
    return ArgKind::other;
}

// ---- awaits, assignments, strings ------------------------------------------------------------

void Lowerer::lower_await(TSNode node, const Ctx& in, Ctx& c) {
    Await a;
    a.range = range(node);
    a.function = in.function;
    a.loop = in.loop;
    a.in_loop_condition = in.in_loop_condition;
    m_model.awaits.push_back(a);
    TSNode operand = first_named_child(node);
    for (int guard = 0; guard < 32 && kind_of(operand) == Kind::wrapper; ++guard) {
        const TSNode inner = first_named_child(operand);
        if (ts_node_is_null(inner)) {
            break;
        }
        operand = inner;
    }
    const Kind ok = kind_of(operand);
    if (ok == Kind::call || ok == Kind::new_expr) {
        c.awaited_id = operand.id;
        c.await_index = static_cast<std::int32_t>(m_model.awaits.size() - 1);
    }
}

void Lowerer::lower_assignment(TSNode node, Kind kind, const Entry& parent, const Ctx& in) {
    Assignment as;
    TSNode target{};
    TSNode value{};
    switch (kind) {
    case Kind::assignment:
    case Kind::aug_assignment: {
        target = field(node, Field::left);
        value = field(node, Field::right);
        as.is_augmented = kind == Kind::aug_assignment;
        if (m_c_family) {
            as.is_augmented = text(field(node, Field::operator_)) != "=";
        }
        if (m_python && !ts_node_is_null(field(node, Field::type))) {
            as.is_declaration = true;
        }
        as.target = strip_whitespace(text(target), k_max_text);
        if (m_js && as.target == "module.exports") {
            // module.exports = name / { a, b: c }
            const Kind vk = kind_of(value);
            if (vk == Kind::identifier) {
                m_exported_names.emplace_back(text(value));
            } else if (vk == Kind::object_lit) {
                each_child(value, [&](TSNode p, const TSTreeCursor*) {
                    const Kind pk = kind_of(p);
                    if (pk == Kind::identifier) {
                        m_exported_names.emplace_back(text(p));
                    } else if (pk == Kind::pair &&
                               kind_of(field(p, Field::value)) == Kind::identifier) {
                        m_exported_names.emplace_back(text(field(p, Field::value)));
                    }
                    return true;
                });
            }
        } else if (m_js && (as.target.rfind("exports.", 0) == 0 ||
                            as.target.rfind("module.exports.", 0) == 0) &&
                   kind_of(value) == Kind::identifier) {
            m_exported_names.emplace_back(text(value));
        }
        break;
    }
    case Kind::var_declarator: {
        target = field(node, Field::name);
        value = field(node, Field::value);
        as.is_declaration = true;
        std::string_view kw;
        if (parent.kind == Kind::lexical_decl) {
            kw = text(first_child(parent.node));
        }
        as.target = std::string(kw);
        if (!kw.empty()) {
            as.target += ' ';
        }
        as.target += strip_whitespace(text(target), k_max_text);
        break;
    }
    case Kind::init_declarator: {
        target = field(node, Field::declarator);
        value = field(node, Field::value);
        as.is_declaration = true;
        if (parent.kind == Kind::declaration) {
            const TSNode type = field(parent.node, Field::type);
            as.target = std::string(utf8_prefix(trim(text(type)), k_max_text));
            if (!as.target.empty()) {
                as.target += ' ';
            }
        }
        as.target += strip_whitespace(text(target), k_max_text);
        break;
    }
    case Kind::field_def: {
        target = field(node, Field::property);
        if (ts_node_is_null(target)) {
            target = field(node, Field::name);
        }
        value = field(node, Field::value);
        as.is_declaration = true;
        as.is_member = true;
        as.target = "this." + strip_whitespace(text(target), k_max_text);
        break;
    }
    default:
        return;
    }
    if (ts_node_is_null(target) || ts_node_is_null(value)) {
        return;
    }
    if (kind_of(target) == Kind::member) {
        as.is_member = true;
    }
    as.value = std::string(utf8_prefix(text(value), k_max_text));
    as.value_kind = classify(value);
    as.range = range(node);
    as.function = in.function;
    as.loop = in.loop;
    m_model.assignments.push_back(std::move(as));
}

void Lowerer::lower_string(TSNode node, const Entry& parent, const Ctx& in, bool& descend) {
    const bool templ = has_interpolation(node);
    if (parent.kind != Kind::include) {
        StringLiteral s;
        s.value = decode_string_literal(text(node), m_spec.language, k_max_string_value);
        s.range = range(node);
        s.function = in.function;
        s.is_template = templ;
        m_model.strings.push_back(std::move(s));
    }
    descend = templ;
}

// ---- finishing -------------------------------------------------------------------------------

const Lowerer::Alias* Lowerer::find_alias(std::string_view local, std::uint32_t at) const {
    for (auto it = m_aliases.rbegin(); it != m_aliases.rend(); ++it) {
        if (!it->directive && it->local == local && it->start <= at && at < it->end) {
            return &*it;
        }
    }
    return nullptr;
}

std::string Lowerer::resolve_callee(const CallSite& call, std::string_view key) const {
    if (m_cpp) {
        return cpp_resolve(call, key);
    }
    if (m_c_family || key.empty()) {
        return std::string(key);
    }
    const std::size_t cut = key.find_first_of(".?[(");
    const std::string_view head = key.substr(0, cut);
    const Alias* a = find_alias(head, call.range.start_byte);
    if (a == nullptr) {
        return std::string(key);
    }
    std::string out = a->target;
    if (cut != std::string_view::npos) {
        out += key.substr(cut);
    }
    return out;
}

void Lowerer::resolve_calls() {
    for (std::size_t i = 0; i < m_model.calls.size(); ++i) {
        CallSite& call = m_model.calls[i];
        const std::string& key = i < m_call_keys.size() ? m_call_keys[i] : std::string();
        if (!key.empty()) {
            call.resolved = key;
        } else {
            call.resolved = resolve_callee(call, call.callee);
        }
    }
}

void Lowerer::finish() {
    build_control_trees();
    resolve_calls();
    if (!m_exported_names.empty()) {
        const std::unordered_set<std::string> names(m_exported_names.begin(),
                                                    m_exported_names.end());
        for (Function& f : m_model.functions) {
            if (f.parent < 0 && !f.is_method && names.count(f.name) != 0) {
                f.is_exported = true;
            }
        }
    }
    if (m_syntax_errors > k_max_syntax_diagnostics) {
        Diagnostic d;
        d.level = DiagnosticLevel::error;
        d.message = std::to_string(m_syntax_errors - k_max_syntax_diagnostics) +
                    " more syntax errors not shown (" + std::to_string(m_syntax_errors) +
                    " in total)";
        m_model.diagnostics.push_back(std::move(d));
    }
    m_model.ncloc = lexer::code_lines(m_model.tokens);
}

}  // namespace cq::treesitter
