// latency/client-per-call: a client, connection, pool or session created inside a hot function
// or a loop instead of once at module or startup scope.
#include <algorithm>
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

const RuleMeta& client_meta() {
    static const RuleMeta meta{
        .id = "latency/client-per-call",
        .title = "Clients, connections and pools should be created once, not per call",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = hot_path_rule_options(),
        .effort_minutes = 15,
        .doc = R"md(## What it finds
A client, connection, pool or session created inside a loop, inside a handler, or inside any
function that a handler or a loop calls (across functions and files, with the call chain as
secondary locations):

- Python: `boto3.client` / `boto3.resource` / `boto3.Session`, `redis.Redis` /
  `redis.from_url` / `ConnectionPool`, `psycopg2.connect`, `psycopg.connect`, `asyncpg.connect` /
  `create_pool`, `pymysql.connect`, `sqlite3.connect`, `sqlalchemy.create_engine`,
  `pymongo.MongoClient`, `requests.Session`, `httpx.Client` / `AsyncClient`,
  `aiohttp.ClientSession`, Kafka / AMQP / NATS / gRPC / Elasticsearch clients,
  `google.cloud.*.Client`;
- JavaScript / TypeScript: `new XxxClient(...)` from `@aws-sdk/*`, `new AWS.Service()`,
  `DynamoDBDocumentClient.from`, `new Pool` / `new Client` (pg), `mysql.createConnection` /
  `createPool`, `redis.createClient`, `new Redis` (ioredis), `new MongoClient`, `new Kafka`,
  `new PrismaClient`, `knex(...)`, `axios.create`;
- C / C++: `sqlite3_open*`, `PQconnectdb*`, `mysql_real_connect`, `redisConnect*`,
  `curl_easy_init`, `mongoc_client_new`.

Not reported: wrappers over connections something else owns (`DynamoDBDocumentClient.from(ddb)`,
`redis.Redis(connection_pool=POOL)`), creation at module / startup scope, in a function that is neither hot nor in a
loop (`main`, a factory called once), behind a cache (a caching decorator such as
`@lru_cache`, or a function that consults a `cache`), stored on an object or a module-level
variable (`self.client = ...`, `global _client`, a lazily created singleton, a C/C++
function-local `static`), or one client per
distinct configuration (the loop variable is an argument: `for region in regions:
boto3.client("s3", region_name=region)`, also when it reaches the constructor through a parameter
of the function the loop calls). Test files are skipped unless `include-tests` is set.

## Why it matters
Creating a client resolves credentials and configuration, and its first request opens new TCP
and TLS connections (and, for a database, authenticates and allocates a server session). Done
per message this adds tens to hundreds of milliseconds to each one, exhausts connection limits
under load, and throws away the connection pool the client would have kept warm.

## Example
```python
def publish_run(queue_url, events):
    sqs = boto3.client("sqs")            # a new client for every run
    ...
```
```js
exports.handler = async (event) => {
  const ddb = new DynamoDBClient({});    // a new client for every invocation
};
```

## Instead
Create the client once, at module scope or at startup, and reuse it; in AWS Lambda, module scope
survives between warm invocations:
```js
const ddb = new DynamoDBClient({});
exports.handler = async (event) => { /* use ddb */ };
```

## Options
)md" + hot_path_options_doc(),
        .aliases = {},
    };
    return meta;
}

std::string noun(ClientKind kind, std::string_view display) {
    const std::string d = to_lower(display);
    if (d.find("pool") != std::string::npos) {
        return "connection pool";
    }
    if (d.find("session") != std::string::npos) {
        return "session";
    }
    if (d.find("connect") != std::string::npos || d.find("open") != std::string::npos ||
        kind == ClientKind::sql) {
        return "connection";
    }
    return "client";
}

// The result is kept for later: assigned to a member, a module-level variable, a collection.
bool is_kept(const FileModel& file, const LineIndex& lines, const CallSite& call) {
    for (const Assignment& a : file.assignments) {
        if (a.function != call.function || !a.range.contains(call.range)) {
            continue;
        }
        if (outermost_call_in(file, a.function, a.range) < 0) {
            continue;
        }
        const std::string_view target = trim(a.target);
        if (a.is_member || starts_with(target, "self.") || starts_with(target, "this.") ||
            starts_with(target, "cls.") || target.find('[') != std::string_view::npos ||
            target.find("->") != std::string_view::npos) {
            return true;
        }
        // A C/C++ function-local static is initialized once, on the first call.
        if (is_c_family(file.language)) {
            const std::string_view line = file.line_text(a.range.start_line);
            const std::string_view head =
                line.substr(0, std::min<std::size_t>(line.size(), line.find('=')));
            if (contains_word(head, "static") || contains_word(head, "thread_local")) {
                return true;
            }
        }
        if (a.is_declaration) {
            return false;
        }
        // Created only when missing: `if (!client) client = ...`, `if _client is None:`
        const auto names = assigned_names(a.target);
        for (const std::string& cond : enclosing_conditions(file, lines, call.range.start_byte)) {
            for (const std::string& name : names) {
                if (contains_word(cond, name)) {
                    return true;
                }
            }
        }
        // A plain name that is also bound at module level: a lazily created global.
        for (const std::string& name : names) {
            for (const Assignment& m : file.assignments) {
                if (m.function != -1) {
                    continue;
                }
                const auto module_names = assigned_names(m.target);
                if (std::find(module_names.begin(), module_names.end(), name) != module_names.end()) {
                    return true;
                }
            }
        }
        return false;
    }
    // `clients.append(boto3.client(...))`, `pool_by_region.set(r, new Pool())`
    const std::int32_t outer = enclosing_call(file, call.function, call.range);
    if (outer >= 0) {
        const std::string& n = file.calls[static_cast<std::size_t>(outer)].name;
        for (std::string_view keep : {"append", "push", "set", "add", "setdefault", "insert",
                                      "emplace", "emplace_back", "push_back", "put"}) {
            if (n == keep) {
                return true;
            }
        }
    }
    return false;
}

// A client object over connections that something else owns: `DynamoDBDocumentClient.from(ddb)`
// (marshalling over the shared client's sockets), `redis.Redis(connection_pool=POOL)` (a view
// over a shared pool). Building one opens nothing; an inline `new DynamoDBClient()` passed to
// `from` is reported on its own.
bool shares_connections(const CallSite& call) {
    if (call.name == "from") {
        return true;
    }
    return has_keyword(call, "connection_pool");
}

// The constructor's arguments read the loop's variables: one client per configuration.
bool per_configuration(const CallSite& call, const Loop& loop) {
    for (const Argument& a : call.args) {
        const ExprRefs refs = expression_refs(argument_value(a));
        for (const std::string& p : refs.paths) {
            const std::string base = p.substr(0, p.find('.'));
            if (std::find(loop.variables.begin(), loop.variables.end(), base) != loop.variables.end()) {
                return true;
            }
        }
    }
    return false;
}

// `for region in regions: scan(region)` with `scan` building `boto3.client("ec2",
// region_name=region)`: the caller's loop variable reaches the constructor through a parameter,
// so there is one client per configuration, not per call.
bool configured_by_caller_loop(const HotPaths& hot, const FileModel& file, const CallSite& call,
                               const HotMark& mark) {
    if (mark.kind != HotKind::loop_call || mark.call < 0) {
        return false;
    }
    const Function* fn = function_ptr(file, call.function);
    const FileModel& caller = hot.graph().file(static_cast<std::size_t>(mark.from.file));
    const Loop* loop = loop_ptr(caller, mark.loop);
    if (fn == nullptr || loop == nullptr) {
        return false;
    }
    const CallSite& site = caller.calls[static_cast<std::size_t>(mark.call)];
    // Parameters of `fn` that receive something derived from the loop's variables.
    std::vector<std::string> configured;
    std::size_t position = 0;
    for (const Argument& a : site.args) {
        const ExprRefs refs = expression_refs(argument_value(a));
        bool from_loop = false;
        for (const std::string& p : refs.paths) {
            const std::string base = p.substr(0, p.find('.'));
            from_loop = from_loop || std::find(loop->variables.begin(), loop->variables.end(), base) !=
                                         loop->variables.end();
        }
        if (!a.keyword.empty()) {
            if (from_loop) {
                configured.push_back(a.keyword);
            }
            continue;
        }
        // `self` is not an argument at the call site of a method
        const std::size_t offset = (!fn->params.empty() && (fn->params[0].name == "self" ||
                                                             fn->params[0].name == "cls")) ? 1 : 0;
        if (from_loop && position + offset < fn->params.size()) {
            configured.push_back(fn->params[position + offset].name);
        }
        ++position;
    }
    for (const Argument& a : call.args) {
        for (const std::string& p : expression_refs(argument_value(a)).paths) {
            const std::string base = p.substr(0, p.find('.'));
            if (std::find(configured.begin(), configured.end(), base) != configured.end()) {
                return true;
            }
        }
    }
    return false;
}

class ClientPerCallRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return client_meta(); }

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
            std::optional<LineIndex> lines;  // for the files that create a client at all
            for (const CallSite& call : file.calls) {
                const auto api = client_constructor(file, call);
                if (!api) {
                    continue;
                }
                if (!lines) {
                    lines.emplace(file.source);
                }
                check_call(hot, fi, file, *lines, call, *api, ctx, out);
            }
        }
    }

private:
    void check_call(const HotPaths& hot, std::size_t fi, const FileModel& file, const LineIndex& lines,
                    const CallSite& call, const ClientApi& api, const RuleContext& ctx,
                    std::vector<Finding>& out) const {
        if (shares_connections(call) || hot.cache_guarded(fi, call.function) ||
            is_kept(file, lines, call)) {
            return;
        }
        const std::int32_t l = looped_by(file, call.function, call.range);
        const Loop* loop = loop_ptr(file, l);
        if (loop != nullptr && (is_retry_loop(file, *loop) || per_configuration(call, *loop))) {
            return;
        }
        const HotMark& mark = hot.hot(fi, call.function);
        if (loop == nullptr && mark.kind == HotKind::none) {
            return;
        }
        if (loop == nullptr && configured_by_caller_loop(hot, file, call, mark)) {
            return;
        }
        const std::string what = "`" + api.display + "` creates a new " + noun(api.kind, api.display);
        std::string where;
        if (loop != nullptr) {
            where = " on every turn of the loop at line " + std::to_string(loop->range.start_line);
        } else {
            where = " on every call of '" + function_label(file, call.function) + "', which " +
                    hot.hot_phrase(fi, call.function);
        }
        Finding f = make_finding(
            *this, ctx, file, call.range,
            what + where +
                ": each one repeats credential and configuration loading and opens new TCP/TLS "
                "connections, and nothing is reused between calls. Create it once at module scope "
                "or at startup and reuse it.");
        if (loop != nullptr) {
            f.secondary.push_back(secondary(
                file, loop->header_range.end_byte > loop->header_range.start_byte ? loop->header_range
                                                                                  : loop->range,
                "the loop"));
        }
        for (SecondaryLocation& s : hot.hot_chain(fi, call.function)) {
            f.secondary.push_back(std::move(s));
        }
        out.push_back(std::move(f));
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::ClientPerCallRule);
