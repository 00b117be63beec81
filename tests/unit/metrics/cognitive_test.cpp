// Cognitive complexity from hand-built control trees: the white paper's worked examples, then
// each rule of the definition, then the per-language choices for nested functions.
#include <gtest/gtest.h>

#include <numeric>

#include "analyzer/model/metrics.hpp"
#include "tests/unit/metrics/control_builder.hpp"

namespace cq {
namespace {

using namespace cq::test;

std::uint32_t increments_sum(const Function& fn) {
    std::uint32_t sum = 0;
    for (const ComplexityIncrement& inc : fn.cognitive_increments) {
        sum += inc.amount;
    }
    return sum;
}

FileModel computed(Language lang, std::vector<Function> functions) {
    FileModel m = model_of(lang, std::move(functions));
    compute_metrics(m);
    for (const Function& fn : m.functions) {
        EXPECT_EQ(increments_sum(fn), fn.cognitive) << fn.name;
    }
    return m;
}

std::uint32_t cognitive_of(Language lang, std::vector<ControlNode> control) {
    std::vector<Function> fns;
    fns.push_back(function("f", std::move(control)));
    return computed(lang, std::move(fns)).functions[0].cognitive;
}

std::uint32_t cognitive_of(std::vector<ControlNode> control) {
    return cognitive_of(Language::cpp, std::move(control));
}

// --- The white paper's examples -------------------------------------------------------------

TEST(Cognitive, PaperSumOfPrimesIs7) {
    // OUT: for (...) {            +1
    //   for (...) {               +2 (nesting 1)
    //     if (i % j == 0) {       +3 (nesting 2)
    //       continue OUT;         +1
    FileModel m = computed(Language::cpp,
                           {function("sumOfPrimes", {loop({loop({if_({labeled_jump()})})})})});
    const Function& fn = m.functions[0];
    EXPECT_EQ(fn.cognitive, 7u);
    EXPECT_EQ(fn.cyclomatic, 4u);  // the paper gives 4 as well
    EXPECT_EQ(fn.max_nesting, 3u);
    ASSERT_EQ(fn.cognitive_increments.size(), 4u);
    EXPECT_EQ(fn.cognitive_increments[0].amount, 1);
    EXPECT_EQ(fn.cognitive_increments[1].amount, 2);
    EXPECT_EQ(fn.cognitive_increments[1].nesting, 1);
    EXPECT_EQ(fn.cognitive_increments[2].amount, 3);
    EXPECT_EQ(fn.cognitive_increments[2].nesting, 2);
    EXPECT_EQ(fn.cognitive_increments[2].kind, ControlKind::if_);
    EXPECT_EQ(fn.cognitive_increments[3].amount, 1);
    EXPECT_EQ(fn.cognitive_increments[3].nesting, 0);
    EXPECT_EQ(fn.cognitive_increments[3].kind, ControlKind::jump);
}

TEST(Cognitive, PaperGetWordsIs1) {
    // switch (number) { case 1: case 2: case 3: default: }   cyclomatic 4, cognitive 1
    FileModel m = computed(
        Language::cpp,
        {function("getWords", {switch_({case_(), case_(), case_(), default_()})})});
    EXPECT_EQ(m.functions[0].cognitive, 1u);
    EXPECT_EQ(m.functions[0].cyclomatic, 4u);
    EXPECT_EQ(m.functions[0].max_nesting, 1u);
}

TEST(Cognitive, PaperOverriddenSymbolFromIs19) {
    std::vector<ControlNode> body;
    body.push_back(if_());                         // +1
    body.push_back(loop({                          // +1
        if_({run(1, 1),                            // +2 (nesting 1), && +1
             if_({                                 // +3 (nesting 2)
                 if_({if_()}),                     // +4 (nesting 3), inner if +5 (nesting 4)
                 else_if(),                        // +1
             })}),
    }));
    body.push_back(if_());  // +1
    EXPECT_EQ(cognitive_of(std::move(body)), 19u);
}

TEST(Cognitive, PaperTryCatchMethodIs9) {
    // try { if (c1) { for { while { } } } } catch (...) { if (c2) { } }
    EXPECT_EQ(cognitive_of({if_({loop({loop()})}), catch_({if_()})}), 9u);
}

TEST(Cognitive, PaperLambdaAddsNestingButNoIncrement) {
    // void myMethod2() { Runnable r = () -> { if (condition1) { } }; }   == 2
    FileModel m = computed(Language::cpp, {function("myMethod2", {nested(1)}),
                                           function("lambda", {if_()}, 0)});
    EXPECT_EQ(m.functions[0].cognitive, 2u);
    EXPECT_EQ(m.functions[1].cognitive, 1u);  // its own score, as if it stood alone
    ASSERT_EQ(m.functions[0].cognitive_increments.size(), 1u);
    EXPECT_EQ(m.functions[0].cognitive_increments[0].amount, 2);
    EXPECT_EQ(m.functions[0].cognitive_increments[0].nesting, 1);
}

// --- Increments -----------------------------------------------------------------------------

TEST(Cognitive, ElseIfChainIsFlatButNestsItsBodies) {
    // if +1, else if +1, else if +1 (body: if +2), else +1 (body: for +2)
    EXPECT_EQ(cognitive_of({if_(), else_if(), else_if({if_()}), else_({loop()})}), 8u);
}

TEST(Cognitive, NestedElseIfTakesNoNestingItself) {
    // for { if +2  else if +1 { if +3 }  else +1 }
    EXPECT_EQ(cognitive_of({loop({if_(), else_if({if_()}), else_()})}), 1u + 2u + 1u + 3u + 1u);
}

TEST(Cognitive, LogicalSequences) {
    EXPECT_EQ(cognitive_of({run(2, 1)}), 1u);   // a && b && c
    EXPECT_EQ(cognitive_of({run(2, 2)}), 2u);   // a && b || c
    EXPECT_EQ(cognitive_of({if_({run(5, 3)})}), 4u);  // paper: if (a && b && c || d || e && f)
    // if (a && !(b && c)): the negated group is a run of its own
    EXPECT_EQ(cognitive_of({if_({run(1, 1, {run(1, 1)})})}), 3u);
    // Runs get no nesting increment, however deep.
    EXPECT_EQ(cognitive_of({loop({loop({run(3, 2)})})}), 1u + 2u + 2u);
}

TEST(Cognitive, RunWithoutSequenceCountStillCountsOne) {
    EXPECT_EQ(cognitive_of({run(2, 0)}), 1u);
    EXPECT_EQ(cognitive_of({run(0, 0)}), 0u);
}

TEST(Cognitive, RecursionCountsOncePerFunction) {
    EXPECT_EQ(cognitive_of({recursion()}), 1u);
    EXPECT_EQ(cognitive_of({if_({recursion()}), else_({recursion()})}), 1u + 1u + 1u);
}

TEST(Cognitive, LabeledJumpsAndGoto) {
    // while { break label; }  goto end;
    FileModel m = computed(Language::c, {function("f", {loop({labeled_jump()}), goto_()})});
    EXPECT_EQ(m.functions[0].cognitive, 3u);
    EXPECT_EQ(m.functions[0].cyclomatic, 2u);  // jumps are no decision for McCabe
}

TEST(Cognitive, SwitchTakesOneAndNestsItsCases) {
    // switch +1 { case: if +2   case: for +2 { if +3 }   default: ternary +2 }
    EXPECT_EQ(cognitive_of({switch_({case_({if_()}), case_({loop({if_()})}),
                                     default_({ternary()})})}),
              1u + 2u + 2u + 3u + 2u);
    // In a loop: +2 for the switch, cases' contents at nesting 2.
    EXPECT_EQ(cognitive_of({loop({switch_({case_({if_()})})})}), 1u + 2u + 3u);
}

TEST(Cognitive, SwitchSubjectIsNotInsideTheSwitch) {
    // switch (a ? b : c) { case 1: }   the ternary sits at the switch's own level
    EXPECT_EQ(cognitive_of({switch_({ternary(), case_()})}), 1u + 1u);
}

TEST(Cognitive, TernaryNests) {
    // x = c1 ? (c2 ? a : b) : d     +1, +2
    EXPECT_EQ(cognitive_of({ternary({ternary()})}), 3u);
    // both branches nested:  c1 ? (c2 ? a : b) : (c3 ? a : b)   +1 +2 +2
    EXPECT_EQ(cognitive_of({ternary({ternary(), ternary()})}), 5u);
}

TEST(Cognitive, CatchNests) {
    EXPECT_EQ(cognitive_of({catch_({if_({loop()})}), catch_()}), 1u + 2u + 3u + 1u);
}

TEST(Cognitive, LoopHeaderIsNotInsideTheLoop) {
    // for (x of (a ? b : c)) { if (d) {} }
    std::vector<Function> fns;
    fns.push_back(function("f", {loop({ternary(), if_()})}));
    FileModel m = model_of(Language::javascript, std::move(fns));
    const ControlNode& the_loop = m.functions[0].control[0];
    Loop info;
    info.range = the_loop.range;
    info.header_range = the_loop.range;
    info.header_range.end_byte = the_loop.children[0].range.end_byte + 1;  // covers the ternary
    m.loops.push_back(info);
    compute_metrics(m);
    EXPECT_EQ(m.functions[0].cognitive, 1u + 1u + 2u);
    EXPECT_EQ(increments_sum(m.functions[0]), m.functions[0].cognitive);
}

TEST(Cognitive, DoWhileConditionComesAfterTheBody) {
    // do { x = a ? b : c; } while (d ? e : f);   body ternary nested, condition not
    std::vector<Function> fns;
    fns.push_back(function("f", {loop({ternary(), ternary()})}));
    fns[0].control[0].flags = control_flag::k_do_while;
    FileModel m = model_of(Language::cpp, std::move(fns));
    const ControlNode& the_loop = m.functions[0].control[0];
    Loop info;
    info.kind = LoopKind::do_while;
    info.range = the_loop.range;
    info.range.end_byte = the_loop.children[1].range.end_byte + 5;
    info.header_range.start_byte = the_loop.children[1].range.start_byte - 1;  // `while (...)`
    info.header_range.end_byte = info.range.end_byte;
    m.loops.push_back(info);
    compute_metrics(m);
    EXPECT_EQ(m.functions[0].cognitive, 1u + 2u + 1u);
}

TEST(Cognitive, IncrementsAreInSourceOrder) {
    FileModel m = computed(Language::cpp, {function("f", {if_({run(1, 1)}), nested(1), loop()}),
                                           function("g", {if_()}, 0)});
    const auto& incs = m.functions[0].cognitive_increments;
    ASSERT_EQ(incs.size(), 4u);
    for (std::size_t i = 1; i < incs.size(); ++i) {
        EXPECT_LT(incs[i - 1].range.start_byte, incs[i].range.start_byte);
    }
}

// --- Nested functions, per language ---------------------------------------------------------

std::vector<Function> callback_in_if() {
    // f() { if (a) { g = () => { if (b) { for (;;) {} } } } }
    std::vector<Function> fns;
    fns.push_back(function("f", {if_({nested(1)})}));
    fns.push_back(function("g", {if_({loop()})}, 0));
    fns[1].is_lambda = true;
    return fns;
}

TEST(Cognitive, CppFoldsNestedLambdaWithOneMoreLevel) {
    FileModel m = computed(Language::cpp, callback_in_if());
    // f: if +1; lambda body starts at nesting 2: if +3, for +4
    EXPECT_EQ(m.functions[0].cognitive, 1u + 3u + 4u);
    EXPECT_EQ(m.functions[1].cognitive, 1u + 2u);
    EXPECT_EQ(m.functions[0].cyclomatic, 2u);  // lizard: nested functions are their own
    EXPECT_EQ(m.functions[0].max_nesting, 1u);
    EXPECT_EQ(m.functions[1].max_nesting, 2u);
}

TEST(Cognitive, JavaScriptScoresEveryFunctionOnItsOwnBody) {
    for (Language lang : {Language::javascript, Language::typescript}) {
        FileModel m = computed(lang, callback_in_if());
        EXPECT_EQ(m.functions[0].cognitive, 1u);
        EXPECT_EQ(m.functions[1].cognitive, 3u);
        ASSERT_EQ(m.functions[0].cognitive_increments.size(), 1u);
    }
}

TEST(Cognitive, PythonLambdaAddsNoNesting) {
    // def f(): if a: g = lambda: x if b else y
    std::vector<Function> fns;
    fns.push_back(function("f", {if_({nested(1)})}));
    fns.push_back(function("<lambda>", {ternary()}, 0));
    fns[1].is_lambda = true;
    FileModel m = computed(Language::python, std::move(fns));
    EXPECT_EQ(m.functions[0].cognitive, 1u + 2u);
}

TEST(Cognitive, PythonNestedDefAddsNesting) {
    // def f(): if a: def g(): if b: ...
    std::vector<Function> fns;
    fns.push_back(function("f", {if_({nested(1)})}));
    fns.push_back(function("g", {if_()}, 0));
    FileModel m = computed(Language::python, std::move(fns));
    EXPECT_EQ(m.functions[0].cognitive, 1u + 3u);
    EXPECT_EQ(m.functions[1].cognitive, 1u);
}

TEST(Cognitive, PythonMethodOfLocalClassStartsAtZero) {
    // def f(): for ...: class C: def m(self): if x: ...     (sonar-python: a class resets)
    std::vector<Function> fns;
    fns.push_back(function("f", {loop({nested(1)})}));
    fns.push_back(function("m", {if_()}, 0));
    fns[1].is_method = true;
    fns[1].class_name = "C";
    FileModel m = computed(Language::python, std::move(fns));
    EXPECT_EQ(m.functions[0].cognitive, 2u);
}

TEST(Cognitive, PythonLocalClassMethodDoesNotGrowWithItsEnclosingNesting) {
    // def f(): if a: def g(): for ..: class C: def m(self): if x: ...
    // m is at 0 wherever it stands: +1. g's for at base 2: +3. f: if +1.
    std::vector<Function> fns;
    fns.push_back(function("f", {if_({nested(1)})}));
    fns.push_back(function("g", {loop({nested(2)})}, 0));
    fns.push_back(function("m", {if_()}, 1));
    fns[2].is_method = true;
    FileModel m = computed(Language::python, std::move(fns));
    EXPECT_EQ(m.functions[0].cognitive, 1u + 3u + 1u);
    EXPECT_EQ(m.functions[1].cognitive, 1u + 1u);
}

TEST(Cognitive, ThreeLevelsOfFoldingAccumulate) {
    // f { g { if  h { if } } }  in C++: g's if at 1 (+2), h's if at 2 (+3)
    std::vector<Function> fns;
    fns.push_back(function("f", {nested(1)}));
    fns.push_back(function("g", {if_(), nested(2)}, 0));
    fns.push_back(function("h", {if_()}, 1));
    FileModel m = computed(Language::cpp, std::move(fns));
    EXPECT_EQ(m.functions[0].cognitive, 5u);
    EXPECT_EQ(m.functions[1].cognitive, 1u + 2u);
    EXPECT_EQ(m.functions[2].cognitive, 1u);
    // JS: each on its own.
    std::vector<Function> js;
    js.push_back(function("f", {nested(1)}));
    js.push_back(function("g", {if_(), nested(2)}, 0));
    js.push_back(function("h", {if_()}, 1));
    FileModel j = computed(Language::javascript, std::move(js));
    EXPECT_EQ(j.functions[0].cognitive, 0u);
    EXPECT_EQ(j.functions[1].cognitive, 1u);
    EXPECT_EQ(j.functions[2].cognitive, 1u);
}

TEST(Cognitive, ComprehensionClausesNeitherIncrementNorNest) {
    // [x if c else y for x in xs if p(x)]
    FileModel m = computed(Language::python,
                           {function("f", {comp_for({comp_if(), ternary()})})});
    EXPECT_EQ(m.functions[0].cognitive, 1u);
    EXPECT_EQ(m.functions[0].cyclomatic, 1u + 1u + 1u + 1u);  // for, if, ternary
    EXPECT_EQ(m.functions[0].max_nesting, 0u);
}

TEST(Cognitive, BadNestedIndexIsIgnored) {
    std::vector<Function> fns;
    fns.push_back(function("f", {nested(0), nested(7), nested(-1), if_()}));
    FileModel m = computed(Language::cpp, std::move(fns));
    EXPECT_EQ(m.functions[0].cognitive, 1u);
}

// --- Depth ----------------------------------------------------------------------------------

ControlNode deep_ifs(int depth) {
    ControlNode cur = if_();
    for (int i = 1; i < depth; ++i) {
        ControlNode parent = if_();
        parent.children.push_back(std::move(cur));
        cur = std::move(parent);
    }
    return cur;
}

TEST(Cognitive, FiveThousandNestedIfsDoNotOverflow) {
    constexpr std::uint32_t k_depth = 5000;
    FileModel m;
    m.language = Language::cpp;
    m.functions.push_back(function("deep", {}));
    m.functions[0].control.push_back(deep_ifs(static_cast<int>(k_depth)));
    compute_metrics(m);
    EXPECT_EQ(m.functions[0].cognitive, k_depth * (k_depth + 1) / 2);
    EXPECT_EQ(m.functions[0].cyclomatic, k_depth + 1);
    EXPECT_EQ(m.functions[0].max_nesting, k_depth);
    EXPECT_EQ(increments_sum(m.functions[0]), m.functions[0].cognitive);
    // Take the tree apart iteratively too: ~ControlNode recurses.
    std::vector<ControlNode> parts;
    parts.push_back(std::move(m.functions[0].control[0]));
    m.functions[0].control.clear();
    while (!parts.empty()) {
        ControlNode n = std::move(parts.back());
        parts.pop_back();
        for (ControlNode& c : n.children) {
            parts.push_back(std::move(c));
        }
        n.children.clear();
    }
}

TEST(Cognitive, FiveThousandNestedLogicalRuns) {
    constexpr int k_depth = 5000;
    ControlNode cur = run(1, 1);
    for (int i = 1; i < k_depth; ++i) {
        ControlNode parent = run(2, 2);
        parent.children.push_back(std::move(cur));
        cur = std::move(parent);
    }
    FileModel m;
    m.language = Language::javascript;
    m.functions.push_back(function("deep", {}));
    m.functions[0].control.push_back(std::move(cur));
    compute_metrics(m);
    EXPECT_EQ(m.functions[0].cognitive, 1u + 2u * (k_depth - 1));
    EXPECT_EQ(m.functions[0].cyclomatic, 1u + 1u + 2u * (k_depth - 1));
}

TEST(Cognitive, FiveThousandNestedFunctionsFoldExactly) {
    constexpr std::uint32_t k_depth = 5000;
    FileModel m;
    m.language = Language::cpp;
    for (std::uint32_t i = 0; i < k_depth; ++i) {
        std::vector<ControlNode> control{if_()};
        if (i + 1 < k_depth) {
            control.push_back(nested(static_cast<std::int32_t>(i + 1)));
        }
        m.functions.push_back(function("f" + std::to_string(i), std::move(control),
                                       static_cast<std::int32_t>(i) - 1));
        m.functions.back().range.start_byte = i;
        m.functions.back().range.end_byte = 2 * k_depth - i;
    }
    compute_metrics(m);
    // Function i's if sits at nesting i inside f0.
    EXPECT_EQ(m.functions[0].cognitive, k_depth * (k_depth + 1) / 2);
    EXPECT_EQ(increments_sum(m.functions[0]), m.functions[0].cognitive);
    EXPECT_EQ(m.functions[k_depth - 1].cognitive, 1u);
    EXPECT_EQ(m.functions[k_depth - 2].cognitive, 1u + 2u);
    for (const Function& fn : m.functions) {
        EXPECT_EQ(fn.max_nesting, 1u);
        EXPECT_EQ(fn.cyclomatic, 2u);
    }
}

}  // namespace
}  // namespace cq
