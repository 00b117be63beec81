// The history database: recording, reading back, migrations from the oldest schema, and files
// that are not ours (never modified, always a UsageError).
#include <gtest/gtest.h>

#include <sqlite3.h>

#include "history/file_cache.hpp"
#include "history/store.hpp"
#include "history/trends.hpp"
#include "tests/unit/history/history_test_support.hpp"

namespace {

using namespace cq;
using cq::test::TempDir;

history::ScanMeta meta(const std::string& branch, const std::string& commit) {
    history::ScanMeta m;
    m.branch = branch;
    m.commit = commit;
    m.parent = "p-" + commit;
    m.started_at = "2026-01-01T00:00:00Z";
    m.tool_version = "0.1.0";
    m.config_hash = "cfg";
    m.scope_hash = "scope";
    return m;
}

template <typename F>
std::string usage_error(F&& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Store, RecordsAScanAndReadsItBack) {
    TempDir dir;
    auto store = history::HistoryStore::open(dir / ".cq/history.db", history::HistoryStore::Open::create);
    EXPECT_TRUE(std::filesystem::exists(dir / ".cq/.gitignore"));
    ScanResult scan = test::fake_scan("a.py", 12,
                                      {test::fake_finding("complexity/cyclomatic", Severity::major, "a.py", 1, "f1"),
                                       test::fake_finding("duplication/block", Severity::minor, "a.py", 3, "f2")});
    scan.findings[1].range.end_line = 6;  // 4 duplicated lines
    const auto id = store->record_scan(meta("main", "c1"), scan, nullptr);
    EXPECT_GT(id, 0);

    auto row = store->scan(id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->meta.branch, "main");
    EXPECT_EQ(row->meta.commit, "c1");
    EXPECT_EQ(row->meta.parent, "p-c1");
    EXPECT_EQ(row->meta.kind, "scan");
    EXPECT_EQ(row->files, 1u);
    EXPECT_EQ(row->lines, 10u);
    EXPECT_EQ(row->ncloc, 8u);
    EXPECT_EQ(row->duplicated_lines, 4u);
    EXPECT_EQ(row->issues, 2u);
    EXPECT_EQ(row->duration_ms, 12u);

    auto issues = store->issues(id);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].fingerprint, "f1");
    EXPECT_EQ(issues[0].severity, Severity::major);
    EXPECT_EQ(issues[1].range.end_line, 6u);

    auto fns = store->functions(id);
    ASSERT_EQ(fns.size(), 1u);
    EXPECT_EQ(fns[0].key, "handle");
    EXPECT_EQ(fns[0].cyclomatic, 12u);
    EXPECT_EQ(fns[0].cognitive, 24u);
    EXPECT_EQ(fns[0].ncloc, 8u);

    EXPECT_TRUE(store->find_commit_scan("c1", "cfg", "scope", "0.1.0"));
    EXPECT_FALSE(store->find_commit_scan("c1", "other-cfg", "scope", "0.1.0"));
    EXPECT_FALSE(store->find_commit_scan("c1", "cfg", "scope", "0.2.0"));
    auto dirty = meta("main", "c2");
    dirty.dirty = true;
    store->record_scan(dirty, scan, nullptr);
    EXPECT_FALSE(store->find_commit_scan("c2", "cfg", "scope", "0.1.0")) << "a dirty scan is not a baseline";
}

TEST(Store, TrendsPerBranch) {
    TempDir dir;
    const std::string db = dir / "h.db";
    EXPECT_TRUE(history::load_trends(db).empty()) << "no database yet: no trend, no error";
    {
        auto store = history::HistoryStore::open(db, history::HistoryStore::Open::create);
        store->record_scan(meta("main", "c1"), test::fake_scan("a.py", 3, {}), nullptr);
        store->record_scan(
            meta("main", "c2"),
            test::fake_scan("a.py", 12,
                            {test::fake_finding("complexity/cyclomatic", Severity::major, "a.py", 1, "f1"),
                             test::fake_finding("complexity/cognitive", Severity::critical, "a.py", 1, "f2"),
                             test::fake_finding("security/sql", Severity::blocker, "a.py", 5, "f3")}),
            nullptr);
        store->record_scan(meta("feature", "c3"), test::fake_scan("a.py", 3, {}), nullptr);
        auto base = meta("", "c0");
        base.kind = "baseline";
        store->record_scan(base, test::fake_scan("a.py", 3, {}), nullptr);
    }
    auto main = history::load_trends(db, "main");
    ASSERT_EQ(main.size(), 2u);
    EXPECT_EQ(main[0].commit, "c1");
    EXPECT_EQ(main[1].issues, 3u);
    EXPECT_EQ(main[1].issues_by_severity[static_cast<int>(Severity::major)], 1u);
    EXPECT_EQ(main[1].issues_by_severity[static_cast<int>(Severity::critical)], 1u);
    EXPECT_EQ(main[1].issues_by_severity[static_cast<int>(Severity::blocker)], 1u);
    EXPECT_EQ(main[1].functions_over_threshold, 1u) << "two complexity findings, one function";
    EXPECT_EQ(main[1].ncloc, 8u);
    EXPECT_EQ(history::load_trends(db).size(), 3u) << "baselines are not trend points";
    EXPECT_EQ(history::load_trends(db, "", 1).size(), 2u) << "the newest scan of each branch";
    auto store = history::HistoryStore::open(db, history::HistoryStore::Open::existing);
    auto trends = history::scan_trends(*store, "main", 0);
    EXPECT_EQ(trends[1].by_category["complexity"], 2u);
    EXPECT_EQ(trends[1].by_category["security"], 1u);
}

TEST(Store, MigratesADatabaseMadeByTheOldestSchema) {
    TempDir dir;
    const std::string db = dir / "old.db";
    {
        // What the first release wrote: schema 1 only.
        history::Database raw(db, history::Database::Access::read_write_create);
        history::migrate(raw, 1);
        EXPECT_EQ(raw.query_int("PRAGMA user_version"), 1);
        raw.exec("INSERT INTO scans(branch, commit_sha, parent_sha, started_at, duration_ms, tool_version, "
                 "config_hash, files, lines, ncloc, duplicated_lines, issues) VALUES('main', 'old1', '', "
                 "'2025-01-01T00:00:00Z', 5, '0.0.9', 'cfg', 1, 10, 8, 0, 1)");
        raw.exec("INSERT INTO issues VALUES(1, 'fp-old', 'complexity/cyclomatic', 'major', 'a.py', 1, 1, 1, 5, "
                 "'old issue', 'handle')");
        raw.exec("INSERT INTO metrics VALUES(1, 'a.py', 'handle', 'cyclomatic', 11)");
    }
    auto store = history::HistoryStore::open(db, history::HistoryStore::Open::existing);
    EXPECT_EQ(store->db().query_int("PRAGMA user_version"), history::latest_schema_version());
    EXPECT_EQ(store->db().query_int("PRAGMA application_id"), history::k_application_id);
    auto old = store->scan(1);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->meta.commit, "old1");
    EXPECT_EQ(old->meta.kind, "scan");
    EXPECT_EQ(old->meta.scope_hash, "");
    EXPECT_EQ(store->issues(1).at(0).fingerprint, "fp-old");
    EXPECT_EQ(store->functions(1).at(0).cyclomatic, 11u);
    EXPECT_FALSE(store->find_commit_scan("old1", "cfg", "", "0.0.9"))
        << "a scan of unknown scope is never a gate baseline";
    // And the migrated database takes new scans and cache entries.
    const auto id = store->record_scan(meta("main", "new1"), test::fake_scan("a.py", 3, {}), nullptr);
    EXPECT_EQ(id, 2);
    EXPECT_EQ(history::load_trends(db, "main").size(), 2u);
    EXPECT_EQ(store->db().query_text("PRAGMA journal_mode"), "wal");
}

TEST(Store, RefusesFilesThatAreNotCqHistoryAndLeavesThemAlone) {
    TempDir dir;
    // Not SQLite at all.
    const std::string text = dir / "notes.txt";
    test::write_bytes(text, "these are my notes, not a database\n");
    auto msg = usage_error([&] { history::HistoryStore::open(text, history::HistoryStore::Open::create); });
    EXPECT_NE(msg.find("not a cq history database"), std::string::npos) << msg;
    EXPECT_EQ(test::read_bytes(text), "these are my notes, not a database\n");

    // Another application's SQLite database.
    const std::string foreign = dir / "other.sqlite";
    {
        history::Database raw(foreign, history::Database::Access::read_write_create);
        raw.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES('x')");
    }
    const std::string before = test::read_bytes(foreign);
    msg = usage_error([&] { history::HistoryStore::open(foreign, history::HistoryStore::Open::create); });
    EXPECT_NE(msg.find("another application"), std::string::npos) << msg;
    EXPECT_EQ(test::read_bytes(foreign), before);

    // A cq database from a newer cq.
    const std::string newer = dir / "newer.db";
    {
        auto store = history::HistoryStore::open(newer, history::HistoryStore::Open::create);
        store->db().exec("PRAGMA user_version = 999");
    }
    msg = usage_error([&] { history::HistoryStore::open(newer, history::HistoryStore::Open::create); });
    EXPECT_NE(msg.find("newer than this cq"), std::string::npos) << msg;

    // Missing, when it must exist.
    msg = usage_error([&] { history::HistoryStore::open(dir / "missing.db", history::HistoryStore::Open::existing); });
    EXPECT_NE(msg.find("no history database"), std::string::npos) << msg;
    EXPECT_FALSE(std::filesystem::exists(dir / "missing.db"));
}

TEST(Store, CorruptDatabaseIsAUsageErrorAndStaysUntouched) {
    TempDir dir;
    const std::string db = dir / "h.db";
    {
        auto store = history::HistoryStore::open(db, history::HistoryStore::Open::create);
        for (int i = 0; i < 20; ++i) {
            store->record_scan(meta("main", "c" + std::to_string(i)),
                               test::fake_scan("a.py", 3, {test::fake_finding("complexity/cyclomatic", Severity::major,
                                                                             "a.py", 1, "f")}),
                               nullptr);
        }
        store->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string bytes = test::read_bytes(db);
    ASSERT_GT(bytes.size(), 8192u);
    // Keep the header, scribble over the schema page and the next ones.
    for (std::size_t i = 100; i < 8192; ++i) {
        bytes[i] = static_cast<char>((i * 7919) & 0xff);
    }
    test::write_bytes(db, bytes);
    auto msg = usage_error([&] {
        auto store = history::HistoryStore::open(db, history::HistoryStore::Open::create);
        store->record_scan(meta("main", "x"), test::fake_scan("a.py", 3, {}), nullptr);
    });
    EXPECT_NE(msg.find("corrupt"), std::string::npos) << msg;
    EXPECT_EQ(test::read_bytes(db), bytes);
}

TEST(Store, OneTransactionPerScan) {
    TempDir dir;
    const std::string db = dir / "h.db";
    auto store = history::HistoryStore::open(db, history::HistoryStore::Open::create);
    ScanResult scan = test::fake_scan("a.py", 3, {test::fake_finding("complexity/cyclomatic", Severity::major, "a.py", 1, "f")});
    // A failure in the middle of the write (the issues table is gone) leaves nothing behind.
    store->db().exec("ALTER TABLE issues RENAME TO issues_gone");
    EXPECT_THROW(store->record_scan(meta("main", "c1"), scan, nullptr), UsageError);
    store->db().exec("ALTER TABLE issues_gone RENAME TO issues");
    EXPECT_EQ(store->db().query_int("SELECT count(*) FROM scans"), 0);
    EXPECT_EQ(store->db().query_int("SELECT count(*) FROM files"), 0);
    EXPECT_EQ(store->db().query_int("SELECT count(*) FROM metrics"), 0);
}

TEST(Store, FileCacheKeepsModelsAndFindingsPerContentAndRules) {
    TempDir dir;
    auto store = history::HistoryStore::open(dir / "h.db", history::HistoryStore::Open::create);
    FileModel model;
    model.path = "a.py";
    model.lines = 3;
    model.functions.push_back(Function{});
    model.functions[0].name = "f";
    const std::vector<Finding> findings = {test::fake_finding("complexity/cyclomatic", Severity::major, "a.py", 1, "")};
    {
        history::SqliteFileCache cache(*store, "build-1", "rules-1");
        std::string src = "def f(): pass\n";
        EXPECT_FALSE(cache.load("a.py", "h1", src).model);
        cache.store(model, "h1", &findings);
        store->flush_cache(cache);
    }
    {
        history::SqliteFileCache cache(*store, "build-1", "rules-1");
        std::string src = "def f(): pass\n";
        auto hit = cache.load("a.py", "h1", src);
        ASSERT_TRUE(hit.model);
        EXPECT_EQ(hit.model->source, "def f(): pass\n");
        EXPECT_EQ(hit.model->functions.at(0).name, "f");
        ASSERT_TRUE(hit.findings);
        EXPECT_EQ(hit.findings->size(), 1u);
        std::string other = "x";
        EXPECT_FALSE(cache.load("a.py", "h2", other).model) << "other content";
        EXPECT_EQ(other, "x") << "a miss leaves the source alone";
        EXPECT_FALSE(cache.load("b.py", "h1", other).model) << "other path";
    }
    {
        history::SqliteFileCache cache(*store, "build-1", "rules-2");
        std::string src = "def f(): pass\n";
        auto hit = cache.load("a.py", "h1", src);
        EXPECT_TRUE(hit.model) << "the model does not depend on the rules";
        EXPECT_FALSE(hit.findings) << "the findings do";
    }
    {
        history::SqliteFileCache cache(*store, "build-2", "rules-1");
        std::string src = "def f(): pass\n";
        EXPECT_FALSE(cache.load("a.py", "h1", src).model) << "another build of cq";
        EXPECT_FALSE(cache.has_writes());
    }
    // The next cache write prunes other builds' entries (their data goes with them).
    FileModel other = model;
    other.path = "b.py";
    {
        history::SqliteFileCache cache(*store, "build-2", "rules-1");
        cache.store(other, "hb", nullptr);
        store->flush_cache(cache);
    }
    EXPECT_EQ(store->db().query_int("SELECT count(*) FROM file_cache WHERE tool_build = 'build-1'"), 0);
    EXPECT_EQ(store->db().query_int("SELECT count(*) FROM file_cache"), 1);
    EXPECT_EQ(store->db().query_int("SELECT count(*) FROM file_cache_data"), 1);
}
