// cq gate on real git repositories: branch and pull-request modes, baselines from the history or
// from a temporary worktree (then cached), worsened functions, duplication, outputs and usage.
#include <gtest/gtest.h>

#include "history/sqlite_db.hpp"
#include "tests/e2e/history_support.hpp"

namespace {

using namespace cq::test;

const std::string k_rules = "--rules complexity/cyclomatic --set complexity/cyclomatic.threshold=3 -q";

void start_project(const TempRepo& repo) {
    repo.write("svc/legacy.py", py_function("legacy", 5));  // an old issue
    repo.write("svc/simple.py", py_function("simple", 1));
    repo.commit("start");
}

int worktree_count(const TempRepo& repo) {
    const std::string list = repo.git("worktree list --porcelain").out;
    int n = 0;
    for (std::size_t p = list.find("worktree "); p != std::string::npos; p = list.find("worktree ", p + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST(Gate, BranchModeFailsOnNewIssuesOnlyAndCachesItsBaseline) {
    TempRepo repo;
    start_project(repo);
    repo.git("checkout -q -b feature");
    repo.write("svc/simple.py", py_function("simple", 1) + "\n\n" + py_function("fresh", 4));
    repo.commit("fresh");

    // main was never scanned: the merge-base is scanned in a temporary worktree.
    auto r = cq_run("gate --base main " + k_rules, repo.path());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("cq gate: FAILED"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("temporary worktree"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("svc/simple.py:7:5: major: Cyclomatic complexity of 'fresh'"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("'legacy'"), std::string::npos) << "the old issue is not new: " << r.out;
    EXPECT_EQ(worktree_count(repo), 1) << "the temporary worktree is gone";
    {
        cq::history::Database db(repo / ".cq/history.db", cq::history::Database::Access::read_only);
        EXPECT_EQ(db.query_text("SELECT commit_sha FROM scans WHERE kind = 'baseline'"),
                  repo.git("rev-parse main").out.substr(0, 40));
        EXPECT_EQ(db.query_int("SELECT cached_files FROM scans WHERE kind = 'baseline'"), 1)
            << "svc/legacy.py did not change: the baseline scan takes it from the cache";
    }

    // The second run takes the baseline from the history.
    r = cq_run("gate --base main " + k_rules + " --format json", repo.path());
    EXPECT_EQ(r.exit_code, 1);
    const auto j = json_of(r);
    EXPECT_FALSE(j["passed"].get<bool>());
    EXPECT_EQ(j["mode"], "branch");
    EXPECT_NE(j["baseline"]["source"].get<std::string>().find("history scan #"), std::string::npos) << j["baseline"];
    ASSERT_EQ(j["new_issues"].size(), 1u);
    EXPECT_EQ(j["new_issues"][0]["function"], "fresh");

    // Fixing it passes, and the old issue is still not counted.
    repo.write("svc/simple.py", py_function("simple", 1) + "\n\n" + py_function("fresh", 1));
    repo.commit("fix");
    r = cq_run("gate --base main " + k_rules, repo.path());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("cq gate: PASSED"), std::string::npos) << r.out;

    // A scan of main recorded by `cq scan` is a baseline too (the newest one is taken).
    repo.git("checkout -q main");
    ASSERT_EQ(cq_run("scan " + k_rules, repo.path()).exit_code, 0);
    const auto scans = json_of(cq_run("history --format json --branch main", repo.path()))["branches"][0]["scans"];
    const std::string id = std::to_string(scans.back()["id"].get<int>());
    repo.git("checkout -q feature");
    r = cq_run("gate --base main " + k_rules, repo.path());
    EXPECT_NE(r.out.find("history scan #" + id + " "), std::string::npos) << r.out;
}

TEST(Gate, WorsenedFunctionFailsWithoutANewIssue) {
    TempRepo repo;
    start_project(repo);
    ASSERT_EQ(cq_run("scan " + k_rules, repo.path()).exit_code, 0);  // main in the history
    repo.git("checkout -q -b feature");
    repo.write("svc/legacy.py", py_function("legacy", 7));
    repo.commit("worse");
    auto r = cq_run("gate --base main " + k_rules + " --format json", repo.path());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto j = json_of(r);
    EXPECT_EQ(j["new_issues"].size(), 0u) << "same function, same fingerprint";
    ASSERT_EQ(j["complex_functions"].size(), 1u);
    EXPECT_EQ(j["complex_functions"][0]["function"], "legacy");
    EXPECT_EQ(j["complex_functions"][0]["cyclomatic"], 8);
    EXPECT_EQ(j["complex_functions"][0]["base_cyclomatic"], 6);
    EXPECT_EQ(cq_run("gate --base main --no-complexity-condition " + k_rules, repo.path()).exit_code, 0);
}

TEST(Gate, PullRequestModeCountsChangedLinesMinusTheTargetsIssues) {
    TempRepo repo;
    start_project(repo);
    repo.git("checkout -q -b feature");
    // A new issue on changed lines, and the same complex helper main is about to get.
    repo.write("svc/new.py", py_function("brand_new", 4));
    repo.write("svc/shared.py", py_function("shared", 4));
    repo.commit("feature work");
    repo.git("checkout -q main");
    repo.write("svc/shared.py", py_function("shared", 4));
    repo.commit("same helper on main");
    repo.git("checkout -q feature");

    auto branch = json_of(cq_run("gate --base main " + k_rules + " --format json", repo.path()));
    EXPECT_EQ(branch["new_issues"].size(), 2u) << "branch mode: both are new since the merge-base";

    auto r = cq_run("gate --pr --base main " + k_rules + " --format json", repo.path());
    EXPECT_EQ(r.exit_code, 1);
    auto pr = json_of(r);
    EXPECT_EQ(pr["mode"], "pull-request");
    ASSERT_EQ(pr["new_issues"].size(), 1u) << pr.dump(2);
    EXPECT_EQ(pr["new_issues"][0]["function"], "brand_new");
    EXPECT_FALSE(pr["target"].is_null());

    // Markdown for the pull-request comment, with links from the CI's environment.
    r = cq_run("gate --pr --base main " + k_rules + " --format markdown", repo.path(),
               "GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/svc GITHUB_SHA=abc123");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("## cq quality gate: ❌ Failed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| Condition | Actual | Threshold | Status |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[svc/new.py:1](https://github.com/acme/svc/blob/abc123/svc/new.py#L1)"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("### Fixed issues (0)"), std::string::npos) << r.out;
}

TEST(Gate, PullRequestModeIgnoresUntouchedOldCodeAndListsFixedIssues) {
    TempRepo repo;
    start_project(repo);
    repo.git("checkout -q -b feature");
    repo.write("svc/legacy.py", py_function("legacy", 1));  // fixes the old issue
    repo.commit("fix legacy");
    auto r = cq_run("gate --pr --base main " + k_rules + " --format json", repo.path());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    auto j = json_of(r);
    ASSERT_EQ(j["fixed_issues"].size(), 1u);
    EXPECT_EQ(j["fixed_issues"][0]["function"], "legacy");
}

TEST(Gate, NewDuplicationOverThreePercentFails) {
    TempRepo repo;
    std::string body;
    for (int i = 0; i < 30; ++i) {
        body += "    total = total + compute_" + std::to_string(i) + "(items[" + std::to_string(i) +
                "], weights[" + std::to_string(i) + "])\n";
    }
    repo.write("svc/report.py", "def build(items, weights):\n    total = 0\n" + body + "    return total\n");
    repo.commit("start");
    repo.git("checkout -q -b feature");
    repo.write("svc/copy.py", "def build_again(items, weights):\n    total = 0\n" + body + "    return total\n");
    repo.commit("copy");
    auto r = cq_run("gate --base main --rules duplication -q --format json", repo.path());
    auto j = json_of(r);
    EXPECT_EQ(r.exit_code, 1) << j.dump(2);
    bool failed = false;
    for (const auto& c : j["conditions"]) {
        if (c["id"] == "new_duplicated_lines_density") {
            failed = c["status"] == "failed";
        }
    }
    EXPECT_TRUE(failed) << j.dump(2);
    EXPECT_GT(j["new_duplicated_lines"].get<int>(), 20);
    // Over 3 % but allowed to be higher: passes on that condition.
    r = cq_run("gate --base main --rules duplication -q --fail-on-new none --max-new-duplication 100",
               repo.path());
    EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST(Gate, DefaultBaseIsHeadWithLocalChangesElseTheParent) {
    TempRepo repo;
    start_project(repo);
    repo.write("svc/simple.py", py_function("simple", 4));
    auto r = cq_run("gate " + k_rules + " --format json", repo.path());
    auto j = json_of(r);
    EXPECT_EQ(j["baseline"]["ref"], "HEAD");
    EXPECT_EQ(j["baseline"]["commit"], repo.head());
    EXPECT_EQ(j["new_issues"].size(), 1u);
    repo.commit("complex simple");
    j = json_of(cq_run("gate " + k_rules + " --format json", repo.path()));
    EXPECT_EQ(j["baseline"]["ref"], "HEAD^");
    EXPECT_EQ(j["new_issues"].size(), 1u) << "the last commit added it";
}

TEST(Gate, UsageErrors) {
    TempRepo repo;
    start_project(repo);
    EXPECT_EQ(cq_run("gate --pr 2>/dev/null", repo.path()).exit_code, 2);
    auto r = cq_run("gate --base origin/nowhere 2>&1", repo.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("fetch-depth: 0"), std::string::npos) << r.out;
    TempRepo plain(false);
    plain.write("a.py", "x = 1\n");
    EXPECT_EQ(cq_run("gate 2>/dev/null", plain.path()).exit_code, 2);
}
