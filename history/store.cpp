#include "history/store.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "history/file_cache.hpp"

namespace fs = std::filesystem;

namespace cq::history {

namespace {

// Migration 1 is the schema of the first release; never edit it, append.
constexpr std::string_view k_migration_1 = R"sql(
CREATE TABLE scans(
  id INTEGER PRIMARY KEY,
  branch TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  parent_sha TEXT NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  tool_version TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  files INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  ncloc INTEGER NOT NULL,
  duplicated_lines INTEGER NOT NULL,
  issues INTEGER NOT NULL
);
CREATE TABLE files(
  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  language TEXT NOT NULL,
  lines INTEGER NOT NULL,
  ncloc INTEGER NOT NULL,
  PRIMARY KEY(scan_id, path)
) WITHOUT ROWID;
CREATE TABLE issues(
  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  path TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  start_column INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  end_column INTEGER NOT NULL,
  message TEXT NOT NULL,
  function TEXT NOT NULL
);
CREATE INDEX issues_by_scan ON issues(scan_id);
CREATE TABLE metrics(
  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  function TEXT NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL
);
CREATE INDEX metrics_by_scan ON metrics(scan_id);
)sql";

// Migration 2: what the gate and incremental scans need. Scans recorded before it have an
// empty scope hash, so they are never taken as a gate baseline (their scope is unknown).
constexpr std::string_view k_migration_2 = R"sql(
ALTER TABLE scans ADD COLUMN kind TEXT NOT NULL DEFAULT 'scan';
ALTER TABLE scans ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scans ADD COLUMN scope_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX scans_by_commit ON scans(commit_sha);
CREATE INDEX scans_by_branch ON scans(branch, id);
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE file_cache(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  tool_build TEXT NOT NULL,
  rules_hash TEXT NOT NULL,
  model BLOB NOT NULL,
  findings BLOB,
  last_used INTEGER NOT NULL,
  UNIQUE(path, content_hash)
);
)sql";

// Migration 3: how many files of a scan came from the incremental cache (shown by
// `cq history --format json`, checked by the tests and the benchmark).
constexpr std::string_view k_migration_3 = R"sql(
ALTER TABLE scans ADD COLUMN cached_files INTEGER NOT NULL DEFAULT 0;
)sql";

// Migration 4: the cache's blobs move to a side table, so that marking an entry used (or
// pruning) touches a small row instead of rewriting the whole model. The cached entries are
// dropped: the next scan refills them.
constexpr std::string_view k_migration_4 = R"sql(
DROP TABLE file_cache;
CREATE TABLE file_cache(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  tool_build TEXT NOT NULL,
  rules_hash TEXT NOT NULL,
  last_used INTEGER NOT NULL,
  UNIQUE(path, content_hash)
);
CREATE INDEX file_cache_by_use ON file_cache(last_used);
CREATE TABLE file_cache_data(
  id INTEGER PRIMARY KEY REFERENCES file_cache(id) ON DELETE CASCADE,
  model BLOB NOT NULL,
  findings BLOB
);
)sql";

constexpr std::string_view k_sqlite_header("SQLite format 3\0", 16);

// Test hook (used by tests/e2e/history_db_test.cpp): when CQ_TEST_WRITE_GATE names a directory,
// a scan about to write creates `ready-<pid>` there, and once it holds its write transaction
// open it creates `held-<pid>` and waits for a `release` file, so that tests can kill it or
// race another scan against it at a known point.
std::string test_gate_dir() {
    const char* dir = std::getenv("CQ_TEST_WRITE_GATE");
    return dir == nullptr ? std::string() : std::string(dir);
}

void test_gate_mark(const char* what) {
    const std::string dir = test_gate_dir();
    if (dir.empty()) {
        return;
    }
    std::ofstream mark(dir + "/" + what + "-" + std::to_string(getpid()));
    mark << "1\n";
}

void test_gate_wait() {
    const std::string dir = test_gate_dir();
    if (dir.empty()) {
        return;
    }
    test_gate_mark("held");
    std::error_code ec;
    while (!fs::exists(dir + "/release", ec)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

ScanRow read_scan_row(Statement& st) {
    ScanRow r;
    r.id = st.int64(0);
    r.meta.branch = st.text(1);
    r.meta.commit = st.text(2);
    r.meta.parent = st.text(3);
    r.meta.started_at = st.text(4);
    r.duration_ms = static_cast<std::uint64_t>(st.int64(5));
    r.meta.tool_version = st.text(6);
    r.meta.config_hash = st.text(7);
    r.files = static_cast<std::uint64_t>(st.int64(8));
    r.lines = static_cast<std::uint64_t>(st.int64(9));
    r.ncloc = static_cast<std::uint64_t>(st.int64(10));
    r.duplicated_lines = static_cast<std::uint64_t>(st.int64(11));
    r.issues = static_cast<std::uint64_t>(st.int64(12));
    r.meta.kind = st.text(13);
    r.meta.dirty = st.int64(14) != 0;
    r.meta.scope_hash = st.text(15);
    r.cached_files = static_cast<std::uint64_t>(st.int64(16));
    return r;
}

constexpr const char* k_scan_columns =
    "id, branch, commit_sha, parent_sha, started_at, duration_ms, tool_version, config_hash, files, "
    "lines, ncloc, duplicated_lines, issues, kind, dirty, scope_hash, cached_files";

std::map<std::string, std::set<std::uint32_t>> duplicated_lines_by_file(const ScanResult& scan) {
    std::map<std::string, std::set<std::uint32_t>> out;
    for (const Finding& f : scan.findings) {
        if (f.rule.rfind("duplication/", 0) != 0) {
            continue;
        }
        auto& lines = out[f.path];
        for (std::uint32_t l = f.range.start_line; l <= f.range.end_line; ++l) {
            lines.insert(l);
        }
    }
    return out;
}

}  // namespace

const std::vector<std::string_view>& migration_sql() {
    static const std::vector<std::string_view> k_migrations = {k_migration_1, k_migration_2, k_migration_3, k_migration_4};
    return k_migrations;
}

void migrate(Database& db, int target) {
    Transaction tx(db, Transaction::Kind::immediate);
    const int current = static_cast<int>(db.query_int("PRAGMA user_version"));
    for (int v = current + 1; v <= target; ++v) {
        db.exec(migration_sql()[static_cast<std::size_t>(v - 1)]);
    }
    if (target > current) {
        db.exec("PRAGMA user_version = " + std::to_string(target));
        db.exec("PRAGMA application_id = " + std::to_string(k_application_id));
    }
    tx.commit();
}

std::vector<std::string> function_keys(const FileModel& file) {
    std::vector<std::string> keys;
    std::map<std::string, int> seen;
    keys.reserve(file.functions.size());
    for (const Function& fn : file.functions) {
        const std::string base = fn.qualified_name.empty() ? fn.name : fn.qualified_name;
        const int n = ++seen[base];
        keys.push_back(n == 1 ? base : base + "#" + std::to_string(n));
    }
    return keys;
}

std::uint64_t duplicated_line_count(const ScanResult& scan, const std::string& path) {
    std::set<std::uint32_t> lines;
    for (const Finding& f : scan.findings) {
        if (f.path != path || f.rule.rfind("duplication/", 0) != 0) {
            continue;
        }
        for (std::uint32_t l = f.range.start_line; l <= f.range.end_line; ++l) {
            lines.insert(l);
        }
    }
    return lines.size();
}

void HistoryStore::fail(const DbError& e) const {
    const std::string where = "history database '" + m_path + "'";
    switch (e.code()) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        throw UsageError(where + " is corrupt or not a database (" + e.what() +
                         ")\nhint: cq never overwrites it; move it away to start a new history, or "
                         "use --db FILE or --no-history");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw UsageError(where + " stayed locked by another process for too long (" + e.what() +
                         ")\nhint: is another cq or a sqlite3 shell holding a transaction open?");
    default:
        throw UsageError("cannot use " + where + ": " + e.what() +
                         "\nhint: --db FILE chooses another file, --no-history skips the history");
    }
}

template <typename F>
auto HistoryStore::guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const DbError& e) {
        fail(e);
    }
}

std::unique_ptr<HistoryStore> HistoryStore::open(const std::string& path, Open mode) {
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (!exists && mode == Open::existing) {
        throw UsageError("no history database at '" + path +
                         "'\nhint: `cq scan` records one (--db FILE chooses another file)");
    }
    if (exists) {
        if (!fs::is_regular_file(path, ec)) {
            throw UsageError("history database '" + path + "' is not a regular file");
        }
        std::ifstream in(path, std::ios::binary);
        std::string head(16, '\0');
        in.read(head.data(), 16);
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got > 0 && (got < 16 || std::string_view(head) != k_sqlite_header)) {
            throw UsageError("'" + path + "' is not a cq history database (not an SQLite file)" +
                             "\nhint: cq never overwrites it; choose another file with --db FILE");
        }
    } else {
        const fs::path dir = fs::path(path).parent_path();
        if (!dir.empty() && !fs::exists(dir, ec)) {
            fs::create_directories(dir, ec);
            if (ec) {
                throw UsageError("cannot create the directory of history database '" + path + "': " +
                                 ec.message() + "\nhint: --db FILE chooses another file, --no-history skips it");
            }
            if (dir.filename() == ".cq") {
                // Keep the database out of `git status` without ignoring what else .cq/ may hold.
                std::ofstream ignore(dir / ".gitignore");
                ignore << "# cq's history database: keep it in a CI cache, not in git\n/"
                       << fs::path(path).filename().string() << "*\n/.gitignore\n";
            }
        }
    }

    std::unique_ptr<HistoryStore> store;
    try {
        Database db(path, Database::Access::read_write_create);
        store.reset(new HistoryStore(path, std::move(db)));
    } catch (const DbError& e) {
        HistoryStore(path, Database()).fail(e);
    }
    store->guarded([&] {
        Database& db = store->m_db;
        sqlite3_busy_timeout(db.handle(), 30000);
        // Read before writing anything: a file that is not ours must stay untouched.
        const auto app_id = static_cast<std::int32_t>(db.query_int("PRAGMA application_id"));
        const int version = static_cast<int>(db.query_int("PRAGMA user_version"));
        const auto objects = db.query_int("SELECT count(*) FROM sqlite_master");
        if (app_id != k_application_id && !(app_id == 0 && objects == 0)) {
            throw UsageError("'" + path + "' is an SQLite database of another application, not a cq "
                             "history database\nhint: cq never overwrites it; choose another file "
                             "with --db FILE");
        }
        if (version > latest_schema_version()) {
            throw UsageError("history database '" + path + "' has schema version " + std::to_string(version) +
                             ", newer than this cq knows (" + std::to_string(latest_schema_version()) +
                             ")\nhint: upgrade cq, or use --db FILE for this version");
        }
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA synchronous=NORMAL");
        db.exec("PRAGMA foreign_keys=ON");
        if (version < latest_schema_version()) {
            migrate(db, latest_schema_version());
        }
        // Touch the main tables so that a damaged file fails here, before the scan.
        db.query_int("SELECT count(*) FROM scans");
        return 0;
    });
    return store;
}

std::int64_t HistoryStore::record_scan(const ScanMeta& meta, const ScanResult& result, SqliteFileCache* cache) {
    return guarded([&] {
        std::uint64_t lines = 0;
        std::uint64_t ncloc = 0;
        for (const auto& f : result.files) {
            lines += f->lines;
            ncloc += f->ncloc;
        }
        const auto dup = duplicated_lines_by_file(result);
        std::uint64_t dup_total = 0;
        for (const auto& [p, l] : dup) {
            dup_total += l.size();
        }

        test_gate_mark("ready");
        Transaction tx(m_db, Transaction::Kind::immediate);
        Statement scan = m_db.prepare(
            "INSERT INTO scans(branch, commit_sha, parent_sha, started_at, duration_ms, tool_version, "
            "config_hash, files, lines, ncloc, duplicated_lines, issues, kind, dirty, scope_hash, cached_files) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        scan.bind(1, meta.branch).bind(2, meta.commit).bind(3, meta.parent).bind(4, meta.started_at);
        scan.bind(5, static_cast<std::int64_t>(result.duration_ms)).bind(6, meta.tool_version);
        scan.bind(7, meta.config_hash).bind(8, static_cast<std::int64_t>(result.files.size()));
        scan.bind(9, static_cast<std::int64_t>(lines)).bind(10, static_cast<std::int64_t>(ncloc));
        scan.bind(11, static_cast<std::int64_t>(dup_total));
        scan.bind(12, static_cast<std::int64_t>(result.findings.size())).bind(13, meta.kind);
        scan.bind(14, static_cast<std::int64_t>(meta.dirty ? 1 : 0)).bind(15, meta.scope_hash);
        scan.bind(16, static_cast<std::int64_t>(result.cache_hits));
        scan.run();
        const std::int64_t id = m_db.last_insert_rowid();
        test_gate_wait();

        Statement file = m_db.prepare(
            "INSERT INTO files(scan_id, path, content_hash, language, lines, ncloc) VALUES(?,?,?,?,?,?)");
        Statement metric = m_db.prepare("INSERT INTO metrics(scan_id, path, function, name, value) VALUES(?,?,?,?,?)");
        auto put_metric = [&](const std::string& path, const std::string& fn, const char* name, double value) {
            metric.bind(1, id).bind(2, path).bind(3, fn).bind(4, std::string_view(name)).bind(5, value);
            metric.run();
        };
        for (const auto& f : result.files) {
            auto hash = result.content_hashes.find(f->path);
            file.bind(1, id).bind(2, f->path);
            file.bind(3, hash == result.content_hashes.end() ? std::string() : hash->second);
            file.bind(4, language_name(f->language));
            file.bind(5, static_cast<std::int64_t>(f->lines)).bind(6, static_cast<std::int64_t>(f->ncloc));
            file.run();
            put_metric(f->path, "", "lines", f->lines);
            put_metric(f->path, "", "ncloc", f->ncloc);
            auto d = dup.find(f->path);
            put_metric(f->path, "", "duplicated_lines", d == dup.end() ? 0.0 : static_cast<double>(d->second.size()));
            const std::vector<std::string> keys = function_keys(*f);
            for (std::size_t i = 0; i < f->functions.size(); ++i) {
                const Function& fn = f->functions[i];
                put_metric(f->path, keys[i], "ncloc", fn.nloc);
                put_metric(f->path, keys[i], "cyclomatic", fn.cyclomatic);
                put_metric(f->path, keys[i], "cognitive", fn.cognitive);
            }
        }
        Statement issue = m_db.prepare(
            "INSERT INTO issues(scan_id, fingerprint, rule, severity, path, start_line, start_column, "
            "end_line, end_column, message, function) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
        for (const Finding& f : result.findings) {
            issue.bind(1, id).bind(2, f.fingerprint).bind(3, f.rule).bind(4, severity_name(f.severity));
            issue.bind(5, f.path).bind(6, static_cast<std::int64_t>(f.range.start_line));
            issue.bind(7, static_cast<std::int64_t>(f.range.start_column));
            issue.bind(8, static_cast<std::int64_t>(f.range.end_line));
            issue.bind(9, static_cast<std::int64_t>(f.range.end_column));
            issue.bind(10, f.message).bind(11, f.function);
            issue.run();
        }
        if (cache != nullptr) {
            cache->write_pending(m_db);
        }
        tx.commit();
        return id;
    });
}

void HistoryStore::flush_cache(SqliteFileCache& cache) {
    if (!cache.has_writes()) {
        return;
    }
    guarded([&] {
        Transaction tx(m_db, Transaction::Kind::immediate);
        cache.write_pending(m_db);
        tx.commit();
        return 0;
    });
}

std::optional<ScanRow> HistoryStore::find_commit_scan(const std::string& commit, const std::string& config_hash,
                                                      const std::string& scope_hash,
                                                      const std::string& tool_version) {
    if (commit.empty()) {
        return std::nullopt;
    }
    return guarded([&]() -> std::optional<ScanRow> {
        Statement st = m_db.prepare(std::string("SELECT ") + k_scan_columns +
                                    " FROM scans WHERE commit_sha = ? AND config_hash = ? AND scope_hash = ? "
                                    "AND tool_version = ? AND dirty = 0 AND scope_hash != '' ORDER BY id DESC LIMIT 1");
        st.bind(1, commit).bind(2, config_hash).bind(3, scope_hash).bind(4, tool_version);
        if (!st.step()) {
            return std::nullopt;
        }
        return read_scan_row(st);
    });
}

std::optional<ScanRow> HistoryStore::scan(std::int64_t id) {
    return guarded([&]() -> std::optional<ScanRow> {
        Statement st = m_db.prepare(std::string("SELECT ") + k_scan_columns + " FROM scans WHERE id = ?");
        st.bind(1, id);
        if (!st.step()) {
            return std::nullopt;
        }
        return read_scan_row(st);
    });
}

std::vector<ScanRow> HistoryStore::scans(const std::string& branch, bool include_baselines, std::size_t limit) {
    return guarded([&] {
        Statement st = m_db.prepare(
            std::string("SELECT ") + k_scan_columns +
            " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY branch ORDER BY id DESC) AS rn FROM scans "
            "WHERE (?1 = '' OR branch = ?1) AND (?2 != 0 OR kind = 'scan')) WHERE (?3 = 0 OR rn <= ?3) "
            "ORDER BY id");
        st.bind(1, branch).bind(2, static_cast<std::int64_t>(include_baselines ? 1 : 0));
        st.bind(3, static_cast<std::int64_t>(limit));
        std::vector<ScanRow> out;
        while (st.step()) {
            out.push_back(read_scan_row(st));
        }
        return out;
    });
}

std::vector<StoredIssue> HistoryStore::issues(std::int64_t scan_id) {
    return guarded([&] {
        Statement st = m_db.prepare(
            "SELECT fingerprint, rule, severity, path, start_line, start_column, end_line, end_column, "
            "message, function FROM issues WHERE scan_id = ? ORDER BY path, start_line, start_column, rule");
        st.bind(1, scan_id);
        std::vector<StoredIssue> out;
        while (st.step()) {
            StoredIssue i;
            i.fingerprint = st.text(0);
            i.rule = st.text(1);
            i.severity = parse_severity(st.text(2)).value_or(Severity::major);
            i.path = st.text(3);
            i.range.start_line = static_cast<std::uint32_t>(st.int64(4));
            i.range.start_column = static_cast<std::uint32_t>(st.int64(5));
            i.range.end_line = static_cast<std::uint32_t>(st.int64(6));
            i.range.end_column = static_cast<std::uint32_t>(st.int64(7));
            i.message = st.text(8);
            i.function = st.text(9);
            out.push_back(std::move(i));
        }
        return out;
    });
}

std::vector<StoredFunction> HistoryStore::functions(std::int64_t scan_id) {
    return guarded([&] {
        Statement st = m_db.prepare(
            "SELECT path, function, MAX(CASE name WHEN 'ncloc' THEN value END), "
            "MAX(CASE name WHEN 'cyclomatic' THEN value END), MAX(CASE name WHEN 'cognitive' THEN value END) "
            "FROM metrics WHERE scan_id = ? AND function != '' GROUP BY path, function ORDER BY path, function");
        st.bind(1, scan_id);
        std::vector<StoredFunction> out;
        while (st.step()) {
            StoredFunction f;
            f.path = st.text(0);
            f.key = st.text(1);
            f.ncloc = static_cast<std::uint64_t>(st.real(2));
            f.cyclomatic = static_cast<std::uint64_t>(st.real(3));
            f.cognitive = static_cast<std::uint64_t>(st.real(4));
            out.push_back(std::move(f));
        }
        return out;
    });
}

}  // namespace cq::history
