// The history database end to end: what a scan records, `cq history`, concurrent scans, a scan
// killed in its write transaction, files that are not cq history, incremental reuse, and the
// --staged / --changed-since focus.
#include <gtest/gtest.h>

#include <set>

#include "history/sqlite_db.hpp"
#include "tests/e2e/history_support.hpp"

namespace {

using namespace cq::test;

const std::string k_rules = "--rules complexity/cyclomatic --set complexity/cyclomatic.threshold=1";

// Everything a scan can change in the database, as one comparable string.
std::string db_state(const std::string& db) {
    cq::history::Database d(db, cq::history::Database::Access::read_only);
    std::string s;
    for (const char* q : {"SELECT group_concat(id || ':' || commit_sha || ':' || issues, ',') FROM scans",
                          "SELECT count(*) FROM files", "SELECT count(*) FROM issues", "SELECT count(*) FROM metrics",
                          "SELECT count(*) FROM file_cache", "SELECT group_concat(value) FROM meta"}) {
        s += d.query_text(q) + "|";
    }
    return s;
}

std::int64_t scan_count(const std::string& db) {
    cq::history::Database d(db, cq::history::Database::Access::read_only);
    return d.query_int("SELECT count(*) FROM scans");
}

void make_project(const TempRepo& repo, int files) {
    for (int i = 0; i < files; ++i) {
        repo.write("pkg/mod" + std::to_string(i) + ".py", py_function("handler" + std::to_string(i), i % 3));
    }
    repo.commit("project");
}

}  // namespace

TEST(HistoryDb, ScanRecordsBranchCommitFilesIssuesAndMetrics) {
    TempRepo repo;
    make_project(repo, 4);
    auto r = cq_run("scan -q " + k_rules + " --format json", repo.path());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string db = repo / ".cq/history.db";
    ASSERT_TRUE(std::filesystem::exists(db));
    EXPECT_EQ(repo.git("status --porcelain").out, "") << "the database stays out of git status";

    cq::history::Database d(db, cq::history::Database::Access::read_only);
    EXPECT_EQ(d.query_text("SELECT branch FROM scans"), "main");
    EXPECT_EQ(d.query_text("SELECT commit_sha FROM scans"), repo.head());
    EXPECT_EQ(d.query_text("SELECT tool_version FROM scans"), json_of(r)["tool"]["version"].get<std::string>());
    EXPECT_EQ(d.query_int("SELECT dirty FROM scans"), 0);
    EXPECT_EQ(d.query_int("SELECT count(*) FROM files WHERE length(content_hash) = 24"), 4);
    EXPECT_EQ(d.query_int("SELECT count(*) FROM issues"), static_cast<std::int64_t>(json_of(r)["issues"].size()));
    EXPECT_EQ(d.query_int("SELECT value FROM metrics WHERE path = 'pkg/mod2.py' AND function = 'handler2' AND "
                          "name = 'cyclomatic'"),
              3);
    EXPECT_GT(d.query_int("SELECT value FROM metrics WHERE path = 'pkg/mod2.py' AND function = '' AND name = 'ncloc'"), 0);
    EXPECT_EQ(d.query_int("SELECT count(*) FROM metrics WHERE function = '' AND name = 'duplicated_lines'"), 4);

    // Overrides and local changes.
    repo.write("pkg/mod0.py", py_function("handler0", 2));
    ASSERT_EQ(cq_run("scan -q " + k_rules + " --branch release/1.2 --format json", repo.path()).exit_code, 0);
    EXPECT_EQ(d.query_text("SELECT branch FROM scans WHERE id = 2"), "release/1.2");
    EXPECT_EQ(d.query_int("SELECT dirty FROM scans WHERE id = 2"), 1);
    ASSERT_EQ(cq_run("scan -q --commit deadbeef --format json", repo.path()).exit_code, 0);
    EXPECT_EQ(d.query_text("SELECT commit_sha FROM scans WHERE id = 3"), "deadbeef");

    // --no-history touches nothing; --db chooses the file.
    const std::string before = db_state(db);
    ASSERT_EQ(cq_run("scan -q --no-history", repo.path()).exit_code, 0);
    EXPECT_EQ(db_state(db), before);
    ASSERT_EQ(cq_run("scan -q --db other.db", repo.path()).exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(repo / "other.db"));
    EXPECT_EQ(db_state(db), before);
}

TEST(HistoryDb, HistoryCommandListsScansPerBranchWithTrends) {
    TempRepo repo;
    make_project(repo, 3);
    ASSERT_EQ(cq_run("scan -q " + k_rules, repo.path()).exit_code, 0);
    repo.write("pkg/extra.py", py_function("extra", 4));
    repo.commit("more");
    ASSERT_EQ(cq_run("scan -q " + k_rules, repo.path()).exit_code, 0);
    repo.git("checkout -q -b feature");
    ASSERT_EQ(cq_run("scan -q " + k_rules, repo.path()).exit_code, 0);

    auto text = cq_run("history", repo.path());
    ASSERT_EQ(text.exit_code, 0) << text.out;
    EXPECT_NE(text.out.find("branch main: 2 scan(s)"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("branch feature: 1 scan(s)"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("trend #1 -> #2: issues 2 -> 3 (+1)"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("issues by category in #2: complexity 3"), std::string::npos) << text.out;

    auto j = json_of(cq_run("history --format json --branch main", repo.path()));
    ASSERT_EQ(j["branches"].size(), 1u);
    const auto& scans = j["branches"][0]["scans"];
    ASSERT_EQ(scans.size(), 2u);
    EXPECT_EQ(scans[1]["issues"], 3);
    EXPECT_EQ(scans[1]["issues_by_severity"]["major"], 3);
    EXPECT_EQ(scans[1]["issues_by_category"]["complexity"], 3);
    EXPECT_EQ(scans[1]["functions_over_threshold"], 3);
    EXPECT_GT(scans[1]["ncloc"].get<int>(), scans[0]["ncloc"].get<int>());
    EXPECT_TRUE(scans[1].contains("duplication_density"));

    EXPECT_EQ(cq_run("history --db nowhere.db 2>/dev/null", repo.path()).exit_code, 2);
}

TEST(HistoryDb, TwoScansWritingAtOnceBothLand) {
    TempRepo repo;
    make_project(repo, 5);
    const std::string db = repo / ".cq/history.db";
    ASSERT_EQ(cq_run("scan -q", repo.path()).exit_code, 0);
    const std::string gate = repo / "gate";
    std::filesystem::create_directories(gate);

    // A takes the write lock and holds it; B scans, reaches its write and must wait for A.
    const pid_t a = spawn_cq({"scan", "-q"}, repo.path(), {{"CQ_TEST_WRITE_GATE", gate}});
    ASSERT_TRUE(wait_for_file(gate + "/held-" + std::to_string(a)));
    const pid_t b = spawn_cq({"scan", "-q"}, repo.path(), {{"CQ_TEST_WRITE_GATE", gate}});
    ASSERT_TRUE(wait_for_file(gate + "/ready-" + std::to_string(b)));
    EXPECT_FALSE(std::filesystem::exists(gate + "/held-" + std::to_string(b)))
        << "two scans inside their write transactions at once";
    write_file(gate + "/release", "");
    EXPECT_EQ(wait_exit(a), 0);
    EXPECT_EQ(wait_exit(b), 0);
    EXPECT_EQ(scan_count(db), 3);

    // And a crowd without any hook.
    std::vector<pid_t> crowd;
    for (int i = 0; i < 4; ++i) {
        crowd.push_back(spawn_cq({"scan", "-q"}, repo.path(), {}));
    }
    for (pid_t p : crowd) {
        EXPECT_EQ(wait_exit(p), 0);
    }
    EXPECT_EQ(scan_count(db), 7);
    cq::history::Database d(db, cq::history::Database::Access::read_only);
    EXPECT_EQ(d.query_text("PRAGMA integrity_check"), "ok");
}

TEST(HistoryDb, ScanKilledInItsTransactionLeavesTheDatabaseAsItWas) {
    TempRepo repo;
    make_project(repo, 5);
    const std::string db = repo / ".cq/history.db";
    ASSERT_EQ(cq_run("scan -q " + k_rules, repo.path()).exit_code, 0);
    const std::string before = db_state(db);
    const std::string gate = repo / "gate";
    std::filesystem::create_directories(gate);
    repo.write("pkg/new.py", py_function("fresh", 3));  // new rows for the killed scan to write

    const pid_t pid = spawn_cq({"scan", "-q", "--rules", "complexity/cyclomatic", "--set",
                                "complexity/cyclomatic.threshold=1"},
                               repo.path(), {{"CQ_TEST_WRITE_GATE", gate}});
    ASSERT_TRUE(wait_for_file(gate + "/held-" + std::to_string(pid)));
    kill(pid, SIGKILL);
    EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);

    EXPECT_EQ(db_state(db), before);
    {
        cq::history::Database d(db, cq::history::Database::Access::read_write);
        EXPECT_EQ(d.query_text("PRAGMA integrity_check"), "ok");
    }
    ASSERT_EQ(cq_run("scan -q " + k_rules, repo.path()).exit_code, 0);
    EXPECT_EQ(scan_count(db), 2);
}

TEST(HistoryDb, FilesThatAreNotCqHistoryExitTwoAndStayUntouched) {
    TempRepo repo;
    make_project(repo, 2);
    // A text file, another application's SQLite database, a corrupt cq database.
    repo.write("notes.db", "not a database at all\n");
    ASSERT_EQ(sh("python3 -c \"import sqlite3; c = sqlite3.connect('app.db'); "
                 "c.execute('CREATE TABLE users(id INTEGER, name TEXT)'); c.commit()\"",
                 repo.path())
                  .exit_code,
              0);
    for (int i = 0; i < 15; ++i) {
        ASSERT_EQ(cq_run("scan -q --db cq.db", repo.path()).exit_code, 0);
    }
    std::string cqdb = read_file(repo / "cq.db");
    ASSERT_GT(cqdb.size(), 8192u);
    for (std::size_t i = 100; i < 8192; ++i) {
        cqdb[i] = static_cast<char>(i * 31);
    }
    write_file(repo / "cq.db", cqdb);

    const std::vector<std::pair<std::string, std::string>> cases = {
        {"notes.db", "not a cq history database"}, {"app.db", "another application"}, {"cq.db", "corrupt"}};
    for (const auto& [file, message] : cases) {
        const std::string bytes = read_file(repo / file);
        for (const std::string& cmd : {"scan -q --db " + file, "history --db " + file, "gate --db " + file}) {
            auto r = cq_run(cmd + " 2>&1", repo.path());
            EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.out;
            EXPECT_NE(r.out.find(message), std::string::npos) << cmd << ": " << r.out;
            EXPECT_NE(r.out.find("hint:"), std::string::npos) << r.out;
        }
        EXPECT_EQ(read_file(repo / file), bytes) << file << " was modified";
    }
    // The default location gets the same treatment.
    write_file(repo / ".cq/history.db", "junk");
    auto r = cq_run("scan -q 2>&1", repo.path());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_EQ(read_file(repo / ".cq/history.db"), "junk");
}

TEST(HistoryDb, UnchangedFilesReuseStoredResultsWithIdenticalOutput) {
    // The samples exercise every rule, including the project-wide ones (duplication, hot paths).
    TempRepo repo(false);
    std::filesystem::copy(std::string(CQ_SOURCE_DIR) + "/samples", repo.path() + "/samples",
                          std::filesystem::copy_options::recursive);
    auto strip = [](nlohmann::json j) {
        j["summary"].erase("duration_ms");
        return j;
    };
    const auto cold = strip(json_of(cq_run("scan samples -q --no-history --format json", repo.path())));
    const auto first = strip(json_of(cq_run("scan samples -q --format json", repo.path())));
    const auto warm = strip(json_of(cq_run("scan samples -q --format json", repo.path())));
    EXPECT_EQ(first, cold);
    EXPECT_EQ(warm, cold) << "results rebuilt from the cache differ from a fresh scan";
    ASSERT_GT(cold["files"].size(), 5u);

    auto h = json_of(cq_run("history --format json", repo.path()));
    const auto& scans = h["branches"][0]["scans"];
    ASSERT_EQ(scans.size(), 2u);
    EXPECT_EQ(scans[0]["cached_files"], 0);
    // C/C++ files analyzed through a compilation database are re-analyzed every time: their
    // model depends on headers the cache key does not cover.
    int libclang_files = 0;
    for (const auto& f : cold["files"]) {
        libclang_files += f["front_end"] == "libclang" ? 1 : 0;
    }
    EXPECT_EQ(scans[1]["cached_files"].get<int>() + libclang_files, scans[1]["files"].get<int>())
        << "every unchanged file without a compile command came from the cache";

    // Another rule selection reuses the models but not the findings.
    const auto other = strip(json_of(cq_run("scan samples -q --format json --set complexity/cognitive.threshold=3",
                                        repo.path())));
    const auto other_cold = strip(json_of(cq_run("scan samples -q --no-history --format json "
                                             "--set complexity/cognitive.threshold=3",
                                             repo.path())));
    EXPECT_EQ(other, other_cold);
    EXPECT_NE(other["issues"].size(), cold["issues"].size());
}

TEST(HistoryDb, ChangedSinceAndStagedReportOnlyThoseFiles) {
    TempRepo repo;
    make_project(repo, 6);
    const std::string base = repo.head();
    ASSERT_EQ(cq_run("scan -q " + k_rules, repo.path()).exit_code, 0);
    const auto scans_before = scan_count(repo / ".cq/history.db");

    repo.write("pkg/mod1.py", py_function("handler1", 5));
    auto r = cq_run("scan -q " + k_rules + " --changed-since " + base + " --format json", repo.path());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto j = json_of(r);
    ASSERT_EQ(j["files"].size(), 1u);
    EXPECT_EQ(j["files"][0]["path"], "pkg/mod1.py");
    ASSERT_EQ(j["issues"].size(), 1u);
    EXPECT_EQ(j["issues"][0]["path"], "pkg/mod1.py");
    EXPECT_EQ(scan_count(repo / ".cq/history.db"), scans_before) << "a focus scan is not recorded";

    // --staged scans the staged content, not the work tree's.
    repo.git("add pkg/mod1.py");
    repo.write("pkg/mod1.py", py_function("handler1", 0));
    repo.write("pkg/untracked.py", py_function("loose", 3));
    j = json_of(cq_run("scan -q " + k_rules + " --staged --format json", repo.path()));
    ASSERT_EQ(j["files"].size(), 1u);
    EXPECT_EQ(j["files"][0]["path"], "pkg/mod1.py");
    ASSERT_EQ(j["issues"].size(), 1u);
    EXPECT_NE(j["issues"][0]["message"].get<std::string>().find("is 6"), std::string::npos) << j["issues"][0];

    // Untracked files count as changed.
    j = json_of(cq_run("scan -q " + k_rules + " --changed-since HEAD --format json", repo.path()));
    std::set<std::string> paths;
    for (const auto& f : j["files"]) {
        paths.insert(f["path"].get<std::string>());
    }
    EXPECT_EQ(paths, (std::set<std::string>{"pkg/mod1.py", "pkg/untracked.py"}));

    EXPECT_EQ(cq_run("scan -q --changed-since no-such-ref 2>/dev/null", repo.path()).exit_code, 2);
    EXPECT_EQ(cq_run("scan -q --staged --changed-since HEAD 2>/dev/null", repo.path()).exit_code, 2);
    TempRepo plain(false);
    plain.write("a.py", "x = 1\n");
    EXPECT_EQ(cq_run("scan -q --staged 2>/dev/null", plain.path()).exit_code, 2);
}
