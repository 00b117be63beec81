// The complexity rules on hand-built models: thresholds, messages, secondary locations, and which
// functions are reported.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "analyzer/model/metrics.hpp"
#include "rules/registry.hpp"
#include "tests/unit/metrics/control_builder.hpp"

namespace cq {
namespace {

using namespace cq::test;

std::vector<Finding> run_rule(const std::string& id, const FileModel& model,
                              std::map<std::string, std::string> options = {}) {
    const Rule* rule = Registry::instance().find(id);
    EXPECT_NE(rule, nullptr) << id;
    if (rule == nullptr) {
        return {};
    }
    const auto* file_rule = dynamic_cast<const FileRule*>(rule);
    EXPECT_NE(file_rule, nullptr);
    std::vector<Finding> out;
    file_rule->check(model, RuleContext(std::move(options), rule->meta().severity), out);
    return out;
}

FileModel prepared(Language lang, std::vector<Function> fns) {
    FileModel m = model_of(lang, std::move(fns));
    m.path = "src/x";
    compute_metrics(m);
    return m;
}

TEST(ComplexityRules, AllFiveAreRegisteredWithTheirDocSections) {
    for (const char* id : {"complexity/cognitive", "complexity/cyclomatic",
                           "complexity/function-length", "complexity/nesting",
                           "complexity/parameters"}) {
        const Rule* rule = Registry::instance().find(id);
        ASSERT_NE(rule, nullptr) << id;
        const RuleMeta& meta = rule->meta();
        EXPECT_EQ(meta.languages, lang_mask::all);
        ASSERT_EQ(meta.options.size(), 1u);
        EXPECT_EQ(meta.options[0].name, "threshold");
        for (const char* section : {"## What it finds", "## Why it matters", "## Example",
                                    "## Instead", "## Options"}) {
            EXPECT_NE(meta.doc.find(section), std::string::npos) << id << " " << section;
        }
    }
}

TEST(ComplexityRules, CognitiveReportsOverTheThresholdWithEveryIncrement) {
    // sumOfPrimes: 7
    FileModel m = prepared(Language::cpp,
                           {function("sumOfPrimes", {loop({loop({if_({labeled_jump()})})})})});
    EXPECT_TRUE(run_rule("complexity/cognitive", m, {{"threshold", "7"}}).empty());
    const auto out = run_rule("complexity/cognitive", m, {{"threshold", "6"}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].range.start_byte, m.functions[0].name_range.start_byte);
    EXPECT_EQ(out[0].message,
              "Cognitive complexity of 'sumOfPrimes' is 7 (threshold 6); split it into smaller "
              "functions or flatten its nesting.");
    ASSERT_EQ(out[0].secondary.size(), 4u);
    EXPECT_EQ(out[0].secondary[0].message, "+1");
    EXPECT_EQ(out[0].secondary[1].message, "+2 (incl. 1 for nesting)");
    EXPECT_EQ(out[0].secondary[2].message, "+3 (incl. 2 for nesting)");
    EXPECT_EQ(out[0].secondary[3].message, "+1");
    EXPECT_EQ(out[0].secondary[2].path, "src/x");
}

std::vector<Function> outer_with_callback() {
    std::vector<Function> fns;
    fns.push_back(function("outer", {if_({nested(1)})}));
    fns.push_back(function("cb", {if_({if_()})}, 0));
    fns[1].is_lambda = true;
    return fns;
}

TEST(ComplexityRules, CognitiveFoldedLanguagesReportOnlyTheOutermost) {
    // C++: outer = 1 + (3 + 4) = 8, cb alone = 3
    FileModel m = prepared(Language::cpp, outer_with_callback());
    const auto out = run_rule("complexity/cognitive", m, {{"threshold", "2"}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_NE(out[0].message.find("'outer' is 8"), std::string::npos) << out[0].message;
    EXPECT_EQ(out[0].secondary.size(), 3u);
}

TEST(ComplexityRules, CognitiveJavaScriptReportsEachFunctionOnItsOwn) {
    FileModel m = prepared(Language::javascript, outer_with_callback());
    const auto out = run_rule("complexity/cognitive", m, {{"threshold", "2"}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_NE(out[0].message.find("'cb' is 3"), std::string::npos) << out[0].message;
    EXPECT_EQ(run_rule("complexity/cognitive", m, {{"threshold", "0"}}).size(), 2u);
}

TEST(ComplexityRules, CyclomaticCountsEachFunctionAlone) {
    FileModel m = prepared(Language::python, outer_with_callback());
    // outer: 2, cb: 3
    const auto out = run_rule("complexity/cyclomatic", m, {{"threshold", "2"}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].message,
              "Cyclomatic complexity of 'cb' is 3 (threshold 2); split its decisions into "
              "smaller functions.");
}

TEST(ComplexityRules, NestingPointsAtTheStructureWithItsLevels) {
    FileModel m = prepared(Language::c, {function("f", {loop({if_({loop({if_()})})})})});
    const auto out = run_rule("complexity/nesting", m, {{"threshold", "3"}});
    ASSERT_EQ(out.size(), 1u);
    const ControlNode& deepest = m.functions[0].control[0].children[0].children[0].children[0];
    EXPECT_EQ(out[0].range.start_byte, deepest.range.start_byte);
    ASSERT_EQ(out[0].secondary.size(), 3u);
    EXPECT_EQ(out[0].secondary[0].message, "Nesting level 1");
    EXPECT_NE(out[0].message.find("nested 4 levels deep in 'f' (threshold 3)"), std::string::npos)
        << out[0].message;
    EXPECT_TRUE(run_rule("complexity/nesting", m).empty());  // default 4
}

TEST(ComplexityRules, FunctionLengthUsesNloc) {
    FileModel m = prepared(Language::javascript, {function("f", {})});
    m.functions[0].nloc = 61;
    EXPECT_EQ(run_rule("complexity/function-length", m).size(), 1u);
    m.functions[0].nloc = 60;
    EXPECT_TRUE(run_rule("complexity/function-length", m).empty());
}

TEST(ComplexityRules, ParametersLeaveOutSelfButNotOfStaticMethods) {
    FileModel m = prepared(Language::python, {function("m", {})});
    Function& fn = m.functions[0];
    fn.is_method = true;
    for (const char* name : {"self", "a", "b", "c", "d", "e", "f", "g"}) {
        Parameter p;
        p.name = name;
        fn.params.push_back(p);
    }
    EXPECT_TRUE(run_rule("complexity/parameters", m).empty());  // 7 without self
    fn.decorators.push_back("staticmethod");
    const auto out = run_rule("complexity/parameters", m);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].message, "'m' has 8 parameters (threshold 7); group the ones that belong "
                              "together.");
}

TEST(ComplexityRules, NegativeThresholdMeansZeroAndJunkThrows) {
    FileModel m = prepared(Language::c, {function("f", {if_()})});
    EXPECT_EQ(run_rule("complexity/cyclomatic", m, {{"threshold", "-3"}}).size(), 1u);
    EXPECT_THROW(run_rule("complexity/cyclomatic", m, {{"threshold", "ten"}}),
                 std::invalid_argument);
}

}  // namespace
}  // namespace cq
