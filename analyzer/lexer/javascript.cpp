// JavaScript and TypeScript: names, numbers, strings, template literals cut into pieces around
// their substitutions, regular expression literals (told from division by the token before),
// comments, operators. JSX text is read as code tokens: good enough for clone detection, the
// only reader of a tokens-only scan.
#include <algorithm>
#include <array>

#include "analyzer/lexer/scanner.hpp"

namespace cq::lexer::detail {
namespace {

// Reserved words, the literal words tree-sitter-javascript names as nodes (this, null, true,
// ...), and the contextual words it reads as keywords where they usually appear (of, as,
// async, get, set, static, from).
bool is_js_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 48> k_words = {
        "async",  "await",    "break",   "case",     "catch",      "class",  "const",
        "continue", "debugger", "default", "delete", "do",         "else",   "export",
        "extends", "false",   "finally", "for",      "function",   "if",     "import",
        "in",     "instanceof", "let",   "new",      "null",       "return", "super",
        "switch", "this",     "throw",   "true",     "try",        "typeof", "undefined",
        "var",    "void",     "while",   "with",     "yield",      "of",     "as",
        "get",    "set",      "static",  "from",     "enum",       "implements"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

// TypeScript's own keywords and predefined types.
bool is_ts_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 26> k_words = {
        "interface", "type",     "private", "protected", "public",   "readonly", "declare",
        "abstract",  "namespace", "module", "keyof",     "infer",    "is",       "asserts",
        "any",       "number",   "string",  "boolean",   "never",    "unknown",  "object",
        "symbol",    "bigint",   "satisfies", "override", "unique"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

// Keywords after which an expression starts (so a `/` begins a regular expression).
bool keyword_before_expression(std::string_view w) {
    static constexpr std::array<std::string_view, 16> k_words = {
        "return", "typeof", "instanceof", "in",   "of",    "new",   "delete", "void",
        "throw",  "case",   "do",         "else", "yield", "await", "extends", "export"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

constexpr std::string_view k_ops[] = {
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "?\?=", "=>", "==",
    "!=",   "<=",  ">=",  "&&",  "||",  "?\?",  "++",  "--",  "+=",  "-=",  "*=",  "/=", "%=",
    "&=",   "|=",  "^=",  "**",  "<<",  ">>"};

std::size_t op_length(std::string_view src, std::size_t i) {
    static const OpTable k_table(k_ops);
    return k_table.length(src, i);
}

class JsLexer {
public:
    JsLexer(Scanner& s, bool typescript) : m_s(s), m_ts(typescript) {}

    void run() {
        std::size_t pos = 0;
        if (m_s.starts(0, "#!")) {
            pos = line_end(0);
            m_s.comment(0, pos);
        }
        code(pos, false);
        contextual_words();
    }

private:
    // Lexes code from `pos`; inside a template substitution (`in_template`), stops at the `}`
    // that closes it (returned, not consumed).
    std::size_t code(std::size_t pos, bool in_template) {
        int depth = 0;
        const std::size_t end = m_s.size();
        while (pos < end) {
            const unsigned char c = m_s.at(pos);
            if (c == '\n' || is_blank(c)) {
                ++pos;
                continue;
            }
            if (c == '/' && m_s.at(pos + 1) == '/') {
                const std::size_t e = line_end(pos);
                m_s.comment(pos, e);
                pos = e;
                continue;
            }
            if (c == '/' && m_s.at(pos + 1) == '*') {
                const std::size_t close = m_s.src().find("*/", pos + 2);
                const std::size_t e = close == std::string_view::npos ? end : close + 2;
                m_s.comment(pos, e);
                pos = e;
                continue;
            }
            if (is_word_start(c) || c == '$' || (c == '#' && is_word_start(m_s.at(pos + 1)))) {
                std::size_t e = pos + 1;
                while (e < end && (is_word_char(m_s.at(e)) || m_s.at(e) == '$')) {
                    ++e;
                }
                const std::string_view w = m_s.src().substr(pos, e - pos);
                const std::string_view prev = m_s.last_text();
                const bool member = prev == "." || prev == "?.";
                const bool keyword =
                    !member && c != '#' && (is_js_keyword(w) || (m_ts && is_ts_keyword(w)));
                m_s.push(pos, e, keyword ? TokenKind::keyword : TokenKind::identifier);
                pos = e;
                continue;
            }
            if (is_digit(c) || (c == '.' && is_digit(m_s.at(pos + 1)))) {
                pos = number(pos);
                continue;
            }
            if (c == '"' || c == '\'') {
                const std::size_t e = m_s.quoted_end(pos, c);
                m_s.push(pos, e, TokenKind::literal);
                pos = e;
                continue;
            }
            if (c == '`') {
                pos = templ(pos);
                continue;
            }
            if (c == '/' && regex_allowed()) {
                const std::size_t e = regex(pos);
                if (e != 0) {
                    m_s.push(pos, e, TokenKind::literal);
                    pos = e;
                    continue;
                }
            }
            if (c == '{' || c == '(' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ')' || c == ']') {
                if (c == '}' && depth == 0 && in_template) {
                    return pos;
                }
                depth = depth > 0 ? depth - 1 : 0;
            }
            std::size_t n = op_length(m_s.src(), pos);
            if (n == 1 && c == '?' && m_s.at(pos + 1) == '.' && !is_digit(m_s.at(pos + 2))) {
                n = 2;  // optional chaining `?.`, not `a ? .5 : b`
            }
            m_s.push(pos, pos + n, TokenKind::op);
            pos += n;
        }
        return pos;
    }

    std::size_t line_end(std::size_t pos) const {
        const std::size_t nl = m_s.src().find('\n', pos);
        return nl == std::string_view::npos ? m_s.size() : nl;
    }

    std::size_t number(std::size_t pos) {
        std::size_t e = pos;
        const bool hex = m_s.at(pos) == '0' && (m_s.at(pos + 1) == 'x' || m_s.at(pos + 1) == 'X');
        while (e < m_s.size()) {
            const unsigned char c = m_s.at(e);
            if (is_word_char(c) || (c == '.' && is_digit(m_s.at(e + 1))) ||
                (c == '.' && e > pos && is_digit(m_s.at(e - 1)) && !is_word_start(m_s.at(e + 1)) &&
                 m_s.at(e + 1) != '.')) {
                ++e;
            } else if ((c == '+' || c == '-') && !hex &&
                       (m_s.at(e - 1) == 'e' || m_s.at(e - 1) == 'E')) {
                ++e;
            } else {
                break;
            }
        }
        m_s.push(pos, e, TokenKind::literal);
        return e;
    }

    // A template literal: one literal without substitutions; otherwise its backquotes as
    // operators, each piece a literal, each substitution `${`, its tokens, `}`.
    std::size_t templ(std::size_t pos) {
        const std::size_t mark = m_s.tokens().size();
        bool subs = false;
        m_s.push(pos, pos + 1, TokenKind::op);
        std::size_t i = pos + 1;
        std::size_t piece = i;
        while (i < m_s.size()) {
            const unsigned char c = m_s.at(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '`') {
                if (!subs) {
                    m_s.tokens().resize(mark);
                    m_s.push(pos, i + 1, TokenKind::literal);
                } else {
                    m_s.push(piece, i, TokenKind::literal);
                    m_s.push(i, i + 1, TokenKind::op);
                }
                return i + 1;
            }
            if (c == '$' && m_s.at(i + 1) == '{') {
                subs = true;
                m_s.push(piece, i, TokenKind::literal);
                m_s.push(i, i + 2, TokenKind::op);
                i = code(i + 2, true);
                if (i < m_s.size()) {
                    m_s.push(i, i + 1, TokenKind::op);  // `}`
                    ++i;
                }
                piece = i;
                continue;
            }
            ++i;
        }
        // Left open to the end of the file.
        if (!subs) {
            m_s.tokens().resize(mark);
            m_s.push(pos, m_s.size(), TokenKind::literal);
        } else {
            m_s.push(piece, m_s.size(), TokenKind::literal);
        }
        return m_s.size();
    }

    // Whether a `/` here starts a regular expression: where an operand is expected.
    bool regex_allowed() const {
        if (m_s.tokens().empty()) {
            return true;
        }
        const Token& prev = m_s.tokens().back();
        const std::string_view p = m_s.last_text();
        switch (prev.kind) {
        case TokenKind::identifier:
        case TokenKind::literal: return false;
        case TokenKind::keyword: return keyword_before_expression(p);
        case TokenKind::op: return p != ")" && p != "]" && p != "}" && p != "++" && p != "--";
        }
        return true;
    }

    // The end of the regular expression literal at `pos` (flags included), or 0 if the line
    // ends first (then it was a division after all).
    std::size_t regex(std::size_t pos) const {
        std::size_t i = pos + 1;
        bool in_class = false;
        while (i < m_s.size()) {
            const unsigned char c = m_s.at(i);
            if (c == '\n') {
                return 0;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                in_class = true;
            } else if (c == ']') {
                in_class = false;
            } else if (c == '/' && !in_class) {
                ++i;
                while (i < m_s.size() && is_word_char(m_s.at(i))) {
                    ++i;
                }
                return i;
            }
            ++i;
        }
        return 0;
    }

    // Words that are keywords only in some places (`get` in a class body, `of` in a loop) are
    // names where a name is declared or used as a value: after var/let/const/function/class/a
    // dot, or before `=`, `,`, `)`, `;`, `.`, `]`, or `(` (a call), except `async (`.
    // `undefined` is a keyword as a value, `from` only before a module string, TypeScript's
    // `type` only before the name of an alias.
    void contextual_words() {
        std::vector<Token>& toks = m_s.tokens();
        const std::string_view src = m_s.src();
        const auto text = [&](std::size_t k) {
            return k < toks.size()
                       ? src.substr(toks[k].start_byte, toks[k].end_byte - toks[k].start_byte)
                       : std::string_view();
        };
        for (std::size_t k = 0; k < toks.size(); ++k) {
            if (toks[k].kind != TokenKind::keyword) {
                continue;
            }
            const std::string_view w = text(k);
            if (w != "get" && w != "set" && w != "of" && w != "as" && w != "from" &&
                w != "static" && w != "async" && w != "undefined" && w != "type") {
                continue;
            }
            const std::string_view prev = k > 0 ? text(k - 1) : std::string_view();
            const std::string_view next = text(k + 1);
            const bool declared = prev == "var" || prev == "let" || prev == "const" ||
                                  prev == "function" || prev == "." || prev == "?.";
            bool name = false;
            if (w == "undefined") {
                name = declared || next == "=";  // a value where it is not declared
            } else if (w == "from") {
                name = k + 1 >= toks.size() || toks[k + 1].kind != TokenKind::literal;
            } else if (w == "type") {
                name = k + 1 >= toks.size() || toks[k + 1].kind != TokenKind::identifier;
            } else {
                name =
                prev == "var" || prev == "let" || prev == "const" || prev == "function" ||
                prev == "class" || next == "=" || next == "," || next == ")" || next == ";" ||
                next == "." || next == "]" || next == "?." || next == "}" ||
                    next == ":" || (next == "(" && w != "async") || next.empty();
            }
            if (name) {
                toks[k].kind = TokenKind::identifier;
                toks[k].norm_hash = k_identifier_hash;
            }
        }
    }

    Scanner& m_s;
    bool m_ts;
};

}  // namespace

void lex_javascript(Scanner& s, bool typescript) { JsLexer(s, typescript).run(); }

}  // namespace cq::lexer::detail
