// latency/query-per-item: a database, cache, queue or HTTP round trip per item of a loop, where
// a batch, bulk or pipeline API exists.
#include <optional>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/hot_path.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_support.hpp"

namespace cq {
namespace {

using namespace latency;

const RuleMeta& query_meta() {
    static const RuleMeta meta{
        .id = "latency/query-per-item",
        .title = "Loops should not make one database, cache, queue or HTTP call per item",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = hot_path_rule_options(),
        .effort_minutes = 30,
        .doc = R"md(## What it finds
A call that makes one network or database round trip, run once per item of a loop over items,
when the service has a batch, bulk or pipeline form for it:

- DynamoDB `GetItem` / `PutItem` / `DeleteItem` (boto3 `get_item`, `put_item`; SDK v3
  `send(new GetItemCommand(...))`, `GetCommand`...) and a `Query` per item;
- SQS `SendMessage` / `DeleteMessage`, SNS `Publish`, Kinesis / Firehose `PutRecord`, S3
  `DeleteObject`;
- SQL `INSERT` / `SELECT` / `UPDATE` / `DELETE` through `cursor.execute`, `conn.execute`,
  asyncpg `fetch*`, node `pool.query` / `db.run` / `db.all`, `sqlite3_exec` / `sqlite3_prepare*`,
  `PQexec*`, `mysql_query` (the statement must be visible: a literal, or a variable or constant
  holding one);
- single Redis commands (`get`, `set`, `hset`, `xadd`, `sadd`, `zadd`, `lpush`, `publish`...)
  on a Redis client that is not a pipeline, and hiredis `redisCommand(ctx, "INCR %s", ...)`
  (not `redisAppendCommand`, which pipelines);
- HTTP requests (`requests.*`, `httpx`, a session's methods, `fetch`, `axios`, `got`).

"Per item" means inside a `for` / `for ... of` / `for await` / comprehension / counted `for`
over items, or in a function that such a loop calls, directly or through other functions and
files (the call chain comes as secondary locations). The outer consume loop (`while True`,
`while (running)`, `for (;;)`) handles one batch per turn and does not by itself make a call per
item; neither does a retry loop. Calls started concurrently (`Promise.all(items.map(...))`,
`asyncio.gather`, `create_task`, an async call that is not awaited) are not sequential round
trips and are not reported, nor are calls behind a cache (a function that consults something
named `cache` / `memo`, or a caching decorator) and commands queued on a pipeline.

## Why it matters
Each call pays a full network round trip (and, for SQL in autocommit mode, a transaction and a
disk flush). A batch of 500 items at 5 ms per call takes 2.5 s; one batch call takes a few
milliseconds. Under load the per-item calls also multiply the load on the database or service.

## Example
```python
for event in events:
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event))
```
```c
for (size_t i = 0; i < n; ++i) {
    char* sql = sqlite3_mprintf("INSERT INTO readings VALUES(%Q, %f)", r[i].id, r[i].value);
    sqlite3_exec(db, sql, NULL, NULL, NULL);   /* one transaction per row */
}
```

## Instead
Use the batch form named in the message: `send_message_batch` (10 per request), `executemany` or
one multi-row `INSERT ... VALUES (...), (...)` (or `unnest` / `COPY`), `batch_get_item` /
`BatchGetItem` (100 keys) and `batch_write_item` (25 items), a Redis pipeline (one round trip for
all the commands), a single `SELECT ... WHERE key IN (...)`; or cache results that repeat.

## Options
)md" + hot_path_options_doc(),
        .aliases = {},
    };
    return meta;
}

// Whether an async API call is awaited where it stands (directly, as the receiver of an
// awaited `.promise()`, or returned from the function).
bool effectively_awaited(const FileModel& file, const CallSite& call) {
    if (call.awaited) {
        return true;
    }
    const Function* fn = function_ptr(file, call.function);
    Range before = call.range;
    before.start_byte = fn != nullptr ? fn->range.start_byte : 0;
    before.end_byte = call.range.start_byte + 1;
    const auto [lo, hi] = starting_in(file.calls, before);
    for (std::size_t i = lo; i < hi; ++i) {
        const CallSite& c = file.calls[i];
        if (c.function == call.function && c.awaited && c.callee_range.contains(call.range) &&
            (c.name == "promise" || c.name == "then")) {
            return true;
        }
    }
    if (fn != nullptr && fn->is_lambda) {
        return false;  // a callback's returned promise goes to whoever called it (map...)
    }
    return is_returned(file, call.range);
}

class QueryPerItemRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return query_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const HotPathOptions options = read_hot_path_options(ctx);
        const auto shared = shared_hot_paths(project, options);
        const HotPaths& hot = *shared;
        for (std::size_t fi = 0; fi < project.files.size(); ++fi) {
            const FileModel& file = *project.files[fi];
            if (hot.is_test_file(fi) || (meta().languages & language_bit(file.language)) == 0) {
                continue;
            }
            std::optional<ClientTracker> clients;  // for the files with a call to classify
            for (const CallSite& call : file.calls) {
                // A call is reported in a loop over items or in a function run per item: decide
                // that before classifying its API, which most calls of a project would fail.
                if (hot.per_item(fi, call.function).kind == HotKind::none &&
                    looped_by(file, call.function, call.range) < 0) {
                    continue;
                }
                if (!clients) {
                    clients.emplace(file);
                }
                const auto advice = batchable_call(file, call, *clients);
                if (!advice) {
                    continue;
                }
                check_call(hot, fi, file, call, *advice, ctx, out);
            }
        }
    }

private:
    void check_call(const HotPaths& hot, std::size_t fi, const FileModel& file, const CallSite& call,
                    const BatchAdvice& advice, const RuleContext& ctx,
                    std::vector<Finding>& out) const {
        const bool on_the_cache = icontains(call.receiver, "cache");
        if ((hot.cache_guarded(fi, call.function) && !on_the_cache) || inside_fan_out(file, call)) {
            return;
        }
        if (advice.async_api && !effectively_awaited(file, call)) {
            return;  // started, not awaited here: concurrent
        }
        const std::string head = "One " + advice.what + " per item: ";
        const std::string tail = ", so a batch of N items pays N round trips. Use " +
                                 advice.instead + ".";
        // Directly in a loop over items.
        for (std::int32_t l = looped_by(file, call.function, call.range); l >= 0;) {
            const Loop& loop = file.loops[static_cast<std::size_t>(l)];
            if (is_retry_loop(file, loop)) {
                return;
            }
            if (is_item_loop(file, loop)) {
                Finding f = make_finding(
                    *this, ctx, file, call.range,
                    head + "this call runs on every turn of the loop at line " +
                        std::to_string(loop.range.start_line) + tail);
                f.secondary.push_back(secondary(
                    file, loop.header_range.end_byte > loop.header_range.start_byte ? loop.header_range
                                                                                    : loop.range,
                    "the loop over items"));
                out.push_back(std::move(f));
                return;
            }
            // An open loop inside: look further out (a `while` inside a `for` over items).
            l = loop.parent >= 0 && file.loops[static_cast<std::size_t>(loop.parent)].range.contains(call.range)
                    ? loop.parent
                    : -1;
        }
        // In a function that runs per item.
        const HotMark& mark = hot.per_item(fi, call.function);
        if (mark.kind == HotKind::none) {
            return;
        }
        Finding f = make_finding(*this, ctx, file, call.range,
                                 head + "'" + function_label(file, call.function) + "' " +
                                     hot.per_item_phrase(fi, call.function) + tail);
        f.secondary = hot.per_item_chain(fi, call.function);
        out.push_back(std::move(f));
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::QueryPerItemRule);
