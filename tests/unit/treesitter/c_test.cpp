#include <gtest/gtest.h>

#include "tests/unit/treesitter/ts_test_support.hpp"

namespace cq::treesitter::test {
namespace {

FileModel c(std::string src) { return parse(Language::c, std::move(src)); }

const char* const k_server = R"c(#include <stdio.h>
#include "config.h"

static int parse_args(int argc, char **argv, ...) {
    int verbose = 0;
    for (int i = 1; i < argc && argv[i] != NULL; i++) {
        if (argv[i][0] == '-' || argv[i][0] == '+') {
            verbose += 1;
        } else if (strcmp(argv[i], "--help") == 0) {
            usage();
        } else {
            continue;
        }
    }
    return verbose ? 1 : 0;
}

int serve(struct server *s) {
    char buf[64];
    while (poll_once(s) > 0) {
        do {
            sprintf(buf, "%d", s->count);
            s->count++;
        } while (s->pending);
        switch (s->state) {
        case 0:
            sleep(1);
            break;
        case 1:
        default:
            goto fail;
        }
    }
    return serve(s);
fail:
    return -1;
}

int main(void) { return serve(NULL); }
)c";

TEST(TreeSitterC, SyntacticFallbackFunctions) {
    const FileModel m = c(k_server);
    EXPECT_TRUE(m.syntactic_only);
    EXPECT_EQ(m.front_end, "tree-sitter (syntactic fallback)");
    EXPECT_TRUE(m.diagnostics.empty());
    ASSERT_EQ(m.functions.size(), 3u);
    const Function& pa = fn(m, "parse_args");
    EXPECT_FALSE(pa.is_exported);  // static
    ASSERT_EQ(pa.params.size(), 3u);
    EXPECT_EQ(pa.params[0].name, "argc");
    EXPECT_EQ(pa.params[1].name, "argv");
    EXPECT_TRUE(pa.params[2].variadic);
    EXPECT_EQ(pa.name_range.start_line, 4u);
    EXPECT_EQ(pa.name_range.start_column, 12u);
    EXPECT_EQ(pa.body_range.start_line, 4u);
    EXPECT_EQ(pa.body_range.end_line, 16u);
    EXPECT_TRUE(fn(m, "serve").is_exported);
    EXPECT_EQ(fn(m, "main").params.size(), 0u);
}

TEST(TreeSitterC, ControlTree) {
    const FileModel m = c(k_server);
    EXPECT_EQ(shape(fn(m, "parse_args")), "loop(run1/1 if(run1/1) elif else) ternary");
    EXPECT_EQ(shape(fn(m, "serve")),
              "loop(loop:do switch(case case case:default(jump:goto))) recursion");
    EXPECT_EQ(shape(fn(m, "main")), "");
}

TEST(TreeSitterC, CallsLoopsAssignmentsAndImports) {
    const FileModel m = c(k_server);
    const CallSite& sp = call(m, "sprintf");
    EXPECT_EQ(sp.resolved, "sprintf");
    EXPECT_EQ(sp.loop_depth, 2u);
    ASSERT_EQ(sp.args.size(), 3u);
    EXPECT_EQ(sp.args[0].kind, ArgKind::identifier);
    EXPECT_EQ(sp.args[1].kind, ArgKind::string_literal);
    EXPECT_EQ(sp.args[1].value, "%d");
    EXPECT_EQ(sp.args[2].kind, ArgKind::member);
    EXPECT_TRUE(call(m, "poll_once").in_loop_condition);
    EXPECT_EQ(call(m, "poll_once").loop_depth, 1u);
    EXPECT_EQ(call(m, "sleep").loop_depth, 1u);
    EXPECT_EQ(call(m, "strcmp").args[1].value, "--help");
    EXPECT_EQ(m.calls.back().callee, "serve");
    EXPECT_EQ(m.calls.back().args[0].kind, ArgKind::null_literal);

    ASSERT_EQ(m.loops.size(), 3u);
    EXPECT_EQ(m.loops[0].kind, LoopKind::for_);
    EXPECT_EQ(m.loops[0].condition, "i < argc && argv[i] != NULL");
    EXPECT_EQ(m.loops[0].variables, (std::vector<std::string>{"i"}));
    EXPECT_EQ(m.loops[1].kind, LoopKind::while_);
    EXPECT_EQ(m.loops[2].kind, LoopKind::do_while);
    EXPECT_EQ(m.loops[2].condition, "s->pending");
    EXPECT_EQ(m.loops[2].parent, 1);
    EXPECT_EQ(m.loops[2].header_range.start_line, 24u);

    bool member = false;
    for (const Assignment& a : m.assignments) {
        if (a.target == "int verbose") {
            EXPECT_TRUE(a.is_declaration);
            EXPECT_EQ(a.value_kind, ArgKind::number_literal);
        }
        if (a.target == "verbose") {
            EXPECT_TRUE(a.is_augmented);
            EXPECT_EQ(a.loop, 0);
        }
        member = member || a.is_member;
    }
    EXPECT_FALSE(member);  // s->count++ is an update, not an assignment

    ASSERT_EQ(m.imports.size(), 2u);
    EXPECT_EQ(m.imports[0].module, "<stdio.h>");
    EXPECT_EQ(m.imports[1].module, "\"config.h\"");
    // include paths are not string literals
    for (const StringLiteral& s : m.strings) {
        EXPECT_NE(s.value, "config.h");
    }
}

TEST(TreeSitterC, TokensAndComments) {
    const FileModel m = c(R"c(int add(int a, int b) { /* sum */ return a + b * 2; }
// two
int plus(int x, int y) { return x + y * 9; }
)c");
    EXPECT_EQ(norm_hashes(m, 1, 1), norm_hashes(m, 3, 3));
    EXPECT_NE(exact_hashes(m, 1, 1), exact_hashes(m, 3, 3));
    EXPECT_EQ(m.comment_lines, (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(m.ncloc, 2u);
}

TEST(TreeSitterC, SyntaxErrorsAreReportedAndTheRestIsLowered) {
    const FileModel m = c(R"c(int a(int x) { if (x) return 1; return 0; }
int b(int x) { x = ; }
int c(int n) { while (n--) tick(); return n; }
)c");
    EXPECT_TRUE(has_diagnostic_at_line(m, 2));
    EXPECT_EQ(shape(fn(m, "a")), "if");
    EXPECT_EQ(shape(fn(m, "c")), "loop");
    EXPECT_EQ(call(m, "tick").loop_depth, 1u);
}

TEST(TreeSitterC, DeepNestingDoesNotCrash) {
    std::string src = "int f(int a) {\n";
    for (int i = 0; i < 5000; ++i) {
        src += "if (a) {\n";
    }
    for (int i = 0; i < 5000; ++i) {
        src += "}\n";
    }
    src += "return " + std::string(5000, '(') + "a" + std::string(5000, ')') + ";\n}\n";
    src += "int g(int a) { return " + std::string(5000, '-') + "a; }\n";
    const FileModel m = c(src);
    EXPECT_EQ(m.functions.size(), 2u);
    EXPECT_TRUE(m.diagnostics.size() >= 1u);  // the depth cap warning
}

}  // namespace
}  // namespace cq::treesitter::test
