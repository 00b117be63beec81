// The control tree must have the shape the tree-sitter C/C++ front end produces (see the shape
// rules in analyzer/model/file_model.hpp), so that complexity numbers agree.
#include <gtest/gtest.h>

#include "analyzer/clang/clang_frontend.hpp"
#include "clang_test_support.hpp"

namespace cq::clangfe {
namespace {

using testing::analyze_snippet;
using testing::shape;

// The control tree of the only (or first) function in `body`, wrapped in a function.
std::string control_of(const std::string& body, Language lang = Language::cpp) {
    const std::string src = "int f(int a, int b, int c) {\n" + body + "\n}\n";
    const FileModel m = analyze_snippet(src, lang);
    EXPECT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    if (m.functions.empty()) {
        return "<no function>";
    }
    return shape(m.functions[0].control);
}

TEST(ControlTree, IfElseIfElseAreSiblings) {
    EXPECT_EQ(control_of("if (a) { return 1; } else if (b) { return 2; } else if (c) { return 3; } "
                         "else { return 4; } return 0;"),
              "if elif elif else");
    EXPECT_EQ(control_of("if (a) return 1; else return 2;"), "if else");
    // A block holding an if is an else, not an else-if.
    EXPECT_EQ(control_of("if (a) { } else { if (b) { } } return 0;"), "if else{if}");
    // Nodes in a condition or a branch belong to that arm.
    EXPECT_EQ(control_of("if (a && b) { if (c) { } } else if (b || c) { return a ? 1 : 2; } "
                         "return 0;"),
              "if{&&(1,1) if} elif{&&(1,1) ?:}");
}

TEST(ControlTree, KeywordRangesPointAtTheKeywords) {
    const FileModel m = analyze_snippet(
        "int f(int a, int b) {\n"
        "  if (a) {\n"
        "    return 1;\n"
        "  } else if (b) {\n"
        "    return 2;\n"
        "  } else {\n"
        "    return a && b ? 3 : 4;\n"
        "  }\n"
        "}\n");
    ASSERT_EQ(m.functions.size(), 1u);
    const std::vector<ControlNode>& c = m.functions[0].control;
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].range.start_line, 2u);
    EXPECT_EQ(c[0].range.start_column, 3u);
    EXPECT_EQ(c[0].range.end_column, 5u);
    EXPECT_EQ(c[1].kind, ControlKind::else_if);
    EXPECT_EQ(c[1].range.start_line, 4u);
    EXPECT_EQ(c[1].range.start_column, 5u);  // `else if`
    EXPECT_EQ(c[1].range.end_column, 12u);
    EXPECT_EQ(c[2].kind, ControlKind::else_);
    EXPECT_EQ(c[2].range.start_line, 6u);
    EXPECT_EQ(c[2].range.start_column, 5u);
    ASSERT_EQ(c[2].children.size(), 1u);
    const ControlNode& ternary = c[2].children[0];
    EXPECT_EQ(ternary.kind, ControlKind::ternary);
    EXPECT_EQ(ternary.range.start_column, 19u);  // `?`
    ASSERT_EQ(ternary.children.size(), 1u);
    EXPECT_EQ(ternary.children[0].kind, ControlKind::logical_run);
    EXPECT_EQ(ternary.children[0].range.start_column, 14u);  // the first operator
}

TEST(ControlTree, SwitchCasesHoldTheirStatements) {
    EXPECT_EQ(control_of("switch (a) {\n"
                         "  case 1:\n"
                         "  case 2: if (b) { return 1; } break;\n"
                         "  case 3: { while (c) { } } return 2;\n"
                         "  default: return b ? 3 : 4;\n"
                         "}\n"
                         "return 0;"),
              "switch{case case{if} case{loop} default{?:}}");
    EXPECT_EQ(control_of("switch (a && b) { default: break; } return 0;"),
              "switch{&&(1,1) default}");
}

TEST(ControlTree, LoopsAndDoWhile) {
    EXPECT_EQ(control_of("for (int i = 0; i < a && i < b; ++i) { while (c) { c--; } }\n"
                         "do { a--; } while (a > 0 || b);\n"
                         "return 0;"),
              "loop{&&(1,1) loop} do{&&(1,1)}");
    const FileModel m = analyze_snippet("void g(int n) {\n  do {\n    n--;\n  } while (n);\n}\n");
    ASSERT_EQ(m.functions[0].control.size(), 1u);
    const ControlNode& loop = m.functions[0].control[0];
    EXPECT_EQ(loop.flags, control_flag::k_do_while);
    EXPECT_EQ(loop.range.start_line, 2u);
    EXPECT_EQ(loop.range.start_column, 3u);
}

TEST(ControlTree, CatchPerHandlerTryMakesNoNode) {
    EXPECT_EQ(control_of("try { if (a) throw 1; } catch (int e) { return e; } "
                         "catch (...) { if (b) return 2; } return 0;"),
              "if catch catch{if}");
}

TEST(ControlTree, LogicalRunsFollowTheCognitiveComplexityPaper) {
    EXPECT_EQ(control_of("return a && b && c;"), "&&(2,1)");
    EXPECT_EQ(control_of("return a && b || c;"), "&&(2,2)");
    EXPECT_EQ(control_of("return a || b && c || a;"), "&&(3,3)");
    // A parenthesised or negated group is its own run, a child of the enclosing one.
    EXPECT_EQ(control_of("return a && (b && c);"), "&&(1,1){&&(1,1)}");
    EXPECT_EQ(control_of("return a && (b || c) && a;"), "&&(2,1){&&(1,1)}");
    EXPECT_EQ(control_of("return a && !(b && c);"), "&&(1,1){&&(1,1)}");
    // A call argument is an expression of its own.
    EXPECT_EQ(control_of("return f(a || b, 0, 0) && c;"), "&&(1,1){rec &&(1,1)}");
    // C spells them the same way.
    EXPECT_EQ(control_of("return (a && b) || (b && c) || a;", Language::c),
              "&&(2,1){&&(1,1) &&(1,1)}");
}

TEST(ControlTree, GotoRecursionAndNestedFunctions) {
    EXPECT_EQ(control_of("if (a) goto done;\nreturn f(a - 1, b, c);\ndone:\nreturn 0;",
                         Language::c),
              "if{goto} rec");
    const FileModel m = analyze_snippet(
        "#include <functional>\n"
        "int outer(int n) {\n"
        "  auto inner = [](int k) { return k > 0 ? k : -k; };\n"
        "  std::function<int(int)> again = [&](int k) { return k ? again(k - 1) : 0; };\n"
        "  return n ? inner(n) + again(n) : outer(n + 1);\n"
        "}\n");
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    ASSERT_EQ(m.functions.size(), 3u);
    EXPECT_EQ(shape(m.functions[0].control), "fn#1 fn#2 ?:{rec}");
    EXPECT_EQ(shape(m.functions[1].control), "?:");
    // A lambda named by its variable calls itself through it.
    EXPECT_EQ(m.functions[2].name, "again");
    EXPECT_EQ(shape(m.functions[2].control), "?:{rec}");
    EXPECT_EQ(m.functions[1].parent, 0);
    EXPECT_EQ(m.functions[2].parent, 0);
    const ControlNode& rec = m.functions[0].control[2].children[0];
    EXPECT_EQ(rec.range.start_line, 5u);
    EXPECT_EQ(rec.range.start_column, 36u);
}

// Recursion is read by name, as the syntactic front end reads it (so that both agree): the
// function's own name (an overload too), its qualified name, or this->name in a method.
TEST(ControlTree, RecursionByName) {
    const FileModel m = analyze_snippet(
        "template <typename T> T fact(T n) { return n <= 1 ? 1 : n * fact(n - 1); }\n"
        "struct Walker {\n"
        "  int depth(int x) { return x ? this->depth(x - 1) + 1 : 0; }\n"
        "  int size(Walker& other) { return other.size(*this); }\n"
        "};\n"
        "int total(int a) { return a; }\n"
        "int total(int a, int b) { return total(a) + b; }\n"
        "namespace ns { int down(int n) { return n ? ns::down(n - 1) : 0; } }\n");
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    ASSERT_EQ(m.functions.size(), 6u);
    EXPECT_EQ(shape(m.functions[0].control), "?:{rec}");
    EXPECT_EQ(shape(m.functions[1].control), "?:{rec}");
    EXPECT_EQ(shape(m.functions[2].control), "");  // another object's method
    EXPECT_EQ(shape(m.functions[4].control), "rec");  // an overload, by name
    EXPECT_EQ(shape(m.functions[5].control), "?:{rec}");
    const ControlNode& rec = m.functions[1].control[0].children[0];
    EXPECT_EQ(rec.range.start_line, 3u);
    EXPECT_EQ(rec.range.start_column, 39u);  // `depth` after `this->`
}

// Control structures from a macro body are not spelled in the file: the syntactic front end
// sees a call there, so they make no node. What is written in the macro's arguments counts once.
TEST(ControlTree, MacroBodiesMakeNoNodesAndArgumentsCountOnce) {
    const std::string src =
        "#include <assert.h>\n"
        "#define MAX(x, y) ((x) > (y) ? (x) : (y))\n"
        "#define CHECK(x) if (!(x)) return -1\n"
        "#define SQUARE(x) ((x) * (x))\n"
        "#define FOREACH(i, n) for (int i = 0; i < (n); ++i)\n"
        "int use(int a, int b) {\n"
        "  assert(a && b);\n"
        "  CHECK(a || b);\n"
        "  int m = MAX(a, b) + SQUARE(a && b);\n"
        "  FOREACH(i, m) { if (i) m--; }\n"
        "  return m;\n"
        "}\n";
    const FileModel m = analyze_snippet(src, Language::c);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(shape(m.functions[0].control), "&&(1,1) &&(1,1) &&(1,1) if");
    // The macro's loop is still a loop for the latency rules, at the macro invocation.
    ASSERT_EQ(m.loops.size(), 1u);
    EXPECT_EQ(m.loops[0].range.start_line, 10u);
    EXPECT_EQ(m.loops[0].header_range.start_column, 3u);
}

TEST(ControlTree, LambdaAtNamespaceScopeIsTopLevel) {
    const FileModel m = analyze_snippet(
        "namespace cfg { auto pick = [](int a) { return a > 0 ? a : 0; }; }\n");
    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(m.functions[0].name, "pick");  // named by the variable it initializes
    EXPECT_EQ(m.functions[0].qualified_name, "cfg::pick");
    EXPECT_EQ(m.functions[0].parent, -1);
    EXPECT_EQ(shape(m.functions[0].control), "?:");
}

}  // namespace
}  // namespace cq::clangfe
