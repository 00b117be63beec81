// What the latency rules know about library APIs: sleeps, blocking calls, client constructors,
// calls that have a batch form, serializers, and non-blocking receives. Each table maps a call
// site (by its resolved name, receiver and arguments) to what a message needs to say.
//
// Names are matched on CallSite::resolved (through imports), with "node:" stripped from Node.js
// module names, and fall back to the callee as written when nothing resolves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/support/latency_support.hpp"

namespace cq::latency {

// CallSite::resolved (or the callee when empty) without "node:" prefixes.
std::string resolved_name(const CallSite& call);

// The call that forms the receiver of `call` (`boto3.client("s3")` in
// `boto3.client("s3").get_object(...)`), or -1.
std::int32_t receiver_call(const FileModel& file, const CallSite& call);

// The positional argument `index`, or the keyword argument named one of `keywords`; nullptr.
const Argument* argument(const CallSite& call, int index,
                         const std::vector<std::string_view>& keywords);
const Argument* argument(const CallSite& call, int index);
bool has_keyword(const CallSite& call, std::string_view keyword);
// The argument's value as written: its text without a leading `keyword=`.
std::string_view argument_value(const Argument& arg);

// ---------------------------------------------------------------------------------------------
// Clients and the variables bound to them
// ---------------------------------------------------------------------------------------------
enum class ClientKind : std::uint8_t {
    boto3_client,    // boto3.client(...), boto3.Session
    boto3_resource,  // boto3.resource(...)
    dynamo_table,    // resource.Table(...)
    aws_js,          // @aws-sdk/* clients, aws-sdk v2 services, DocumentClient
    redis,
    redis_pipeline,  // .pipeline() / .multi(): commands are buffered
    sql,             // connections, pools, cursors
    http,            // sessions and HTTP clients
    sync_http,       // requests.Session / httpx.Client / urllib3.PoolManager (blocking)
    other,           // MongoDB, Kafka, AMQP, gRPC, curl, ...
    path,            // pathlib.Path(...): not a client, tracked for its blocking file methods
};

// A call that creates a client, connection, pool or session; `display` is how it is written in
// messages ("boto3.client('sqs')", "new DynamoDBClient()", "sqlite3_open").
struct ClientApi {
    ClientKind kind = ClientKind::other;
    std::string display;
};
std::optional<ClientApi> client_constructor(const FileModel& file, const CallSite& call);

// Variables (and members such as self.client / this.ddb) bound to clients in one file, from the
// file's assignments, in source order.
class ClientTracker {
public:
    explicit ClientTracker(const FileModel& file);
    // What the receiver of a call inside function `fn` refers to, if it is a tracked client.
    std::optional<ClientKind> kind_of(std::int32_t fn, std::string_view receiver) const;
    // Same, for a call: its receiver text, or the constructor call it is chained on.
    std::optional<ClientKind> receiver_kind(const CallSite& call) const;
    // assignments_by_function() of the file, built on first use (for sql_text()). Not
    // thread-safe: a tracker belongs to one rule's pass over one file.
    const AssignmentsByFunction& assignments() const;

private:
    struct Binding {
        std::int32_t function = -1;
        std::string name;
        ClientKind kind = ClientKind::other;
    };
    const FileModel& m_file;
    std::vector<Binding> m_bindings;
    mutable AssignmentsByFunction m_assignments;
    mutable bool m_assignments_built = false;
};

// ---------------------------------------------------------------------------------------------
// Sleeps
// ---------------------------------------------------------------------------------------------
struct SleepCall {
    std::int32_t call = -1;         // the sleep (time.sleep, setTimeout, a sleep helper)
    std::int32_t report_call = -1;  // where findings point: the `new Promise(...)` around a
                                    // setTimeout, else the sleep itself
    std::int32_t function = -1;     // the function whose loops and hotness count
    std::string display;            // "time.sleep", "asyncio.sleep", "setTimeout in a Promise"
    std::optional<double> seconds;  // the duration when it is a constant
    bool blocks_thread = false;     // time.sleep / sleep_for / usleep: the thread stops
    bool awaitable = false;         // asyncio.sleep / a promise: only the task waits
};

// A small helper that only wraps a sleep with one of its parameters as the delay
// (`const sleep = (ms) => new Promise((r) => setTimeout(r, ms))`, `def pause(s): time.sleep(s)`,
// `const sleep = util.promisify(setTimeout)`).
struct SleepWrapper {
    std::int32_t function = -1;  // the helper; -1 for a promisified setTimeout bound to a name
    std::string name;
    int param = 0;               // which argument is the delay
    double unit = 1.0;           // seconds per unit of that argument
    bool blocks_thread = false;
    bool awaitable = false;
};
std::vector<SleepWrapper> sleep_wrappers(const FileModel& file);

// A call of this file that runs a helper of another file (resolved by the call graph).
struct ImportedSleep {
    std::int32_t call = -1;
    SleepWrapper wrapper;
};

// Every sleep of the file: library sleeps, promises around setTimeout, `timers/promises`, calls
// to the file's own sleep helpers, and the calls listed in `imported`.
std::vector<SleepCall> find_sleeps(const FileModel& file, const std::vector<ImportedSleep>& imported);
std::vector<SleepCall> find_sleeps(const FileModel& file);

// ---------------------------------------------------------------------------------------------
// Blocking calls in async functions (flake8-async ASYNC2xx, and Node.js *Sync)
// ---------------------------------------------------------------------------------------------
struct BlockingApi {
    std::string what;     // "time.sleep()", "open()", "fs.writeFileSync()"
    std::string why;      // "file I/O", "an HTTP request", "a subprocess", "a boto3 call"
    std::string instead;  // what to use instead
};
std::optional<BlockingApi> blocking_api(const FileModel& file, const CallSite& call,
                                        const ClientTracker& clients);

// Whether a Python call is the context expression of an `async with` on its line
// (`async with session.get(url) as resp:`): an async context manager, not a blocking call.
bool is_async_with_context(const FileModel& file, const CallSite& call);

// ---------------------------------------------------------------------------------------------
// Calls that have a batch / bulk / pipeline form
// ---------------------------------------------------------------------------------------------
struct BatchAdvice {
    std::string what;     // "DynamoDB Query", "SQS SendMessage", "INSERT", "Redis HSET"
    std::string instead;  // "send_message_batch (up to 10 messages per request)"
    bool async_api = false;  // a promise / coroutine API: only sequential when awaited
};
std::optional<BatchAdvice> batchable_call(const FileModel& file, const CallSite& call,
                                          const ClientTracker& clients);

// The SQL statement a call runs, resolved through a local or module-level variable, lower-case,
// or empty when it is not visible.
// `by_function` (assignments_by_function(file)) makes the lookup of a variable cost its
// function's assignments instead of the whole file's; the answer is the same.
std::string sql_text(const FileModel& file, const CallSite& call, int arg_index,
                     const AssignmentsByFunction* by_function = nullptr);

// ---------------------------------------------------------------------------------------------
// Serializers
// ---------------------------------------------------------------------------------------------
struct SerializerApi {
    std::string display;  // "json.dumps", "JSON.stringify"
    int arg_index = 0;    // the value serialized
};
std::optional<SerializerApi> serializer_api(const CallSite& call);

// ---------------------------------------------------------------------------------------------
// Polling
// ---------------------------------------------------------------------------------------------
// A receive that returns at once when nothing is there: SQS ReceiveMessage without
// WaitTimeSeconds (or 0), Redis XREAD without BLOCK, LPOP/RPOP, get_nowait, try_pop...
struct PollApi {
    std::string display;  // "receive_message without WaitTimeSeconds"
    std::string instead;  // "long polling: WaitTimeSeconds=20"
    bool sure = false;    // the call is certainly non-blocking (no queue-side default applies)
};
std::optional<PollApi> nonblocking_receive(const FileModel& file, const CallSite& call,
                                           const ClientTracker& clients);

// A call that fetches work (receive, poll, fetch, read, pop, consume...), blocking or not.
bool is_receive_like(const CallSite& call);

// ---------------------------------------------------------------------------------------------
// Control of concurrency
// ---------------------------------------------------------------------------------------------
// Promise.all / allSettled / any / race, asyncio.gather / wait / as_completed / create_task /
// ensure_future, executor.submit / map, run_in_executor, TaskGroup.create_task, start_soon.
bool is_fan_out_call(const CallSite& call);

// forEach / map / flatMap / filter / reduce / some / every / find (JS), map (Python builtin).
bool is_iteration_method(const CallSite& call);

// Python async call that is only scheduled, not run in place: the argument of a fan-out call.
bool inside_fan_out(const FileModel& file, const CallSite& call);

}  // namespace cq::latency
