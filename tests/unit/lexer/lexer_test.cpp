// The token stream of each language family (analyzer/lexer): what is one token, what kind it
// is, on which line, and what counts as a comment line.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/lexer/lexer.hpp"

namespace {

using cq::Language;
using cq::Token;
using cq::TokenKind;

struct Lexed {
    std::string source;
    std::vector<Token> tokens;
    std::vector<std::uint32_t> comment_lines;

    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const Token& t : tokens) {
            out.emplace_back(source.substr(t.start_byte, t.end_byte - t.start_byte));
        }
        return out;
    }
    // The kind of the first token whose text is `text` (after `skip` earlier ones).
    TokenKind kind(const std::string& text, int skip = 0) const {
        for (const Token& t : tokens) {
            if (source.compare(t.start_byte, t.end_byte - t.start_byte, text) == 0 && skip-- == 0) {
                return t.kind;
            }
        }
        ADD_FAILURE() << "no token '" << text << "'";
        return TokenKind::op;
    }
    std::uint32_t line(const std::string& text) const {
        for (const Token& t : tokens) {
            if (source.compare(t.start_byte, t.end_byte - t.start_byte, text) == 0) {
                return t.line;
            }
        }
        ADD_FAILURE() << "no token '" << text << "'";
        return 0;
    }
};

Lexed lex(Language lang, std::string source) {
    Lexed l;
    l.source = std::move(source);
    cq::lexer::lex(lang, l.source, l.tokens, l.comment_lines);
    return l;
}

using Texts = std::vector<std::string>;

// ---- Python ----------------------------------------------------------------------------------

TEST(PythonLexer, FStringsAreCutAroundTheirFields) {
    const Lexed l = lex(Language::python, "x = f\"a{b!r:>{w}}c\" + 'd'\n");
    EXPECT_EQ(l.texts(), (Texts{"x", "=", "f\"", "a", "{", "b", "!r", ":>{w}", "}", "c", "\"", "+",
                                "'d'"}));
    EXPECT_EQ(l.kind("f\""), TokenKind::literal);
    EXPECT_EQ(l.kind("b"), TokenKind::identifier);
    EXPECT_EQ(l.kind(":>{w}"), TokenKind::literal);
    // no field (doubled braces are text): one literal
    EXPECT_EQ(lex(Language::python, "f'{{x}}'").texts(), (Texts{"f'{{x}}'"}));
    // a raw f-string's backslash does not escape the brace
    EXPECT_EQ(lex(Language::python, "rf\"\\{x}\"").texts(), (Texts{"rf\"", "\\", "{", "x", "}", "\""}));
    // quotes of the same kind inside a field (Python 3.12)
    EXPECT_EQ(lex(Language::python, "f\"{d[\"k\"]}\"").texts(),
              (Texts{"f\"", "{", "d", "[", "\"k\"", "]", "}", "\""}));
}

TEST(PythonLexer, StringsCommentsAndLines) {
    const Lexed l = lex(Language::python,
                        "# head\n"
                        "s = \"\"\"one\n"
                        "# not a comment\n"
                        "\"\"\"  # tail\n"
                        "t = b'\\'' rb\"\\d\"\n");
    EXPECT_EQ(l.texts(), (Texts{"s", "=", "\"\"\"one\n# not a comment\n\"\"\"", "t", "=", "b'\\''",
                                "rb\"\\d\""}));
    EXPECT_EQ(l.line("t"), 5u);
    EXPECT_EQ(l.comment_lines, (std::vector<std::uint32_t>{1, 4}));
}

TEST(PythonLexer, KeywordsNamesAndSoftKeywords) {
    const Lexed l = lex(Language::python,
                        "match = re.match(p, s)\n"
                        "match command.split():\n"
                        "    case [name]:\n"
                        "        pass\n"
                        "    case _:\n"
                        "        return None\n");
    EXPECT_EQ(l.kind("match", 0), TokenKind::identifier);
    EXPECT_EQ(l.kind("match", 1), TokenKind::identifier);  // re.match
    EXPECT_EQ(l.kind("match", 2), TokenKind::keyword);
    EXPECT_EQ(l.kind("case"), TokenKind::keyword);
    EXPECT_EQ(l.kind("_"), TokenKind::keyword);
    EXPECT_EQ(l.kind("None"), TokenKind::keyword);
    EXPECT_EQ(l.kind("name"), TokenKind::identifier);
    // the same text hashes the same; identifiers and literals normalize to one value each
    const Lexed two = lex(Language::python, "a = 1\nb = 2\n");
    EXPECT_EQ(two.tokens[0].norm_hash, two.tokens[3].norm_hash);
    EXPECT_NE(two.tokens[0].exact_hash, two.tokens[3].exact_hash);
    EXPECT_EQ(two.tokens[2].norm_hash, cq::lexer::k_literal_hash);
}

TEST(PythonLexer, BrokenInputGoesOn) {
    const Lexed l = lex(Language::python, "\xEF\xBB\xBFs = \"open\ny = 2 ** 0x1F + 1e-3j\n");
    EXPECT_EQ(l.texts(), (Texts{"s", "=", "\"open", "y", "=", "2", "**", "0x1F", "+", "1e-3j"}));
    EXPECT_EQ(l.line("y"), 2u);
}

// ---- JavaScript / TypeScript -----------------------------------------------------------------

TEST(JsLexer, RegexOrDivisionByTheTokenBefore) {
    const Lexed l = lex(Language::javascript,
                        "a = b / c / d;\n"
                        "if (/ab+c/gi.test(s)) x = (1) / 2;\n"
                        "return /[/]x/;\n");
    EXPECT_EQ(l.kind("/ab+c/gi"), TokenKind::literal);
    EXPECT_EQ(l.kind("/[/]x/"), TokenKind::literal);
    EXPECT_EQ(l.kind("/", 0), TokenKind::op);
    EXPECT_EQ(l.kind("/", 2), TokenKind::op);  // (1) / 2
}

TEST(JsLexer, TemplateLiteralsAndComments) {
    const Lexed l = lex(Language::javascript,
                        "#!/usr/bin/env node\n"
                        "const s = `a${b + `c${d}`}e`; /* one\n"
                        "two */ const t = `plain`; // end\n");
    EXPECT_EQ(l.texts(), (Texts{"const", "s", "=", "`", "a", "${", "b", "+", "`", "c", "${", "d", "}",
                                "`", "}", "e", "`", ";", "const", "t", "=", "`plain`", ";"}));
    EXPECT_EQ(l.kind("`plain`"), TokenKind::literal);
    EXPECT_EQ(l.kind("${"), TokenKind::op);
    EXPECT_EQ(l.kind("d"), TokenKind::identifier);
    EXPECT_EQ(l.line("t"), 3u);
    EXPECT_EQ(l.comment_lines, (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(JsLexer, ContextualWords) {
    const Lexed l = lex(Language::javascript,
                        "const get = obj.get;\n"
                        "class A { static get x() { return undefined; } }\n"
                        "for (const v of xs) {}\n"
                        "import a from 'a';\n"
                        "let from = 1, of = 2;\n");
    EXPECT_EQ(l.kind("get", 0), TokenKind::identifier);
    EXPECT_EQ(l.kind("get", 1), TokenKind::identifier);  // obj.get
    EXPECT_EQ(l.kind("get", 2), TokenKind::keyword);
    EXPECT_EQ(l.kind("static"), TokenKind::keyword);
    EXPECT_EQ(l.kind("undefined"), TokenKind::keyword);
    EXPECT_EQ(l.kind("of", 0), TokenKind::keyword);
    EXPECT_EQ(l.kind("of", 1), TokenKind::identifier);
    EXPECT_EQ(l.kind("from", 0), TokenKind::keyword);
    EXPECT_EQ(l.kind("from", 1), TokenKind::identifier);
    const Lexed ts = lex(Language::typescript, "type A = string;\nlet type = 1; o.#secret?.x;\n");
    EXPECT_EQ(ts.kind("type", 0), TokenKind::keyword);
    EXPECT_EQ(ts.kind("type", 1), TokenKind::identifier);
    EXPECT_EQ(ts.kind("string"), TokenKind::keyword);
    EXPECT_EQ(ts.kind("#secret"), TokenKind::identifier);
    EXPECT_EQ(ts.kind("?."), TokenKind::op);
}

// ---- C / C++ ---------------------------------------------------------------------------------

TEST(CLexer, DirectivesAreCutAsTheGrammarCutsThem) {
    const Lexed l = lex(Language::c,
                        "#include <stdio.h>\n"
                        "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
                        "#pragma once\n"
                        "int x = -1, y = x - 1; size_t n = NULL;\n");
    EXPECT_EQ(l.texts(), (Texts{"#include", "<stdio.h>", "#define", "MAX", "(", "a", ",", "b", ")",
                                "(", "(", "a", ")", ">", "(", "b", ")", "?", "(", "a", ")", ":", "(",
                                "b", ")", ")", "#pragma", "once", "int", "x", "=", "-1",
                                ",", "y", "=", "x", "-", "1", ";", "size_t", "n", "=", "NULL", ";"}));
    EXPECT_EQ(l.kind("#include"), TokenKind::keyword);
    EXPECT_EQ(l.kind("<stdio.h>"), TokenKind::literal);
    EXPECT_EQ(l.kind("-1"), TokenKind::literal);
    EXPECT_EQ(l.kind("size_t"), TokenKind::keyword);
    EXPECT_EQ(l.kind("NULL"), TokenKind::keyword);
    // another directive's argument is a literal that keeps its text in the normalized hash
    const Lexed two = lex(Language::c, "#pragma once\n#pragma pack(1)\nint v = 1;\n");
    const std::vector<Token>& t = two.tokens;
    ASSERT_EQ(two.texts()[3], "pack(1)");
    EXPECT_NE(t[1].norm_hash, t[3].norm_hash);
    EXPECT_EQ(t[3].norm_hash, t[3].exact_hash);
    EXPECT_EQ(two.texts()[7], "1");
    EXPECT_EQ(t[7].norm_hash, cq::lexer::k_literal_hash);
}

TEST(CLexer, CppLiteralsTemplatesAndComments) {
    const Lexed l = lex(Language::cpp,
                        "std::vector<std::vector<int>> v; // note \\\n"
                        "still comment\n"
                        "auto s = R\"x(a\"b)x\"; auto w = u8\"s\"; char c = L'c';\n"
                        "long m = 1'000'000; std::size_t k = a >> 2;\n");
    const Texts t = l.texts();
    EXPECT_EQ(Texts(t.begin(), t.begin() + 12),
              (Texts{"std", "::", "vector", "<", "std", "::", "vector", "<", "int", ">", ">", "v"}));
    EXPECT_EQ(l.comment_lines, (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(l.kind("R\"x(a\"b)x\""), TokenKind::literal);
    EXPECT_EQ(l.kind("u8\"s\""), TokenKind::literal);
    EXPECT_EQ(l.kind("L'c'"), TokenKind::literal);
    EXPECT_EQ(l.kind("1'000'000"), TokenKind::literal);
    EXPECT_EQ(l.kind(">>"), TokenKind::op);  // a shift stays one token
    EXPECT_EQ(l.kind("size_t"), TokenKind::identifier);  // std::size_t is a qualified name
    EXPECT_EQ(l.line("m"), 4u);
}

// ---- every language --------------------------------------------------------------------------

// Random bytes and fragments of real syntax: tokens stay in order, inside the source, with
// non-decreasing lines; nothing throws or hangs.
TEST(Lexer, CountLines) {
    EXPECT_EQ(cq::lexer::count_lines(""), 0u);
    EXPECT_EQ(cq::lexer::count_lines("a"), 1u);
    EXPECT_EQ(cq::lexer::count_lines("a\n"), 1u);
    EXPECT_EQ(cq::lexer::count_lines("a\nb"), 2u);
    EXPECT_EQ(cq::lexer::count_lines("\n\n"), 2u);
    EXPECT_EQ(cq::lexer::count_lines("a\r\nb\r\n"), 2u);
    EXPECT_EQ(cq::lexer::count_lines(std::string(100000, '\n') + "x"), 100001u);
}

TEST(Lexer, AnyInputGivesOrderedTokens) {
    const std::vector<std::string> pieces = {
        "\"", "'", "`", "${", "}", "{", "f\"", "r'", "\"\"\"", "/*", "*/", "//", "#", "#include",
        "\\\n", "\n", " ", "/", "a", "1e+", "R\"x(", ")x\"", "(", "[", "$", "\xEF\xBB\xBF", "\xff", "\r\n"};
    std::mt19937 rng(12345);
    for (int round = 0; round < 400; ++round) {
        std::string src;
        const int n = static_cast<int>(rng() % 60);
        for (int i = 0; i < n; ++i) {
            src += rng() % 4 == 0 ? std::string(1, static_cast<char>(rng() % 256))
                                  : pieces[rng() % pieces.size()];
        }
        for (Language lang : {Language::python, Language::javascript, Language::typescript,
                              Language::c, Language::cpp}) {
            const Lexed l = lex(lang, src);
            std::uint32_t end = 0;
            std::uint32_t line = 1;
            for (const Token& t : l.tokens) {
                ASSERT_LE(end, t.start_byte) << src;
                ASSERT_LT(t.start_byte, t.end_byte) << src;
                ASSERT_LE(t.end_byte, src.size()) << src;
                ASSERT_LE(line, t.line) << src;
                // exactly the line of its first byte (range_of_bytes relies on it)
                ASSERT_EQ(t.line, 1 + std::count(src.begin(), src.begin() + t.start_byte, '\n')) << src;
                end = t.end_byte;
                line = t.line;
            }
            ASSERT_LE(cq::lexer::code_lines(l.tokens), cq::lexer::count_lines(src));
        }
    }
}

}  // namespace
