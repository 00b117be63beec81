// Internal to analyzer/treesitter: lowers one parsed tree into a FileModel in a single iterative
// pass (TSTreeCursor plus an explicit stack of contexts, so nesting depth never touches the C++
// stack). Shared logic lives in lowerer.cpp; grammar-specific hooks in languages/*.cpp.
#pragma once

#include <tree_sitter/api.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/text_util.hpp"

namespace cq::treesitter {

class Lowerer {
public:
    // `model.source` must hold the parsed bytes and outlive the Lowerer; `tree` is borrowed.
    Lowerer(const LanguageSpec& spec, FileModel& model, const TSTree* tree);
    ~Lowerer();
    Lowerer(const Lowerer&) = delete;
    Lowerer& operator=(const Lowerer&) = delete;

    // Walks the tree and fills the model (everything but metrics and `lines`).
    void run();

    // Deepest control-tree nesting kept; deeper nodes are attached at this depth.
    static constexpr std::uint16_t k_max_control_depth = 200;
    static constexpr std::size_t k_max_syntax_diagnostics = 20;

private:
    // What the walk knows at one level; copied from parent to child and adjusted.
    struct Ctx {
        std::int32_t function = -1;   // enclosing function
        std::int32_t container = -1;  // flat control node receiving new nodes (-1: root)
        std::int32_t loop = -1;       // innermost loop of the function
        std::int32_t run = -1;        // logical run, set only for children of run members
        std::int32_t scope = -1;      // qualified-name prefix (index into m_scopes)
        std::int32_t await_index = -1;
        const void* awaited_id = nullptr;  // node id of the operand of the enclosing await
        std::uint32_t block_end = 0;       // end byte of the scope that holds new aliases
        std::string_view class_name;       // set inside a class body until a function starts
        std::uint16_t loop_depth = 0;
        bool in_handler = false;
        bool in_loop_condition = false;
        bool else_if = false;      // this node is the `if` of an `else if`
        bool internal = false;     // inside a C++ anonymous namespace (internal linkage)
    };

    struct Entry {
        TSNode node;
        Ctx ctx;  // context for the children of `node`
        Kind kind = Kind::other;
        bool want_fields = false;
        // The context `node` itself was visited with (parts of it).
        std::int32_t in_container = -1;
        std::int32_t in_loop = -1;
        std::uint16_t in_loop_depth = 0;
        bool in_loop_condition = false;
        // Per-kind scratch (comprehensions: first loop, number of `for`s, `for`s seen).
        std::int32_t aux0 = -1;
        std::int32_t aux1 = 0;
        std::int32_t aux2 = 0;
    };

    struct FlatControl {
        ControlNode node;
        std::int32_t parent = -1;
        std::int32_t function = -1;
        std::uint16_t depth = 1;
        std::uint8_t last_op = 0;  // logical runs: 1 and-like, 2 or-like
    };

    struct Alias {
        std::string local;
        std::string target;
        std::uint32_t start = 0;
        std::uint32_t end = 0;
        bool directive = false;  // C++ `using namespace`
    };

    struct FunctionInfo {
        std::string name;
        std::string qualified_suffix;  // C++ out-of-line `A::f`; else empty (use name)
        std::string class_name;
        TSNode name_node{};
        TSNode params{};
        TSNode body{};
        bool is_async = false;
        bool is_generator = false;
        bool is_method = false;
        bool is_lambda = false;
        bool is_exported = false;
    };

    // ---- the walk
    bool visit(TSNode node, Entry& parent, const Ctx& in, Entry& self);
    void visit_leaf(TSNode node, Kind kind, const Entry& parent, const Ctx& in);
    void note_syntax_error(TSNode node, bool missing);

    // ---- shared lowering
    std::int32_t add_control(const Ctx& c, std::int32_t container, ControlKind kind, Range r,
                             std::uint32_t flags = 0);
    void begin_function(TSNode node, Kind kind, const Entry& parent, const Ctx& in, Ctx& c);
    void begin_class(TSNode node, const Entry& parent, const Ctx& in, Ctx& c);
    void begin_loop(TSNode node, Kind kind, const Ctx& in, Ctx& c, Entry& self);
    void begin_comprehension(TSNode node, const Ctx& in, Ctx& c, Entry& self);
    void lower_call(TSNode node, Kind kind, const Ctx& in);
    void lower_await(TSNode node, const Ctx& in, Ctx& c);
    void lower_assignment(TSNode node, Kind kind, const Entry& parent, const Ctx& in);
    void lower_string(TSNode node, const Entry& parent, const Ctx& in, bool& descend);
    void lower_logical(TSNode node, const Ctx& in, Ctx& c);
    // `value` receives the classified node (keyword value, parentheses looked through).
    Argument make_argument(TSNode node, TSNode& value);
    ArgKind classify(TSNode node);
    bool has_interpolation(TSNode node);
    std::string string_value(TSNode node, std::size_t cap);
    void finish();
    void build_control_trees();
    void resolve_calls();
    std::string resolve_callee(const CallSite& call, std::string_view key) const;
    const Alias* find_alias(std::string_view local, std::uint32_t at) const;
    std::int32_t push_scope(std::int32_t parent, std::string_view name);
    std::string qualify(std::int32_t scope, std::string_view name) const;
    void add_alias(std::string local, std::string target, TSNode at, bool directive = false);

    // ---- language hooks (languages/*.cpp)
    void py_params(TSNode params, std::vector<Parameter>& out);
    void py_import(TSNode node);
    void py_import_from(TSNode node);
    void py_function_info(TSNode node, Kind kind, const Entry& parent, const Ctx& in,
                          FunctionInfo& info);
    void js_params(TSNode params, std::vector<Parameter>& out);
    void js_import(TSNode node);
    void js_require_declarator(TSNode declarator);
    void js_export_names(TSNode node);
    void js_function_info(TSNode node, Kind kind, const Entry& parent, const Ctx& in,
                          FunctionInfo& info);
    void c_params(TSNode params, std::vector<Parameter>& out);
    void c_function_info(TSNode node, Kind kind, const Entry& parent, const Ctx& in,
                         FunctionInfo& info);
    void c_include(TSNode node);
    void cpp_using(TSNode node);
    void cpp_namespace_alias(TSNode node);
    std::string cpp_resolve(const CallSite& call, std::string_view key) const;
    static TSNode c_declarator_name(const LanguageSpec& spec, TSNode declarator);

    // ---- node helpers
public:
    std::string_view text(TSNode n) const;
    Range range(TSNode n) const;
    Range span(TSNode from, TSNode to) const;  // from the start of one to the end of the other
    // Null-safe (tree-sitter 0.20 dereferences null nodes in ts_node_symbol / ts_node_type).
    Kind kind_of(TSNode n) const {
        return ts_node_is_null(n) ? Kind::other : m_spec.kind(ts_node_symbol(n));
    }
    static std::string_view type_of(TSNode n) {
        return ts_node_is_null(n) ? std::string_view() : std::string_view(ts_node_type(n));
    }
    TSNode field(TSNode n, Field f) const;
    TSNode first_named_child(TSNode n);  // skips comments
    TSNode first_child(TSNode n) const;
    std::string capped_text(TSNode n, std::size_t cap = 200) const;

    // Calls fn(child, cursor) for each child until fn returns false. Re-entrant.
    template <class F>
    void each_child(TSNode n, F&& fn) {
        if (ts_node_is_null(n) || ts_node_child_count(n) == 0) {
            return;
        }
        TSTreeCursor* cur = acquire_cursor(n);
        if (ts_tree_cursor_goto_first_child(cur)) {
            do {
                if (!fn(ts_tree_cursor_current_node(cur), static_cast<const TSTreeCursor*>(cur))) {
                    break;
                }
            } while (ts_tree_cursor_goto_next_sibling(cur));
        }
        release_cursor(cur);
    }

private:
    TSTreeCursor* acquire_cursor(TSNode n);
    void release_cursor(TSTreeCursor* cur);

    const LanguageSpec& m_spec;
    FileModel& m_model;
    const TSTree* m_tree;
    std::string_view m_src;
    bool m_python = false;
    bool m_js = false;
    bool m_c_family = false;
    bool m_cpp = false;

    std::vector<Entry> m_stack;
    const Ctx* m_cur = nullptr;  // context of the node being visited (for hooks)
    std::vector<FlatControl> m_flat;
    std::vector<std::string> m_scopes;
    std::vector<Alias> m_aliases;
    std::vector<std::string> m_call_keys;  // per call: pre-resolved callee (require bases)
    std::unordered_map<std::uint32_t, std::pair<std::int32_t, std::size_t>> m_pending_fn_args;
    std::vector<std::string> m_pending_decorators;
    std::uint32_t m_pending_decorator_owner = UINT32_MAX;
    std::uint32_t m_require_handled = UINT32_MAX;  // start byte of a require() already imported
    std::vector<std::string> m_exported_names;
    // C++ call resolution: names of the free functions this file defines (built on first use)
    mutable std::unordered_set<std::string> m_free_function_names;
    mutable bool m_free_function_names_built = false;
    std::size_t m_syntax_errors = 0;
    bool m_depth_capped = false;

    std::array<TSTreeCursor, 8> m_cursors{};
    std::size_t m_cursors_made = 0;
    std::size_t m_cursor_depth = 0;
};

}  // namespace cq::treesitter
