// The lexical helpers the security rules build on (rules/support/security_common.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/lexer/lexer.hpp"
#include "rules/support/security_common.hpp"

namespace {

using namespace cq::security;
using cq::Language;

std::vector<std::string> paths(const ExprScan& s) {
    std::vector<std::string> out;
    for (const auto& r : s.refs) {
        out.push_back(r.path);
    }
    return out;
}

TEST(ExpressionScan, MemberChainsAndCalls) {
    const ExprScan s = scan_expression(R"(request.args.get("q", default))", Language::python);
    ASSERT_EQ(paths(s), (std::vector<std::string>{"request.args.get", "default"}));
    EXPECT_TRUE(s.refs[0].called);
    ASSERT_EQ(s.calls.size(), 1u);
    EXPECT_EQ(s.calls[0].path, "request.args.get");
    EXPECT_EQ(s.refs[1].enclosing, std::vector<std::uint32_t>{0});
}

TEST(ExpressionScan, SubscriptsWithStringKeysBecomeSegments) {
    const ExprScan s = scan_expression(R"(message['Body'])", Language::python);
    EXPECT_EQ(paths(s), std::vector<std::string>{"message.Body"});
    const ExprScan t = scan_expression("argv[i + 1]", Language::c);
    EXPECT_EQ(paths(t), (std::vector<std::string>{"argv", "i"}));
}

TEST(ExpressionScan, StringsAreLiteralsButInterpolationsAreCode) {
    const ExprScan s = scan_expression(R"(f"SELECT * FROM t WHERE name = '{user.name}'")",
                                       Language::python);
    EXPECT_EQ(paths(s), std::vector<std::string>{"user.name"});
    EXPECT_NE(s.literal_text.find("SELECT * FROM t"), std::string::npos);

    const ExprScan js = scan_expression("`rm -rf ${dir}/tmp` + other", Language::javascript);
    EXPECT_EQ(paths(js), (std::vector<std::string>{"dir", "other"}));

    const ExprScan plain = scan_expression(R"("name {x}" % y)", Language::python);
    EXPECT_EQ(paths(plain), std::vector<std::string>{"y"});
}

TEST(ExpressionScan, KeywordArgumentsObjectKeysAndKeywordsAreNotReferences) {
    const ExprScan py = scan_expression("subprocess.run(cmd, shell=True, cwd=None)", Language::python);
    EXPECT_EQ(paths(py), (std::vector<std::string>{"subprocess.run", "cmd"}));
    const ExprScan js = scan_expression("{ shell: true, cwd: dir }", Language::javascript);
    EXPECT_EQ(paths(js), std::vector<std::string>{"dir"});
    const ExprScan c = scan_expression("(const char *) buf", Language::c);
    EXPECT_EQ(paths(c), std::vector<std::string>{"buf"});
    const ExprScan ternary = scan_expression("flag ? a : b", Language::javascript);
    EXPECT_EQ(paths(ternary), (std::vector<std::string>{"flag", "a", "b"}));
}

TEST(ExpressionScan, MethodsOfLiteralsAreCallsWithoutAReference) {
    const ExprScan s = scan_expression(R"("SELECT {} FROM t".format(col))", Language::python);
    EXPECT_EQ(paths(s), std::vector<std::string>{"col"});
    ASSERT_EQ(s.calls.size(), 1u);
    EXPECT_EQ(s.calls[0].path, ".format");
}

TEST(ExpressionScan, CommentsAreSkipped) {
    const ExprScan s = scan_expression("a /* b */ + c // d", Language::javascript);
    EXPECT_EQ(paths(s), (std::vector<std::string>{"a", "c"}));
}

TEST(ExpressionScan, TruncatedTextNeverThrows) {
    // The model truncates expression text at 200 bytes: every prefix of these must scan.
    const std::vector<std::string> samples{
        R"(f"a {b['c']} {d!r:>{w}} \" {{x}}" + e(f, g=h))",
        "`x ${a + `y ${b}`} z` + c.d?.e[`k`]",
        R"(L"wide\"" + (char *)p->q[r].s)",
        R"X('''tri "ple" \''' + u"x" + rb'\x00')X",
        "/* c */ a // d\n b . c -> e :: f ( [ { ",
        R"(request.args["q"][0].strip().lower() % (a, b))",
    };
    for (const std::string& s : samples) {
        for (std::size_t n = 0; n <= s.size(); ++n) {
            for (Language lang : {Language::python, Language::javascript, Language::typescript,
                                  Language::c, Language::cpp}) {
                EXPECT_NO_THROW(scan_expression(std::string_view(s).substr(0, n), lang))
                    << s.substr(0, n);
                std::string v;
                EXPECT_NO_THROW(decode_string_literal(std::string_view(s).substr(0, n), v));
            }
        }
    }
}

TEST(Literals, Decode) {
    std::string v;
    EXPECT_TRUE(decode_string_literal(R"("a\"b")", v));
    EXPECT_EQ(v, "a\"b");
    EXPECT_TRUE(decode_string_literal("r'\\d+'", v));
    EXPECT_EQ(v, "\\d+");
    EXPECT_TRUE(decode_string_literal("'''x'''", v));
    EXPECT_EQ(v, "x");
    EXPECT_FALSE(decode_string_literal("f'{x}'", v));
    EXPECT_FALSE(decode_string_literal("`a${b}`", v));
    EXPECT_FALSE(decode_string_literal("'a' + 'b'", v));
}

TEST(Names, Words) {
    EXPECT_EQ(name_words("apiKey"), (std::vector<std::string>{"api", "key"}));
    EXPECT_EQ(name_words("DB_PASSWORD"), (std::vector<std::string>{"db", "password"}));
    EXPECT_EQ(name_words("APIKey"), (std::vector<std::string>{"api", "key"}));
    EXPECT_TRUE(name_has_word("session_token", {"token"}));
    EXPECT_FALSE(name_has_word("monkey", {"key"}));
    EXPECT_TRUE(name_has_word("mypassword", {"password"}));
    EXPECT_TRUE(is_constant_case("BASE_QUERY"));
    EXPECT_FALSE(is_constant_case("Base"));
}

TEST(Text, SqlFormatsPlaceholdersEntropy) {
    EXPECT_TRUE(looks_like_sql("SELECT name FROM users WHERE id = "));
    EXPECT_TRUE(looks_like_sql("delete from t"));
    EXPECT_TRUE(looks_like_sql("UPDATE t SET a = 1"));
    EXPECT_FALSE(looks_like_sql("Hello, please select an item"));

    EXPECT_TRUE(parse_format("name=%s").unbounded_string);
    EXPECT_FALSE(parse_format("name=%.20s id=%d").unbounded_string);
    EXPECT_TRUE(parse_format("%Q and %q").sqlite_quoted_only);
    EXPECT_FALSE(parse_format("'%s'").sqlite_quoted_only);
    EXPECT_EQ(parse_format("100%% %d %s").conversions, 2);
    EXPECT_TRUE(scanf_has_unbounded_string("%s"));
    EXPECT_FALSE(scanf_has_unbounded_string("%31s %d"));

    EXPECT_TRUE(looks_like_placeholder(""));
    EXPECT_TRUE(looks_like_placeholder("changeme"));
    EXPECT_TRUE(looks_like_placeholder("<your-token>"));
    EXPECT_TRUE(looks_like_placeholder("${DB_PASSWORD}"));
    EXPECT_TRUE(looks_like_placeholder("user_password"));
    EXPECT_TRUE(looks_like_placeholder("xxxxxxxxxxxx"));
    EXPECT_FALSE(looks_like_placeholder("Pr0d#Passw0rd!"));
    EXPECT_GT(shannon_entropy("Pr0d#Passw0rd!"), 3.0);
    EXPECT_LT(shannon_entropy("aaaaaaaa"), 0.1);
}

TEST(Severity, Raise) {
    EXPECT_EQ(raise(cq::Severity::major), cq::Severity::critical);
    EXPECT_EQ(raise(cq::Severity::blocker), cq::Severity::blocker);
}

}  // namespace

namespace {

TEST(Conditionals, BranchesAreSplitAtTheTopLevel) {
    std::string_view a;
    std::string_view b;
    ASSERT_TRUE(split_conditional(R"(child() ? "Inside" : "Outside")", Language::cpp, a, b));
    EXPECT_EQ(a, R"("Inside")");
    EXPECT_EQ(b, R"("Outside")");
    ASSERT_TRUE(split_conditional("x if flag else f(y)", Language::python, a, b));
    EXPECT_EQ(a, "x");
    EXPECT_EQ(b, "f(y)");
    EXPECT_FALSE(split_conditional("f(a ? b : c)", Language::javascript, a, b));
    EXPECT_FALSE(split_conditional("a?.b ?? c", Language::javascript, a, b));
    EXPECT_FALSE(split_conditional("std::string(x)", Language::cpp, a, b));
    EXPECT_FALSE(split_conditional("[v for v in xs if v]", Language::python, a, b));
    EXPECT_FALSE(split_conditional("lambda v: 1 if v else 2", Language::python, a, b));
    ASSERT_TRUE(split_conditional("a ? b ? c : d : e", Language::c, a, b));
    EXPECT_EQ(a, "b ? c : d");
    EXPECT_EQ(b, "e");
}

// range_of_bytes finds a line from the token stream (the line of the last token starting at or
// before the byte) instead of counting newlines from the top of the file: the same answer as
// counting, for any byte, inside or between tokens, with or without tokens.
TEST(RangeOfBytes, AgreesWithCountingFromTheTop) {
    cq::FileModel f;
    f.language = Language::javascript;
    f.source = "// head\r\nconst a = `one\ntwo ${x}\nthree`;\n\n  /* c\n */ call(\"s\", 'q')\nlast";
    cq::lexer::lex(f.language, f.source, f.tokens, f.comment_lines);
    ASSERT_FALSE(f.tokens.empty());
    const auto naive = [&](std::uint32_t b, std::uint32_t e) {
        cq::Range r;
        r.start_byte = b;
        r.end_byte = e;
        const auto line_col = [&](std::uint32_t x, std::uint32_t& line, std::uint32_t& col) {
            line = 1;
            col = 1;
            for (std::uint32_t i = 0; i < x; ++i) {
                if (f.source[i] == '\n') {
                    ++line;
                    col = 1;
                } else {
                    ++col;
                }
            }
        };
        line_col(b, r.start_line, r.start_column);
        line_col(e, r.end_line, r.end_column);
        return r;
    };
    const cq::FileModel untokened = [&] {
        cq::FileModel g;
        g.source = f.source;
        return g;
    }();
    const auto size = static_cast<std::uint32_t>(f.source.size());
    for (std::uint32_t b = 0; b <= size; ++b) {
        for (const std::uint32_t len : {0u, 1u, 9u}) {
            const std::uint32_t e = std::min(b + len, size);
            const cq::Range want = naive(b, e);
            for (const cq::FileModel* m : std::vector<const cq::FileModel*>{&f, &untokened}) {
                const cq::Range got = range_of_bytes(*m, b, e);
                ASSERT_EQ(got.start_line, want.start_line) << b;
                ASSERT_EQ(got.start_column, want.start_column) << b;
                ASSERT_EQ(got.end_line, want.end_line) << b << "-" << e;
                ASSERT_EQ(got.end_column, want.end_column) << b << "-" << e;
            }
        }
    }
}

}  // namespace
