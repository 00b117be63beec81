// latency/await-in-loop: sequential `await` over independent items (ESLint no-await-in-loop,
// plus Python), where the items could be awaited together.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_support.hpp"

namespace cq {
namespace {

using namespace latency;

const RuleMeta& await_meta() {
    static const RuleMeta meta{
        .id = "latency/await-in-loop",
        .title = "Independent items should not be awaited one at a time in a loop",
        .languages = lang_mask::python | lang_mask::js_ts,
        .severity = Severity::major,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {},
        .effort_minutes = 15,
        .doc = R"md(## What it finds
An `await` inside a loop (`for ... of`, `for ... in`, a counted `for (;;)`, `while`,
`do ... while`, a Python `for`, `while` or comprehension), so that each operation starts only
when the previous one is done. The loop boundaries are ESLint's `no-await-in-loop`:

- the body, the test of a `while` / `do ... while`, and the test and update of a counted `for`
  are "in the loop"; the iterable of a `for ... of` / `for ... in`
  (`for (const x of await list())`), the init of a `for`, the first iterable of a Python
  comprehension and a Python loop's `else:` clause are evaluated once and are not (a later
  comprehension clause, or its `if`, runs per turn of the clauses before it);
- an `await` inside a nested function or arrow function (`items.map(async (x) => await f(x))`)
  belongs to that function, not to the loop;
- `for await (...)` consumes an async iterator on purpose: awaits in its body (and its
  iterable) are not reported, but a `for await` (Python `async for`) nested in another loop is,
  at its header, unless that loop is itself a `for await`. A Python comprehension's
  `async for` clause counts as an `async for`. A plain loop inside a `for await` body is a loop
  like any other.

Loops that are sequential by design are not reported (where ESLint would):
- `while` / `do ... while` / `for (;;)` loops that fetch their work as they go (a receive, poll,
  fetch, read or pop, even passed by reference: `await with_backoff(sqs.receive_message)`), that
  are paced by a sleep, or whose condition reads state the body changes
  (`while not progress.done: await process(progress)`): there is no list of items to start
  together;
- a `for (;;)` whose update awaits the value its condition tests
  (`for (let n = await first(); n; n = await n.next())`: a chain walked link by link; ESLint
  reports the await in the update), and loops over chunks, batches or pages
  (`for batch in batches`, `i += size`), which are the deliberate, bounded form;
- turns that are themselves concurrent: `await Promise.all(group.map(f))`,
  `await Promise.allSettled(...)`, `await asyncio.gather(*group)`, `asyncio.wait`, `p-map`:
  the loop bounds the concurrency on purpose;
- retry loops (`for attempt in range(n)`, a loop that catches and leaves on success), and loops
  that `return` or `break` out (the first success wins; running them all would change behaviour);
- loops that carry state from one turn to the next through the awaited call (a cursor, a page
  token, the previous result: `token = (await list(token)).next`);
- loops over stages of a pipeline, by name (`migrations`, `steps`, `stages`, `phases`,
  `middlewares`, `plugins`, `hooks`, `interceptors`, `reducers`: each runs on what the previous
  one left), and loops of an async generator that yield (one result per request of the
  consumer);
- loops whose comment says the order matters (`sequential`, `in order`, `one at a time`, an
  `eslint-disable` for `no-await-in-loop`), and functions whose name says so
  (`process_sequentially`, `runInOrder`, `applyOneByOne`);
- awaits of sleeps and yields to the event loop (`new Promise(setImmediate)`,
  `process.nextTick`, `trio.lowlevel.checkpoint`), events (`once(emitter, 'drain')`), locks,
  queues and streams (`acquire`, `wait`, `read`, `write`, `drain`, `queue.get` / `put`),
  statements on one database connection, session or transaction (`conn.execute`,
  `client.query`, `session.commit`), and actions on one browser page or socket (`page.click`,
  `page.fill`, `ws.send`), which are sequential by nature;
- calls that have a batch form (a DynamoDB `GetItem`, an SQL `INSERT`, a Redis command, an SQS
  `SendMessage`, an HTTP request per item): `latency/query-per-item` reports those, naming the
  batch API, which is the better fix than running the round trips concurrently.

## Why it matters
Ten independent requests of 100 ms awaited in a loop take a second; started together they take
about 100 ms. For a batch of messages the loop makes the batch's latency the sum of its items'
latencies instead of the slowest one.

## Example
```js
for (const record of event.Records) {
  await processRecord(record);
}
```
```python
for message in messages:
    await handle_message(message)
```

## Instead
Start every operation, then await them together: `await Promise.all(items.map(f))`
(`Promise.allSettled` to keep going past failures), or `await asyncio.gather(*(f(x) for x in
items))` / an `asyncio.TaskGroup`. Bound the concurrency (a semaphore, `p-limit`) when the
items are many.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

const std::vector<std::string_view> k_order_words = {
    "sequential", "in order",  "one at a time", "one by one",    "serially",
    "ordered",    "order matters", "preserve order", "no-await-in-loop", "one after another"};

bool one_of_view(std::string_view s, std::initializer_list<std::string_view> options) {
    return std::find(options.begin(), options.end(), s) != options.end();
}

// A call that starts a group of operations and waits for them together.
bool is_group_await(const CallSite& call) {
    if (one_of_view(call.name, {"all", "allSettled", "any", "race", "map", "mapSeries"}) &&
        one_of_view(call.receiver, {"Promise", "Bluebird", "BPromise", "P"})) {
        return call.name != "mapSeries";
    }
    const std::string r = resolved_name(call);
    return one_of_view(r, {"asyncio.gather", "asyncio.wait", "asyncio.as_completed", "p-map",
                           "p-map.default", "p-all", "p-all.default", "p-settle", "trio.gather",
                           "anyio.gather"}) ||
           one_of_view(call.callee, {"pMap", "pAll", "pSettle", "gather"});
}

bool is_sequential_primitive(const FileModel& file, const CallSite& call,
                             const std::vector<SleepCall>& sleeps) {
    for (const SleepCall& s : sleeps) {
        const CallSite& r = file.calls[static_cast<std::size_t>(s.report_call)];
        if (&r == &call || r.range.contains(call.range) || call.range.contains(r.range)) {
            return true;
        }
    }
    static const std::vector<std::string_view> k_names = {
        "acquire", "wait", "drain", "readline", "readexactly", "readuntil", "read", "recv",
        "flush", "join", "write", "writelines", "__anext__", "next", "lock", "sleep",
        "once", "setImmediate", "nextTick", "checkpoint"};
    if (std::find(k_names.begin(), k_names.end(), call.name) != k_names.end()) {
        return true;
    }
    // `await new Promise(setImmediate)` / `new Promise((r) => process.nextTick(r))`: a yield to
    // the event loop, put in a long loop on purpose; `new Promise((r) => s.once('drain', r))`:
    // back-pressure.
    if (call.name == "Promise" && (call.is_new || starts_with(trim(file.text(call.range)), "new"))) {
        const std::string_view text = file.text(call.range);
        for (std::string_view w : {"setImmediate", "nextTick", ".once(", "queueMicrotask"}) {
            if (text.find(w) != std::string_view::npos) {
                return true;
            }
        }
    }
    // A turn that is itself a group of concurrent operations (`await Promise.all(batch.map(f))`,
    // `await asyncio.gather(*batch)`): the loop bounds the concurrency on purpose.
    if (is_group_await(call)) {
        return true;
    }
    const std::string recv = to_lower(call.receiver);
    const bool queue = recv.find("queue") != std::string::npos || recv == "q" ||
                       ends_with(recv, ".q") || ends_with(recv, "_q");
    if (queue && (call.name == "get" || call.name == "put" || call.name == "join")) {
        return true;
    }
    // One browser page (Playwright, Puppeteer, Selenium) or one socket does one thing at a time,
    // in order: clicks, fills and frames cannot be started together.
    const std::string recv_base =
        recv.substr(recv.find_last_of(".>") == std::string::npos ? 0 : recv.find_last_of(".>") + 1);
    if (ends_with(recv_base, "page") || one_of_view(recv_base, {"frame", "locator", "driver", "ws",
                                                                "websocket", "socket", "sock"})) {
        return true;
    }
    // One database connection / session / transaction runs one statement at a time: gather or
    // Promise.all would not make the statements concurrent (asyncpg even refuses).
    static const std::vector<std::string_view> k_db_ops = {
        "execute", "executemany", "executescript", "query", "fetch", "fetchrow", "fetchval",
        "fetchall", "fetchone", "fetchmany", "run", "commit", "rollback", "begin", "savepoint",
        "exec", "none", "one", "oneOrNone", "many", "manyOrNone", "any"};
    if (std::find(k_db_ops.begin(), k_db_ops.end(), call.name) == k_db_ops.end()) {
        return false;
    }
    const std::string base = recv.substr(recv.rfind('.') == std::string::npos ? 0 : recv.rfind('.') + 1);
    for (std::string_view w : {"conn", "client", "cursor", "cur", "session", "tx", "trx", "txn",
                               "transaction", "db", "database", "connection", "t"}) {
        if (base == w || (w.size() > 2 && (starts_with(base, w) || ends_with(base, w)))) {
            return true;
        }
    }
    return false;
}

// `for await` / `async for`, and a Python comprehension's `async for` clause (the model keeps
// it as a comprehension loop whose header starts with `async`).
bool is_async_iteration(const FileModel& file, const Loop& loop) {
    return loop.kind == LoopKind::for_await ||
           (loop.kind == LoopKind::comprehension && starts_with(trim(file.text(loop.header_range)), "async"));
}

// A function whose name says its work runs one item after the other (`process_sequentially`,
// `runInOrder`, `applyOneByOne`), or one nested in such a function.
bool named_sequential(const FileModel& file, std::int32_t fn) {
    for (int guard = 0; fn >= 0 && guard < 64; ++guard) {
        const Function* f = function_ptr(file, fn);
        if (f == nullptr) {
            break;
        }
        std::string name;
        for (char c : f->name) {
            if (c != '_') {
                name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        for (std::string_view w : {"sequential", "serially", "inorder", "onebyone", "oneatatime",
                                   "inseries"}) {
            if (name.find(w) != std::string::npos) {
                return true;
            }
        }
        fn = f->parent;
    }
    return false;
}

// The words of an identifier, lower-case: `pendingMigrations` -> {pending, migrations},
// `pre_hooks` -> {pre, hooks}.
std::vector<std::string> identifier_words(std::string_view id) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
        const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
        if (!alnum || (upper && !cur.empty() && std::islower(static_cast<unsigned char>(cur.back())) != 0)) {
            if (!cur.empty()) {
                out.push_back(cur);
            }
            cur.clear();
        }
        if (alnum) {
            cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    if (!cur.empty()) {
        out.push_back(cur);
    }
    return out;
}

// A loop over things that run in a pipeline, each on what the previous one left: migrations,
// steps, stages, middlewares, plugins, hooks (`for (const m of middlewares) await m(ctx)`).
bool iterates_ordered_stages(const Loop& loop) {
    static const std::vector<std::string_view> k_words = {
        "migration", "migrations", "step",    "steps",       "stage",       "stages",
        "phase",     "phases",     "middleware", "middlewares", "plugin",   "plugins",
        "hook",      "hooks",      "interceptor", "interceptors", "reducer", "reducers"};
    std::vector<std::string_view> names(loop.variables.begin(), loop.variables.end());
    names.push_back(loop.target);
    for (std::string_view n : names) {
        // the last word of the iterable's path: `this.migrations`, `config.pre_hooks`
        const std::size_t dot = n.find_last_of(".");
        const std::string_view last = dot == std::string_view::npos ? n : n.substr(dot + 1);
        for (const std::string& w : identifier_words(last)) {
            if (std::find(k_words.begin(), k_words.end(), w) != k_words.end()) {
                return true;
            }
        }
    }
    return false;
}

// An async generator whose loop yields: it hands out one result at a time on purpose, to a
// consumer that asks for the next.
bool yields_per_turn(const FileModel& file, const Loop& loop, std::int32_t fn) {
    const Function* f = function_ptr(file, fn);
    return f != nullptr && f->is_generator && contains_word(file.text(loop.range), "yield");
}

// A variable the awaited expression reads and that the loop body assigns at or after the await:
// the next turn depends on this one (a cursor, a token, the previous result).
bool carries_state(const FileModel& file, const Loop& loop, const Range& awaited,
                   std::int32_t fn) {
    const ExprRefs refs = expression_refs(file.text(awaited));
    if (refs.paths.empty()) {
        return false;
    }
    Range body = loop.body_range;
    if (body.end_byte <= body.start_byte) {
        body = loop.range;
    }
    const auto [lo, hi] = starting_in(file.assignments, body);
    for (std::size_t i = lo; i < hi; ++i) {
        const Assignment& a = file.assignments[i];
        if (a.function != fn || !body.contains(a.range) || a.range.end_byte < awaited.start_byte) {
            continue;
        }
        if (a.is_declaration && !a.is_augmented) {
            continue;  // `const x = ...` inside the body is fresh on every turn
        }
        for (const std::string& name : assigned_names(a.target)) {
            if (std::find(loop.variables.begin(), loop.variables.end(), name) != loop.variables.end()) {
                continue;
            }
            for (const std::string& p : refs.paths) {
                if (paths_overlap(p, name)) {
                    return true;
                }
            }
        }
    }
    return false;
}

class AwaitInLoopRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return await_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        if (file.awaits.empty() && file.loops.empty()) {
            return;
        }
        const LineIndex lines(file.source);
        const std::vector<SleepCall> sleeps = find_sleeps(file);
        const ClientTracker clients(file);
        for (const Await& a : file.awaits) {
            const std::int32_t target = looping_loop(file, a.loop, a.range, a.in_loop_condition);
            if (target < 0) {
                continue;
            }
            const Loop& loop = file.loops[static_cast<std::size_t>(target)];
            const CallSite* call = a.call >= 0 && static_cast<std::size_t>(a.call) < file.calls.size()
                                       ? &file.calls[static_cast<std::size_t>(a.call)]
                                       : nullptr;
            if (call != nullptr && is_sequential_primitive(file, *call, sleeps)) {
                continue;
            }
            if (call != nullptr && batchable_call(file, *call, clients)) {
                continue;  // one round trip per item: latency/query-per-item names the batch API
            }
            const Range awaited = call != nullptr ? call->range : a.range;
            if (sequential_by_design(file, lines, loop, awaited, a.function, a.range.start_line, sleeps)) {
                continue;
            }
            std::string what;
            if (call != nullptr) {
                what = "'" + call->callee + "(...)'";
            } else {
                std::string operand(strip_prefix_keywords(file.text(a.range)));
                if (operand.size() > 40) {
                    operand = operand.substr(0, 37) + "...";
                }
                what = "`" + operand + "`";
            }
            out.push_back(make_finding(*this, ctx, file, awaited, message(file, loop, what)));
            out.back().secondary.push_back(secondary(file, header_of(loop), "the loop"));
        }
        // A `for await` / `async for` nested in another loop awaits on every outer turn.
        for (std::size_t i = 0; i < file.loops.size(); ++i) {
            const Loop& inner = file.loops[i];
            if (!is_async_iteration(file, inner) || inner.parent < 0) {
                continue;
            }
            const std::int32_t target = looping_loop(file, inner.parent, inner.range, false);
            if (target < 0) {
                continue;
            }
            const Loop& loop = file.loops[static_cast<std::size_t>(target)];
            if (sequential_by_design(file, lines, loop, inner.header_range, inner.function,
                                     inner.range.start_line, sleeps)) {
                continue;
            }
            out.push_back(make_finding(*this, ctx, file, header_of(inner),
                                       message(file, loop, file.language == Language::python
                                                               ? "this `async for` loop"
                                                               : "this `for await` loop")));
            out.back().secondary.push_back(secondary(file, header_of(loop), "the outer loop"));
        }
    }

private:
    static Range header_of(const Loop& loop) {
        return loop.header_range.end_byte > loop.header_range.start_byte ? loop.header_range
                                                                         : loop.range;
    }

    // ESLint's walk: from the innermost loop outwards, stop at a `for await` (its body awaits on
    // purpose), report the first loop whose body or test/update holds the await.
    static std::int32_t looping_loop(const FileModel& file, std::int32_t innermost, const Range& r,
                                     bool in_condition) {
        std::int32_t l = innermost;
        // The model's innermost loop may be one whose header holds the await; start there.
        for (int guard = 0; l >= 0 && static_cast<std::size_t>(l) < file.loops.size() && guard < 256; ++guard) {
            const Loop& loop = file.loops[static_cast<std::size_t>(l)];
            if (!loop.range.contains(r)) {
                l = loop.parent;
                continue;
            }
            if (is_async_iteration(file, loop)) {
                return -1;
            }
            if (is_looped(loop, r, in_condition && l == innermost)) {
                return l;
            }
            l = loop.parent;
        }
        return -1;
    }

    bool sequential_by_design(const FileModel& file, const LineIndex& lines, const Loop& loop,
                              const Range& awaited, std::int32_t fn, std::uint32_t line,
                              const std::vector<SleepCall>& sleeps) const {
        if (is_retry_loop(file, loop) || loop_has_early_exit(file, loop) ||
            carries_state(file, loop, awaited, fn) ||
            comment_mentions(file, lines, loop.range.start_line, k_order_words) ||
            comment_mentions(file, lines, line, k_order_words) || named_sequential(file, fn) ||
            iterates_ordered_stages(loop) || yields_per_turn(file, loop, fn)) {
            return true;
        }
        if (is_item_loop(file, loop)) {
            return false;
        }
        const bool open = loop.kind == LoopKind::while_ || loop.kind == LoopKind::do_while ||
                          is_open_loop(file, loop);
        // A `for (;;)` with its own cursor update (`x = await next(x)`) walks a chain.
        return !open || open_loop_sequential(file, loop, fn, sleeps);
    }

    // A `while` / `do` / `for (;;)` has no list of items to start together when it fetches its
    // work as it goes (a receive, poll, fetch or read, even passed by reference as in
    // `with_backoff(sqs.receive_message)`), when it is paced by a sleep, or when its condition
    // reads state the body changes (`while not progress.done: await process(progress)`).
    static bool open_loop_sequential(const FileModel& file, const Loop& loop, std::int32_t fn,
                                     const std::vector<SleepCall>& sleeps) {
        const auto [lo, hi] = starting_in(file.calls, loop.range);
        std::vector<const CallSite*> body_calls;
        for (std::size_t i = lo; i < hi; ++i) {
            const CallSite& c = file.calls[i];
            if (c.function != fn || !loop.range.contains(c.range)) {
                continue;
            }
            if (is_receive_like(c)) {
                return true;
            }
            for (const Argument& a : c.args) {
                if (a.kind != ArgKind::member && a.kind != ArgKind::identifier) {
                    continue;
                }
                CallSite ref;
                const std::string_view v = argument_value(a);
                ref.name = std::string(v.substr(v.rfind('.') == std::string_view::npos ? 0 : v.rfind('.') + 1));
                if (is_receive_like(ref)) {
                    return true;
                }
            }
            if (!c.in_loop_condition) {
                body_calls.push_back(&c);
            }
        }
        for (const SleepCall& s : sleeps) {
            if (loop.range.contains(file.calls[static_cast<std::size_t>(s.report_call)].range)) {
                return true;
            }
        }
        const ExprRefs cond = expression_refs(loop.condition);
        std::vector<std::string> state = cond.paths;
        state.insert(state.end(), cond.receivers.begin(), cond.receivers.end());
        Range body = loop.body_range.end_byte > loop.body_range.start_byte ? loop.body_range : loop.range;
        const auto [a_lo, a_hi] = starting_in(file.assignments, body);
        for (const std::string& p : state) {
            const std::string base = p.substr(0, p.find('.'));
            for (std::size_t i = a_lo; i < a_hi; ++i) {
                for (const std::string& n : assigned_names(file.assignments[i].target)) {
                    if (paths_overlap(p, n) || n == base) {
                        return true;
                    }
                }
            }
            for (const CallSite* c : body_calls) {
                const std::string recv_base = c->receiver.substr(0, c->receiver.find_first_of(".[("));
                if (!c->receiver.empty() && (paths_overlap(p, c->receiver) || recv_base == base)) {
                    return true;
                }
                for (const Argument& a : c->args) {
                    for (const std::string& q : expression_refs(argument_value(a)).paths) {
                        if (paths_overlap(p, q) || q.substr(0, q.find('.')) == base) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    static std::string message(const FileModel& file, const Loop& loop, const std::string& what) {
        const bool py = file.language == Language::python;
        return "Awaiting " + what + " inside the loop at line " +
               std::to_string(loop.range.start_line) +
               " runs one item at a time: each iteration waits for the previous one, so the "
               "loop takes the sum of all the waits. Start the operations together and await "
               "them once: " +
               (py ? "`await asyncio.gather(*(f(x) for x in items))` (or an asyncio.TaskGroup)"
                   : "`await Promise.all(items.map(f))` (or `Promise.allSettled`)") +
               ", with a concurrency limit if the items are many.";
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::AwaitInLoopRule);
