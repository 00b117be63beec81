// Gate conditions over hand-made new code: severities, the duplication density with its
// 20-line floor, and new or worsened complex functions.
#include <gtest/gtest.h>

#include <sstream>

#include "history/gate.hpp"
#include "tests/unit/history/history_test_support.hpp"

namespace {

using namespace cq;

ScanOptions options_with_thresholds() {
    ScanOptions o;
    o.rules.options["complexity/cyclomatic"]["threshold"] = "10";
    o.rules.options["complexity/cognitive"]["threshold"] = "15";
    return o;
}

history::NewCode new_code_for(const std::string& path, std::uint32_t first, std::uint32_t last) {
    history::NewCode nc;
    nc.mode = history::NewCodeMode::branch;
    nc.baseline.ref = "origin/main";
    nc.baseline.commit = "0123456789abcdef";
    nc.baseline.source = "history scan #1";
    nc.baseline.scan_id = 1;
    if (last >= first) {
        nc.changed.ranges[path].push_back({first, last});
    }
    return nc;
}

const history::ConditionResult& condition(const history::GateResult& g, const std::string& id) {
    for (const auto& c : g.conditions) {
        if (c.id == id) {
            return c;
        }
    }
    throw std::runtime_error("no condition " + id);
}

}  // namespace

TEST(Gate, NewIssuesAtOrAboveTheSeverityFail) {
    ScanResult head = test::fake_scan("a.py", 3, {});
    auto nc = new_code_for("a.py", 1, 2);
    nc.new_findings.push_back(test::fake_finding("style/x", Severity::minor, "a.py", 1, "f1"));
    auto pass = history::evaluate_gate(head, options_with_thresholds(), nc, {});
    EXPECT_TRUE(pass.passed);
    EXPECT_EQ(condition(pass, "new_issues").actual, "0");

    nc.new_findings.push_back(test::fake_finding("complexity/cyclomatic", Severity::major, "a.py", 1, "f2"));
    auto fail = history::evaluate_gate(head, options_with_thresholds(), nc, {});
    EXPECT_FALSE(fail.passed);
    EXPECT_EQ(condition(fail, "new_issues").status, history::ConditionStatus::failed);
    EXPECT_EQ(condition(fail, "new_issues").actual, "1");

    history::GateConditions lenient;
    lenient.new_issue_severity = Severity::critical;
    EXPECT_TRUE(history::evaluate_gate(head, options_with_thresholds(), nc, lenient).passed);
    lenient.new_issue_severity.reset();
    EXPECT_TRUE(history::evaluate_gate(head, options_with_thresholds(), nc, lenient).passed);
}

TEST(Gate, DuplicationDensityIsIgnoredUnderTwentyNewLines) {
    // 10 lines of code (fake_scan's file), all new, 4 of them duplicated: 40 %, but only 10 new lines.
    ScanResult head = test::fake_scan("a.py", 3, {test::fake_finding("duplication/block", Severity::minor, "a.py", 1, "d")});
    head.findings[0].range.end_line = 4;
    auto nc = new_code_for("a.py", 1, 10);
    auto g = history::evaluate_gate(head, options_with_thresholds(), nc, {});
    EXPECT_EQ(g.new_lines, 10u);
    EXPECT_EQ(g.new_duplicated_lines, 4u);
    EXPECT_EQ(condition(g, "new_duplicated_lines_density").status, history::ConditionStatus::ignored);
    EXPECT_TRUE(g.passed);

    history::GateConditions strict;
    strict.min_new_lines = 5;
    g = history::evaluate_gate(head, options_with_thresholds(), nc, strict);
    EXPECT_EQ(condition(g, "new_duplicated_lines_density").status, history::ConditionStatus::failed);
    EXPECT_EQ(condition(g, "new_duplicated_lines_density").actual, "40.0 %");
    EXPECT_FALSE(g.passed);

    // Duplicated lines that are not new do not count.
    nc = new_code_for("a.py", 6, 10);
    g = history::evaluate_gate(head, options_with_thresholds(), nc, strict);
    EXPECT_EQ(g.new_lines, 5u);
    EXPECT_EQ(g.new_duplicated_lines, 0u);
    EXPECT_TRUE(g.passed);
}

TEST(Gate, NewOrWorsenedComplexFunctionsFail) {
    auto nc = new_code_for("a.py", 1, 2);
    // A new function over the threshold.
    auto g = history::evaluate_gate(test::fake_scan("a.py", 12, {}), options_with_thresholds(), nc, {});
    ASSERT_EQ(g.functions.size(), 1u);
    EXPECT_FALSE(g.functions[0].base_cyclomatic);
    EXPECT_FALSE(g.passed);

    // Already over the threshold in the baseline and not worse: passes.
    nc.baseline.functions.push_back(history::StoredFunction{"a.py", "handle", 8, 12, 24});
    g = history::evaluate_gate(test::fake_scan("a.py", 12, {}), options_with_thresholds(), nc, {});
    EXPECT_TRUE(g.functions.empty());
    EXPECT_TRUE(g.passed);

    // Worse than before: fails, and says by how much.
    g = history::evaluate_gate(test::fake_scan("a.py", 14, {}), options_with_thresholds(), nc, {});
    ASSERT_EQ(g.functions.size(), 1u);
    EXPECT_EQ(*g.functions[0].base_cyclomatic, 12u);
    EXPECT_EQ(g.functions[0].cyclomatic, 14u);
    EXPECT_FALSE(g.passed);
    std::ostringstream text;
    history::write_gate_text(text, g, {});
    EXPECT_NE(text.str().find("cyclomatic 14 (was 12)"), std::string::npos) << text.str();

    // Turned off.
    history::GateConditions off;
    off.complexity = false;
    EXPECT_TRUE(history::evaluate_gate(test::fake_scan("a.py", 14, {}), options_with_thresholds(), nc, off).passed);
}

TEST(Gate, MarkdownHasVerdictConditionsLinksAndFixedIssues) {
    ScanResult head = test::fake_scan("a.py", 3, {});
    auto nc = new_code_for("a.py", 1, 2);
    nc.repo.prefix = "svc/";
    nc.new_findings.push_back(test::fake_finding("complexity/cyclomatic", Severity::major, "a.py", 7, "f1"));
    nc.new_findings[0].message = "too | complex";
    history::StoredIssue fixed;
    fixed.rule = "complexity/cognitive";
    fixed.path = "b.py";
    fixed.range.start_line = 3;
    fixed.message = "gone";
    nc.fixed.push_back(fixed);
    auto g = history::evaluate_gate(head, options_with_thresholds(), nc, {});
    std::ostringstream md;
    history::GateOutput out;
    out.link_base = "https://github.com/o/r/blob/abc";
    history::write_gate_markdown(md, g, out);
    const std::string s = md.str();
    EXPECT_NE(s.find("## cq quality gate: ❌ Failed"), std::string::npos) << s;
    EXPECT_NE(s.find("| Condition | Actual | Threshold | Status |"), std::string::npos) << s;
    EXPECT_NE(s.find("[a.py:7](https://github.com/o/r/blob/abc/svc/a.py#L7)"), std::string::npos) << s;
    EXPECT_NE(s.find("too \\| complex"), std::string::npos) << s;
    EXPECT_NE(s.find("### Fixed issues (1)"), std::string::npos) << s;
    EXPECT_NE(s.find("`b.py:3`"), std::string::npos) << s;

    const auto j = history::gate_json(g);
    EXPECT_FALSE(j["passed"].get<bool>());
    EXPECT_EQ(j["new_issues"].size(), 1u);
    EXPECT_EQ(j["fixed_issues"].size(), 1u);
    EXPECT_EQ(j["conditions"].size(), 3u);
}
