// C and C++: a raw lexer as clang's (identifiers, keywords, literals with their encoding
// prefixes and raw strings, pp-numbers, punctuators, comments), then the cut of the tree-sitter
// C/C++ grammars over the raw tokens (TokenBuilder): directives, header names, the arguments of
// other directives, signed numbers, `>>` closing two template argument lists, `[[` attributes,
// `operator()`. A #define's body is read as code, token by token (clones inside macros count).
#include <algorithm>
#include <array>
#include <utility>

#include "analyzer/lexer/scanner.hpp"

namespace cq::lexer::detail {
namespace {

enum class RawKind : std::uint8_t { punctuation, keyword, identifier, literal, comment };

struct RawToken {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    RawKind kind = RawKind::punctuation;
};

bool is_c_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 66> k_words = {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
        "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
        "_Thread_local", "asm", "typeof", "__asm__", "__asm", "__attribute__", "__attribute",
        "__typeof__", "__typeof", "__inline__", "__inline", "__restrict__", "__restrict",
        "__volatile__", "__const__", "__signed__", "__extension__", "__label__", "__thread",
        "__alignof__", "__func__", "__int128", "__builtin_va_arg"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

bool is_cpp_only_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 60> k_words = {
        "alignas", "alignof", "and", "and_eq", "bitand", "bitor", "bool", "catch", "char8_t",
        "char16_t", "char32_t", "class", "compl", "concept", "consteval", "constexpr",
        "constinit", "const_cast", "co_await", "co_return", "co_yield", "decltype", "delete",
        "dynamic_cast", "explicit", "export", "false", "friend", "mutable", "namespace", "new",
        "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
        "protected", "public", "reinterpret_cast", "requires", "static_assert", "static_cast",
        "template", "this", "thread_local", "throw", "true", "try", "typeid", "typename",
        "using", "virtual", "wchar_t", "xor", "xor_eq", "__decltype", "__nullptr"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

constexpr std::string_view k_c_ops[] = {
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=",
    "-=",  "*=",  "/=",  "%=", "&=", "|=", "^=", "##"};
constexpr std::string_view k_cpp_ops[] = {
    "<<=", ">>=", "...", "->*", "<=>", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
    "&&",  "||",  "+=",  "-=",  "*=",  "/=", "%=", "&=", "|=", "^=", "##", "::", ".*"};

std::size_t op_length(std::string_view src, std::size_t i, bool cpp) {
    static const OpTable k_c_table(k_c_ops);
    static const OpTable k_cpp_table(k_cpp_ops);
    return cpp ? k_cpp_table.length(src, i) : k_c_table.length(src, i);
}

// A string or character literal's encoding prefix (and R for a raw string) before a quote.
bool is_literal_prefix(std::string_view w, bool& raw) {
    raw = !w.empty() && w.back() == 'R';
    const std::string_view enc = raw ? w.substr(0, w.size() - 1) : w;
    return enc.empty() || enc == "L" || enc == "u" || enc == "U" || enc == "u8";
}

class RawLexer {
public:
    RawLexer(Scanner& s, bool cpp) : m_s(s), m_cpp(cpp) {}

    std::vector<RawToken> run() {
        std::vector<RawToken> out;
        out.reserve(m_s.size() / 5 + 16);
        const std::size_t end = m_s.size();
        std::size_t pos = 0;
        while (pos < end) {
            const unsigned char c = m_s.at(pos);
            if (c == '\n' || is_blank(c)) {
                ++pos;
                continue;
            }
            if (c == '\\' && (m_s.at(pos + 1) == '\n' || m_s.at(pos + 1) == '\r')) {
                ++pos;
                continue;
            }
            std::size_t e = pos + 1;
            RawKind kind = RawKind::punctuation;
            if (c == '/' && m_s.at(pos + 1) == '/') {
                e = line_comment_end(pos);
                kind = RawKind::comment;
            } else if (c == '/' && m_s.at(pos + 1) == '*') {
                const std::size_t close = m_s.src().find("*/", pos + 2);
                e = close == std::string_view::npos ? end : close + 2;
                kind = RawKind::comment;
            } else if (is_word_start(c) || c == '$') {
                while (e < end && (is_word_char(m_s.at(e)) || m_s.at(e) == '$')) {
                    ++e;
                }
                const std::string_view w = m_s.src().substr(pos, e - pos);
                bool raw = false;
                const unsigned char q = m_s.at(e);
                if ((q == '"' || q == '\'') && is_literal_prefix(w, raw) && !(raw && q == '\'')) {
                    e = raw ? raw_string_end(e) : m_s.quoted_end(e, q);
                    kind = RawKind::literal;
                } else {
                    kind = is_c_keyword(w) || (m_cpp && is_cpp_only_keyword(w))
                               ? RawKind::keyword
                               : RawKind::identifier;
                }
            } else if (is_digit(c) || (c == '.' && is_digit(m_s.at(pos + 1)))) {
                e = number_end(pos);
                kind = RawKind::literal;
            } else if (c == '"' || c == '\'') {
                e = m_s.quoted_end(pos, c);
                kind = RawKind::literal;
            } else {
                e = pos + op_length(m_s.src(), pos, m_cpp);
            }
            out.push_back(RawToken{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(e), kind});
            pos = e;
        }
        return out;
    }

private:
    // `//` runs to the end of the line, and on past a backslash-newline.
    std::size_t line_comment_end(std::size_t pos) const {
        std::size_t i = pos;
        for (;;) {
            const std::size_t nl = m_s.src().find('\n', i);
            if (nl == std::string_view::npos) {
                return m_s.size();
            }
            std::size_t k = nl;
            if (k > 0 && m_s.at(k - 1) == '\r') {
                --k;
            }
            if (k == 0 || m_s.at(k - 1) != '\\') {
                return k;
            }
            i = nl + 1;
        }
    }

    std::size_t number_end(std::size_t pos) const {
        std::size_t e = pos + 1;
        while (e < m_s.size()) {
            const unsigned char c = m_s.at(e);
            const unsigned char p = m_s.at(e - 1);
            if (is_word_char(c) || c == '.') {
                ++e;
            } else if ((c == '+' || c == '-') && (p == 'e' || p == 'E' || p == 'p' || p == 'P')) {
                ++e;
            } else if (c == '\'' && is_word_char(m_s.at(e + 1))) {
                e += 2;  // a digit separator: 1'000'000
            } else {
                break;
            }
        }
        return e;
    }

    // R"delim( ... )delim"
    std::size_t raw_string_end(std::size_t q) const {
        const std::size_t open = m_s.src().find('(', q + 1);
        if (open == std::string_view::npos || open - q - 1 > 16) {
            return m_s.quoted_end(q, '"');
        }
        std::string close = ")";
        close.append(m_s.src().substr(q + 1, open - q - 1));
        close += '"';
        const std::size_t at = m_s.src().find(close, open + 1);
        return at == std::string_view::npos ? m_s.size() : at + close.size();
    }

    Scanner& m_s;
    bool m_cpp;
};

// tree-sitter-c's primitive_type, plus the literal words its grammars name as nodes: all read
// as keywords there, while clang lexes most of them as identifiers (typedefs and macros).
bool is_syntactic_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 33> k_words = {
        "bool",      "char",      "int",        "float",     "double",    "void",
        "size_t",    "ssize_t",   "ptrdiff_t",  "intptr_t",  "uintptr_t", "charptr_t",
        "nullptr_t", "max_align_t", "int8_t",   "int16_t",   "int32_t",   "int64_t",
        "uint8_t",   "uint16_t",  "uint32_t",   "uint64_t",  "char8_t",   "char16_t",
        "char32_t",  "char64_t",  "true",       "false",     "NULL",      "nullptr",
        "defined",   "override",  "final"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

// Keywords to clang that the tree-sitter grammars read as names: the C++ casts (calls of a
// template function name there) and C11's _Static_assert (a call there).
bool is_name_keyword(std::string_view w) {
    return w == "static_cast" || w == "dynamic_cast" || w == "reinterpret_cast" ||
           w == "const_cast" || w == "_Static_assert";
}

bool is_number_text(std::string_view t) {
    return !t.empty() && ((t[0] >= '0' && t[0] <= '9') ||
                          (t[0] == '.' && t.size() > 1 && t[1] >= '0' && t[1] <= '9'));
}

// The directives tree-sitter-c names in its grammar; any other (#pragma, #error, #undef, ...)
// is a preproc_call: a directive token and one argument literal.
bool is_grammar_directive(std::string_view name) {
    static constexpr std::array<std::string_view, 10> k_names = {
        "include", "define", "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else",
        "endif"};
    static const WordSet k_set(k_names);
    return k_set.contains(name);
}

// The end of the logical line holding `from`: the first newline not escaped by a backslash.
std::uint32_t logical_line_end(std::string_view src, std::uint32_t from) {
    std::size_t i = from;
    while (i < src.size()) {
        const std::size_t nl = src.find('\n', i);
        if (nl == std::string_view::npos) {
            return static_cast<std::uint32_t>(src.size());
        }
        std::size_t k = nl;
        if (k > 0 && src[k - 1] == '\r') {
            --k;
        }
        if (k == 0 || src[k - 1] != '\\') {
            return static_cast<std::uint32_t>(nl);
        }
        i = nl + 1;
    }
    return static_cast<std::uint32_t>(src.size());
}

bool only_blanks_before(std::string_view src, std::uint32_t at) {
    for (std::uint32_t i = at; i > 0; --i) {
        const char c = src[i - 1];
        if (c == '\n') {
            return true;
        }
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') {
            return false;
        }
    }
    return true;
}

class TokenBuilder {
public:
    TokenBuilder(Scanner& s, bool cpp, std::vector<RawToken> raw)
        : m_s(s), m_src(s.src()), m_cpp(cpp), m_raw(std::move(raw)) {}

    void run() {
        std::size_t i = 0;
        while (i < m_raw.size()) {
            if (m_newline != k_none && m_raw[i].begin > m_newline) {
                push_newline();
            }
            if (m_raw[i].kind == RawKind::comment) {
                m_s.comment(m_raw[i].begin, m_raw[i].end);
                ++i;
                continue;
            }
            if (text(i) == "#" && only_blanks_before(m_src, m_raw[i].begin)) {
                i = directive(i);
                continue;
            }
            i = ordinary(i);
        }
        if (m_newline != k_none) {
            push_newline();
        }
    }

private:
    std::string_view text(std::size_t i) const {
        return i < m_raw.size() ? m_src.substr(m_raw[i].begin, m_raw[i].end - m_raw[i].begin)
                                : std::string_view();
    }

    void push(std::uint32_t begin, std::uint32_t end, TokenKind kind) { m_s.push(begin, end, kind); }

    void push_newline() {
        push(m_newline, m_newline + 1, TokenKind::op);
        m_newline = k_none;
    }

    // The previous code token is `::` (`std::size_t` is a qualified name, not a primitive).
    bool after_scope(std::size_t i) const {
        for (std::size_t k = i; k-- > 0;) {
            if (m_raw[k].kind != RawKind::comment) {
                return text(k) == "::";
            }
        }
        return false;
    }

    TokenKind kind_of(std::size_t i) const {
        const std::string_view t = text(i);
        switch (m_raw[i].kind) {
        case RawKind::identifier:
            if (t == "defined" && m_raw[i].begin >= m_if_line_end) {
                return TokenKind::identifier;  // `defined` is special only in #if / #elif
            }
            return is_syntactic_keyword(t) && !after_scope(i) ? TokenKind::keyword
                                                               : TokenKind::identifier;
        case RawKind::keyword:
            return is_name_keyword(t) ? TokenKind::identifier : TokenKind::keyword;
        case RawKind::literal:
            return TokenKind::literal;
        default:
            return TokenKind::op;
        }
    }

    // One token; `-1` / `+1` where a value starts is one number, as tree-sitter lexes it.
    std::size_t ordinary(std::size_t i) {
        const std::string_view t = text(i);
        const RawToken& r = m_raw[i];
        const bool body_start = std::exchange(m_body_start, false);
        if ((t == "-" || t == "+") && i + 1 < m_raw.size() &&
            m_raw[i + 1].kind == RawKind::literal && m_raw[i + 1].begin == r.end &&
            is_number_text(text(i + 1)) && (body_start || starts_value())) {
            push(r.begin, m_raw[i + 1].end, TokenKind::literal);
            return i + 2;
        }
        if (m_cpp) {
            track_angles(t);
            if (t == ">>" && m_angles >= 2) {
                // `vector<vector<int>>` closes two template argument lists: two tokens.
                m_angles -= 2;
                push(r.begin, r.begin + 1, TokenKind::op);
                push(r.begin + 1, r.end, TokenKind::op);
                return i + 1;
            }
            // `[[attr]]`: the brackets of an attribute are one token each side.
            if (t == "[" && i + 1 < m_raw.size() && text(i + 1) == "[" &&
                m_raw[i + 1].begin == r.end && !after_operand()) {
                ++m_attributes;
                push(r.begin, m_raw[i + 1].end, TokenKind::op);
                return i + 2;
            }
            if (t == "]" && m_attributes > 0 && i + 1 < m_raw.size() && text(i + 1) == "]" &&
                m_raw[i + 1].begin == r.end) {
                --m_attributes;
                push(r.begin, m_raw[i + 1].end, TokenKind::op);
                return i + 2;
            }
            if (t == "(" && i + 1 < m_raw.size() && text(i + 1) == ")" &&
                m_raw[i + 1].begin == r.end && m_s.last_text() == "operator") {
                push(r.begin, m_raw[i + 1].end, TokenKind::op);  // operator()
                return i + 2;
            }
        }
        push(r.begin, r.end, kind_of(i));
        return i + 1;
    }

    // Template argument lists left open in this statement: a `<` right after a name opens one
    // (a comparison's `<` rarely meets a `>>` before the statement ends).
    void track_angles(std::string_view t) {
        const std::vector<Token>& out = m_s.tokens();
        if (t == ";" || t == "{" || t == "}") {
            m_angles = 0;
        } else if (t == "<" && !out.empty() &&
                   (out.back().kind == TokenKind::identifier ||
                    out.back().kind == TokenKind::keyword)) {
            ++m_angles;
        } else if (t == ">" && m_angles > 0) {
            --m_angles;
        } else if (t == ">>" && m_angles < 2) {
            m_angles = m_angles > 0 ? m_angles - 1 : 0;
        }
    }

    // Whether the previous token ends an operand (`a[[]{...}()]` would be a subscript).
    bool after_operand() const {
        const std::vector<Token>& out = m_s.tokens();
        if (out.empty()) {
            return false;
        }
        const std::string_view p = m_s.last_text();
        return out.back().kind == TokenKind::identifier || out.back().kind == TokenKind::literal ||
               p == ")" || p == "]";
    }

    // Whether the next token starts an operand (so a sign is unary).
    bool starts_value() const {
        const std::vector<Token>& out = m_s.tokens();
        if (out.empty()) {
            return true;
        }
        if (out.back().kind == TokenKind::identifier || out.back().kind == TokenKind::literal) {
            return false;
        }
        const std::string_view p = m_s.last_text();
        return p != ")" && p != "]" && p != "}" && p != "this";
    }

    // The rest of a directive's logical line as one literal, as tree-sitter's preproc_arg
    // reads it: up to a `/*` comment or the end of the line, trailing blanks and any `//`
    // comment included. Normalized to its exact text: `#pragma once` and `#pragma pack` are not
    // the same code.
    std::size_t literal_through(std::size_t i, std::uint32_t end) {
        std::size_t j = i;
        std::uint32_t stop = end;
        while (j < m_raw.size() && m_raw[j].begin < end) {
            if (m_raw[j].kind == RawKind::comment && text(j).substr(0, 2) == "/*") {
                stop = m_raw[j].begin;
                break;
            }
            ++j;
        }
        if (j > i) {
            m_s.push(m_raw[i].begin, std::max(stop, m_raw[j - 1].end), TokenKind::literal, true);
        }
        return j;
    }

    std::size_t directive(std::size_t i) {
        const std::uint32_t line_end = logical_line_end(m_src, m_raw[i].begin);
        const std::size_t w = i + 1;
        const bool word = w < m_raw.size() && m_raw[w].begin < line_end &&
                          (m_raw[w].kind == RawKind::identifier || m_raw[w].kind == RawKind::keyword);
        if (!word) {
            push(m_raw[i].begin, m_raw[i].end, TokenKind::op);  // `#` alone
            return i + 1;
        }
        const std::string_view name = text(w);
        const bool known = is_grammar_directive(name);
        // "#include", "# define", "#pragma": the directive is one token, a keyword.
        push(m_raw[i].begin, m_raw[w].end, TokenKind::keyword);
        std::size_t j = w + 1;
        if (!known) {
            return literal_through(j, line_end);
        }
        if (name == "include") {
            if (j < m_raw.size() && m_raw[j].begin < line_end && text(j) == "<") {
                std::size_t k = j;
                while (k < m_raw.size() && m_raw[k].begin < line_end && text(k) != ">") {
                    ++k;
                }
                if (k < m_raw.size() && text(k) == ">") {
                    push(m_raw[j].begin, m_raw[k].end, TokenKind::literal);
                    return k + 1;
                }
            }
            return j;
        }
        if (name == "define") {
            if (j >= m_raw.size() || m_raw[j].begin >= line_end) {
                return j;
            }
            push(m_raw[j].begin, m_raw[j].end, TokenKind::identifier);
            ++j;
            if (j < m_raw.size() && text(j) == "(" && m_raw[j].begin == m_raw[j - 1].end) {
                // a function-like macro's parameters, token by token
                while (j < m_raw.size() && m_raw[j].begin < line_end) {
                    const bool close = text(j) == ")";
                    push(m_raw[j].begin, m_raw[j].end, kind_of(j));
                    ++j;
                    if (close) {
                        break;
                    }
                }
            }
            m_body_start = true;  // where a value starts: `#define LIMIT -1`
            return j;  // the replacement text follows as ordinary tokens
        }
        if (name == "if" || name == "elif") {
            m_if_line_end = line_end;
            // The grammar ends an #if / #elif condition with a '\n' token.
            if (line_end < m_src.size() && m_src[line_end] == '\n') {
                m_newline = line_end;
            }
        }
        return j;
    }

    Scanner& m_s;
    std::string_view m_src;
    bool m_cpp;
    int m_angles = 0;
    int m_attributes = 0;  // `[[` opened and not closed
    bool m_body_start = false;  // the next token starts a #define's body
    std::vector<RawToken> m_raw;
    std::uint32_t m_if_line_end = 0;  // `defined` before this offset is the #if operator
    static constexpr std::uint32_t k_none = UINT32_MAX;
    std::uint32_t m_newline = k_none;  // an #if line's '\n' token still to emit
};

}  // namespace

void lex_c_family(Scanner& s, bool cpp) {
    std::vector<RawToken> raw = RawLexer(s, cpp).run();
    s.rewind_lines();
    TokenBuilder(s, cpp, std::move(raw)).run();
}

}  // namespace cq::lexer::detail
