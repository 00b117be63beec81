// End-to-end: the built binary on samples/, on its own sources (dogfood), and its contract
// (JSON shape, exit codes, determinism).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/run_cq.hpp"

namespace fs = std::filesystem;
using cq::test::run_cq;

namespace {

nlohmann::json scan_json(const std::string& args) {
    auto r = run_cq("scan " + args + " --format json --quiet --no-history");
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out.substr(0, 2000);
    return nlohmann::json::parse(r.out);
}

void strip_duration(nlohmann::json& j) { j["summary"].erase("duration_ms"); }

}  // namespace

TEST(Cli, VersionAndHelp) {
    auto v = run_cq("--version");
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(v.out.find("cq "), std::string::npos);
    auto h = run_cq("scan --help");
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("--fail-on"), std::string::npos);
    EXPECT_NE(h.out.find("--format"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwo) {
    EXPECT_EQ(run_cq("scan does/not/exist 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("scan samples --format yaml 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("scan samples --fail-on huge 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("scan samples --set complexity/cognitive.nope=1 2>/dev/null").exit_code, 2);
    // a value the rule rejects is bad usage too, not an internal error (3)
    EXPECT_EQ(run_cq("scan samples --no-history --set duplication/block.min_tokens=0 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("scan samples --no-history --set complexity/cognitive.threshold=abc 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("scan samples --rules no/such-rule 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("explain no/such-rule 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("frobnicate 2>/dev/null").exit_code, 2);
}

TEST(Cli, RulesListsTheCatalogueWithoutScanning) {
    auto r = run_cq("rules --format json");
    ASSERT_EQ(r.exit_code, 0);
    auto rules = nlohmann::json::parse(r.out);
    ASSERT_TRUE(rules.is_array());
    std::set<std::string> ids;
    for (const auto& rule : rules) {
        ids.insert(rule["id"].get<std::string>());
    }
    EXPECT_TRUE(ids.count("complexity/cognitive"));
    EXPECT_TRUE(ids.count("complexity/cyclomatic"));
    auto e = run_cq("explain complexity/cognitive");
    EXPECT_EQ(e.exit_code, 0);
    EXPECT_NE(e.out.find("## What it finds"), std::string::npos);
}

TEST(Cli, JsonContractOnSamples) {
    auto j = scan_json("samples");
    ASSERT_TRUE(j.contains("tool"));
    EXPECT_EQ(j["tool"]["name"], "cq");
    for (const char* key : {"files", "lines", "ncloc", "issues", "duration_ms"}) {
        EXPECT_TRUE(j["summary"].contains(key)) << key;
    }
    ASSERT_TRUE(j["files"].is_array());
    EXPECT_GT(j["files"].size(), 5u);
    std::size_t functions = 0;
    std::set<std::string> languages;
    for (const auto& f : j["files"]) {
        const std::string path = f["path"];
        EXPECT_EQ(path.find('\\'), std::string::npos);
        EXPECT_NE(path.rfind("samples/", 0), std::string::npos) << path;
        languages.insert(f["language"].get<std::string>());
        EXPECT_GT(f["lines"].get<int>(), 0) << path;
        for (const auto& fn : f["functions"]) {
            ++functions;
            for (const char* key : {"name", "qualified_name", "line", "end_line", "cyclomatic",
                                    "cognitive", "nloc", "params", "max_nesting", "async"}) {
                EXPECT_TRUE(fn.contains(key)) << key;
            }
            EXPECT_GE(fn["cyclomatic"].get<int>(), 1) << path << " " << fn["name"];
            EXPECT_GE(fn["end_line"].get<int>(), fn["line"].get<int>());
        }
    }
    EXPECT_GT(functions, 20u);
    for (const char* lang : {"python", "javascript", "typescript", "cpp"}) {
        EXPECT_TRUE(languages.count(lang)) << lang;
    }
    for (const auto& issue : j["issues"]) {
        for (const char* key : {"rule", "severity", "path", "line", "column", "end_line",
                                "end_column", "message", "function", "fingerprint", "secondary"}) {
            EXPECT_TRUE(issue.contains(key)) << key;
        }
        EXPECT_GE(issue["line"].get<int>(), 1);
        EXPECT_GE(issue["column"].get<int>(), 1);
    }
    EXPECT_TRUE(j["duplication"].contains("density"));
}

TEST(Cli, OutputIsDeterministicAcrossJobCounts) {
    auto a = scan_json("samples --jobs 1");
    auto b = scan_json("samples --jobs 2");
    auto c = scan_json("samples --jobs 2");
    strip_duration(a);
    strip_duration(b);
    strip_duration(c);
    EXPECT_EQ(a.dump(), b.dump());
    EXPECT_EQ(b.dump(), c.dump());
}

TEST(Cli, FailOnControlsTheExitCode) {
    // A low threshold guarantees findings; --fail-on decides whether they fail the run.
    auto lenient = run_cq("scan samples --quiet --no-history --rules complexity/cyclomatic "
                          "--set complexity/cyclomatic.threshold=1 > /dev/null");
    EXPECT_EQ(lenient.exit_code, 0);
    auto strict = run_cq("scan samples --quiet --no-history --rules complexity/cyclomatic "
                         "--set complexity/cyclomatic.threshold=1 --fail-on info > /dev/null");
    EXPECT_EQ(strict.exit_code, 1);
    auto too_high = run_cq("scan samples --quiet --no-history --rules complexity/cyclomatic "
                           "--set complexity/cyclomatic.threshold=1 --fail-on blocker > /dev/null");
    EXPECT_EQ(too_high.exit_code, 0);
}

TEST(Cli, TextReportIsCompilerStyle) {
    auto r = run_cq("scan samples --quiet --no-history --rules complexity/cyclomatic "
                    "--set complexity/cyclomatic.threshold=1");
    ASSERT_EQ(r.exit_code, 0);
    // path:line:col: severity: message [rule]
    std::istringstream in(r.out);
    std::string first;
    std::getline(in, first);
    EXPECT_NE(first.find(": "), std::string::npos) << first;
    EXPECT_NE(first.find("[complexity/cyclomatic]"), std::string::npos) << first;
    EXPECT_EQ(first.find("\x1b["), std::string::npos) << "no colour when not on a terminal";
}

TEST(Cli, DogfoodScansItsOwnSources) {
    // cq scans its own sources with every rule. Each folder is its own root, so the build's
    // compile_commands.json is not picked up and the run stays quick (syntactic C++ analysis).
    std::size_t files = 0;
    std::size_t functions = 0;
    std::vector<std::string> with_diagnostics;
    for (const char* dir : {"analyzer", "rules", "reports", "cli", "history", "config"}) {
        const std::string root = std::string(CQ_SOURCE_DIR) + "/" + dir;
        if (!fs::exists(root)) {
            continue;
        }
        auto r = run_cq("scan . --format json --quiet --no-history", root);
        ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << dir << ": exit " << r.exit_code;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_TRUE(j["internal_errors"].empty()) << dir << ": " << j["internal_errors"].dump();
        for (const auto& f : j["files"]) {
            ++files;
            functions += f["functions"].size();
            if (!f["diagnostics"].empty()) {
                with_diagnostics.push_back(std::string(dir) + "/" + f["path"].get<std::string>() +
                                           ": " + f["diagnostics"][0]["message"].get<std::string>());
            }
        }
    }
    EXPECT_GT(files, 50u);
    EXPECT_GT(functions, 500u);
    // The syntactic C++ fallback may misread a rare construct; more than a couple means a
    // front-end regression.
    EXPECT_LE(with_diagnostics.size(), 2u) << testing::PrintToString(with_diagnostics);
}

TEST(Cli, InstalledBinaryRunsOutsideTheBuildTree) {
    const fs::path prefix = fs::temp_directory_path() / ("cq-install-" + std::to_string(::getpid()));
    const std::string build_dir = fs::path(CQ_BINARY).parent_path().parent_path().string();
    const std::string cmd = "cmake --install '" + build_dir + "' --prefix '" + prefix.string() +
                            "' > /dev/null && cd / && '" + (prefix / "bin" / "cq").string() +
                            "' --version";
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buf[256] = {};
    std::string out;
    while (fgets(buf, sizeof buf, pipe) != nullptr) {
        out += buf;
    }
    const int status = pclose(pipe);
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_NE(out.find("cq "), std::string::npos);
    fs::remove_all(prefix);
}

// libclang is opened on first use, not linked: without it, a C++ file that has a compile
// command is still analyzed, through tree-sitter, with a warning that says why.
TEST(Cli, WithoutLibclangCFilesFallBackToTreeSitter) {
    const std::string scan = "scan samples/telemetry-pipeline/cpp --format json --no-history";
    auto r = run_cq(scan + " --quiet");
    auto normal = nlohmann::json::parse(r.out);
    ASSERT_EQ(normal["files"].size(), 1u);
    EXPECT_EQ(normal["files"][0]["front_end"], "libclang");

    const std::string no_lib = "CQ_LIBCLANG=/nonexistent/libclang.so";
    auto fallback = cq::test::run_cq_env(no_lib, scan + " --quiet");
    EXPECT_EQ(fallback.exit_code, r.exit_code);
    auto j = nlohmann::json::parse(fallback.out);
    ASSERT_EQ(j["files"].size(), 1u);
    EXPECT_EQ(j["files"][0]["front_end"], "tree-sitter (syntactic fallback)");
    EXPECT_EQ(j["files"][0]["functions"].size(), normal["files"][0]["functions"].size());
    EXPECT_NE(j["files"][0]["diagnostics"].dump().find("libclang could not be loaded"), std::string::npos)
        << j["files"][0]["diagnostics"].dump();
}

// duplication/block alone lexes instead of parsing; the blocks, their fingerprints and the
// duplication metrics are the same as when it runs beside a rule that needs the parse.
TEST(Cli, TokensOnlyScanFindsTheSameBlocksAsAFullScan) {
    const std::string paths =
        "tests/fixtures samples analyzer/lexer --set duplication/block.min_tokens=40 "
        "--set duplication/block.min_lines=4";
    auto alone = scan_json(paths + " --rules duplication/block");
    auto beside = scan_json(paths + " --rules duplication/block,complexity/cognitive");
    const auto blocks = [](const nlohmann::json& j) {
        std::multiset<std::string> out;
        for (const auto& i : j["issues"]) {
            if (i["rule"] == "duplication/block") {
                out.insert(i["fingerprint"].get<std::string>() + " " + i["path"].get<std::string>() +
                           ":" + std::to_string(i["line"].get<int>()) + "-" +
                           std::to_string(i["end_line"].get<int>()));
            }
        }
        return out;
    };
    const auto found = blocks(alone);
    EXPECT_GT(found.size(), 10u);
    EXPECT_EQ(found, blocks(beside));
    EXPECT_EQ(alone["duplication"], beside["duplication"]);
    std::set<std::string> languages;
    for (const auto& f : alone["files"]) {
        EXPECT_EQ(f["front_end"], "lexer (tokens only)") << f["path"];
        EXPECT_TRUE(f["functions"].empty()) << f["path"];
        languages.insert(f["language"].get<std::string>());
    }
    EXPECT_EQ(languages.size(), 5u);
    for (const auto& f : beside["files"]) {
        EXPECT_NE(f["front_end"], "lexer (tokens only)") << f["path"];
    }
}
