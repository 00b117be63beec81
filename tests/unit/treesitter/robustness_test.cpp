// Inputs that must never crash the front end: empty files, NUL bytes, invalid UTF-8, random
// bytes, every prefix of real code, and parses that run out of time.
#include <gtest/gtest.h>

#include <random>

#include "analyzer/treesitter/testing.hpp"
#include "tests/unit/treesitter/ts_test_support.hpp"

namespace cq::treesitter::test {
namespace {

constexpr std::array<Language, 5> k_languages = {Language::python, Language::javascript,
                                                 Language::typescript, Language::c,
                                                 Language::cpp};

// Every range the model reports lies inside the source, and indices point at real elements.
void expect_consistent(const FileModel& m) {
    const auto size = static_cast<std::uint32_t>(m.source.size());
    auto in_source = [&](const Range& r) {
        return r.start_byte <= r.end_byte && r.end_byte <= size;
    };
    const auto nfun = static_cast<std::int32_t>(m.functions.size());
    const auto nloop = static_cast<std::int32_t>(m.loops.size());
    for (std::size_t i = 0; i < m.functions.size(); ++i) {
        const Function& f = m.functions[i];
        EXPECT_TRUE(in_source(f.range));
        EXPECT_LT(f.parent, static_cast<std::int32_t>(i));
        if (i > 0) {
            EXPECT_LE(m.functions[i - 1].range.start_byte, f.range.start_byte);
        }
    }
    for (const CallSite& c : m.calls) {
        EXPECT_TRUE(in_source(c.range));
        EXPECT_LT(c.function, nfun);
        EXPECT_LT(c.loop, nloop);
        for (const Argument& a : c.args) {
            EXPECT_LT(a.function, nfun);
        }
    }
    for (const Loop& l : m.loops) {
        EXPECT_TRUE(in_source(l.range));
        EXPECT_LT(l.parent, nloop);
    }
    for (const Token& t : m.tokens) {
        EXPECT_LT(t.start_byte, t.end_byte);
        EXPECT_LE(t.end_byte, size);
    }
}

TEST(TreeSitterRobustness, EmptyAndTinyInputs) {
    for (Language lang : k_languages) {
        for (const char* src : {"", "\n", " ", "\0", "(", "}", "\"", "'''", "/*", "#"}) {
            const FileModel m = parse(lang, std::string(src));
            expect_consistent(m);
        }
    }
    EXPECT_EQ(parse(Language::python, "").lines, 0u);
    EXPECT_EQ(parse(Language::python, "x\ny").lines, 2u);
    EXPECT_EQ(parse(Language::python, "x\ny\n").lines, 2u);
}

TEST(TreeSitterRobustness, NulBytesAndInvalidUtf8) {
    std::string src = "def f(a):\n    return g(\"\xff\xfe\x80\", a)\n";
    src += std::string("x = 1\0\0y = 2\n", 14);
    src += "s = '\xc3'\n";  // truncated UTF-8 sequence
    const FileModel m = parse(Language::python, src);
    expect_consistent(m);
    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(call(m, "g").args[0].kind, ArgKind::string_literal);

    using namespace std::string_literals;
    std::string js = "const s = '\xe2\x82';\nfunction h() { return k('\0'); }\n\0"s;
    const FileModel mj = parse(Language::javascript, js);
    expect_consistent(mj);
    EXPECT_EQ(call(mj, "k").function, 0);
}

TEST(TreeSitterRobustness, TruncatedCodeAtEveryPrefix) {
    const std::string py = "import time\nclass A:\n    async def f(self, x=[1, {2: 3}]):\n"
                           "        for i in x:\n            await time.sleep(i if i else 0)\n";
    const std::string js = "const { a: b } = require('m');\nclass C { async m(x = () => 1) "
                           "{ for await (const y of x) { if (y && z) b(`${y}`); } } }\n";
    const std::string cc = "namespace n { template <class T> struct S { int f(T t) { "
                           "switch (t) { case 1: return [&]{ return t ? 1 : 2; }(); } } }; }\n";
    for (std::size_t n = 0; n <= py.size(); ++n) {
        expect_consistent(parse(Language::python, py.substr(0, n)));
    }
    for (std::size_t n = 0; n <= js.size(); ++n) {
        expect_consistent(parse(Language::typescript, js.substr(0, n)));
        expect_consistent(parse(Language::javascript, js.substr(0, n)));
    }
    for (std::size_t n = 0; n <= cc.size(); ++n) {
        expect_consistent(parse(Language::cpp, cc.substr(0, n)));
    }
}

TEST(TreeSitterRobustness, RandomBytes) {
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    const std::string alphabet = "(){}[]<>;:,.=+-*/&|!?'\"`#\\ \n\tifelsewhilefordefclass$@0123";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    for (int round = 0; round < 40; ++round) {
        std::string bytes(512, '\0');
        std::string tokens(512, '\0');
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            bytes[i] = static_cast<char>(byte(rng));
            tokens[i] = alphabet[pick(rng)];
        }
        for (Language lang : k_languages) {
            expect_consistent(parse(lang, bytes));
            expect_consistent(parse(lang, tokens));
        }
    }
}

// tree-sitter 0.20.7 aborts the process when a parse ends with 65,536 subtrees pending on its
// stack; the front end declines such text instead of parsing it.
TEST(TreeSitterRobustness, ParseStackHazardsAreDeclinedNotCrashed) {
    std::string garbage;
    for (int i = 0; i < 40000; ++i) {
        garbage += "@#$%^&*(";
    }
    std::string minus;
    for (int i = 0; i < 70000; ++i) {
        minus += "- ";
    }
    minus += "1\n";
    std::string chain;
    for (int i = 0; i < 70000; ++i) {
        chain += "a = ";
    }
    chain += "1;\n";
    for (Language lang : k_languages) {
        for (const std::string* src : {&garbage, &minus, &chain}) {
            const FileModel m = parse(lang, std::string(70000, '(') + *src);
            ASSERT_EQ(m.diagnostics.size(), 1u);
            EXPECT_EQ(m.diagnostics[0].message.rfind("not parsed: ", 0), 0u)
                << m.diagnostics[0].message;
            EXPECT_TRUE(m.functions.empty());
            EXPECT_FALSE(m.tokens.empty()) << "the lexer still reads what the parser declines";
            if (lang == Language::python && src == &garbage) {
                continue;  // `#` starts a Python comment: one harmless line
            }
            const FileModel alone = parse(lang, *src);
            ASSERT_EQ(alone.diagnostics.size(), 1u);
            EXPECT_EQ(alone.diagnostics[0].message.rfind("not parsed: ", 0), 0u)
                << language_name(lang) << ": " << alone.diagnostics[0].message;
        }
    }
    // large real-looking files are parsed as usual
    std::string big;
    for (int i = 0; i < 3000; ++i) {
        big += "function f" + std::to_string(i) + "(a, b) { if (a && b) { return [a, b]; } }\n";
    }
    const FileModel ok = parse(Language::javascript, big);
    EXPECT_TRUE(ok.diagnostics.empty());
    EXPECT_EQ(ok.functions.size(), 3000u);
}

TEST(TreeSitterRobustness, SlowErrorRecoveryIsAbandoned) {
    std::string src;
    for (int i = 0; i < 2000; ++i) {
        src += "def f" + std::to_string(i) + "(a):\n    return a\n";
    }
    set_parse_rate_limit_for_testing(1);  // any CPU time at all is too much
    const FileModel m = parse(Language::python, src);
    set_parse_rate_limit_for_testing(0);
    ASSERT_EQ(m.diagnostics.size(), 1u);
    EXPECT_NE(m.diagnostics[0].message.find("abandoned"), std::string::npos);
    EXPECT_TRUE(m.functions.empty());
    const FileModel again = parse(Language::python, src);
    EXPECT_TRUE(again.diagnostics.empty());
    EXPECT_EQ(again.functions.size(), 2000u);
}

TEST(TreeSitterRobustness, ParseTimeoutIsADiagnostic) {
    std::string big;
    for (int i = 0; i < 20000; ++i) {
        big += "function f" + std::to_string(i) + "(a) { if (a) { return a && b || c; } }\n";
    }
    set_parse_timeout_for_testing(1);
    const FileModel m = parse(Language::javascript, big);
    set_parse_timeout_for_testing(0);
    ASSERT_EQ(m.diagnostics.size(), 1u);
    EXPECT_NE(m.diagnostics[0].message.find("time limit"), std::string::npos);
    EXPECT_TRUE(m.functions.empty());
    // the parser is usable again afterwards
    const FileModel ok = parse(Language::javascript, "function g() { return 1; }\n");
    EXPECT_TRUE(ok.diagnostics.empty());
    ASSERT_EQ(ok.functions.size(), 1u);
    EXPECT_EQ(ok.functions[0].name, "g");
}

}  // namespace
}  // namespace cq::treesitter::test
