// GitLab Code Quality, Markdown and HTML: golden files and the properties their readers need.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace cq {
namespace {

TEST(CodeClimateExport, MatchesGoldenAndGitlabFields) {
    const ScanResult scan = test::sample_scan();
    const auto doc = to_codeclimate(scan, test::sample_context());
    test::expect_golden("reports/sample.codeclimate.json", doc.dump(2) + "\n");
    ASSERT_TRUE(doc.is_array());
    ASSERT_EQ(doc.size(), scan.findings.size());
    std::set<std::string> fingerprints;
    const std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
    for (const auto& issue : doc) {
        EXPECT_TRUE(issue["description"].is_string());
        EXPECT_TRUE(issue["check_name"].is_string());
        EXPECT_TRUE(severities.count(issue["severity"].get<std::string>()));
        EXPECT_TRUE(fingerprints.insert(issue["fingerprint"].get<std::string>()).second) << "fingerprints must be unique";
        EXPECT_TRUE(issue["location"]["path"].is_string());
        EXPECT_GE(issue["location"]["lines"]["begin"].get<int>(), 1);
        EXPECT_GE(issue["location"]["lines"]["end"].get<int>(), issue["location"]["lines"]["begin"].get<int>());
    }
}

TEST(CodeClimateExport, RepeatedFingerprintsAreMadeUnique) {
    ScanResult scan = test::sample_scan();
    scan.findings.push_back(scan.findings.front());
    const auto doc = to_codeclimate(scan, test::sample_context());
    EXPECT_NE(doc.front()["fingerprint"], doc.back()["fingerprint"]);
}

TEST(MarkdownExport, MatchesGoldenAndEscapes) {
    const ScanResult scan = test::sample_scan();
    std::ostringstream out;
    write_markdown(out, scan, test::sample_context());
    const std::string md = out.str();
    test::expect_golden("reports/sample.md", md);
    // Markup from the scan is backslash-escaped (`\<img`), never raw.
    EXPECT_FALSE(std::regex_search(md, std::regex(R"([^\\]<(script|img))")));
    // Every table row has the same number of unescaped cell separators as its header.
    std::istringstream lines(md);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("| ", 0) == 0 && line.find(" | message |") == std::string::npos &&
            line.find(" | ") != std::string::npos) {
            const std::string unescaped = std::regex_replace(line, std::regex(R"(\\\|)"), "");
            const auto cells = std::count(unescaped.begin(), unescaped.end(), '|');
            EXPECT_TRUE(cells == 3 || cells == 5) << line;
        }
    }
}

TEST(MarkdownExport, NoIssues) {
    const ScanResult scan;
    std::ostringstream out;
    write_markdown(out, scan, test::sample_context());
    EXPECT_NE(out.str().find("No issues."), std::string::npos);
}

TEST(HtmlExport, MatchesGoldenWithoutHistory) {
    const ScanResult scan = test::sample_scan();
    std::ostringstream out;
    write_html(out, scan, test::sample_context());
    const std::string html = out.str();
    test::expect_golden("reports/sample.html", html);
    EXPECT_NE(html.find("No history yet"), std::string::npos);
    // Nothing from the scan reaches the page unescaped, and nothing is loaded from elsewhere.
    EXPECT_EQ(html.find("<script>window.__pwned"), std::string::npos);
    EXPECT_EQ(html.find("<img src=x"), std::string::npos);
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(std::count(html.begin(), html.end(), '\0'), 0);
}

TEST(HtmlExport, MatchesGoldenWithTrends) {
    const ScanResult scan = test::sample_scan();
    ReportContext ctx = test::sample_context();
    ctx.trends = test::sample_trends();
    std::ostringstream out;
    write_html(out, scan, ctx);
    const std::string html = out.str();
    test::expect_golden("reports/sample-trends.html", html);
    EXPECT_EQ(html.find("No history yet"), std::string::npos);
    EXPECT_NE(html.find("<polyline"), std::string::npos);
    EXPECT_NE(html.find("feature/&lt;b&gt;"), std::string::npos);
    EXPECT_EQ(html.find("feature/<b>"), std::string::npos);
}

TEST(ReportFormats, TableListsEveryExporter) {
    for (const char* name : {"text", "json", "sarif", "sonar", "codeclimate", "markdown", "html"}) {
        EXPECT_NE(find_report_format(name), nullptr) << name;
    }
}

TEST(ReportFormats, IncludeFilterAppliesToEveryExporter) {
    const ScanResult scan = test::sample_scan();
    ReportContext ctx = test::sample_context();
    ctx.include = [](const Finding& f) { return f.rule == "security/command-injection"; };
    EXPECT_EQ(to_codeclimate(scan, ctx).size(), 1u);
    EXPECT_EQ(to_sarif(scan, ctx)["runs"][0]["results"].size(), 1u);
    std::ostringstream md;
    write_markdown(md, scan, ctx);
    EXPECT_NE(md.str().find("## cq: 1 issue\n"), std::string::npos);
}

}  // namespace
}  // namespace cq
