// End-to-end: the exporters through the built binary, on samples/ and on a project with the
// files that break exporters (non-ASCII, emoji, CRLF, tabs, no final newline). Every SonarQube
// report goes through the re-implementation of SonarQube's validation; SARIF through the published
// schema and the SARIF multitool.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tests/e2e/run_cq.hpp"
#include "tests/unit/reports/sarif_validation.hpp"
#include "tests/unit/reports/sonar_validator.hpp"

namespace fs = std::filesystem;
using cq::test::run_cq;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// File contents as SonarQube would see them with sonar.projectBaseDir = `base`.
cq::test::SonarValidation validation_for(const fs::path& base) {
    cq::test::SonarValidation v;
    v.content = [base](const std::string& path) -> std::optional<std::string> {
        const fs::path p = base / path;
        if (!fs::is_regular_file(p)) {
            return std::nullopt;
        }
        return read_file(p);
    };
    return v;
}

void expect_sonar_valid(const fs::path& report, const fs::path& base) {
    const auto j = nlohmann::json::parse(read_file(report));
    for (const auto& e : cq::test::validate_sonar_report(j, validation_for(base))) {
        ADD_FAILURE() << report << ": " << e;
    }
}

// The published schema, then the SARIF multitool (schema, specification rules, GitHub's rules).
void expect_sarif_valid(const std::string& text) {
    const auto doc = nlohmann::json::parse(text);
    for (const auto& e : cq::test::sarif_schema_errors(doc)) {
        ADD_FAILURE() << e;
    }
    const auto verdict = cq::test::sarif_multitool_validate_text(text);
    ASSERT_TRUE(verdict.ran) << verdict.failure;
    for (const auto& p : verdict.problems) {
        ADD_FAILURE() << p;
    }
}

// tool.driver as GitHub shows it: cq's name and version (a SemVer), every rule described.
void expect_sarif_driver(const nlohmann::json& doc) {
    const auto& driver = doc["runs"][0]["tool"]["driver"];
    EXPECT_EQ(driver["name"], "cq");
    std::string version = run_cq("--version").out;  // "cq 0.1.0\n"
    version = version.substr(3, version.find('\n') - 3);
    EXPECT_EQ(driver["version"], version);
    EXPECT_EQ(driver["semanticVersion"], version);
    EXPECT_TRUE(std::regex_match(version, std::regex(R"(\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)"))) << version;
    EXPECT_EQ(driver.contains("informationUri"), !std::string_view(CQ_INFORMATION_URI).empty());
    ASSERT_FALSE(driver["rules"].empty());
    for (const auto& rule : driver["rules"]) {
        for (const char* key : {"shortDescription", "fullDescription", "help"}) {
            EXPECT_FALSE(rule[key]["text"].get<std::string>().empty()) << rule["id"] << " " << key;
        }
        EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty()) << rule["id"];
    }
}

// What GitLab's Code Quality widget needs of each issue, with every location inside its file.
void expect_gitlab_valid(const nlohmann::json& doc, const fs::path& base) {
    ASSERT_TRUE(doc.is_array());
    const std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
    std::set<std::string> fingerprints;
    for (const auto& issue : doc) {
        ASSERT_TRUE(issue["description"].is_string()) << issue;
        EXPECT_FALSE(issue["description"].get<std::string>().empty()) << issue;
        ASSERT_TRUE(issue["check_name"].is_string()) << issue;
        ASSERT_TRUE(issue["fingerprint"].is_string()) << issue;
        EXPECT_TRUE(fingerprints.insert(issue["fingerprint"].get<std::string>()).second)
            << "duplicate fingerprint " << issue["fingerprint"];
        ASSERT_TRUE(issue["severity"].is_string()) << issue;
        EXPECT_EQ(severities.count(issue["severity"].get<std::string>()), 1u) << issue;
        ASSERT_TRUE(issue["location"]["path"].is_string()) << issue;
        const std::string path = issue["location"]["path"];
        EXPECT_TRUE(fs::is_regular_file(base / path)) << path << " is not relative to " << base;
        ASSERT_TRUE(issue["location"]["lines"]["begin"].is_number_integer()) << issue;
        const int begin = issue["location"]["lines"]["begin"];
        EXPECT_GE(begin, 1) << issue;
        const std::string content = read_file(base / path);
        const auto lines = static_cast<int>(std::count(content.begin(), content.end(), '\n')) +
                           (content.empty() || content.back() == '\n' ? 0 : 1);
        EXPECT_LE(begin, std::max(lines, 1)) << issue;
        if (issue["location"]["lines"].contains("end")) {
            EXPECT_GE(issue["location"]["lines"]["end"].get<int>(), begin) << issue;
            EXPECT_LE(issue["location"]["lines"]["end"].get<int>(), std::max(lines, 1)) << issue;
        }
    }
}

// `doc` (an example) has the shape of `real`: the same type, for an object the same keys in the
// same order, and for an array, its first element the shape of every element of the real one.
void expect_same_shape(const nlohmann::ordered_json& doc, const nlohmann::ordered_json& real, const std::string& at) {
    if (doc.is_number() && real.is_number()) {
        return;
    }
    ASSERT_EQ(doc.type_name(), std::string(real.type_name())) << at;
    if (doc.is_object()) {
        std::vector<std::string> doc_keys;
        std::vector<std::string> real_keys;
        for (const auto& [k, v] : doc.items()) {
            doc_keys.push_back(k);
        }
        for (const auto& [k, v] : real.items()) {
            real_keys.push_back(k);
        }
        ASSERT_EQ(doc_keys, real_keys) << at << ": the README's keys differ from the real output's";
        for (const auto& k : doc_keys) {
            expect_same_shape(doc[k], real[k], at + "." + k);
        }
    } else if (doc.is_array() && !doc.empty()) {
        for (std::size_t i = 0; i < real.size() && !::testing::Test::HasFailure(); ++i) {
            expect_same_shape(doc[0], real[i], at + "[" + std::to_string(i) + "]");
        }
    }
}

class ReportExport : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("cq-e2e-report-" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    fs::path m_dir;
};

TEST_F(ReportExport, SonarExportOfSamplesIsAcceptedBySonarQube) {
    for (const char* format : {"current", "legacy"}) {
        const fs::path out = m_dir / (std::string("sonar-") + format + ".json");
        const auto r = run_cq("export sonar samples --quiet --sonar-format " + std::string(format) + " -o '" +
                              out.string() + "'");
        ASSERT_EQ(r.exit_code, 0) << r.out;
        expect_sonar_valid(out, CQ_SOURCE_DIR);
        const auto j = nlohmann::json::parse(read_file(out));
        EXPECT_EQ(j.contains("rules"), std::string(format) == "current");
    }
}

TEST_F(ReportExport, ScanFormatsWriteEveryExporter) {
    const auto sarif = run_cq("scan samples --quiet --format sarif");
    ASSERT_TRUE(sarif.exit_code == 0 || sarif.exit_code == 1) << sarif.out.substr(0, 500);
    expect_sarif_valid(sarif.out);
    expect_sarif_driver(nlohmann::json::parse(sarif.out));
    const auto cc = run_cq("scan samples --quiet --format codeclimate");
    expect_gitlab_valid(nlohmann::json::parse(cc.out), CQ_SOURCE_DIR);
    EXPECT_FALSE(nlohmann::json::parse(cc.out).empty()) << "samples/ should have issues";
    const auto md = run_cq("scan samples --quiet --format markdown");
    EXPECT_EQ(md.out.rfind("## cq: ", 0), 0u) << md.out.substr(0, 200);
    const auto sonar = run_cq("scan samples --quiet --format sonar");
    const fs::path sonar_file = m_dir / "scan-sonar.json";
    std::ofstream(sonar_file) << sonar.out;
    expect_sonar_valid(sonar_file, CQ_SOURCE_DIR);
}

// The README documents the JSON document with an example: it must have the real output's shape.
TEST_F(ReportExport, ReadmeJsonExampleHasTheRealShape) {
    const std::string readme = read_file(fs::path(CQ_SOURCE_DIR) / "README.md");
    const auto section = readme.find("### JSON output (`--format json`)");
    ASSERT_NE(section, std::string::npos);
    const auto start = readme.find("```json\n", section);
    ASSERT_NE(start, std::string::npos);
    const auto end = readme.find("```", start + 8);
    const auto example = nlohmann::ordered_json::parse(readme.substr(start + 8, end - start - 8));
    const auto r = run_cq("scan samples --quiet --no-history --format json");
    ASSERT_EQ(r.exit_code, 0);
    const auto real = nlohmann::ordered_json::parse(r.out);
    ASSERT_FALSE(real["duplication"]["blocks"].empty()) << "samples/ has duplicated blocks";
    expect_same_shape(example, real, "$");
}

// The rule fixtures hold a finding of every rule in every language it supports: each exporter of
// locations must give a document its reader accepts.
TEST_F(ReportExport, EveryExporterOnTheRuleFixtures) {
    const std::string scan = "scan tests/fixtures --quiet --no-history --format ";
    for (const std::string flags : {"sonar", "sonar --sonar-format legacy", "sonar --extended-impacts"}) {
        const auto r = run_cq(scan + flags);
        ASSERT_EQ(r.exit_code, 0) << flags;
        const auto j = nlohmann::json::parse(r.out);
        ASSERT_GE(j["issues"].size(), 100u) << flags;
        cq::test::SonarValidation v = validation_for(CQ_SOURCE_DIR);
        v.allow_extended_impacts = flags.find("extended") != std::string::npos;
        for (const auto& e : cq::test::validate_sonar_report(j, v)) {
            ADD_FAILURE() << flags << ": " << e;
        }
    }
    expect_sarif_valid(run_cq(scan + "sarif").out);
    expect_gitlab_valid(nlohmann::json::parse(run_cq(scan + "codeclimate").out), CQ_SOURCE_DIR);
}

TEST_F(ReportExport, HtmlReportIsOneFile) {
    const fs::path out = m_dir / "report.html";
    const auto r = run_cq("report html samples --quiet --db /nonexistent-cq-test/none.db -o '" + out.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string html = read_file(out);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("No history yet"), std::string::npos);
    EXPECT_EQ(html.find("<script src"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
}

// A project whose files break naive exporters, scanned with thresholds low enough that every
// function is flagged.
TEST_F(ReportExport, SonarExportOfAwkwardFilesIsAccepted) {
    const fs::path proj = m_dir / "proj";
    fs::create_directories(proj / "src");
    std::ofstream(proj / "src" / "emoji.py", std::ios::binary)
        << "# caf\xC3\xA9 \xF0\x9F\x98\x80\n\ndef f\xC3\xA9(x):\n    if x:  # \xF0\x9F\x98\x80\n"
           "        return \"\xF0\x9F\x98\x80\"\n    return 1\n";
    std::ofstream(proj / "src" / "crlf.js", std::ios::binary)
        << "function g(a) {\r\n\tif (a) {\r\n\t\tfor (const b of a) { if (b) { return b; } }\r\n\t}\r\n}";
    std::ofstream(proj / "src" / "tabs.c", std::ios::binary)
        << "int h(int a)\n{\n\tif (a)\n\t\treturn 1;\n\treturn 0;\n}";
    const fs::path out = m_dir / "awkward.json";
    const auto r = run_cq("scan . --quiet --format sonar --set complexity/cognitive.threshold=0 "
                          "--set complexity/cyclomatic.threshold=1 -o '" + out.string() + "'",
                          proj.string());
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out;
    expect_sonar_valid(out, proj);
    // The other exporters of locations, on the same files.
    const std::string options = " --no-history --quiet --set complexity/cognitive.threshold=0 "
                                "--set complexity/cyclomatic.threshold=1";
    const auto sarif = run_cq("scan . --format sarif" + options, proj.string());
    expect_sarif_valid(sarif.out);
    const auto gitlab = run_cq("scan . --format codeclimate" + options, proj.string());
    expect_gitlab_valid(nlohmann::json::parse(gitlab.out), proj);
    const auto j = nlohmann::json::parse(read_file(out));
    if (j["issues"].empty()) {
        GTEST_SKIP() << "the front ends found no function to flag in this build; the (empty) report "
                        "was still validated";
    }
    EXPECT_GE(j["issues"].size(), 3u) << j.dump(2);
}

TEST_F(ReportExport, SonarProperties) {
    const auto plain = run_cq("sonar properties");
    EXPECT_EQ(plain.exit_code, 0);
    EXPECT_EQ(plain.out, "sonar.externalIssuesReportPaths=cq-sonar.json\n");
    const auto branch = run_cq("sonar properties --report build/cq-sonar.json --project-key acme --per-branch --branch feature/x");
    EXPECT_EQ(branch.out,
              "sonar.externalIssuesReportPaths=build/cq-sonar.json\nsonar.projectKey=acme-feature-x\n"
              "sonar.projectName=acme (feature/x)\n");
    EXPECT_EQ(run_cq("sonar properties --per-branch 2>/dev/null").exit_code, 2);
}

TEST_F(ReportExport, UsageErrors) {
    EXPECT_EQ(run_cq("export 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("export sonar samples --sonar-format ancient 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("export sonar samples --rules no/such-rule 2>/dev/null").exit_code, 2);
    EXPECT_EQ(run_cq("export sonar samples -o /nonexistent/dir/x.json 2>/dev/null").exit_code, 2);
}

}  // namespace
