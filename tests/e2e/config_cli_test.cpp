// End to end: .cq.yaml, cq init, custom rules in every output, cq test-rules, suppressions,
// baselines, and exit code 2 for bad configuration.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/e2e/run_cq.hpp"

namespace fs = std::filesystem;
using cq::test::run_cq;

namespace {

class ConfigCli : public testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("cq_e2e_config_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
                 std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "src");
        fs::create_directories(m_dir / ".cq" / "rules");
    }
    void TearDown() override { fs::remove_all(m_dir); }
    void write(const std::string& rel, const std::string& text) {
        fs::create_directories((m_dir / rel).parent_path());
        std::ofstream(m_dir / rel, std::ios::binary) << text;
    }
    cq::test::RunResult cq(const std::string& args) { return run_cq(args + " 2>&1", m_dir.string()); }
    fs::path m_dir;
};

const char* k_print_rule = R"yaml(id: team/no-print
message: "print() of {{arg}}"
severity: minor
languages: [python]
query: |
  (call function: (identifier) @fn arguments: (argument_list (_) @arg)) @call
location: call
constraints:
  fn: {equals: print}
valid: ["log.info('x')"]
invalid: ["print('x')"]
)yaml";

}  // namespace

TEST_F(ConfigCli, InitWritesACommentedDefaultThatScansClean) {
    auto r = cq("init");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(fs::exists(m_dir / ".cq.yaml"));
    r = cq("init");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("already exists"), std::string::npos);
    write("src/a.py", "def f():\n    return 1\n");
    r = cq("scan . --no-history");
    EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(ConfigCli, BadConfigIsExit2WithFileLineAndSuggestion) {
    write(".cq.yaml", "version: 1\nrules:\n  complexity/cognitive:\n    threshhold: 3\n");
    write("src/a.py", "x = 1\n");
    auto r = cq("scan . --no-history");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find(".cq.yaml:4:5: unknown key 'threshhold'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("did you mean 'threshold'?"), std::string::npos) << r.out;
    // found by walking up from a subdirectory too
    r = run_cq("scan . --no-history 2>&1", (m_dir / "src").string());
    EXPECT_EQ(r.exit_code, 2) << r.out;
}

TEST_F(ConfigCli, ConfigSetsRulesAndExplicitConfigWins) {
    write("src/a.py", "def f(a, b, c):\n    return a\n");
    write(".cq.yaml", "rules:\n  only: [complexity/parameters]\n  complexity/parameters: {threshold: 2, severity: critical}\n");
    write("other.yaml", "rules:\n  complexity/parameters: off\n");
    auto r = cq("scan . --no-history --format json");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["issues"].size(), 1u);
    EXPECT_EQ(doc["issues"][0]["severity"], "critical");
    r = cq("scan . --no-history --format json --config other.yaml");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    doc = nlohmann::json::parse(r.out);
    for (const auto& i : doc["issues"]) {
        EXPECT_NE(i["rule"], "complexity/parameters");
    }
    // a flag beats the file
    r = cq("scan . --no-history --format json --set complexity/parameters.threshold=5");
    doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["issues"].size(), 0u);
}

TEST_F(ConfigCli, VendoredAndGeneratedPathsAreNotAnalyzed) {
    write(".cq.yaml", "paths:\n  vendored: [\"vendor/**\"]\n  generated: [\"gen/**\"]\n");
    write("src/a.py", "x = 1\n");
    write("vendor/lib.py", "y = 1\n");
    write("gen/out.py", "z = 1\n");
    auto r = cq("scan . --no-history --format json");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["files"].size(), 1u);
    EXPECT_EQ(doc["files"][0]["path"], "src/a.py");
}

// `paths.tests` marks more files as tests: the latency rules leave them alone (they are not hot
// paths), as they do test_*.py, unless `include-tests` is set.
TEST_F(ConfigCli, TestPathsAreNotHotPaths) {
    write("qa/load_check.py",
          "import time\n\n\ndef hammer(queue):\n    while True:\n        queue.poll()\n"
          "        time.sleep(0.05)\n");
    auto count = [&](const std::string& extra) {
        auto r = cq("scan . --no-history --format json --rules latency" + extra);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        return nlohmann::json::parse(r.out)["issues"].size();
    };
    const auto before = count("");
    ASSERT_GT(before, 0u) << "the polling loop is reported outside test paths";
    write(".cq.yaml", "paths:\n  tests: [\"qa/**\"]\n");
    EXPECT_EQ(count(""), 0u);
    EXPECT_EQ(count(" --set latency/busy-poll.include-tests=true --set latency/sleep-on-hot-path.include-tests=true"),
              before);
}

TEST_F(ConfigCli, CustomRuleInEveryOutputAndTheSonarRuleList) {
    write(".cq/rules/print.yaml", k_print_rule);
    write("src/a.py", "def f(x):\n    print(x)\n");
    auto r = cq("scan . --no-history --rules team/no-print");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("src/a.py:2:5: minor: print() of x [team/no-print]"), std::string::npos) << r.out;
    r = cq("scan . --no-history --format sonar --rules team");
    auto sonar = nlohmann::json::parse(r.out);
    bool declared = false;
    for (const auto& rule : sonar["rules"]) {
        declared = declared || rule["id"] == "team/no-print";
    }
    EXPECT_TRUE(declared) << r.out;
    EXPECT_EQ(sonar["issues"][0]["ruleId"], "team/no-print");
    r = cq("scan . --no-history --format sarif --rules team/no-print");
    EXPECT_NE(r.out.find("\"ruleId\": \"team/no-print\""), std::string::npos);
    r = cq("rules");
    EXPECT_NE(r.out.find("team/no-print"), std::string::npos) << r.out;
    r = cq("explain team/no-print");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = cq("export sonar . --rules team/no-print -q");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("team/no-print"), std::string::npos);
}

TEST_F(ConfigCli, TestRulesPassesFailsAndBrokenQueryIsExit2) {
    write(".cq/rules/print.yaml", k_print_rule);
    auto r = cq("test-rules");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("1 custom rule(s), 2 example(s): all pass"), std::string::npos) << r.out;
    std::string wrong = k_print_rule;
    wrong.replace(wrong.find("valid: [\"log.info('x')\"]"), 24, "valid: [\"print('y')\"]");
    write(".cq/rules/print.yaml", wrong);
    r = cq("test-rules");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("valid example produced 1 finding"), std::string::npos) << r.out;
    write(".cq/rules/print.yaml",
          "id: team/x\nmessage: m\nlanguages: [python]\nquery: |\n  (call function: (identifer) @f)\n");
    r = cq("test-rules");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("print.yaml:5:20: query of rule 'team/x' does not compile: invalid node type 'identifer'"),
              std::string::npos)
        << r.out;
    r = cq("scan . --no-history");
    EXPECT_EQ(r.exit_code, 2) << r.out;
}

TEST_F(ConfigCli, SuppressionsCountedListedAndUnusedReported) {
    write("src/a.py", "def f(a, b, c):  # cq: ignore[complexity/parameters]\n    return a\n\n"
                      "def g(a):  # cq: ignore[complexity/parameters]\n    return a\n");
    auto r = cq("scan . --no-history --rules complexity/parameters,cq --set complexity/parameters.threshold=2");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("src/a.py:4:14: minor: Suppression of 'complexity/parameters' suppresses nothing"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("1 suppressed"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("(suppressed)"), std::string::npos) << r.out;
    r = cq("scan . --no-history --rules complexity/parameters,cq --set complexity/parameters.threshold=2 "
           "--show-suppressed");
    EXPECT_NE(r.out.find("src/a.py:1:5: major (suppressed):"), std::string::npos) << r.out;
    r = cq("scan . --no-history --format json --show-suppressed --set complexity/parameters.threshold=2");
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["summary"]["suppressed"], 1);
    EXPECT_EQ(doc["suppressed"][0]["rule"], "complexity/parameters");
}

TEST_F(ConfigCli, BaselineReportsOnlyNewIssues) {
    write("src/a.py", "def f(a, b, c):\n    return a\n");
    auto r = cq("baseline create -o base.json --set complexity/parameters.threshold=2 -q");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    write("src/a.py", "\n\ndef f(a, b, c):\n    return a\n\ndef g(a, b, c):\n    return a\n");
    r = cq("scan . --no-history --format json --baseline base.json --set complexity/parameters.threshold=2");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["issues"].size(), 1u) << r.out;
    EXPECT_EQ(doc["issues"][0]["function"], "g");
    EXPECT_EQ(doc["summary"]["baselined"], 1);
    r = cq("scan . --no-history --baseline missing.json");
    EXPECT_EQ(r.exit_code, 2) << r.out;
}

TEST_F(ConfigCli, GateConditionsFromConfig) {
    write(".cq.yaml", "gate:\n  fail-on-new: bogus\n");
    auto r = cq("gate");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find(".cq.yaml:2:16: gate.fail-on-new must be"), std::string::npos) << r.out;
}
