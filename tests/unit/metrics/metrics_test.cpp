// Cyclomatic complexity, max nesting, nloc / ncloc, and the complexity rules' helpers.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "analyzer/model/metrics.hpp"
#include "rules/support/complexity_support.hpp"
#include "tests/unit/metrics/control_builder.hpp"

namespace cq {
namespace {

using namespace cq::test;

Function computed_one(Language lang, std::vector<ControlNode> control) {
    std::vector<Function> fns;
    fns.push_back(function("f", std::move(control)));
    FileModel m = model_of(lang, std::move(fns));
    compute_metrics(m);
    return std::move(m.functions[0]);
}

// --- Cyclomatic -----------------------------------------------------------------------------

TEST(Cyclomatic, EmptyFunctionIsOne) {
    const Function fn = computed_one(Language::c, {});
    EXPECT_EQ(fn.cyclomatic, 1u);
    EXPECT_EQ(fn.cognitive, 0u);
    EXPECT_EQ(fn.max_nesting, 0u);
    EXPECT_TRUE(fn.cognitive_increments.empty());
}

TEST(Cyclomatic, CountsLizardsDecisionPoints) {
    // if, else if, else (no), while, case, case, default (no), catch, ternary, a && b || c
    const Function fn = computed_one(
        Language::cpp, {if_(), else_if(), else_(), loop(), switch_({case_(), case_(), default_()}),
                        catch_(), ternary(), run(2, 2)});
    EXPECT_EQ(fn.cyclomatic, 1u + 1 + 1 + 1 + 2 + 1 + 1 + 2);
}

TEST(Cyclomatic, NestedRunsCountEachOperator) {
    // a && (b || c) && f(d && e)
    EXPECT_EQ(computed_one(Language::javascript, {run(2, 1, {run(1, 1), run(1, 1)})}).cyclomatic,
              5u);
}

TEST(Cyclomatic, ComprehensionClausesCount) {
    // [x for x in xs if x for y in x]  ->  for, if, for
    EXPECT_EQ(computed_one(Language::python, {comp_for({comp_if(), comp_for()})}).cyclomatic, 4u);
}

TEST(Cyclomatic, JumpsRecursionAndSwitchAreNoDecision) {
    EXPECT_EQ(computed_one(Language::c, {labeled_jump(), goto_(), recursion(), switch_({})})
                  .cyclomatic,
              1u);
}

TEST(Cyclomatic, LongSwitchIsCyclomaticHeavyButCognitiveLight) {
    std::vector<ControlNode> cases;
    for (int i = 0; i < 12; ++i) {
        cases.push_back(case_());
    }
    cases.push_back(default_());
    const Function fn = computed_one(Language::c, {switch_(std::move(cases))});
    EXPECT_EQ(fn.cyclomatic, 13u);
    EXPECT_EQ(fn.cognitive, 1u);
}

// --- Max nesting ----------------------------------------------------------------------------

TEST(MaxNesting, IfInsideForIsTwo) {
    EXPECT_EQ(computed_one(Language::python, {loop({if_()})}).max_nesting, 2u);
}

TEST(MaxNesting, ElseArmsKeepTheirIfsDepth) {
    // if {} else if { for {} } else { }   -> the for is at depth 2
    EXPECT_EQ(computed_one(Language::c, {if_(), else_if({loop()}), else_()}).max_nesting, 2u);
    EXPECT_EQ(computed_one(Language::c, {if_(), else_if(), else_if(), else_()}).max_nesting, 1u);
}

TEST(MaxNesting, CasesAndTernariesAddNoLevel) {
    EXPECT_EQ(computed_one(Language::c, {switch_({case_({if_()})})}).max_nesting, 2u);
    EXPECT_EQ(computed_one(Language::c, {ternary({ternary({if_()})})}).max_nesting, 1u);
    EXPECT_EQ(computed_one(Language::c, {catch_({run(1, 1, {ternary()})})}).max_nesting, 1u);
}

TEST(MaxNesting, NestedFunctionsStartAgain) {
    std::vector<Function> fns;
    fns.push_back(function("f", {loop({loop({nested(1)})})}));
    fns.push_back(function("g", {if_()}, 0));
    FileModel m = model_of(Language::javascript, std::move(fns));
    compute_metrics(m);
    EXPECT_EQ(m.functions[0].max_nesting, 2u);
    EXPECT_EQ(m.functions[1].max_nesting, 1u);
}

// --- nloc / ncloc ---------------------------------------------------------------------------

Token token_at(std::uint32_t line, std::uint32_t byte) {
    Token t;
    t.line = line;
    t.start_byte = byte;
    t.end_byte = byte + 1;
    return t;
}

TEST(Nloc, DistinctTokenLinesInsideTheRange) {
    FileModel m;
    m.language = Language::c;
    // lines 1, 1, 2, 4, 4, 6, 9
    const std::uint32_t lines[] = {1, 1, 2, 4, 4, 6, 9};
    std::uint32_t byte = 0;
    for (std::uint32_t l : lines) {
        m.tokens.push_back(token_at(l, byte));
        byte += 10;
    }
    Function f = function("f", {});
    f.range.start_byte = 10;  // second token .. the one on line 6
    f.range.end_byte = 51;
    Function g = function("g", {}, 0);
    g.range.start_byte = 20;
    g.range.end_byte = 21;
    Function empty = function("e", {});
    empty.range.start_byte = 200;
    empty.range.end_byte = 300;
    m.functions = {f, g, empty};
    compute_metrics(m);
    EXPECT_EQ(m.ncloc, 5u);
    EXPECT_EQ(count_ncloc(m), 5u);
    EXPECT_EQ(m.functions[0].nloc, 4u);  // lines 1, 2, 4, 6
    EXPECT_EQ(m.functions[1].nloc, 1u);
    EXPECT_EQ(m.functions[2].nloc, 0u);
}

TEST(Nloc, TokensOutOfOrderStillCount) {
    FileModel m;
    m.tokens = {token_at(3, 30), token_at(1, 0), token_at(3, 31)};
    Function f = function("f", {});
    f.range.start_byte = 0;
    f.range.end_byte = 40;
    m.functions = {f};
    compute_metrics(m);
    EXPECT_EQ(m.ncloc, 2u);
    EXPECT_EQ(m.functions[0].nloc, 2u);
}

TEST(Nloc, MultiLineTokensCountEveryLineTheySpan) {
    FileModel m;
    m.source = "a = \"\"\"x\ny\n\nz\"\"\"\nb\n";
    const auto at = [&m](std::uint32_t line, const std::string& text) {
        Token t;
        t.line = line;
        t.start_byte = static_cast<std::uint32_t>(m.source.find(text));
        t.end_byte = t.start_byte + static_cast<std::uint32_t>(text.size());
        return t;
    };
    m.tokens = {at(1, "a"), at(1, "="), at(1, "\"\"\"x\ny\n\nz\"\"\""), at(5, "b")};
    Function f = function("f", {});
    f.range.start_byte = m.tokens[2].start_byte;  // from the string to b
    f.range.end_byte = static_cast<std::uint32_t>(m.source.size());
    Function g = function("g", {});
    g.range.start_byte = m.tokens[3].start_byte;
    g.range.end_byte = g.range.start_byte + 1;
    m.functions = {f, g};
    compute_metrics(m);
    EXPECT_EQ(m.ncloc, 5u);
    EXPECT_EQ(m.functions[0].nloc, 5u);
    EXPECT_EQ(m.functions[1].nloc, 1u);
    std::swap(m.tokens[0], m.tokens[3]);  // out of order: the slow path agrees
    compute_metrics(m);
    EXPECT_EQ(m.ncloc, 5u);
    EXPECT_EQ(m.functions[0].nloc, 5u);
}

TEST(Nloc, EmptyFile) {
    FileModel m;
    compute_metrics(m);
    EXPECT_EQ(m.ncloc, 0u);
}

// --- Python's wrapper functions need the tokens ---------------------------------------------

// A toy tokenizer for the wrapper test: words and single punctuation characters.
void tokenize(FileModel& m) {
    std::uint32_t line = 1;
    const std::string& s = m.source;
    for (std::uint32_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '\n') {
            ++line;
            ++i;
            continue;
        }
        if (c == ' ') {
            ++i;
            continue;
        }
        Token t;
        t.line = line;
        t.start_byte = i;
        const auto word = [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_';
        };
        if (word(c)) {
            while (i < s.size() && word(s[i])) {
                ++i;
            }
        } else {
            ++i;
        }
        t.end_byte = i;
        m.tokens.push_back(t);
    }
}

Range span(const std::string& source, const std::string& from, const std::string& to) {
    Range r;
    r.start_byte = static_cast<std::uint32_t>(source.find(from));
    r.end_byte = static_cast<std::uint32_t>(source.find(to, r.start_byte) + to.size());
    return r;
}

FileModel decorator_model(const std::string& source) {
    FileModel m;
    m.language = Language::python;
    m.source = source;
    tokenize(m);
    Function outer = function("deco", {nested(1)});
    outer.range = span(source, "def deco", "wrapper\n");
    outer.range.end_byte = static_cast<std::uint32_t>(source.size());
    outer.body_range = outer.range;
    outer.body_range.start_byte = static_cast<std::uint32_t>(source.find(":\n") + 1);
    outer.control[0].range = span(source, "def wrapper", "def wrapper");
    Function inner = function("wrapper", {if_({loop()})}, 0);
    inner.range = span(source, "def wrapper", "args)\n");
    inner.control[0].range = span(source, "if args", "if");
    inner.control[0].children[0].range = span(source, "for a", "for");
    m.functions = {outer, inner};
    compute_metrics(m);
    return m;
}

TEST(PythonWrapper, DecoratorWrapperAddsNoNesting) {
    const std::string src =
        "def deco(f):\n"
        "    @functools.wraps(f)\n"
        "    def wrapper(*args):\n"
        "        if args:\n"
        "            for a in args:\n"
        "                return f(*args)\n"
        "    return wrapper\n";
    FileModel m = decorator_model(src);
    EXPECT_EQ(m.functions[1].cognitive, 3u);
    EXPECT_EQ(m.functions[0].cognitive, 3u);  // not 1+1 more per increment
}

TEST(PythonWrapper, AnyOtherStatementMakesItAnOrdinaryNestedDef) {
    const std::string src =
        "def deco(f):\n"
        "    calls = 0\n"
        "    def wrapper(*args):\n"
        "        if args:\n"
        "            for a in args:\n"
        "                return f(*args)\n"
        "    return wrapper\n";
    FileModel m = decorator_model(src);
    EXPECT_EQ(m.functions[0].cognitive, 2u + 3u);
}

TEST(PythonWrapper, ReturningACallIsNotASimpleReturn) {
    const std::string src =
        "def deco(f):\n"
        "    def wrapper(*args):\n"
        "        if args:\n"
        "            for a in args:\n"
        "                return f(*args)\n"
        "    return wrapper(f)\n";
    FileModel m = decorator_model(src);
    EXPECT_EQ(m.functions[0].cognitive, 5u);
}

// --- Rule helpers ---------------------------------------------------------------------------

TEST(ComplexitySupport, IncrementMessages) {
    ComplexityIncrement inc;
    inc.amount = 1;
    EXPECT_EQ(complexity::increment_message(inc), "+1");
    inc.amount = 3;
    inc.nesting = 2;
    EXPECT_EQ(complexity::increment_message(inc), "+3 (incl. 2 for nesting)");
}

TEST(ComplexitySupport, CognitiveReportedAlone) {
    FileModel m;
    Function top = function("f", {});
    Function inner = function("g", {}, 0);
    for (Language lang : {Language::python, Language::c, Language::cpp}) {
        m.language = lang;
        EXPECT_TRUE(complexity::cognitive_reported_alone(m, top));
        EXPECT_FALSE(complexity::cognitive_reported_alone(m, inner));
    }
    for (Language lang : {Language::javascript, Language::typescript}) {
        m.language = lang;
        EXPECT_TRUE(complexity::cognitive_reported_alone(m, inner));
    }
}

TEST(ComplexitySupport, DeepStructuresReportTheFirstLevelOverTheLimit) {
    // for { if { while { if {} else { for { if {} } } } } }  with threshold 3
    Function fn = function(
        "f", {loop({if_({loop({if_(), else_({loop({if_()})})})})}), loop({if_({loop({if_()})})})});
    const auto deep = complexity::find_deep_structures(fn, 3);
    // First path: if at depth 4 is reported; its else arm is not descended into again.
    // Second path: the if at depth 4 too.
    ASSERT_EQ(deep.size(), 2u);
    EXPECT_EQ(deep[0].depth, 4u);
    EXPECT_EQ(deep[0].node->kind, ControlKind::if_);
    ASSERT_EQ(deep[0].enclosing.size(), 3u);
    EXPECT_EQ(deep[0].enclosing[0]->kind, ControlKind::loop);
    EXPECT_EQ(deep[0].enclosing[1]->kind, ControlKind::if_);
    EXPECT_EQ(deep[0].enclosing[2]->kind, ControlKind::loop);
    EXPECT_EQ(deep[1].depth, 4u);
    // Threshold 4: only the for inside the else arm (depth 5) is over.
    const auto at4 = complexity::find_deep_structures(fn, 4);
    ASSERT_EQ(at4.size(), 1u);
    EXPECT_EQ(at4[0].depth, 5u);
    EXPECT_EQ(at4[0].enclosing.back()->kind, ControlKind::else_);
    EXPECT_TRUE(complexity::find_deep_structures(fn, 6).empty());
}

TEST(ComplexitySupport, DeepStructuresUnderElseArmsChainThroughTheArm) {
    Function fn = function("f", {if_(), else_({if_({if_()})})});
    const auto deep = complexity::find_deep_structures(fn, 2);
    ASSERT_EQ(deep.size(), 1u);
    EXPECT_EQ(deep[0].depth, 3u);
    ASSERT_EQ(deep[0].enclosing.size(), 2u);
    EXPECT_EQ(deep[0].enclosing[0]->kind, ControlKind::else_);
}

TEST(ComplexitySupport, DeepStructuresAgreeWithMaxNesting) {
    const std::vector<std::vector<ControlNode>> trees = {
        {loop({if_({loop({if_(), else_({loop({if_()})})})})})},
        {switch_({case_({ternary({if_({catch_()})})})})},
        {comp_for({comp_if({if_()})}), else_if({loop()})},
        {run(1, 1, {if_({if_()})}), nested(-1)},
    };
    for (const auto& tree : trees) {
        std::vector<Function> fns;
        fns.push_back(function("f", tree));
        FileModel m = model_of(Language::javascript, std::move(fns));
        compute_metrics(m);
        const std::uint32_t max = m.functions[0].max_nesting;
        EXPECT_TRUE(complexity::find_deep_structures(m.functions[0], max).empty());
        if (max > 0) {
            EXPECT_FALSE(complexity::find_deep_structures(m.functions[0], max - 1).empty());
        }
    }
}

TEST(ComplexitySupport, DeepStructuresOnAFiveThousandLevelTree) {
    ControlNode cur = if_();
    for (int i = 1; i < 5000; ++i) {
        ControlNode parent = loop();
        parent.children.push_back(std::move(cur));
        cur = std::move(parent);
    }
    Function fn = function("f", {});
    fn.control.push_back(std::move(cur));
    const auto deep = complexity::find_deep_structures(fn, 4);
    ASSERT_EQ(deep.size(), 1u);
    EXPECT_EQ(deep[0].depth, 5u);
    EXPECT_EQ(deep[0].enclosing.size(), 4u);
}

TEST(ComplexitySupport, StructureKeywordReadsTheSource) {
    FileModel m;
    m.source = "for x in y:\n    pass\nelif";
    ControlNode n = loop();
    n.range.start_byte = 0;
    n.range.end_byte = 3;
    EXPECT_EQ(complexity::structure_keyword(m, n), "for");
    n.range.end_byte = 11;  // "for x in y:" is no keyword
    EXPECT_EQ(complexity::structure_keyword(m, n), "loop");
}

}  // namespace
}  // namespace cq
