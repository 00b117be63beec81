// `cq scan --format sonar` takes the report options of `cq export` (one definition in
// cli/export_support.hpp): --sonar-format, --extended-impacts, --project-base-dir and
// --new-code-only (with --base and --pull-request). Each flag is run through `cq scan`, its
// SonarQube report goes through the re-implementation of SonarQube's validation, and it matches
// what `cq export sonar` writes with the same flag.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/e2e/history_support.hpp"
#include "tests/unit/reports/sonar_validator.hpp"

namespace fs = std::filesystem;

namespace {

using namespace cq::test;

// Errors SonarQube would raise importing `report`, file contents read below `base`.
std::vector<std::string> sonar_errors(const nlohmann::json& report, const fs::path& base, bool extended = false) {
    SonarValidation v;
    v.allow_extended_impacts = extended;
    v.content = [base](const std::string& path) -> std::optional<std::string> {
        const fs::path p = base / path;
        if (!fs::is_regular_file(p)) {
            return std::nullopt;
        }
        return read_file(p.string());
    };
    return validate_sonar_report(report, v);
}

void expect_sonar_valid(const nlohmann::json& report, const fs::path& base, bool extended = false) {
    for (const auto& e : sonar_errors(report, base, extended)) {
        ADD_FAILURE() << e;
    }
}

// `cq scan SCAN_ARGS --format sonar FLAGS` and `cq export sonar SCAN_ARGS FLAGS` in `cwd`:
// both must succeed (0, or 1 when --fail-on is given) and write the same report.
nlohmann::json scan_sonar_matching_export(const std::string& scan_args, const std::string& flags,
                                          const std::string& cwd = CQ_SOURCE_DIR) {
    const auto scan = cq_run("scan " + scan_args + " --no-history -q --format sonar " + flags, cwd);
    EXPECT_EQ(scan.exit_code, 0) << flags << "\n" << scan.out.substr(0, 500);
    const auto exported = cq_run("export sonar " + scan_args + " -q " + flags, cwd);
    EXPECT_EQ(exported.exit_code, 0) << flags << "\n" << exported.out.substr(0, 500);
    EXPECT_EQ(scan.out, exported.out) << "cq scan --format sonar and cq export sonar differ with " << flags;
    return json_of(scan);
}

std::set<std::string> impact_severities(const nlohmann::json& report) {
    std::set<std::string> out;
    for (const auto& rule : report["rules"]) {
        for (const auto& impact : rule["impacts"]) {
            out.insert(impact["severity"].get<std::string>());
        }
    }
    return out;
}

}  // namespace

TEST(ScanSonarOptions, SonarFormatCurrentAndLegacy) {
    const auto current = scan_sonar_matching_export("samples", "--sonar-format current");
    expect_sonar_valid(current, CQ_SOURCE_DIR);
    ASSERT_TRUE(current.contains("rules"));
    ASSERT_FALSE(current["issues"].empty()) << "samples/ should have issues";
    for (const auto& issue : current["issues"]) {
        EXPECT_FALSE(issue.contains("severity")) << issue;
        EXPECT_FALSE(issue.contains("type")) << issue;
    }
    EXPECT_EQ(json_of(cq_run("scan samples --no-history -q --format sonar", CQ_SOURCE_DIR)), current)
        << "current is the default";

    const auto legacy = scan_sonar_matching_export("samples", "--sonar-format legacy");
    expect_sonar_valid(legacy, CQ_SOURCE_DIR);
    EXPECT_FALSE(legacy.contains("rules"));
    ASSERT_EQ(legacy["issues"].size(), current["issues"].size());
    const std::set<std::string> severities = {"INFO", "MINOR", "MAJOR", "CRITICAL", "BLOCKER"};
    const std::set<std::string> types = {"BUG", "VULNERABILITY", "CODE_SMELL"};
    for (const auto& issue : legacy["issues"]) {
        EXPECT_EQ(issue["engineId"], "cq");
        EXPECT_EQ(severities.count(issue["severity"].get<std::string>()), 1u) << issue;
        EXPECT_EQ(types.count(issue["type"].get<std::string>()), 1u) << issue;
    }
}

// No built-in rule has an INFO or BLOCKER impact today (the unit tests cover the mapping with
// rules made for them), so on samples/ the flag must be accepted, keep the report valid for a
// server that knows them, and write what `cq export sonar --extended-impacts` writes.
TEST(ScanSonarOptions, ExtendedImpacts) {
    const auto extended = scan_sonar_matching_export("samples", "--extended-impacts");
    expect_sonar_valid(extended, CQ_SOURCE_DIR, true);
    for (const auto& s : impact_severities(extended)) {
        EXPECT_TRUE(s == "INFO" || s == "LOW" || s == "MEDIUM" || s == "HIGH" || s == "BLOCKER") << s;
    }
    const auto standard = json_of(cq_run("scan samples --no-history -q --format sonar", CQ_SOURCE_DIR));
    for (const auto& s : impact_severities(standard)) {
        EXPECT_TRUE(s == "LOW" || s == "MEDIUM" || s == "HIGH") << s;
    }
    EXPECT_EQ(extended["issues"], standard["issues"]);
}

TEST(ScanSonarOptions, ProjectBaseDir) {
    // sonar.projectBaseDir = samples/: paths are relative to it, and SonarQube finds the files.
    const auto all = json_of(cq_run("scan samples --no-history -q --format sonar", CQ_SOURCE_DIR));
    const auto rebased = scan_sonar_matching_export("samples", "--project-base-dir samples");
    expect_sonar_valid(rebased, fs::path(CQ_SOURCE_DIR) / "samples");
    ASSERT_EQ(rebased["issues"].size(), all["issues"].size());
    for (std::size_t i = 0; i < all["issues"].size(); ++i) {
        EXPECT_EQ("samples/" + rebased["issues"][i]["primaryLocation"]["filePath"].get<std::string>(),
                  all["issues"][i]["primaryLocation"]["filePath"].get<std::string>());
    }

    // A base directory that holds only some of the files: the others' issues are left out (SonarQube
    // would not index those files), and the scan says so on stderr.
    const std::string first = all["issues"][0]["primaryLocation"]["filePath"].get<std::string>();
    const std::string sub = fs::path(first).parent_path().string();
    const auto narrow = cq_run("scan samples --no-history --format sonar --project-base-dir " + shell_quote(sub) +
                                   " 2>&1 >/dev/null",
                               CQ_SOURCE_DIR);
    const auto narrow_report = cq_run("scan samples --no-history -q --format sonar --project-base-dir " + shell_quote(sub),
                                      CQ_SOURCE_DIR);
    const auto j = json_of(narrow_report);
    expect_sonar_valid(j, fs::path(CQ_SOURCE_DIR) / sub);
    EXPECT_GE(j["issues"].size(), 1u);
    if (j["issues"].size() < all["issues"].size()) {
        EXPECT_NE(narrow.out.find("issue(s) left out: their file is outside --project-base-dir"), std::string::npos)
            << narrow.out;
    }
}

// .cq.yaml's `sonar:` section applies to `cq scan --format sonar`, and a flag overrides it.
TEST(ScanSonarOptions, FlagsOverrideTheConfiguration) {
    TempRepo proj(false);
    proj.write("svc/handler.py", py_function("handler", 5));
    proj.write(".cq.yaml", "sonar:\n  format: legacy\n");
    const std::string scan = "scan . --no-history -q --format sonar --rules complexity/cyclomatic "
                             "--set complexity/cyclomatic.threshold=3";
    const auto from_config = json_of(cq_run(scan, proj.path()));
    EXPECT_FALSE(from_config.contains("rules")) << "legacy, from .cq.yaml";
    ASSERT_EQ(from_config["issues"].size(), 1u) << from_config;
    expect_sonar_valid(from_config, proj.path());
    const auto overridden = json_of(cq_run(scan + " --sonar-format current", proj.path()));
    EXPECT_TRUE(overridden.contains("rules")) << "current, from the flag";
    expect_sonar_valid(overridden, proj.path());
}

// `sonar: project-base-dir:` in .cq.yaml is relative to that file, wherever cq runs from.
TEST(ScanSonarOptions, ConfiguredProjectBaseDirIsRelativeToTheFile) {
    TempRepo proj(false);
    proj.write("app/svc/handler.py", py_function("handler", 5));
    proj.write(".cq.yaml", "sonar:\n  project-base-dir: app/svc\n");
    // Run from app/: the scan root (and the configuration) is the directory above.
    const std::string args = ".. --no-history -q --format sonar --rules complexity/cyclomatic "
                             "--set complexity/cyclomatic.threshold=3";
    const auto j = json_of(cq_run("scan " + args, proj / "app"));
    ASSERT_EQ(j["issues"].size(), 1u) << j;
    EXPECT_EQ(j["issues"][0]["primaryLocation"]["filePath"], "handler.py");
    expect_sonar_valid(j, proj / "app/svc");
}

// --new-code-only on `cq scan`: only what the new-code gate counts as new, in every format,
// with the history the scan itself records.
TEST(ScanNewCodeOnly, BranchAndPullRequest) {
    const std::string rules = "--rules complexity/cyclomatic --set complexity/cyclomatic.threshold=3 -q";
    TempRepo repo;
    repo.write("svc/legacy.py", py_function("legacy", 5));  // an old issue
    repo.write("svc/simple.py", py_function("simple", 1));
    repo.commit("start");
    repo.git("checkout -q -b feature");
    repo.write("svc/simple.py", py_function("simple", 1) + "\n\n" + py_function("fresh", 4));
    repo.commit("fresh");

    const auto everything = json_of(cq_run("scan . --no-history --format sonar " + rules, repo.path()));
    ASSERT_EQ(everything["issues"].size(), 2u) << everything;

    for (const std::string mode : {"--base main", "--base main --pull-request"}) {
        const auto r = cq_run("scan . --format sonar --new-code-only " + mode + " " + rules, repo.path());
        ASSERT_EQ(r.exit_code, 0) << mode << ": " << r.out;
        const auto j = json_of(r);
        expect_sonar_valid(j, repo.path());
        ASSERT_EQ(j["issues"].size(), 1u) << mode << ": " << j;
        EXPECT_NE(j["issues"][0]["primaryLocation"]["message"].get<std::string>().find("'fresh'"), std::string::npos)
            << j["issues"][0];
        // The same as `cq export sonar` with the same options (which finds the baseline in the
        // history the scan recorded).
        const auto exported = cq_run("export sonar . --new-code-only " + mode + " " + rules, repo.path());
        EXPECT_EQ(exported.out, r.out) << mode;
    }

    // Every format, and --fail-on, see new code only.
    const auto json = json_of(cq_run("scan . --format json --new-code-only --base main " + rules, repo.path()));
    ASSERT_EQ(json["issues"].size(), 1u) << json["issues"];
    EXPECT_EQ(json["issues"][0]["function"], "fresh");
    const auto text = cq_run("scan . --new-code-only --base main --no-color " + rules, repo.path());
    EXPECT_NE(text.out.find("'fresh'"), std::string::npos) << text.out;
    EXPECT_EQ(text.out.find("'legacy'"), std::string::npos) << text.out;
    EXPECT_EQ(cq_run("scan . --new-code-only --base main --fail-on major " + rules, repo.path()).exit_code, 1);

    // Without --base, on a clean work tree, new code is what HEAD's commit added.
    const auto head = json_of(cq_run("scan . --format json --new-code-only " + rules, repo.path()));
    ASSERT_EQ(head["issues"].size(), 1u) << head["issues"];
    EXPECT_EQ(head["issues"][0]["function"], "fresh");

    // Fixed: nothing new, and --fail-on passes although the old issue is still there.
    repo.write("svc/simple.py", py_function("simple", 1) + "\n\n" + py_function("fresh", 1));
    repo.commit("fix");
    const auto fixed = cq_run("scan . --format sonar --new-code-only --base main --fail-on major " + rules, repo.path());
    EXPECT_EQ(fixed.exit_code, 0) << fixed.out;
    EXPECT_TRUE(json_of(fixed)["issues"].empty()) << fixed.out;
    EXPECT_EQ(cq_run("scan . --no-history --fail-on major " + rules, repo.path()).exit_code, 1)
        << "without --new-code-only the old issue still counts";
}

// `cq export json` (and text-like exports) filter with --new-code-only too.
TEST(ScanNewCodeOnly, ExportJsonKeepsOnlyNewIssues) {
    const std::string rules = "--rules complexity/cyclomatic --set complexity/cyclomatic.threshold=3 -q";
    TempRepo repo;
    repo.write("svc/legacy.py", py_function("legacy", 5));
    repo.commit("start");
    repo.write("svc/fresh.py", py_function("fresh", 4));  // uncommitted: baseline is HEAD
    const auto j = json_of(cq_run("export json . --new-code-only " + rules, repo.path()));
    ASSERT_EQ(j["issues"].size(), 1u) << j["issues"];
    EXPECT_EQ(j["issues"][0]["function"], "fresh");
    EXPECT_EQ(j["summary"]["issues"], 1);
}

TEST(ScanSonarOptions, UsageErrors) {
    auto code = [](const std::string& args) { return cq_run("scan samples -q " + args + " >/dev/null 2>&1", CQ_SOURCE_DIR).exit_code; };
    EXPECT_EQ(code("--no-history --format sonar --sonar-format ancient"), 2);
    EXPECT_EQ(code("--no-history --format json --sonar-format legacy"), 2) << "a SonarQube option with another format";
    EXPECT_EQ(code("--no-history --extended-impacts"), 2);
    EXPECT_EQ(code("--no-history --format sarif --project-base-dir samples"), 2);
    EXPECT_EQ(code("--no-history --new-code-only"), 2) << "new code needs the history";
    EXPECT_EQ(code("--no-history --base main"), 2) << "--base without --new-code-only";
    EXPECT_EQ(code("--no-history --new-code-only --pull-request"), 2) << "--pull-request without --base";
    EXPECT_EQ(code("--staged --new-code-only --base main"), 2) << "staged changes compare with HEAD";
}

// libclang's driver moves the process into a compile command's "directory" (-working-directory
// on the real file system). Relative --output, --db and --project-base-dir name places relative
// to where cq was started, whatever the scan does.
TEST(ScanSonarOptions, RelativePathsAreTheCallersAfterALibclangScan) {
    TempRepo proj(false);
    proj.write("src/a.cpp", "int f(int a) {\n  if (a > 1) { if (a > 2) { if (a > 3) { return 3; } } }\n  return 0;\n}\n");
    fs::create_directories(proj / "build");
    proj.write("build/compile_commands.json",
               nlohmann::json::array({{{"directory", proj / "build"},
                                       {"file", proj / "src/a.cpp"},
                                       {"arguments", {"c++", "-std=c++17", "-c", "../src/a.cpp"}}}})
                   .dump());
    const std::string options = "--compile-commands build/compile_commands.json --rules complexity/cyclomatic "
                                "--set complexity/cyclomatic.threshold=1 -q";
    for (const std::string command : {"scan src --format sonar --project-base-dir . --db cq.db",
                                      "export sonar src --project-base-dir . --db cq.db"}) {
        const auto r = cq_run(command + " " + options + " -o out.json", proj.path());
        EXPECT_EQ(r.exit_code, 0) << command << ": " << r.out;
        EXPECT_FALSE(fs::exists(proj / "build/out.json")) << command << ": the report went into build/";
        ASSERT_TRUE(fs::exists(proj / "out.json")) << command;
        const auto j = nlohmann::json::parse(read_file(proj / "out.json"));
        ASSERT_EQ(j["issues"].size(), 1u) << command << ": " << j;
        EXPECT_EQ(j["issues"][0]["primaryLocation"]["filePath"], "src/a.cpp") << command;
        expect_sonar_valid(j, proj.path());
        fs::remove(proj / "out.json");
    }
    EXPECT_TRUE(fs::exists(proj / "cq.db"));
    EXPECT_FALSE(fs::exists(proj / "build/cq.db"));
}
