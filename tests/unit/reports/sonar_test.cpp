// The SonarQube generic issue report: golden files, and every export run through the
// re-implementation of SonarQube's validation (sonar_validator.hpp).
#include <gtest/gtest.h>

#include <sstream>

#include "sonar-bridge/generic_issues.hpp"
#include "sonar-bridge/properties.hpp"
#include "tests/unit/reports/report_fixture.hpp"
#include "tests/unit/reports/sonar_validator.hpp"

namespace cq {
namespace {

SonarOptions options_for(SonarFormat format = SonarFormat::current, ImpactRange impacts = ImpactRange::standard) {
    SonarOptions o;
    o.format = format;
    o.impacts = impacts;
    o.rules = test::fake_lookup();
    return o;
}

std::string export_text(const ScanResult& scan, const SonarOptions& o, SonarStats* stats = nullptr) {
    std::ostringstream out;
    write_sonar(out, scan, o, stats);
    return out.str();
}

void expect_valid(const std::string& text, const ScanResult& scan, bool extended = false) {
    test::SonarValidation v;
    v.allow_extended_impacts = extended;
    v.content = test::scan_content(scan);
    const auto errors = test::validate_sonar_report(nlohmann::json::parse(text), v);
    for (const auto& e : errors) {
        ADD_FAILURE() << e;
    }
}

TEST(SonarExport, CurrentFormatMatchesGoldenAndValidates) {
    const ScanResult scan = test::sample_scan();
    SonarStats stats;
    const std::string text = export_text(scan, options_for(), &stats);
    test::expect_golden("reports/sample.sonar.json", text);
    expect_valid(text, scan);
    EXPECT_EQ(stats.issues, scan.findings.size());
    EXPECT_EQ(stats.dropped_secondary, 1u);  // the one in a file nobody can read
    EXPECT_GE(stats.degraded_ranges, 5u);
}

TEST(SonarExport, LegacyFormatMatchesGoldenAndValidates) {
    const ScanResult scan = test::sample_scan();
    const std::string text = export_text(scan, options_for(SonarFormat::legacy));
    test::expect_golden("reports/sample.sonar-legacy.json", text);
    expect_valid(text, scan);
    const auto j = nlohmann::json::parse(text);
    EXPECT_FALSE(j.contains("rules"));
    for (const auto& issue : j["issues"]) {
        EXPECT_EQ(issue["engineId"], "cq");
    }
}

TEST(SonarExport, ImpactSeveritiesInfoAndBlockerOnlyWhenAllowed) {
    const ScanResult scan = test::sample_scan();
    const std::string standard = export_text(scan, options_for());
    EXPECT_EQ(standard.find("\"BLOCKER\""), std::string::npos);
    EXPECT_EQ(standard.find("\"INFO\""), std::string::npos);
    const std::string extended = export_text(scan, options_for(SonarFormat::current, ImpactRange::extended));
    EXPECT_NE(extended.find("\"BLOCKER\""), std::string::npos);
    expect_valid(extended, scan, true);
    // The validator itself rejects them for a standard server.
    test::SonarValidation v;
    v.content = test::scan_content(scan);
    EXPECT_FALSE(test::validate_sonar_report(nlohmann::json::parse(extended), v).empty());
}

TEST(SonarExport, RulesCarryCatalogueData) {
    const ScanResult scan = test::sample_scan();
    const auto j = nlohmann::json::parse(export_text(scan, options_for()));
    std::map<std::string, nlohmann::json> rules;
    for (const auto& r : j["rules"]) {
        rules[r["id"].get<std::string>()] = r;
    }
    const auto& sleep = rules.at("latency/sleep-on-hot-path");
    EXPECT_EQ(sleep["engineId"], "cq");
    EXPECT_EQ(sleep["cleanCodeAttribute"], "EFFICIENT");
    EXPECT_EQ(sleep["impacts"][0]["softwareQuality"], "RELIABILITY");
    EXPECT_NE(sleep["description"].get<std::string>().find("<h2>What it finds</h2>"), std::string::npos);
    // Unknown attribute and negative effort are made acceptable, not copied.
    EXPECT_EQ(rules.at("style/typo-attribute")["cleanCodeAttribute"], "CONVENTIONAL");
    // A rule the catalogue does not know still gets a declaration.
    EXPECT_EQ(rules.at("duplication/block")["name"], "duplication/block");
    for (const auto& issue : j["issues"]) {
        EXPECT_GE(issue["effortMinutes"].get<int>(), 0);
        EXPECT_TRUE(rules.count(issue["ruleId"].get<std::string>()));
    }
}

TEST(SonarExport, ColumnsAreUtf16AndRangesFitTheFile) {
    const ScanResult scan = test::sample_scan();
    const auto j = nlohmann::json::parse(export_text(scan, options_for()));
    bool saw_sleep = false;
    for (const auto& issue : j["issues"]) {
        const auto& loc = issue["primaryLocation"];
        if (loc["message"] == "time.sleep(1) runs for every message") {
            saw_sleep = true;
            // `        label = "😀"; time.sleep(1)`: 8 spaces, `label = "` (9), emoji (2 units), `"; ` (3).
            EXPECT_EQ(loc["textRange"]["startColumn"], 22);
            EXPECT_EQ(loc["textRange"]["endColumn"], 35);
            EXPECT_EQ(issue["secondaryLocations"].size(), 2u);
        }
        if (loc["message"] == "Line past the end of the file") {
            EXPECT_FALSE(loc.contains("textRange"));
        }
        if (loc["message"] == "A column on an empty line") {
            EXPECT_EQ(loc["textRange"], (nlohmann::json{{"startLine", 3}}));
        }
        if (loc["message"] == "Closing brace on the last line") {
            EXPECT_EQ(loc["textRange"], (nlohmann::json{{"startLine", 3}, {"endLine", 3}, {"startColumn", 0}, {"endColumn", 1}}));
        }
    }
    EXPECT_TRUE(saw_sleep);
}

TEST(SonarExport, IncludeFilterAndBaseDir) {
    const ScanResult scan = test::sample_scan();
    SonarOptions o = options_for();
    o.include = [](const Finding& f) { return f.severity >= Severity::critical; };
    SonarStats stats;
    const auto j = nlohmann::json::parse(export_text(scan, o, &stats));
    EXPECT_EQ(j["issues"].size(), 3u);
    EXPECT_EQ(stats.filtered, scan.findings.size() - 3);
    // A base dir above the root prefixes paths; one below it leaves other files out.
    SonarOptions up = options_for();
    up.base_dir = "/nonexistent";
    const auto ju = nlohmann::json::parse(export_text(scan, up));
    EXPECT_EQ(ju["issues"][0]["primaryLocation"]["filePath"].get<std::string>().rfind("cq-report-fixture/", 0), 0u);
    SonarOptions down = options_for();
    down.base_dir = "/nonexistent/cq-report-fixture/src";
    SonarStats ds;
    const auto jd = nlohmann::json::parse(export_text(scan, down, &ds));
    EXPECT_GT(ds.outside_base_dir, 0u);
    for (const auto& issue : jd["issues"]) {
        EXPECT_EQ(issue["primaryLocation"]["filePath"].get<std::string>().find('/'), std::string::npos);
    }
}

TEST(SonarExport, EmptyScanIsValid) {
    const ScanResult scan;
    const std::string text = export_text(scan, options_for());
    EXPECT_EQ(text, "{\n  \"rules\": [],\n  \"issues\": []\n}\n");
    expect_valid(text, scan);
}

TEST(SonarValidator, RejectsWhatSonarQubeRejects) {
    const ScanResult scan = test::sample_scan();
    test::SonarValidation v;
    v.content = test::scan_content(scan);
    auto errors_of = [&](const std::string& text) { return test::validate_sonar_report(nlohmann::json::parse(text), v); };
    const std::string rule = R"({"id":"r","name":"n","engineId":"cq","cleanCodeAttribute":"CLEAR","impacts":[{"softwareQuality":"SECURITY","severity":"HIGH"}]})";
    auto report = [&](const std::string& issue) { return R"({"rules":[)" + rule + R"(],"issues":[)" + issue + "]}"; };
    const std::string ok = R"({"ruleId":"r","primaryLocation":{"message":"m","filePath":"native/util.c","textRange":{"startLine":2,"startColumn":1,"endLine":2,"endColumn":10}}})";
    EXPECT_TRUE(errors_of(report(ok)).empty());
    // Column 11 on "\treturn 0;" (10 units) is past the line's end.
    EXPECT_FALSE(errors_of(report(R"({"ruleId":"r","primaryLocation":{"message":"m","filePath":"native/util.c","textRange":{"startLine":2,"startColumn":1,"endLine":2,"endColumn":11}}})")).empty());
    EXPECT_FALSE(errors_of(report(R"({"ruleId":"r","primaryLocation":{"message":"m","filePath":"native/util.c","textRange":{"startLine":4}}})")).empty());
    EXPECT_FALSE(errors_of(report(R"({"ruleId":"x","primaryLocation":{"message":"m","filePath":"native/util.c"}})")).empty());
    EXPECT_FALSE(errors_of(report(R"({"ruleId":"r","severity":"MAJOR","primaryLocation":{"message":"m","filePath":"native/util.c"}})")).empty());
    EXPECT_FALSE(errors_of(report(R"({"ruleId":"r","primaryLocation":{"message":"m","filePath":"native/util.c","textRange":{"startLine":1,"startColumn":3,"endColumn":3}}})")).empty());
    EXPECT_FALSE(errors_of(R"({"rules":[)" + rule + "," + rule + R"(],"issues":[]})").empty());
    EXPECT_FALSE(errors_of(R"({"rules":[{"id":"r","name":"n","engineId":"cq","cleanCodeAttribute":"NICE","impacts":[]}],"issues":[]})").empty());
    // "# café 😀 consumer" is 18 UTF-16 units (the emoji counts 2), 24 bytes.
    EXPECT_FALSE(errors_of(report(R"({"ruleId":"r","primaryLocation":{"message":"m","filePath":"src/consumer.py","textRange":{"startLine":1,"startColumn":0,"endLine":1,"endColumn":19}}})")).empty());
    EXPECT_TRUE(errors_of(report(R"({"ruleId":"r","primaryLocation":{"message":"m","filePath":"src/consumer.py","textRange":{"startLine":1,"startColumn":0,"endLine":1,"endColumn":18}}})")).empty());
}

TEST(SonarProperties, ReportPathAndBranchKey) {
    SonarProperties p;
    EXPECT_EQ(sonar_properties_text(p), "sonar.externalIssuesReportPaths=cq-sonar.json\n");
    p.project_key = "acme:svc";
    p.branch = "feature/login \xC3\xA9";
    EXPECT_EQ(sonar_properties_text(p),
              "sonar.externalIssuesReportPaths=cq-sonar.json\n"
              "sonar.projectKey=acme:svc-feature-login--\n"
              "sonar.projectName=acme:svc (feature/login \\u00E9)\n");
    EXPECT_EQ(sanitize_project_key("123"), "p123");
    EXPECT_EQ(branch_project_key("k", ""), "k");
}

}  // namespace
}  // namespace cq
