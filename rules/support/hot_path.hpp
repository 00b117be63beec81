// Hot paths across the whole project (design.md §2, "Hot path").
//
// A project-wide call graph is built from all FileModels: a call resolves to functions by simple
// name in its own file, through imports (`from store import save`, `require('./store')`,
// `import * as store from './store'`) to the function of that name in the imported file, to
// methods of the caller's class for `self.` / `this.`, to a unique method of that name in the
// file for other receivers, and, for C and C++, to the functions of that name in any C/C++ file
// (headers declare, other files define). A function passed by name as an argument is treated
// as called by the call it is passed to (`map(f, xs)`, `asyncio.to_thread(f)`).
//
// A function is *hot* when it is a handler (see HotPathOptions), when it is called from inside a
// loop (any loop but a retry loop), when it is a callback of forEach / map / ..., when it is
// defined inside a loop, when a hot function calls it, or when it is nested in a hot function.
//
// A function runs *per item* when it is called, in sequence, from inside a loop over items
// (for-each, for-of, for-await, comprehension, counted for; not `while` / `for(;;)` consume
// loops, not retry loops), or from a function that runs per item. "In sequence": a call of an
// async function only counts when it is awaited (or its promise returned); calls handed to
// Promise.all / asyncio.gather / create_task / executor.submit run concurrently and do not count.
// Functions that consult a cache (an identifier with "cache" / "memo", a caching decorator) run
// per item but stop the propagation: what they guard does not.
//
// Test files (is_test_path) are neither roots nor propagated through unless `include-tests`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"
#include "rules/support/latency_support.hpp"

namespace cq::latency {

struct HotPathOptions {
    // Functions with these names are handlers when they are module-level / exported
    // (Lambda `handler`, `lambda_handler`).
    std::vector<std::string> handler_names;
    // Python decorators (last dotted segment, without arguments) that make a handler:
    // `@app.route`, `@router.get`, `@app.task`, `@broker.subscriber`...
    std::vector<std::string> handler_decorators;
    // Calls whose function arguments are handlers: `subscribe(cb)`, `consume(queue, cb)`,
    // `basic_consume(on_message_callback=cb)`, `queue.process(fn)`. `on` / `once` /
    // `addListener` / `addEventListener` count for message events only ('message', 'data',
    // 'request', ...), and HTTP verbs (`app.get('/path', fn)`) only with a route path.
    std::vector<std::string> handler_registrations;
    bool include_tests = false;
    std::vector<std::string> test_globs;  // `test-paths`: more test files than is_test_path's
};

// Reads the shared options (handler-names, handler-decorators, handler-registrations,
// include-tests) from a rule's context.
HotPathOptions read_hot_path_options(const RuleContext& ctx);
// The RuleOption entries every hot-path rule declares, with their defaults.
std::vector<RuleOption> hot_path_rule_options();
// Markdown bullets describing those options, for the rules' docs.
std::string hot_path_options_doc();

struct FnRef {
    std::int32_t file = -1;  // index into the ProjectModel's files
    std::int32_t fn = -1;    // index into that file's functions; -1 = module level
    bool operator==(const FnRef& o) const { return file == o.file && fn == o.fn; }
};

class CallGraph {
public:
    explicit CallGraph(const ProjectModel& project);

    std::size_t file_count() const { return m_files.size(); }
    const FileModel& file(std::size_t i) const { return *m_files[i]; }
    // Index of a file of the project, or -1.
    std::int32_t index_of(const FileModel* file) const;
    // The functions a call site may run (direct callees first, then functions passed by name).
    const std::vector<FnRef>& callees(std::size_t file, std::size_t call) const;
    // Whether the callee at position `k` of callees() is a function passed as an argument.
    bool is_reference(std::size_t file, std::size_t call, std::size_t k) const;
    // The name a function is bound to (bound_name()), computed once.
    const std::string& bound(std::size_t file, std::int32_t fn) const;
    // Functions directly nested in `fn` (-1: top level), and the calls made by `fn` itself.
    const std::vector<std::int32_t>& children(std::size_t file, std::int32_t fn) const;
    const std::vector<std::int32_t>& calls_of(std::size_t file, std::int32_t fn) const;
    // Methods (functions with a class) of a file by simple name.
    const std::vector<std::int32_t>& methods(std::size_t file, const std::string& name) const;

private:
    void resolve_file(std::size_t fi);
    std::vector<FnRef> resolve_plain(std::size_t fi, const CallSite& call, const std::string& name) const;
    std::vector<FnRef> resolve_call(std::size_t fi, const CallSite& call) const;
    std::int32_t resolve_module(std::size_t fi, const std::string& module) const;
    const std::vector<std::int32_t>& top_level(std::size_t fi, const std::string& name) const;

    std::vector<const FileModel*> m_files;
    std::vector<std::vector<std::string>> m_bound;                  // [file][fn]
    std::vector<std::vector<std::vector<std::int32_t>>> m_children;  // [file][fn + 1]
    std::vector<std::vector<std::vector<std::int32_t>>> m_calls_of;  // [file][fn + 1]
    // per file: name -> top-level functions bound to that name
    using NameIndex = std::unordered_map<std::string, std::vector<std::int32_t>>;
    std::vector<NameIndex> m_top;      // [file]: name -> top-level functions bound to it
    std::vector<NameIndex> m_named;    // [file]: name -> every function bound to it, in order
    std::vector<NameIndex> m_methods;  // [file]: name -> methods of that name
    std::vector<NameIndex> m_ctors;    // [file]: class -> its constructors
    // C and C++ share one namespace across files.
    std::unordered_map<std::string, std::vector<FnRef>> m_c_top;
    std::unordered_map<std::string, std::vector<FnRef>> m_c_methods;
    std::unordered_map<std::string, std::int32_t> m_by_path;       // path -> file
    std::unordered_map<std::string, std::int32_t> m_by_py_suffix;  // "pkg/mod.py" suffixes -> file
    std::vector<std::vector<std::vector<FnRef>>> m_callees;      // [file][call]
    std::vector<std::vector<std::vector<bool>>> m_is_reference;  // [file][call][k]
    static const std::vector<FnRef> k_none;
    static const std::vector<std::int32_t> k_no_index;
    static const std::string k_no_name;
};

enum class HotKind : std::uint8_t {
    none,
    handler,    // a root: the function is a handler
    loop_call,  // called from inside a loop
    callback,   // a callback of forEach / map / ... (runs per element)
    in_loop,    // defined inside a loop
    hot_call,   // called from a hot (per-item) function
    nested,     // nested in a hot (per-item) function
};

struct HotMark {
    HotKind kind = HotKind::none;
    FnRef from;               // the caller / enclosing function (file, fn)
    std::int32_t call = -1;   // the call site in `from`'s file
    std::int32_t loop = -1;   // the loop in `from`'s file (loop_call / in_loop)
    std::string why;          // handler: why it is one ("exported Lambda handler")
};

class HotPaths {
public:
    HotPaths(const ProjectModel& project, const HotPathOptions& options);

    const CallGraph& graph() const { return m_graph; }
    std::int32_t index_of(const FileModel* file) const { return m_graph.index_of(file); }
    bool is_test_file(std::size_t file) const { return m_test[file]; }

    // Hot: handler, called in a loop, or reached from one.
    const HotMark& hot(std::size_t file, std::int32_t fn) const;
    // Per item: runs once per item of a loop over items, in sequence.
    const HotMark& per_item(std::size_t file, std::int32_t fn) const;

    // Whether the function consults a cache (stops per-item propagation).
    bool cache_guarded(std::size_t file, std::int32_t fn) const;

    // Why the function is hot / per item, as a predicate for messages ("'f' <phrase>"):
    // "is a handler (...)", "is called in the loop at line 9 in 'main'", "is reached from
    // handler 'handler'", "runs for each item of the loop at line 9 in 'main'".
    std::string hot_phrase(std::size_t file, std::int32_t fn) const;
    std::string per_item_phrase(std::size_t file, std::int32_t fn) const;
    // The call chain up to the root, as secondary locations, nearest call first.
    std::vector<SecondaryLocation> hot_chain(std::size_t file, std::int32_t fn) const;
    std::vector<SecondaryLocation> per_item_chain(std::size_t file, std::int32_t fn) const;

private:
    void find_handlers();
    void propagate_hot();
    void propagate_per_item();
    std::vector<SecondaryLocation> chain(const std::vector<std::vector<HotMark>>& marks,
                                         std::size_t file, std::int32_t fn, bool per_item) const;
    std::string phrase(const std::vector<std::vector<HotMark>>& marks, std::size_t file,
                       std::int32_t fn, bool per_item) const;

    CallGraph m_graph;
    HotPathOptions m_options;
    std::vector<bool> m_test;
    std::vector<std::vector<HotMark>> m_hot;       // [file][fn + 1] (slot 0 = module level)
    std::vector<std::vector<HotMark>> m_per_item;  // same layout
    std::vector<std::vector<std::int8_t>> m_cache;  // [file][fn + 1]: 1 when cache-guarded
    // Per loop, each fact computed on first use: bit 1 retry known, 2 retry loop; bit 4 item
    // known, 8 loop over items.
    std::vector<std::vector<std::uint8_t>> m_loop_facts;
    // [file]: assignments_by_function(), built the first time a loop of the file is asked
    // whether it runs per item.
    std::vector<AssignmentsByFunction> m_assignments;
    std::vector<bool> m_assignments_built;
    bool retry_loop(std::size_t file, std::int32_t loop);
    bool item_loop(std::size_t file, std::int32_t loop);
    enum class LoopFact : std::uint8_t { retry, item };
    bool loop_fact(std::size_t file, std::int32_t loop, LoopFact fact);
    static const HotMark k_cold;
};

// The HotPaths of a project, shared by the rules of one scan: the three hot-path rules run one
// after the other over the same models, so the analysis is built once per project and options
// (ProjectModel::shared). Thread-safe.
std::shared_ptr<const HotPaths> shared_hot_paths(const ProjectModel& project,
                                                 const HotPathOptions& options);

}  // namespace cq::latency
