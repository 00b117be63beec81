// Inline suppressions through the engine: only comments count (never text in strings), the line
// or the line above, ignore-file, categories, and unused ones reported.
#include <gtest/gtest.h>

#include "analyzer/engine/engine.hpp"
#include "analyzer/engine/suppressions.hpp"

namespace {

cq::RuleSelection params_rule() {
    cq::RuleSelection sel;
    sel.only = {"complexity/parameters", "cq/unused-suppression"};
    sel.options["complexity/parameters"]["threshold"] = "1";
    return sel;
}

std::vector<std::string> describe(const std::vector<cq::Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) {
        out.push_back(std::to_string(f.range.start_line) + " " + f.rule);
    }
    return out;
}

}  // namespace

TEST(Suppressions, TrailingAndLineAbove) {
    const auto r = cq::analyze_source("a.py", R"(def f(a, b):  # cq: ignore[complexity/parameters]
    pass

# cq: ignore[complexity/parameters]
# another comment
def g(a, b):
    pass

def h(a, b):
    pass
)", params_rule());
    EXPECT_EQ(describe(r.findings), std::vector<std::string>{"9 complexity/parameters"});
    EXPECT_EQ(describe(r.suppressed), (std::vector<std::string>{"1 complexity/parameters", "6 complexity/parameters"}));
}

TEST(Suppressions, TextInsideStringsIsNotASuppression) {
    const auto r = cq::analyze_source("a.js", R"(function f(a, b) { return "// cq: ignore[complexity/parameters]"; }
function g(a, b) { return `x
// cq: ignore[complexity/parameters]`; }
)", params_rule());
    EXPECT_EQ(describe(r.findings), (std::vector<std::string>{"1 complexity/parameters", "2 complexity/parameters"}));
    EXPECT_TRUE(r.suppressed.empty());
}

TEST(Suppressions, BlockCommentsCategoriesAndSeveralIds) {
    const auto r = cq::analyze_source("a.c", R"(/* cq: ignore[complexity, security/format-string] */
int f(int a, int b) { return a + b; }
int g(int a, int b) { return a + b; } /* cq: ignore[complexity/*] */
)", params_rule());
    EXPECT_TRUE(r.findings.empty()) << describe(r.findings)[0];
    EXPECT_EQ(r.suppressed.size(), 2u);
}

TEST(Suppressions, IgnoreFile) {
    const auto r = cq::analyze_source("a.ts", R"(// cq: ignore-file[complexity/parameters]
function f(a: number, b: number) { return a; }
function g(a: number, b: number) { return b; }
)", params_rule());
    EXPECT_TRUE(r.findings.empty());
    EXPECT_EQ(r.suppressed.size(), 2u);
}

TEST(Suppressions, UnusedUnknownAndMalformedAreReported) {
    const auto r = cq::analyze_source("a.py", R"(def f(a):  # cq: ignore[complexity/parameters]
    pass

def g(a):  # cq: ignore[no/such-rule]
    pass

def h(a):  # cq: ignore
    pass

def k(a):  # cq: ignore[complexity/parameters, cq/unused-suppression]
    pass
)", params_rule());
    ASSERT_EQ(describe(r.findings), (std::vector<std::string>{"1 cq/unused-suppression", "4 cq/unused-suppression",
                                                             "7 cq/unused-suppression"}));
    EXPECT_NE(r.findings[0].message.find("suppresses nothing"), std::string::npos);
    EXPECT_NE(r.findings[1].message.find("names no rule"), std::string::npos);
    EXPECT_NE(r.findings[2].message.find("Malformed"), std::string::npos);
    EXPECT_EQ(r.findings[0].range.start_column, 14u);  // the `cq:` after `def f(a):  # `
    EXPECT_FALSE(r.findings[0].fingerprint.empty());
}

TEST(Suppressions, NotJudgedWhenTheRuleDidNotRun) {
    cq::RuleSelection sel;
    sel.only = {"cq/unused-suppression"};
    const auto r = cq::analyze_source("a.py", "def f(a):  # cq: ignore[complexity/parameters]\n    pass\n", sel);
    EXPECT_TRUE(r.findings.empty());
}

TEST(Suppressions, ProseMentioningCqIsNotADirective) {
    const auto r = cq::analyze_source("a.py", "# cq: ignored on purpose, see docs\n# acq: ignore[x]\nx = 1\n",
                                      params_rule());
    EXPECT_TRUE(r.findings.empty());
}
