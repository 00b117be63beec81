// security/sql-injection: a query assembled from a non-constant value and passed to a database
// API, instead of a parameterized query.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_sink.hpp"
#include "rules/support/taint.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& sql_injection_meta() {
    static const RuleMeta meta{
        .id = "security/sql-injection",
        .title = "SQL queries should not be built from non-constant strings",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {89},
        .owasp = {"A03:2021"},
        .options = {},
        .effort_minutes = 30,
        .doc = R"md(## What it finds
A query passed to a database API after being assembled from a value that is not a constant: by
`+` concatenation, an f-string, `%` formatting, `.format()`, a template literal with `${...}`,
`sprintf` / `strcat` into a buffer, or `sqlite3_mprintf` with an unquoted `%s`, directly or
through local variables. The query text must read like SQL (SELECT ... FROM, INSERT INTO,
UPDATE ... SET, DELETE FROM, WHERE, DDL); a query that is entirely untrusted input is reported
too.

Sinks: `execute` / `executemany` / `executescript` / `exec_driver_sql` (DB-API cursors,
SQLAlchemy), `raw` (Django, knex), `query` / `run` / `all` / `get` / `prepare` on database
handles (`db`, `conn`, `pool`, `client`, `knex`, `sequelize`, ...), Prisma's `$queryRawUnsafe` /
`$executeRawUnsafe`, `sqlalchemy.text`, `pandas.read_sql`; in C `sqlite3_exec`,
`sqlite3_prepare*`, `mysql_query`, `mysql_real_query`, `PQexec`, `PQsendQuery`.

Parameterized queries (`cursor.execute("... WHERE id = %s", (uid,))`, `db.query("... $1",
[id])`, `sqlite3_bind_*`) are silent, as are values passed through an escaping function
(`sqlite3_mprintf` with only `%q` / `%Q` / `%w`, `connection.escape`, `psycopg2.sql.Literal`) or
a numeric conversion (`int(x)`, `parseInt(x)`, `atoi`). A query built from untrusted input is
reported one severity higher with the path from the source.

## Why it matters
Concatenated input can close the string literal and append its own SQL: read other tables,
bypass a login, drop data (CWE-89, OWASP A03:2021 Injection).

## Example
```python
def find(cur, name):
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
```

## Instead
Use the driver's placeholders and pass the values separately:
```python
cur.execute("SELECT * FROM users WHERE name = %s", (name,))
```
```js
await pool.query("SELECT * FROM users WHERE name = $1", [name]);
```
```c
sqlite3_prepare_v2(db, "SELECT * FROM users WHERE name = ?", -1, &stmt, NULL);
sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
```

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

// The argument that holds the query text, or nullptr when `call` is not a query sink.
const Argument* query_argument(const FileModel& file, const CallSite& call) {
    if (is_c_family(file.language)) {
        static const std::array<std::string_view, 10> c_sinks{
            "sqlite3_exec", "sqlite3_prepare", "sqlite3_prepare_v2", "sqlite3_prepare_v3",
            "sqlite3_prepare16", "sqlite3_prepare16_v2", "mysql_query", "mysql_real_query",
            "PQexec", "PQsendQuery"};
        if (!call.receiver.empty()) {
            return nullptr;
        }
        for (std::string_view s : c_sinks) {
            if (call.name == s) {
                return positional_arg(call, 1);
            }
        }
        return nullptr;
    }
    const std::string callee = canonical_callee(call);
    const auto first = [&]() -> const Argument* {
        if (const Argument* a = positional_arg(call, 0)) {
            return a;
        }
        for (std::string_view kw : {"sql", "query", "statement", "operation"}) {
            if (const Argument* a = keyword_arg(call, kw)) {
                return a;
            }
        }
        return nullptr;
    };
    static const std::array<std::string_view, 7> any_receiver{
        "execute", "executemany", "executescript", "exec_driver_sql", "$queryRawUnsafe",
        "$executeRawUnsafe", "raw"};
    for (std::string_view s : any_receiver) {
        if (call.name == s && !call.receiver.empty()) {
            return first();
        }
    }
    static const std::array<std::string_view, 8> db_receiver{"query", "run", "all", "get",
                                                             "each", "prepare", "exec", "one"};
    for (std::string_view s : db_receiver) {
        if (call.name == s && looks_like_db_handle(call.receiver)) {
            return first();
        }
    }
    if (callee == "sqlalchemy.text" || callee == "sqlalchemy.sql.text" ||
        callee == "sqlalchemy.sql.expression.text" || callee == "pandas.read_sql" ||
        callee == "pandas.read_sql_query" ||
        ((call.name == "read_sql" || call.name == "read_sql_query") && call.receiver == "pd")) {
        return first();
    }
    return nullptr;
}

bool sql_sanitizer(std::string_view path, std::string_view args) {
    const std::string_view last = last_part(path);
    if (last == "sqlite3_mprintf" || last == "sqlite3_vmprintf" || last == "sqlite3_snprintf") {
        // quoted conversions only: the format is the first string literal in the arguments
        const ExprScan scan = scan_expression(args, Language::c);
        const FormatInfo info = parse_format(scan.literal_text);
        return !info.unbounded_string || info.sqlite_quoted_only;
    }
    static const std::array<std::string_view, 12> k{
        "escape", "escapeId", "escape_string", "escapeLiteral", "escapeIdentifier", "quote_ident",
        "quote_literal", "Literal", "Identifier", "mysql_real_escape_string", "literal",
        "escape_literal"};
    for (std::string_view s : k) {
        if (last == s) {
            return true;
        }
    }
    return false;
}

class SqlInjectionRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return sql_injection_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        struct Candidate {
            const FileModel* file;
            const CallSite* call;
            const Argument* arg;
        };
        std::vector<Candidate> candidates;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const CallSite& call : file->calls) {
                const Argument* arg = query_argument(*file, call);
                if (arg == nullptr || is_literal_kind(arg->kind)) {
                    continue;
                }
                candidates.push_back({file, &call, arg});
            }
        }
        if (candidates.empty()) {
            return;
        }
        SinkProfile profile;
        profile.sanitizer = sql_sanitizer;
        // Only the functions with a sink, and what their facts depend on.
        std::vector<TaintFocus> focus;
        focus.reserve(candidates.size());
        for (const Candidate& c : candidates) {
            focus.push_back({c.file, c.call->function});
        }
        const TaintEngine engine(project, meta().languages, std::move(profile), focus);
        std::vector<std::pair<const Candidate*, Fact>> hits;
        for (const Candidate& c : candidates) {
            Fact fact = engine.evaluate_arg(*c.file, *c.call, *c.arg);
            if (!fact.dynamic) {
                continue;
            }
            const bool built = fact.built || c.arg->kind == ArgKind::concatenation ||
                               c.arg->kind == ArgKind::interpolated;
            const bool sql_text = looks_like_sql(fact.text) || looks_like_sql(c.arg->text);
            if (!(built && sql_text) && !fact.tainted) {
                continue;  // dynamic, but neither assembled SQL nor untrusted
            }
            hits.emplace_back(&c, std::move(fact));
        }
        for (const auto& [c, fact] : hits) {
            // `session.execute(text(sql))`: one finding, at the innermost sink
            const bool outer = std::any_of(hits.begin(), hits.end(), [&](const auto& other) {
                return other.first != c && other.first->file == c->file &&
                       c->call->range.contains(other.first->call->range);
            });
            if (outer) {
                continue;
            }
            out.push_back(sink_finding(
                *this, ctx, *c->file, c->call->range,
                "SQL query passed to '" + c->call->callee + "' is built from " +
                    describe_value(fact) +
                    "; use a parameterized query and pass the values separately.",
                fact));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::SqlInjectionRule);
