#include "rules/support/latency_apis.hpp"

#include <algorithm>
#include <array>

#include "rules/support/latency_support.hpp"

namespace cq::latency {

namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> options) {
    return std::find(options.begin(), options.end(), s) != options.end();
}

std::string strip_node_prefix(std::string s) {
    std::size_t pos = 0;
    while ((pos = s.find("node:", pos)) != std::string::npos) {
        if (pos == 0 || !is_ident_char(s[pos - 1])) {
            s.erase(pos, 5);
        } else {
            pos += 5;
        }
    }
    return s;
}

// "@aws-sdk/client-dynamodb.DynamoDBClient" -> ("@aws-sdk/client-dynamodb", "DynamoDBClient")
std::pair<std::string, std::string> split_last(const std::string& s, char sep = '.') {
    const std::size_t dot = s.rfind(sep);
    if (dot == std::string::npos) {
        return {"", s};
    }
    return {s.substr(0, dot), s.substr(dot + 1)};
}

// The first string literal's content in a piece of source text.
std::string first_string_literal(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char q = text[i];
        if (q != '"' && q != '\'' && q != '`') {
            continue;
        }
        std::string out;
        for (std::size_t j = i + 1; j < text.size(); ++j) {
            if (text[j] == '\\' && j + 1 < text.size()) {
                out += text[j + 1];
                ++j;
                continue;
            }
            if (text[j] == q) {
                // adjacent C string literals continue the statement
                std::size_t k = j + 1;
                while (k < text.size() && (text[k] == ' ' || text[k] == '\n' || text[k] == '\t' ||
                                           text[k] == '\r')) {
                    ++k;
                }
                if (k < text.size() && text[k] == q && q == '"') {
                    j = k;
                    continue;
                }
                return out;
            }
            out += text[j];
        }
        return out;
    }
    return {};
}

std::string first_word_lower(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) != 0 || sql[i] == '(')) {
        ++i;
    }
    std::size_t j = i;
    while (j < sql.size() && std::isalpha(static_cast<unsigned char>(sql[j])) != 0) {
        ++j;
    }
    return to_lower(sql.substr(i, j - i));
}

}  // namespace

std::string resolved_name(const CallSite& call) {
    return strip_node_prefix(call.resolved.empty() ? call.callee : call.resolved);
}

std::int32_t receiver_call(const FileModel& file, const CallSite& call) {
    if (call.receiver.empty()) {
        return -1;
    }
    std::int32_t best = -1;
    Range at = call.callee_range;
    at.end_byte = at.start_byte + 1;
    const auto [lo, hi] = starting_in(file.calls, at);
    for (std::size_t i = lo; i < hi; ++i) {
        const CallSite& c = file.calls[i];
        if (&c == &call || c.function != call.function) {
            continue;
        }
        if (c.range.start_byte != call.callee_range.start_byte ||
            c.range.end_byte >= call.callee_range.end_byte) {
            continue;
        }
        if (best < 0 || c.range.end_byte > file.calls[static_cast<std::size_t>(best)].range.end_byte) {
            best = static_cast<std::int32_t>(i);
        }
    }
    return best;
}

const Argument* argument(const CallSite& call, int index,
                         const std::vector<std::string_view>& keywords) {
    for (const Argument& a : call.args) {
        if (!a.keyword.empty() &&
            std::find(keywords.begin(), keywords.end(), a.keyword) != keywords.end()) {
            return &a;
        }
    }
    int pos = 0;
    for (const Argument& a : call.args) {
        if (!a.keyword.empty()) {
            continue;
        }
        if (pos == index) {
            return &a;
        }
        ++pos;
    }
    return nullptr;
}

std::string_view argument_value(const Argument& arg) {
    std::string_view t = trim(arg.text);
    if (!arg.keyword.empty() && starts_with(t, arg.keyword)) {
        std::string_view rest = trim(t.substr(arg.keyword.size()));
        if (starts_with(rest, "=")) {
            return trim(rest.substr(1));
        }
    }
    return t;
}

const Argument* argument(const CallSite& call, int index) {
    static const std::vector<std::string_view> k_no_keywords;
    return argument(call, index, k_no_keywords);
}

bool has_keyword(const CallSite& call, std::string_view keyword) {
    return std::any_of(call.args.begin(), call.args.end(),
                       [&](const Argument& a) { return a.keyword == keyword; });
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------
std::optional<ClientApi> client_constructor(const FileModel& file, const CallSite& call) {
    const std::string r = resolved_name(call);
    const std::string& name = call.name;
    auto make = [](ClientKind k, std::string display) {
        return std::optional<ClientApi>(ClientApi{k, std::move(display)});
    };
    if (file.language == Language::python) {
        if (r == "boto3.client" || r == "boto3.resource") {
            std::string display = r + "(";
            if (const Argument* a = argument(call, 0, {"service_name"}); a != nullptr &&
                                                                         a->kind == ArgKind::string_literal) {
                display += "'" + a->value + "'";
            }
            display += ")";
            return make(r == "boto3.client" ? ClientKind::boto3_client : ClientKind::boto3_resource,
                        display);
        }
        if (r == "boto3.Session" || r == "boto3.session.Session" || r == "aioboto3.Session") {
            return make(ClientKind::boto3_client, r + "()");
        }
        if (one_of(r, {"redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url",
                       "redis.ConnectionPool", "redis.asyncio.Redis", "redis.asyncio.from_url",
                       "redis.asyncio.client.Redis", "redis.client.Redis", "aioredis.from_url",
                       "aioredis.Redis", "aioredis.create_redis_pool", "redis.RedisCluster",
                       "redis.cluster.RedisCluster", "redis.asyncio.RedisCluster"})) {
            return make(ClientKind::redis, r + "()");
        }
        if (one_of(r, {"psycopg2.connect", "psycopg.connect", "psycopg.AsyncConnection.connect",
                       "psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool",
                       "psycopg_pool.ConnectionPool", "psycopg_pool.AsyncConnectionPool",
                       "asyncpg.connect", "asyncpg.create_pool", "pymysql.connect",
                       "MySQLdb.connect", "mysql.connector.connect", "aiomysql.connect",
                       "aiomysql.create_pool", "sqlite3.connect", "aiosqlite.connect",
                       "sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
                       "cx_Oracle.connect", "oracledb.connect", "pyodbc.connect",
                       "snowflake.connector.connect"})) {
            return make(ClientKind::sql, r + "()");
        }
        if (one_of(r, {"requests.Session", "requests.session", "httpx.Client",
                       "urllib3.PoolManager"})) {
            return make(ClientKind::sync_http, r + "()");
        }
        if (one_of(r, {"httpx.AsyncClient", "aiohttp.ClientSession"})) {
            return make(ClientKind::http, r + "()");
        }
        if (one_of(r, {"pymongo.MongoClient", "motor.motor_asyncio.AsyncIOMotorClient",
                       "elasticsearch.Elasticsearch", "elasticsearch.AsyncElasticsearch",
                       "kafka.KafkaProducer", "kafka.KafkaConsumer", "confluent_kafka.Producer",
                       "confluent_kafka.Consumer", "aiokafka.AIOKafkaProducer",
                       "pika.BlockingConnection", "aio_pika.connect", "aio_pika.connect_robust",
                       "nats.connect", "grpc.insecure_channel", "grpc.secure_channel",
                       "grpc.aio.insecure_channel", "grpc.aio.secure_channel",
                       "pymemcache.client.base.Client", "cassandra.cluster.Cluster"})) {
            return make(ClientKind::other, r + "()");
        }
        if (starts_with(r, "google.cloud.") && ends_with(r, ".Client")) {
            return make(ClientKind::other, r + "()");
        }
        return std::nullopt;
    }
    if (is_js_family(file.language)) {
        const auto [module, symbol] = split_last(r);
        if (call.is_new) {
            if (starts_with(module, "@aws-sdk/") && (ends_with(symbol, "Client") || symbol == "DynamoDB")) {
                return make(ClientKind::aws_js, "new " + symbol + "()");
            }
            if (starts_with(r, "aws-sdk.") || starts_with(r, "aws-sdk/")) {
                return make(ClientKind::aws_js, "new " + call.callee + "()");
            }
            if (one_of(r, {"pg.Pool", "pg.Client", "pg-pool", "pg-pool.Pool", "mssql.ConnectionPool",
                           "tedious.Connection", "sequelize.Sequelize", "sequelize",
                           "@prisma/client.PrismaClient", "pg-promise"})) {
                return make(ClientKind::sql, "new " + symbol + "()");
            }
            if (starts_with(r, "ioredis")) {
                return make(ClientKind::redis, "new " + call.callee + "()");
            }
            if (one_of(r, {"mongodb.MongoClient", "kafkajs.Kafka", "@elastic/elasticsearch.Client",
                           "bullmq.Queue", "ws.WebSocket", "undici.Pool", "undici.Agent",
                           "@opensearch-project/opensearch.Client"})) {
                return make(ClientKind::other, "new " + symbol + "()");
            }
            return std::nullopt;
        }
        if (name == "from" && ends_with(call.receiver, "DocumentClient")) {
            return make(ClientKind::aws_js, call.receiver + ".from()");
        }
        if (one_of(r, {"redis.createClient", "redis.createCluster", "@redis/client.createClient"})) {
            return make(ClientKind::redis, "createClient()");
        }
        if (one_of(r, {"mysql.createConnection", "mysql.createPool", "mysql2.createConnection",
                       "mysql2.createPool", "mysql2/promise.createConnection",
                       "mysql2/promise.createPool", "knex", "knex.knex", "pg-promise",
                       "postgres", "better-sqlite3", "sqlite.open", "mongoose.connect",
                       "mongoose.createConnection", "amqplib.connect", "amqplib/callback_api.connect",
                       "axios.create", "nats.connect", "mqtt.connect"})) {
            const bool sql = !starts_with(r, "mongoose") && !starts_with(r, "amqplib") &&
                             !starts_with(r, "axios") && !starts_with(r, "nats") &&
                             !starts_with(r, "mqtt");
            return make(sql ? ClientKind::sql : (starts_with(r, "axios") ? ClientKind::http
                                                                           : ClientKind::other),
                        r + "()");
        }
        return std::nullopt;
    }
    // C / C++
    if (!call.receiver.empty() && call.receiver != "::") {
        return std::nullopt;
    }
    if (one_of(name, {"sqlite3_open", "sqlite3_open_v2", "sqlite3_open16", "PQconnectdb",
                      "PQconnectdbParams", "PQsetdbLogin", "PQconnectStart", "mysql_real_connect"})) {
        return make(ClientKind::sql, name);
    }
    if (one_of(name, {"redisConnect", "redisConnectWithTimeout", "redisConnectUnix"})) {
        return make(ClientKind::redis, name);
    }
    if (one_of(name, {"curl_easy_init", "mongoc_client_new", "amqp_new_connection",
                      "rd_kafka_new"})) {
        return make(ClientKind::other, name);
    }
    return std::nullopt;
}

namespace {

// The client kind a Python annotation names (`httpx.Client`, `Optional[requests.Session]`,
// `"httpx.Client | None"`); only the synchronous HTTP clients flake8-async tracks (ASYNC212).
std::optional<ClientKind> annotated_client(std::string_view annotation) {
    std::string a;
    for (char c : annotation) {
        if (c != ' ' && c != '"' && c != '\'') {
            a += c;
        }
    }
    // Split on the separators of unions and generics and look at each named type.
    std::string cur;
    std::optional<ClientKind> found;
    auto flush = [&]() {
        if (one_of(cur, {"httpx.Client", "httpx2.Client", "requests.Session", "requests.sessions.Session",
                         "urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPConnectionPool",
                         "urllib3.HTTPSConnectionPool", "urllib3.connectionpool.ConnectionPool",
                         "urllib3.connectionpool.HTTPConnectionPool",
                         "urllib3.connectionpool.HTTPSConnectionPool",
                         "urllib3.poolmanager.PoolManager", "urllib3.poolmanager.ProxyManager",
                         "urllib3.request.RequestMethods"})) {
            found = ClientKind::sync_http;
        }
        cur.clear();
    };
    for (char c : a) {
        if (c == '|' || c == '[' || c == ']' || c == ',') {
            flush();
        } else {
            cur += c;
        }
    }
    flush();
    return found;
}

// `name: annotation` (a typed parameter or an annotated assignment target) -> annotation.
std::string_view annotation_of(std::string_view text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
        return {};
    }
    std::string_view ann = text.substr(colon + 1);
    const std::size_t eq = ann.find('=');
    return trim(eq == std::string_view::npos ? ann : ann.substr(0, eq));
}

}  // namespace

const AssignmentsByFunction& ClientTracker::assignments() const {
    if (!m_assignments_built) {
        m_assignments_built = true;
        m_assignments = assignments_by_function(m_file);
    }
    return m_assignments;
}

ClientTracker::ClientTracker(const FileModel& file) : m_file(file) {
    if (file.language == Language::python) {
        for (std::size_t fi = 0; fi < file.functions.size(); ++fi) {
            for (const Parameter& p : file.functions[fi].params) {
                if (const auto kind = annotated_client(annotation_of(file.text(p.range)))) {
                    m_bindings.push_back(Binding{static_cast<std::int32_t>(fi), p.name, *kind});
                }
            }
        }
        for (const Assignment& a : file.assignments) {
            if (a.target.find(':') == std::string::npos) {
                continue;
            }
            if (const auto kind = annotated_client(annotation_of(a.target))) {
                const std::string name(trim(std::string_view(a.target).substr(0, a.target.find(':'))));
                m_bindings.push_back(Binding{a.function, name, *kind});
            }
        }
    }
    for (const Assignment& a : file.assignments) {
        const std::int32_t ci = outermost_call_in(file, a.function, a.range);
        if (ci < 0) {
            continue;
        }
        const CallSite& c = file.calls[static_cast<std::size_t>(ci)];
        if (c.range.start_byte <= a.range.start_byte) {
            continue;  // the call is (in) the target, not the value
        }
        std::optional<ClientKind> kind;
        if (const auto ctor = client_constructor(file, c)) {
            kind = ctor->kind;
        } else if (one_of(c.name, {"pipeline", "multi", "batch"}) && !c.receiver.empty()) {
            kind = ClientKind::redis_pipeline;
        } else if (c.name == "Table" && (receiver_kind(c) == ClientKind::boto3_resource ||
                                         starts_with(c.receiver, "boto3.resource"))) {
            kind = ClientKind::dynamo_table;
        } else if (one_of(c.name, {"client", "resource"}) &&
                   receiver_kind(c) == ClientKind::boto3_client) {
            kind = c.name == "client" ? ClientKind::boto3_client : ClientKind::boto3_resource;
        } else if (one_of(c.name, {"cursor", "connect", "acquire", "getConnection"}) &&
                   receiver_kind(c) == ClientKind::sql) {
            kind = ClientKind::sql;
        } else if (one_of(c.name, {"duplicate"}) && receiver_kind(c) == ClientKind::redis) {
            kind = ClientKind::redis;
        } else if (file.language == Language::python &&
                   one_of(resolved_name(c), {"pathlib.Path", "pathlib.PurePath", "Path"})) {
            kind = ClientKind::path;
        }
        if (!kind) {
            continue;
        }
        for (const std::string& n : assigned_names(a.target)) {
            m_bindings.push_back(Binding{a.function, n, *kind});
        }
    }
}

std::optional<ClientKind> ClientTracker::kind_of(std::int32_t fn, std::string_view receiver) const {
    std::string name(strip_prefix_keywords(receiver));
    // normalise `->` and `?.`
    std::string norm;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '-' && i + 1 < name.size() && name[i + 1] == '>') {
            norm += '.';
            ++i;
        } else if (name[i] == '?' && i + 1 < name.size() && name[i + 1] == '.') {
            norm += '.';
            ++i;
        } else {
            norm += name[i];
        }
    }
    const bool member = starts_with(norm, "self.") || starts_with(norm, "this.") ||
                        starts_with(norm, "cls.");
    // Innermost scope first: the function, its parents, then module level.
    std::int32_t scope = fn;
    while (true) {
        for (auto it = m_bindings.rbegin(); it != m_bindings.rend(); ++it) {
            if (it->function == scope && it->name == norm) {
                return it->kind;
            }
        }
        if (scope < 0) {
            break;
        }
        const Function* f = function_ptr(m_file, scope);
        scope = f == nullptr ? -1 : f->parent;
    }
    if (member) {
        for (auto it = m_bindings.rbegin(); it != m_bindings.rend(); ++it) {
            if (it->name == norm) {
                return it->kind;
            }
        }
    }
    return std::nullopt;
}

std::optional<ClientKind> ClientTracker::receiver_kind(const CallSite& call) const {
    if (call.receiver.empty()) {
        return std::nullopt;
    }
    const std::int32_t rc = receiver_call(m_file, call);
    if (rc >= 0) {
        const CallSite& inner = m_file.calls[static_cast<std::size_t>(rc)];
        // Chained on a constructor: boto3.client("s3").get_object(...)
        if (inner.range.end_byte + 2 >= call.callee_range.end_byte - call.name.size()) {
            if (const auto ctor = client_constructor(m_file, inner)) {
                return ctor->kind;
            }
            if (one_of(inner.name, {"pipeline", "multi"})) {
                return ClientKind::redis_pipeline;
            }
        }
    }
    return kind_of(call.function, call.receiver);
}

// ---------------------------------------------------------------------------------------------
// Sleeps
// ---------------------------------------------------------------------------------------------
namespace {

struct SleepSpec {
    std::string display;
    double unit = 1.0;
    int arg = 0;  // -1: no constant duration (sleep_until, nanosleep); -2: always 0 (a checkpoint)
    std::vector<std::string_view> keywords;
    bool blocks_thread = false;
    bool awaitable = false;
};

std::optional<SleepSpec> library_sleep(const FileModel& file, const CallSite& call) {
    const std::string r = resolved_name(call);
    if (file.language == Language::python) {
        if (r == "time.sleep") {
            return SleepSpec{"time.sleep", 1.0, 0, {"secs", "seconds"}, true, false};
        }
        if (one_of(r, {"asyncio.sleep", "trio.sleep", "anyio.sleep", "curio.sleep"})) {
            return SleepSpec{r, 1.0, 0, {"delay", "seconds"}, false, true};
        }
        if (one_of(r, {"trio.sleep_until", "anyio.sleep_until"})) {
            return SleepSpec{r, 1.0, -1, {}, false, true};
        }
        if (one_of(r, {"trio.lowlevel.checkpoint", "anyio.lowlevel.checkpoint"})) {
            return SleepSpec{r, 1.0, -2, {}, false, true};  // a sleep(0)
        }
        if (one_of(r, {"gevent.sleep", "eventlet.sleep", "eventlet.greenthread.sleep"})) {
            return SleepSpec{r, 1.0, 0, {"seconds"}, false, false};
        }
        return std::nullopt;
    }
    if (is_js_family(file.language)) {
        if (one_of(r, {"timers/promises.setTimeout", "timers/promises.scheduler.wait"})) {
            return SleepSpec{"setTimeout from timers/promises", 1e-3, 0, {}, false, true};
        }
        if (r == "delay" || r == "delay.default" ||
            (call.name == "delay" && one_of(call.receiver, {"Promise", "Bluebird", "BPromise", "P"}))) {
            return SleepSpec{call.callee, 1e-3, 0, {}, false, true};
        }
        return std::nullopt;
    }
    // C / C++
    const std::string& n = call.name;
    const std::string& recv = call.receiver;
    const bool this_thread = recv.empty() || ends_with(recv, "this_thread") ||
                             ends_with(r, "this_thread::" + n);
    if ((n == "sleep_for" || n == "sleep_until") && this_thread) {
        return SleepSpec{"std::this_thread::" + n, 1.0, n == "sleep_for" ? 0 : -1, {}, true, false};
    }
    if (!recv.empty() && recv != "::") {
        if ((n == "sleep" || n == "msleep" || n == "usleep") && ends_with(recv, "QThread")) {
            return SleepSpec{recv + "::" + n, n == "sleep" ? 1.0 : (n == "msleep" ? 1e-3 : 1e-6), 0,
                             {}, true, false};
        }
        return std::nullopt;
    }
    if (n == "sleep") {
        return SleepSpec{"sleep", 1.0, 0, {}, true, false};
    }
    if (n == "usleep" || n == "g_usleep") {
        return SleepSpec{n, 1e-6, 0, {}, true, false};
    }
    if (n == "Sleep" || n == "SleepEx") {
        return SleepSpec{n, 1e-3, 0, {}, true, false};
    }
    if (n == "nanosleep" || n == "clock_nanosleep") {
        return SleepSpec{n, 1.0, -1, {}, true, false};
    }
    return std::nullopt;
}

// `new Promise((resolve) => setTimeout(resolve, ms))`: the setTimeout call's function is an
// executor passed to `new Promise`. Returns the Promise call.
std::int32_t promise_around(const FileModel& file, const CallSite& call) {
    const Function* fn = function_ptr(file, call.function);
    if (fn == nullptr || !fn->is_lambda) {
        return -1;
    }
    const Function* parent = function_ptr(file, fn->parent);
    Range before = fn->range;
    before.start_byte = parent != nullptr ? parent->range.start_byte : 0;
    before.end_byte = fn->range.start_byte + 1;
    const auto [lo, hi] = starting_in(file.calls, before);
    for (std::size_t i = hi; i > lo;) {
        --i;
        const CallSite& p = file.calls[i];
        if (p.function != fn->parent || !p.range.contains(fn->range)) {
            continue;
        }
        if (p.name == "Promise" && (p.is_new || starts_with(trim(file.text(p.range)), "new"))) {
            return static_cast<std::int32_t>(i);
        }
    }
    return -1;
}

bool is_set_timeout(const CallSite& call) {
    return call.name == "setTimeout" && (call.receiver.empty() || call.receiver == "global" ||
                                         call.receiver == "globalThis" || call.receiver == "window");
}

}  // namespace

namespace {

struct SleepScan {
    std::vector<SleepCall> library;
    std::vector<SleepWrapper> wrappers;
};

SleepCall make_sleep(const FileModel& file, std::int32_t ci, std::int32_t report, std::int32_t fn,
                     const std::string& display, double unit, int arg,
                     const std::vector<std::string_view>& keywords, bool blocks, bool awaitable) {
    const CallSite& call = file.calls[static_cast<std::size_t>(ci)];
    SleepCall s;
    s.call = ci;
    s.report_call = report;
    s.function = fn;
    s.display = display;
    s.blocks_thread = blocks;
    s.awaitable = awaitable;
    if (arg >= 0) {
        if (const Argument* a = argument(call, arg, keywords)) {
            s.seconds = constant_seconds(file, argument_value(*a), unit);
        }
    } else if (arg == -2) {
        s.seconds = 0.0;  // a checkpoint: sleep(0)
    }
    return s;
}

SleepScan scan_sleeps(const FileModel& file) {
    SleepScan out;
    for (std::size_t i = 0; i < file.calls.size(); ++i) {
        const CallSite& c = file.calls[i];
        const auto ci = static_cast<std::int32_t>(i);
        if (const auto spec = library_sleep(file, c)) {
            out.library.push_back(make_sleep(file, ci, ci, c.function, spec->display, spec->unit, spec->arg,
                                             spec->keywords, spec->blocks_thread, spec->awaitable));
            continue;
        }
        if (is_js_family(file.language) && is_set_timeout(c)) {
            const std::int32_t p = promise_around(file, c);
            if (p < 0) {
                continue;
            }
            const CallSite& promise = file.calls[static_cast<std::size_t>(p)];
            out.library.push_back(make_sleep(file, ci, p, promise.function, "a Promise around setTimeout",
                                             1e-3, 1, {}, false, true));
        }
    }
    // Helpers that wrap one sleep with a parameter as the delay.
    for (const SleepCall& s : out.library) {
        const Function* fn = function_ptr(file, s.function);
        if (fn == nullptr || s.seconds.has_value()) {
            continue;
        }
        const CallSite& c = file.calls[static_cast<std::size_t>(s.call)];
        const int arg = s.display == "a Promise around setTimeout" ? 1 : 0;
        const Argument* a = argument(c, arg, {"delay", "seconds", "secs"});
        if (a == nullptr) {
            continue;
        }
        const std::string name = bound_name(file, s.function);
        if (name.empty()) {
            continue;
        }
        for (std::size_t p = 0; p < fn->params.size(); ++p) {
            if (argument_value(*a) != fn->params[p].name) {
                continue;
            }
            double unit = 1.0;  // the unit of the wrapped sleep
            if (s.display == "a Promise around setTimeout" || s.display == "setTimeout from timers/promises") {
                unit = 1e-3;
            } else if (s.display == "usleep" || s.display == "g_usleep") {
                unit = 1e-6;
            } else if (s.display == "Sleep" || s.display == "SleepEx") {
                unit = 1e-3;
            }
            out.wrappers.push_back(SleepWrapper{s.function, name, static_cast<int>(p), unit,
                                                s.blocks_thread, s.awaitable});
            break;
        }
    }
    // `const sleep = util.promisify(setTimeout)`
    if (is_js_family(file.language)) {
        for (const Assignment& a : file.assignments) {
            if (a.value.find("promisify(setTimeout)") != std::string::npos) {
                for (const std::string& n : assigned_names(a.target)) {
                    out.wrappers.push_back(SleepWrapper{-1, n, 0, 1e-3, false, true});
                }
            }
        }
    }
    return out;
}

}  // namespace

std::vector<SleepWrapper> sleep_wrappers(const FileModel& file) { return scan_sleeps(file).wrappers; }

std::vector<SleepCall> find_sleeps(const FileModel& file) {
    static const std::vector<ImportedSleep> k_none;
    return find_sleeps(file, k_none);
}

std::vector<SleepCall> find_sleeps(const FileModel& file, const std::vector<ImportedSleep>& imported) {
    SleepScan scan = scan_sleeps(file);
    std::vector<SleepCall> out = std::move(scan.library);
    for (std::size_t i = 0; i < file.calls.size() && !scan.wrappers.empty(); ++i) {
        const CallSite& c = file.calls[i];
        if (!c.receiver.empty() && c.receiver != "this" && c.receiver != "self") {
            continue;
        }
        for (const SleepWrapper& w : scan.wrappers) {
            if (c.name == w.name) {
                const auto ci = static_cast<std::int32_t>(i);
                out.push_back(make_sleep(file, ci, ci, c.function, w.name, w.unit, w.param, {},
                                         w.blocks_thread, w.awaitable));
                break;
            }
        }
    }
    for (const ImportedSleep& imp : imported) {
        const bool known = std::any_of(out.begin(), out.end(), [&](const SleepCall& s) { return s.call == imp.call; });
        if (!known && imp.call >= 0 && static_cast<std::size_t>(imp.call) < file.calls.size()) {
            const CallSite& c = file.calls[static_cast<std::size_t>(imp.call)];
            out.push_back(make_sleep(file, imp.call, imp.call, c.function, imp.wrapper.name, imp.wrapper.unit,
                                     imp.wrapper.param, {}, imp.wrapper.blocks_thread, imp.wrapper.awaitable));
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Blocking calls in async functions
// ---------------------------------------------------------------------------------------------
namespace {

bool imports_module(const FileModel& file, std::string_view module) {
    return std::any_of(file.imports.begin(), file.imports.end(), [&](const Import& i) {
        return i.module == module ||
               (starts_with(i.module, module) && i.module.size() > module.size() &&
                i.module[module.size()] == '.');
    });
}

// A function of the file bound to `name` (a local `def open(...)` shadows the builtin).
bool defines_function(const FileModel& file, std::string_view name) {
    return std::any_of(file.functions.begin(), file.functions.end(), [&](const Function& f) {
        return f.name == name && !f.is_method;
    });
}

// os.spawnl / spawnle / spawnlp / spawnlpe / spawnv / spawnve / spawnvp / spawnvpe.
bool is_os_spawn(std::string_view symbol) {
    if (!starts_with(symbol, "spawn") || symbol.size() < 6) {
        return false;
    }
    std::string_view rest = symbol.substr(5);
    if (rest.front() != 'l' && rest.front() != 'v') {
        return false;
    }
    rest.remove_prefix(1);
    if (!rest.empty() && rest.front() == 'p') {
        rest.remove_prefix(1);
    }
    if (!rest.empty() && rest.front() == 'e') {
        rest.remove_prefix(1);
    }
    return rest.empty();
}

// `trio.wrap_file(open(p))` / `anyio.wrap_file(...)`: the file becomes an async file object.
bool wrapped_in_async_file(const FileModel& file, const CallSite& call) {
    const std::int32_t outer = enclosing_call(file, call.function, call.range);
    if (outer < 0) {
        return false;
    }
    const CallSite& w = file.calls[static_cast<std::size_t>(outer)];
    const std::string r = resolved_name(w);
    return (r == "trio.wrap_file" || r == "anyio.wrap_file") && w.args.size() == 1;
}

}  // namespace

bool is_async_with_context(const FileModel& file, const CallSite& call) {
    if (file.language != Language::python || call.range.start_byte > file.source.size()) {
        return false;
    }
    const std::size_t line_start = file.source.rfind('\n', call.range.start_byte == 0 ? 0 : call.range.start_byte - 1);
    const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
    const std::string_view before = trim(std::string_view(file.source).substr(from, call.range.start_byte - from));
    return starts_with(before, "async with");
}

std::optional<BlockingApi> blocking_api(const FileModel& file, const CallSite& call,
                                        const ClientTracker& clients) {
    const std::string r = resolved_name(call);
    const std::string& n = call.name;
    auto make = [](std::string what, std::string why, std::string instead) {
        return std::optional<BlockingApi>(BlockingApi{std::move(what), std::move(why), std::move(instead)});
    };
    if (file.language == Language::python) {
        if (call.awaited) {
            return std::nullopt;  // an awaitable API (aioboto3, aiofiles, ...)
        }
        if (r == "time.sleep") {
            return make("time.sleep()", "a sleep that stops the whole thread",
                        "`await asyncio.sleep(...)`");
        }
        const auto [module, symbol] = split_last(r);
        if ((module == "requests" || module == "httpx") &&
            one_of(symbol, {"get", "options", "head", "post", "put", "patch", "delete", "request",
                            "stream"})) {
            return make(r + "()", "a synchronous HTTP request",
                        "an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) or "
                        "`await asyncio.to_thread(...)`");
        }
        if (one_of(r, {"urllib.request.urlopen", "urllib.request.urlretrieve", "urllib3.request",
                       "urllib2.urlopen"})) {
            return make(r + "()", "a synchronous HTTP request",
                        "an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) or "
                        "`await asyncio.to_thread(...)`");
        }
        if (clients.receiver_kind(call) == ClientKind::sync_http &&
            one_of(n, {"get", "options", "head", "post", "put", "patch", "delete", "request", "send",
                       "stream", "urlopen", "close", "request_encode_url", "request_encode_body"})) {
            return make(call.callee + "()", "a synchronous HTTP request",
                        "an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) or "
                        "`await asyncio.to_thread(...)`");
        }
        // ASYNC211: with urllib3 imported, `pool.request("GET", ...)` on any object, when the
        // verb is a literal HTTP method; not when the call is the context of an `async with`
        // (an async client's request context manager).
        if (n == "request" && !call.receiver.empty() && imports_module(file, "urllib3") &&
            clients.receiver_kind(call) != ClientKind::http && !is_async_with_context(file, call)) {
            const Argument* verb = argument(call, 0);
            if (verb != nullptr && verb->kind == ArgKind::string_literal &&
                one_of(to_lower(verb->value), {"get", "options", "head", "post", "put", "patch",
                                               "delete", "trace", "connect"})) {
                return make(call.callee + "()", "a synchronous HTTP request (urllib3)",
                            "an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) or "
                            "`await asyncio.to_thread(...)`");
            }
        }
        if ((module == "subprocess" &&
             one_of(symbol, {"run", "call", "check_call", "check_output", "getoutput",
                             "getstatusoutput", "Popen"})) ||
            (module == "os" && (one_of(symbol, {"system", "popen", "posix_spawn", "posix_spawnp",
                                                "wait", "wait3", "wait4", "waitid", "waitpid"}) ||
                                is_os_spawn(symbol)))) {
            return make(r + "()", "a subprocess the thread waits for",
                        "`await asyncio.create_subprocess_exec(...)` (or `create_subprocess_shell`)");
        }
        const bool builtin_open = n == "open" && call.receiver.empty() && (r == "open" || r == "builtins.open") &&
                                  !defines_function(file, "open");
        if (wrapped_in_async_file(file, call)) {
            return std::nullopt;  // trio.wrap_file(open(p)): an async file object
        }
        if (builtin_open || one_of(r, {"io.open", "io.open_code", "codecs.open", "os.fdopen", "tarfile.open",
                                       "zipfile.ZipFile", "gzip.open", "bz2.open", "lzma.open",
                                       "fileinput.input", "fileinput.FileInput",
                                       "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile",
                                       "tempfile.SpooledTemporaryFile"})) {
            return make((builtin_open ? std::string("open") : r) + "()", "synchronous file I/O",
                        "`aiofiles` / `anyio.open_file`, or move the I/O into a plain function run "
                        "with `await asyncio.to_thread(...)`");
        }
        if (one_of(n, {"open", "read_text", "write_text", "read_bytes", "write_bytes"}) &&
            (starts_with(call.receiver, "Path(") || starts_with(call.receiver, "pathlib.Path(") ||
             clients.receiver_kind(call) == ClientKind::path)) {
            return make("Path." + n + "()", "synchronous file I/O",
                        "`anyio.Path` / `aiofiles`, or `await asyncio.to_thread(...)`");
        }
        if (module == "shutil" &&
            one_of(symbol, {"copy", "copy2", "copyfile", "copytree", "move", "rmtree"})) {
            return make(r + "()", "synchronous file I/O", "`await asyncio.to_thread(" + r + ", ...)`");
        }
        // ASYNC240: the os.path functions that stat or resolve on disk. Pure string functions
        // (join, basename, abspath, normpath, relpath) are not I/O.
        if (module == "os.path" &&
            one_of(symbol, {"exists", "lexists", "isfile", "isdir", "islink", "ismount", "realpath",
                            "getatime", "getctime", "getmtime", "getsize", "samefile",
                            "sameopenfile", "samestat", "isjunction", "_joinrealpath"})) {
            return make("os.path." + symbol + "()", "a synchronous file-system call",
                        "`anyio.Path` / `trio.Path` (`await anyio.Path(p).exists()`), or "
                        "`await asyncio.to_thread(os.path." + symbol + ", ...)`");
        }
        if (n == "input" && call.receiver.empty() && (r == "input" || r == "builtins.input") &&
            !defines_function(file, "input")) {
            return make("input()", "a blocking read from the terminal",
                        "`await asyncio.to_thread(input, ...)`");
        }
        const auto kind = clients.receiver_kind(call);
        if ((kind == ClientKind::boto3_client || kind == ClientKind::boto3_resource ||
             kind == ClientKind::dynamo_table) &&
            !one_of(n, {"get_paginator", "get_waiter", "can_paginate", "generate_presigned_url",
                        "generate_presigned_post", "Table", "Bucket", "Queue", "Object", "meta",
                        "close", "client", "resource"})) {
            return make(call.callee + "()", "a synchronous boto3 request",
                        "`await asyncio.to_thread(client." + n + ", ...)` or an async SDK (aioboto3)");
        }
        return std::nullopt;
    }
    if (is_js_family(file.language)) {
        const auto [module, imported] = split_last(r);
        // `const { readFileSync: slurp } = require('fs')`: the imported name, not the local one.
        const std::string sync_fn = ends_with(imported, "Sync") ? imported : call.name;
        if (!ends_with(sync_fn, "Sync")) {
            return std::nullopt;
        }
        const std::string recv = call.receiver;
        const bool fs = module == "fs" || module == "fs-extra" || module == "graceful-fs" ||
                        recv == "fs" ||
                        recv.find("require('fs')") != std::string::npos ||
                        recv.find("require(\"fs\")") != std::string::npos;
        if (fs) {
            return make("fs." + sync_fn + "()", "synchronous file I/O that blocks the event loop",
                        "the promise API: `await fs.promises." + sync_fn.substr(0, sync_fn.size() - 4) +
                            "(...)` (from `fs/promises`)");
        }
        if (module == "child_process" || recv == "child_process" || recv == "cp" ||
            recv.find("child_process") != std::string::npos) {
            return make("child_process." + sync_fn + "()", "a subprocess the event loop waits for",
                        "`child_process." + sync_fn.substr(0, sync_fn.size() - 4) +
                            "` with a callback, or its promisified form");
        }
        if (module == "zlib" || recv == "zlib") {
            return make("zlib." + sync_fn + "()", "CPU-bound compression on the event loop",
                        "`util.promisify(zlib." + sync_fn.substr(0, sync_fn.size() - 4) + ")`");
        }
        if ((module == "crypto" || recv == "crypto") &&
            one_of(sync_fn, {"pbkdf2Sync", "scryptSync", "generateKeyPairSync", "randomFillSync"})) {
            return make("crypto." + sync_fn + "()", "CPU-bound key derivation on the event loop",
                        "`util.promisify(crypto." + sync_fn.substr(0, sync_fn.size() - 4) + ")`");
        }
        return std::nullopt;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Batchable calls
// ---------------------------------------------------------------------------------------------
std::string sql_text(const FileModel& file, const CallSite& call, int arg_index,
                     const AssignmentsByFunction* by_function) {
    const Argument* a = argument(call, arg_index, {"sql", "query", "statement", "operation"});
    if (a == nullptr) {
        return {};
    }
    auto from_text = [](std::string_view text) {
        std::string s = first_string_literal(text);
        return to_lower(trim(s));
    };
    switch (a->kind) {
    case ArgKind::string_literal:
        return to_lower(trim(a->value.empty() ? first_string_literal(argument_value(*a)) : a->value));
    case ArgKind::interpolated:
    case ArgKind::concatenation:
    case ArgKind::call:
        return from_text(argument_value(*a));
    case ArgKind::identifier: {
        // The last assignment to the name before the call, in the function or at module level.
        const std::string name(argument_value(*a));
        const auto fn_count = static_cast<std::int32_t>(file.functions.size());
        if (by_function != nullptr && by_function->size() == file.functions.size() + 1 &&
            call.function >= -1 && call.function < fn_count) {
            // The same answer as the scan below, from the two lists it can pick from: the last
            // match before the call in the function; else the first match before the call at
            // module level; else the last match at module level.
            const auto matches = [&](const Assignment& as) {
                if (as.target.find(name) == std::string::npos) {
                    return false;
                }
                const auto names = assigned_names(as.target);
                return std::find(names.begin(), names.end(), name) != names.end();
            };
            const auto& own = (*by_function)[static_cast<std::size_t>(call.function + 1)];
            const auto& module = (*by_function)[0];
            const Assignment* best = nullptr;
            for (auto it = own.rbegin(); it != own.rend() && best == nullptr; ++it) {
                const Assignment& as = file.assignments[*it];
                if (as.range.start_byte <= call.range.start_byte && matches(as)) {
                    best = &as;
                }
            }
            for (auto it = module.begin(); it != module.end() && best == nullptr; ++it) {
                const Assignment& as = file.assignments[*it];
                if (as.range.start_byte <= call.range.start_byte && matches(as)) {
                    best = &as;
                }
            }
            for (auto it = module.rbegin(); it != module.rend() && best == nullptr; ++it) {
                if (matches(file.assignments[*it])) {
                    best = &file.assignments[*it];
                }
            }
            return best == nullptr ? std::string() : from_text(best->value);
        }
        const Assignment* best = nullptr;
        for (const Assignment& as : file.assignments) {
            if (as.range.start_byte > call.range.start_byte) {
                continue;
            }
            if ((as.function != call.function && as.function != -1) ||
                as.target.find(name) == std::string::npos) {
                continue;
            }
            const auto names = assigned_names(as.target);
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                continue;
            }
            if (best == nullptr || as.function == call.function) {
                best = &as;
            }
        }
        if (best == nullptr) {
            // Module-level constants may be defined after the function that uses them.
            for (const Assignment& as : file.assignments) {
                // cheap tests first: this runs over every assignment of the file
                if (as.function != -1 || as.target.find(name) == std::string::npos) {
                    continue;
                }
                const auto names = assigned_names(as.target);
                if (std::find(names.begin(), names.end(), name) != names.end()) {
                    best = &as;
                }
            }
        }
        return best == nullptr ? std::string() : from_text(best->value);
    }
    default:
        return {};
    }
}

namespace {

std::optional<BatchAdvice> sql_advice(std::string_view sql, std::string_view api, bool async_api) {
    const std::string verb = first_word_lower(sql);
    // A statement, not a word that happens to be a keyword: the clause that must follow.
    const std::string text = to_lower(sql);
    auto has = [&](std::string_view w) { return contains_word(text, w); };
    const bool statement =
        ((verb == "insert" || verb == "replace" || verb == "upsert" || verb == "merge") && has("into")) ||
        ((verb == "select" || verb == "delete") && has("from")) || (verb == "update" && has("set")) ||
        (verb == "with" && (has("select") || has("insert") || has("update") || has("delete")));
    if (!statement) {
        return std::nullopt;
    }
    // A table named at run time (`DELETE FROM {table}`, `"INSERT INTO " + name`) is a statement
    // per table, not a query per row: nothing to batch.
    for (std::string_view kw : {"into", "from", "update"}) {
        std::size_t pos = 0;
        while ((pos = text.find(kw, pos)) != std::string::npos) {
            const bool word = (pos == 0 || !is_ident_char(text[pos - 1])) &&
                              (pos + kw.size() >= text.size() || !is_ident_char(text[pos + kw.size()]));
            pos += kw.size();
            if (!word) {
                continue;
            }
            std::size_t t = pos;
            while (t < text.size() && std::isspace(static_cast<unsigned char>(text[t])) != 0) {
                ++t;
            }
            if (t >= text.size() || text[t] == '{' || text[t] == '%' || text[t] == '$' || text[t] == '?' ||
                text[t] == '"' || text[t] == '\'' || text[t] == '+') {
                return std::nullopt;
            }
            break;
        }
    }
    BatchAdvice b;
    b.async_api = async_api;
    if (verb == "insert" || verb == "replace" || verb == "upsert") {
        b.what = "INSERT";
        b.instead = std::string(api) == "sqlite3"
                        ? "one prepared statement stepped for every row inside a single transaction "
                          "(`BEGIN` ... `COMMIT`), or a multi-row `INSERT ... VALUES (...), (...)`"
                        : "`executemany` or one multi-row `INSERT ... VALUES (...), (...)` "
                          "(`unnest` / `COPY` for large batches)";
        return b;
    }
    if (verb == "select" || verb == "with") {
        b.what = "SELECT";
        b.instead = "one query for all the keys (`WHERE key IN (...)` / `= ANY($1)`) or a join";
        return b;
    }
    if (verb == "update" || verb == "delete" || verb == "merge") {
        b.what = to_lower(verb) == "merge" ? "MERGE" : (verb == "update" ? "UPDATE" : "DELETE");
        b.instead = "`executemany`, or one statement over all the keys (`WHERE key IN (...)`)";
        return b;
    }
    return std::nullopt;
}

struct AwsOp {
    std::string_view op;       // boto3 snake_case / JS v2 camelCase / v3 command prefix
    std::string_view what;
    std::string_view instead;
};

}  // namespace

namespace {

// A Redis command on one key (or one message) that a pipeline or a multi-key command batches.
bool is_redis_single_command(std::string_view op) {
    return one_of(op, {"get", "set", "setex", "psetex", "setnx", "getset", "getdel", "hget", "hset",
                       "hsetnx", "hmset", "hgetall", "hdel", "hincrby", "hincrbyfloat", "hexists",
                       "del", "delete", "unlink", "exists", "expire", "pexpire", "expireat", "ttl",
                       "incr", "incrby", "incrbyfloat", "decr", "decrby", "append", "sadd", "srem",
                       "sismember", "smembers", "scard", "zadd", "zrem", "zscore", "zincrby",
                       "lpush", "rpush", "lrem", "lindex", "llen", "xadd", "xack", "xdel",
                       "publish", "pfadd", "geoadd"});
}

}  // namespace

std::optional<BatchAdvice> batchable_call(const FileModel& file, const CallSite& call,
                                          const ClientTracker& clients) {
    const std::string r = resolved_name(call);
    const std::string& n = call.name;
    const auto [module, symbol] = split_last(r);
    const bool py = file.language == Language::python;
    const bool js = is_js_family(file.language);
    auto make = [](std::string what, std::string instead, bool async_api) {
        return std::optional<BatchAdvice>(BatchAdvice{std::move(what), std::move(instead), async_api});
    };

    // C / C++ database APIs: the statement is the second argument.
    if (is_c_family(file.language)) {
        if (!call.receiver.empty() && call.receiver != "::") {
            return std::nullopt;
        }
        const bool sqlite = one_of(n, {"sqlite3_exec", "sqlite3_prepare", "sqlite3_prepare_v2",
                                       "sqlite3_prepare_v3", "sqlite3_prepare16_v2"});
        if (sqlite || one_of(n, {"PQexec", "PQexecParams", "PQsendQuery", "mysql_query",
                                 "mysql_real_query"})) {
            auto advice = sql_advice(sql_text(file, call, 1, &clients.assignments()),
                                     sqlite ? "sqlite3" : "sql", false);
            if (advice) {
                advice->what = n + " " + advice->what;
            }
            return advice;
        }
        // hiredis: `redisCommand(ctx, "INCR %s", key)` waits for its reply; the pipelined form
        // is redisAppendCommand for each, then redisGetReply for each reply.
        if (n == "redisCommand" || n == "redisCommandArgv") {
            const Argument* fmt = argument(call, 1);
            if (fmt == nullptr || fmt->kind != ArgKind::string_literal) {
                return std::nullopt;
            }
            const std::string op = first_word_lower(fmt->value);
            if (!is_redis_single_command(op)) {
                return std::nullopt;
            }
            std::string upper = op;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            return make("Redis " + upper + " (hiredis " + n + ")",
                        "pipelining: `redisAppendCommand` for every item, then `redisGetReply` for "
                        "every reply (one round trip), or a multi-key command (MGET / MSET)",
                        false);
        }
        return std::nullopt;
    }

    const auto kind = clients.receiver_kind(call);
    if (kind == ClientKind::redis_pipeline) {
        return std::nullopt;
    }
    const std::string recv_lower = to_lower(call.receiver);
    if (recv_lower.find("pipe") != std::string::npos || recv_lower.find("multi") != std::string::npos ||
        recv_lower.find("batch") != std::string::npos) {
        return std::nullopt;
    }

    // AWS SDK for JavaScript v3: client.send(new XCommand(...))
    if (js && n == "send" && !call.args.empty()) {
        const std::string_view t = trim(call.args[0].text);
        if (starts_with(t, "new ")) {
            std::string cmd(trim(t.substr(4)));
            const std::size_t paren = cmd.find_first_of("({ ");
            cmd = cmd.substr(0, paren);
            static const std::array<std::pair<std::string_view, std::pair<std::string_view, std::string_view>>, 14>
                k_commands = {{
                    {"GetItemCommand", {"DynamoDB GetItem", "`BatchGetItemCommand` (up to 100 keys per request)"}},
                    {"GetCommand", {"DynamoDB GetItem", "`BatchGetCommand` (up to 100 keys per request)"}},
                    {"PutItemCommand", {"DynamoDB PutItem", "`BatchWriteItemCommand` (up to 25 items per request)"}},
                    {"PutCommand", {"DynamoDB PutItem", "`BatchWriteCommand` (up to 25 items per request)"}},
                    {"DeleteItemCommand", {"DynamoDB DeleteItem", "`BatchWriteItemCommand` (up to 25 items per request)"}},
                    {"DeleteCommand", {"DynamoDB DeleteItem", "`BatchWriteCommand` (up to 25 items per request)"}},
                    {"QueryCommand", {"DynamoDB Query", "a cache keyed by the partition key in front of the Query (most items repeat), or `BatchGetItemCommand` when the keys are known"}},
                    {"SendMessageCommand", {"SQS SendMessage", "`SendMessageBatchCommand` (up to 10 messages per request)"}},
                    {"DeleteMessageCommand", {"SQS DeleteMessage", "`DeleteMessageBatchCommand` (up to 10 per request)"}},
                    {"ChangeMessageVisibilityCommand", {"SQS ChangeMessageVisibility", "`ChangeMessageVisibilityBatchCommand`"}},
                    {"PublishCommand", {"SNS Publish", "`PublishBatchCommand` (up to 10 messages per request)"}},
                    {"PutRecordCommand", {"Kinesis/Firehose PutRecord", "`PutRecordsCommand` / `PutRecordBatchCommand` (up to 500 records per request)"}},
                    {"DeleteObjectCommand", {"S3 DeleteObject", "`DeleteObjectsCommand` (up to 1000 keys per request)"}},
                    {"PutEventsCommand", {"", ""}},
                }};
            for (const auto& [name, advice] : k_commands) {
                if (cmd == name && !advice.first.empty()) {
                    // PublishCommand is also IoT's; SNS takes TopicArn / TargetArn / PhoneNumber.
                    return make(std::string(advice.first), std::string(advice.second), true);
                }
            }
        }
        return std::nullopt;
    }

    // boto3 and the AWS SDK for JavaScript v2
    {
        const bool aws_receiver = kind == ClientKind::boto3_client || kind == ClientKind::boto3_resource ||
                                  kind == ClientKind::dynamo_table || kind == ClientKind::aws_js;
        auto kw = [&](std::string_view k) { return has_keyword(call, k); };
        auto object_key = [&](std::string_view k) {
            for (const Argument& a : call.args) {
                if (std::find(a.object_keys.begin(), a.object_keys.end(), k) != a.object_keys.end()) {
                    return true;
                }
            }
            return false;
        };
        auto param = [&](std::string_view k) { return py ? kw(k) : object_key(k); };
        const bool hint_sqs = recv_lower.find("sqs") != std::string::npos ||
                              recv_lower.find("queue") != std::string::npos;
        const bool hint_ddb = recv_lower.find("table") != std::string::npos ||
                              recv_lower.find("dynamo") != std::string::npos ||
                              recv_lower.find("ddb") != std::string::npos ||
                              recv_lower.find("doc") != std::string::npos;
        const std::string& op = n;  // boto3 snake_case, SDK v2 camelCase
        if (op == "send_message" || op == "sendMessage") {
            if (aws_receiver || param("QueueUrl") || hint_sqs) {
                return make("SQS SendMessage",
                            py ? "`send_message_batch` (up to 10 messages per request)"
                               : "`sendMessageBatch` (up to 10 messages per request)",
                            js);
            }
        }
        if (op == "delete_message" || op == "deleteMessage") {
            if (aws_receiver || param("ReceiptHandle") || hint_sqs) {
                return make("SQS DeleteMessage",
                            py ? "`delete_message_batch` (up to 10 per request)"
                               : "`deleteMessageBatch` (up to 10 per request)",
                            js);
            }
        }
        if (op == "get_item" || op == "getItem" || (js && op == "get" && kind == ClientKind::aws_js)) {
            if (aws_receiver || param("Key") || param("TableName") || hint_ddb) {
                return make("DynamoDB GetItem",
                            py ? "`batch_get_item` (up to 100 keys per request)"
                               : "`batchGetItem` / `batchGet` (up to 100 keys per request)",
                            js);
            }
        }
        if (op == "put_item" || op == "putItem" || op == "delete_item" || op == "deleteItem" ||
            (js && (op == "put" || op == "delete") && kind == ClientKind::aws_js)) {
            if (aws_receiver || param("Item") || param("Key") || param("TableName") || hint_ddb) {
                const bool put = op == "put_item" || op == "putItem" || op == "put";
                return make(put ? "DynamoDB PutItem" : "DynamoDB DeleteItem",
                            py ? (kind == ClientKind::dynamo_table
                                      ? "`table.batch_writer()` (batches of 25, retries unprocessed items)"
                                      : "`batch_write_item` (up to 25 items per request)")
                               : "`batchWriteItem` / `batchWrite` (up to 25 items per request)",
                            js);
            }
        }
        if (op == "query" && (kind == ClientKind::boto3_client || kind == ClientKind::dynamo_table ||
                              kind == ClientKind::aws_js || param("KeyConditionExpression"))) {
            return make("DynamoDB Query",
                        "a cache keyed by the partition key in front of the Query (most items "
                        "repeat), or a batch get (`batch_get_item` / `BatchGetItem`) when the keys "
                        "are known",
                        js);
        }
        if ((op == "publish") && (param("TopicArn") || param("TargetArn") ||
                                  (aws_receiver && recv_lower.find("sns") != std::string::npos))) {
            return make("SNS Publish",
                        py ? "`publish_batch` (up to 10 messages per request)"
                           : "`publishBatch` (up to 10 messages per request)",
                        js);
        }
        if ((op == "put_record" || op == "putRecord") &&
            (aws_receiver || param("StreamName") || param("DeliveryStreamName"))) {
            return make("Kinesis/Firehose PutRecord",
                        py ? "`put_records` / `put_record_batch` (up to 500 records per request)"
                           : "`putRecords` / `putRecordBatch` (up to 500 records per request)",
                        js);
        }
        if ((op == "delete_object" || op == "deleteObject") && (aws_receiver || param("Bucket"))) {
            return make("S3 DeleteObject",
                        py ? "`delete_objects` (up to 1000 keys per request)"
                           : "`deleteObjects` (up to 1000 keys per request)",
                        js);
        }
    }

    // Redis single-key commands
    {
        const bool redis_receiver = kind == ClientKind::redis ||
                                    recv_lower.find("redis") != std::string::npos;
        const std::string op = to_lower(n);
        if (redis_receiver && is_redis_single_command(op)) {
            const std::string upper = [&] {
                std::string u = op;
                std::transform(u.begin(), u.end(), u.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                return u;
            }();
            return make("Redis " + upper,
                        py ? "a pipeline (`pipe = r.pipeline()`, queue the commands, one "
                             "`pipe.execute()`), or a multi-key command (MGET / MSET / HMGET)"
                           : "a pipeline (`client.multi()` ... `exec()`, or ioredis "
                             "`pipeline()`), or a multi-key command (MGET / MSET / HMGET)",
                        js);
        }
    }

    // MongoDB (driver, Mongoose), TypeORM, Sequelize, Prisma: single-document calls per item
    {
        const bool prisma = starts_with(call.receiver, "prisma.") || call.receiver.find(".prisma.") != std::string::npos;
        if (one_of(n, {"findOne", "find_one", "findById", "findOneBy", "findByPk"}) ||
            (prisma && one_of(n, {"findUnique", "findFirst"}))) {
            return make("document / ORM lookup (" + n + ")",
                        "one query for all the keys: `find({ _id: { $in: ids } })`, `findBy({ id: In(ids) })`, "
                        "`findAll({ where: { id: ids } })` or Prisma `findMany({ where: { id: { in: ids } } })`",
                        js);
        }
        if (one_of(n, {"insertOne", "insert_one"}) || (prisma && n == "create")) {
            return make("document INSERT (" + n + ")",
                        py ? "`insert_many([...])`" : (prisma ? "`createMany({ data: [...] })`" : "`insertMany([...])`"),
                        js);
        }
        if (one_of(n, {"updateOne", "update_one", "replaceOne", "replace_one", "deleteOne", "delete_one"}) ||
            (prisma && one_of(n, {"update", "upsert", "delete"}))) {
            return make("document write (" + n + ")",
                        py ? "`bulk_write([...])` (UpdateOne / ReplaceOne / DeleteOne operations)"
                           : (prisma ? "`updateMany` / `deleteMany`, or one `$transaction([...])`"
                                     : "`bulkWrite([...])`"),
                        js);
        }
    }

    // Django ORM: Model.objects.get / create per item (the N+1 query)
    if (py && (ends_with(call.receiver, ".objects") || call.receiver == "objects")) {
        if (n == "get") {
            return make("ORM query (" + call.callee + ")",
                        "one query for all the keys: `in_bulk(ids)` or `filter(pk__in=ids)`", false);
        }
        if (n == "create") {
            return make("ORM INSERT (" + call.callee + ")", "`bulk_create([...])`", false);
        }
    }

    // SQL through a DB-API cursor / driver
    {
        const bool sql_method = py ? one_of(n, {"execute", "fetch", "fetchrow", "fetchval", "exec_driver_sql"})
                                   : one_of(n, {"query", "execute", "run", "all", "get", "exec",
                                                "prepare", "none", "one", "oneOrNone", "many",
                                                "any", "manyOrNone"});
        if (sql_method && (!call.receiver.empty())) {
            const std::string sql = sql_text(file, call, 0, &clients.assignments());
            if (!sql.empty()) {
                const bool async_api = js || call.awaited;
                if (auto advice = sql_advice(sql, "sql", async_api)) {
                    if (js && n == "prepare") {
                        advice->instead = "prepare the statement once before the loop and run "
                                          "every row in one transaction";
                    }
                    return advice;
                }
            }
        }
    }

    // HTTP per item
    {
        const bool http_call =
            (py && (module == "requests" || module == "httpx") &&
             one_of(symbol, {"get", "post", "put", "patch", "delete", "head", "request"})) ||
            (py && one_of(r, {"urllib.request.urlopen"})) ||
            ((kind == ClientKind::sync_http || kind == ClientKind::http) &&
             one_of(n, {"get", "post", "put", "patch", "delete", "head", "request"})) ||
            (js && call.receiver.empty() && (n == "fetch") &&
             (r == "fetch" || starts_with(r, "node-fetch") || starts_with(r, "cross-fetch") ||
              r == "undici.fetch" || r == "isomorphic-fetch")) ||
            (js && (r == "axios" || r == "got" || r == "undici.request" ||
                    ((module == "axios" || module == "got") &&
                     one_of(symbol, {"get", "post", "put", "patch", "delete", "head", "request"}))));
        if (http_call) {
            const bool async_api = js || call.awaited;
            return make("HTTP request",
                        "a batch endpoint if the API has one; otherwise send the requests "
                        "concurrently over one shared session (" +
                            std::string(py ? "`asyncio.gather` with a semaphore" : "`Promise.all` with a concurrency limit") + ")",
                        async_api);
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Serializers
// ---------------------------------------------------------------------------------------------
std::optional<SerializerApi> serializer_api(const CallSite& call) {
    const std::string r = resolved_name(call);
    if (r == "JSON.stringify" || (call.name == "stringify" && call.receiver == "JSON")) {
        return SerializerApi{"JSON.stringify", 0};
    }
    if (one_of(r, {"json.dumps", "orjson.dumps", "ujson.dumps", "simplejson.dumps", "rapidjson.dumps",
                   "pickle.dumps", "msgpack.packb", "msgpack.dumps", "marshal.dumps"})) {
        return SerializerApi{r, 0};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Polling
// ---------------------------------------------------------------------------------------------
std::optional<PollApi> nonblocking_receive(const FileModel& file, const CallSite& call,
                                           const ClientTracker& clients) {
    const std::string& n = call.name;
    const bool py = file.language == Language::python;
    const bool js = is_js_family(file.language);
    auto object_keys_of_first = [&]() -> const Argument* {
        for (const Argument& a : call.args) {
            if (a.kind == ArgKind::object) {
                return &a;
            }
        }
        return nullptr;
    };
    // SQS ReceiveMessage
    if ((py && n == "receive_message") || (js && (n == "receiveMessage" ||
                                                  (call.is_new && n == "ReceiveMessageCommand")))) {
        std::optional<double> wait;
        bool unknown = false;
        if (py) {
            if (const Argument* a = argument(call, 99, {"WaitTimeSeconds"})) {
                wait = constant_seconds(file, argument_value(*a), 1.0);
                unknown = !wait.has_value();
            }
            if (std::any_of(call.args.begin(), call.args.end(),
                            [](const Argument& a) { return starts_with(a.text, "**"); })) {
                unknown = true;
            }
        } else {
            const Argument* obj = object_keys_of_first();
            if (obj == nullptr) {
                unknown = true;
            } else if (std::find(obj->object_keys.begin(), obj->object_keys.end(), "WaitTimeSeconds") !=
                       obj->object_keys.end()) {
                // `WaitTimeSeconds: 0` is short polling too
                const std::string_view t = obj->text;
                const std::size_t k = t.find("WaitTimeSeconds");
                std::string_view rest = t.substr(k + 15);
                rest = trim(rest);
                if (starts_with(rest, ":")) {
                    rest = trim(rest.substr(1));
                    const std::size_t end = rest.find_first_of(",}\n");
                    wait = constant_seconds(file, rest.substr(0, end), 1.0);
                }
                unknown = !wait.has_value();
            }
            if (obj != nullptr && obj->text.find("...") != std::string::npos) {
                unknown = true;
            }
        }
        if (unknown || (wait && *wait > 0)) {
            return std::nullopt;
        }
        return PollApi{(js ? std::string("ReceiveMessage") : std::string("receive_message")) +
                           " without WaitTimeSeconds (short polling)",
                       "long polling: `WaitTimeSeconds=20` makes SQS hold the request until a "
                       "message arrives",
                       true};
    }
    // Redis streams without BLOCK
    const std::string op = to_lower(n);
    if (op == "xread" || op == "xreadgroup") {
        bool block = false;
        for (const Argument& a : call.args) {
            if (to_lower(a.keyword) == "block" || to_lower(a.value) == "block" ||
                std::find(a.object_keys.begin(), a.object_keys.end(), "BLOCK") != a.object_keys.end()) {
                block = true;
            }
            if (starts_with(a.text, "**") || starts_with(a.text, "...")) {
                block = true;  // unknown
            }
        }
        if (block) {
            return std::nullopt;
        }
        return PollApi{std::string(py ? "xread" : n) + " without block",
                       "a blocking read: `xread(..., block=5000)` returns as soon as an entry "
                       "arrives",
                       true};
    }
    const auto kind = clients.receiver_kind(call);
    if ((op == "lpop" || op == "rpop") && (kind == ClientKind::redis ||
                                           to_lower(call.receiver).find("redis") != std::string::npos)) {
        return PollApi{n, "the blocking form (BLPOP / BRPOP with a timeout)", true};
    }
    if (n == "get_nowait" || starts_with(n, "try_pop") || starts_with(n, "try_dequeue") ||
        starts_with(n, "try_recv") || starts_with(n, "try_receive") || n == "tryPop" ||
        n == "tryDequeue" || n == "poll_nowait") {
        return PollApi{n, "a blocking receive (a condition variable, `queue.get()` with a timeout, "
                          "or the queue's blocking pop)",
                       true};
    }
    if (n == "get" && py && has_keyword(call, "block")) {
        const Argument* a = argument(call, 99, {"block"});
        if (a != nullptr && (argument_value(*a) == "False" || argument_value(*a) == "0")) {
            return PollApi{"get(block=False)", "`queue.get(timeout=...)`", true};
        }
    }
    if (n == "poll" && !call.args.empty()) {
        const Argument* a = argument(call, 0, {"timeout", "timeout_ms"});
        if (a != nullptr) {
            if (const auto s = constant_seconds(file, argument_value(*a), 1.0); s && *s == 0.0) {
                return PollApi{"poll(0)", "a poll with a timeout, so the call waits for data", true};
            }
        }
    }
    return std::nullopt;
}

bool is_receive_like(const CallSite& call) {
    const std::string n = to_lower(call.name);
    for (std::string_view p : {"receive", "recv", "poll", "fetch", "consume", "dequeue", "xread",
                               "try_pop", "trypop", "pop", "pull", "get_messages", "getmessages",
                               "get_records", "getrecords", "next_batch", "read_batch", "listen",
                               "blpop", "brpop", "get_nowait", "claim", "lease"}) {
        if (starts_with(n, p)) {
            return true;
        }
    }
    if (n == "receivemessagecommand" || n == "getrecordscommand") {
        return true;
    }
    const std::string recv = to_lower(call.receiver);
    return n == "get" && (recv.find("queue") != std::string::npos || ends_with(recv, "q"));
}

// ---------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------
bool is_fan_out_call(const CallSite& call) {
    const std::string& n = call.name;
    const std::string& recv = call.receiver;
    if (one_of(n, {"all", "allSettled", "any", "race"}) &&
        (recv == "Promise" || recv == "Bluebird" || recv == "BPromise")) {
        return true;
    }
    const std::string r = resolved_name(call);
    if (one_of(r, {"asyncio.gather", "asyncio.wait", "asyncio.as_completed", "asyncio.create_task",
                   "asyncio.ensure_future", "asyncio.run_coroutine_threadsafe", "p-map",
                   "p-all", "p-limit", "trio.Nursery.start_soon", "anyio.create_task_group"})) {
        return true;
    }
    return one_of(n, {"create_task", "ensure_future", "start_soon", "submit", "run_in_executor",
                      "apply_async", "map_async", "spawn", "gather"});
}

bool is_iteration_method(const CallSite& call) {
    if (call.receiver.empty()) {
        return call.name == "map" && call.resolved == "map";  // Python builtin map(f, xs)
    }
    return one_of(call.name, {"forEach", "map", "flatMap", "filter", "reduce", "reduceRight", "some",
                              "every", "find", "findIndex", "each", "for_each"});
}

bool inside_fan_out(const FileModel& file, const CallSite& call) {
    Range r = call.range;
    // Walk the chain of enclosing calls within the same function.
    for (int depth = 0; depth < 8; ++depth) {
        const std::int32_t e = enclosing_call(file, call.function, r);
        if (e < 0) {
            return false;
        }
        const CallSite& outer = file.calls[static_cast<std::size_t>(e)];
        if (outer.awaited && !is_fan_out_call(outer)) {
            return false;
        }
        if (is_fan_out_call(outer)) {
            return true;
        }
        r = outer.range;
    }
    return false;
}

}  // namespace cq::latency
