// Python: names, numbers, strings with their prefixes (r, b, u, f and pairs), triple quotes,
// f-strings cut into pieces around their replacement fields, comments, operators.
#include <algorithm>
#include <array>

#include "analyzer/lexer/scanner.hpp"

namespace cq::lexer::detail {
namespace {

// The hard keywords, plus the literal words tree-sitter-python names as nodes (True, False,
// None). Soft keywords (match, case, type, _) are names: they are mostly used as names.
bool is_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 35> k_words = {
        "False", "None",   "True",    "and",      "as",     "assert", "async",
        "await", "break",  "class",   "continue", "def",    "del",    "elif",
        "else",  "except", "finally", "for",      "from",   "global", "if",
        "import", "in",    "is",      "lambda",   "nonlocal", "not",  "or",
        "pass",  "raise",  "return",  "try",      "while",  "with",   "yield"};
    static const WordSet k_set(k_words);
    return k_set.contains(w);
}

constexpr std::string_view k_ops[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="};

std::size_t op_length(std::string_view src, std::size_t i) {
    static const OpTable k_table(k_ops);
    return k_table.length(src, i);
}

// A string prefix: up to two of r, b, u, f (any case), as Python allows them.
bool is_string_prefix(std::string_view w, bool& raw, bool& format) {
    if (w.empty() || w.size() > 2) {
        return false;
    }
    raw = false;
    format = false;
    for (const char c : w) {
        switch (c) {
        case 'r': case 'R': raw = true; break;
        case 'f': case 'F': format = true; break;
        case 'b': case 'B': case 'u': case 'U': break;
        default: return false;
        }
    }
    return true;
}

class PythonLexer {
public:
    explicit PythonLexer(Scanner& s) : m_s(s) {}

    void run() {
        code(m_s.starts(0, "\xEF\xBB\xBF") ? 3 : 0, m_s.size(), Stop::none);  // after a BOM
        soft_keywords();
    }

private:
    // Where an expression inside an f-string replacement field ends.
    enum class Stop { none, field };

    // Lexes [pos, end) as code; with Stop::field, stops before a `}`, `:` or `!` (not `!=`) or
    // `=` ending a self-documenting field, at bracket depth 0. Returns where it stopped.
    std::size_t code(std::size_t pos, std::size_t end, Stop stop) {
        int depth = 0;
        while (pos < end) {
            const unsigned char c = m_s.at(pos);
            if (c == '\n' || is_blank(c)) {
                ++pos;
                continue;
            }
            if (c == '\\' && (m_s.at(pos + 1) == '\n' || m_s.at(pos + 1) == '\r')) {
                ++pos;  // a line continuation
                continue;
            }
            if (c == '#') {
                const std::size_t e = line_end(pos);
                m_s.comment(pos, e);
                pos = e;
                continue;
            }
            if (stop == Stop::field && depth == 0 &&
                (c == '}' || (c == ':' && m_s.at(pos + 1) != '=') ||
                 (c == '!' && m_s.at(pos + 1) != '=') ||
                 (c == '=' && m_s.at(pos + 1) != '=' && !m_s.tokens().empty() &&
                  field_equals_ends(pos + 1)))) {
                return pos;
            }
            if (is_word_start(c)) {
                std::size_t e = pos + 1;
                while (e < end && is_word_char(m_s.at(e))) {
                    ++e;
                }
                const std::string_view w = m_s.src().substr(pos, e - pos);
                bool raw = false;
                bool format = false;
                if ((m_s.at(e) == '"' || m_s.at(e) == '\'') && is_string_prefix(w, raw, format)) {
                    pos = string(pos, e, raw, format);
                    continue;
                }
                const bool future = w == "__future__" && m_s.last_text() == "from";
                m_s.push(pos, e,
                         is_keyword(w) || future ? TokenKind::keyword : TokenKind::identifier);
                pos = e;
                continue;
            }
            if (is_digit(c) || (c == '.' && is_digit(m_s.at(pos + 1)))) {
                pos = number(pos, end);
                continue;
            }
            if (c == '"' || c == '\'') {
                pos = string(pos, pos, false, false);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                ++depth;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                --depth;
            }
            const std::size_t n = op_length(m_s.src(), pos);
            m_s.push(pos, pos + n, TokenKind::op);
            pos += n;
        }
        return pos;
    }

    // After `=` in a replacement field: only blanks, then `}`, `!` or `:`.
    bool field_equals_ends(std::size_t i) const {
        while (is_blank(m_s.at(i))) {
            ++i;
        }
        const unsigned char c = m_s.at(i);
        return c == '}' || c == '!' || c == ':';
    }

    std::size_t line_end(std::size_t pos) const {
        const std::size_t nl = m_s.src().find('\n', pos);
        return nl == std::string_view::npos ? m_s.size() : nl;
    }

    std::size_t number(std::size_t pos, std::size_t end) {
        std::size_t e = pos;
        const bool hex = m_s.at(pos) == '0' && (m_s.at(pos + 1) == 'x' || m_s.at(pos + 1) == 'X');
        while (e < end) {
            const unsigned char c = m_s.at(e);
            if (is_word_char(c) || c == '.') {
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

    // The end of the string body that starts at `body` (after the opening quotes), for the
    // quote `q` (tripled or not): one past the closing quotes, or the end of the line (a single
    // quoted string left open) or of the file.
    std::size_t body_end(std::size_t body, unsigned char q, bool triple) const {
        std::size_t i = body;
        while (i < m_s.size()) {
            const unsigned char c = m_s.at(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '\n' && !triple) {
                return i;
            }
            if (c == q && (!triple || (m_s.at(i + 1) == q && m_s.at(i + 2) == q))) {
                return i + (triple ? 3 : 1);
            }
            ++i;
        }
        return m_s.size();
    }

    // A string literal whose prefix starts at `start` and whose quote is at `q`.
    std::size_t string(std::size_t start, std::size_t q, bool raw, bool format) {
        const unsigned char quote = m_s.at(q);
        const bool triple = m_s.at(q + 1) == quote && m_s.at(q + 2) == quote;
        const std::size_t body = q + (triple ? 3 : 1);
        if (!format) {
            const std::size_t e = body_end(body, quote, triple);
            m_s.push(start, e, TokenKind::literal);
            return e;
        }
        return fstring(start, body, quote, triple, raw);
    }

    // An f-string: one literal when it has no replacement field; otherwise its opening (prefix
    // and quotes) and closing quotes as literals, each literal piece as a literal, and each
    // field as `{`, the expression's tokens, a `!r` conversion, its format spec (one
    // literal from the `:`, nested fields included), `}`.
    std::size_t fstring(std::size_t start, std::size_t body, unsigned char quote, bool triple,
                        bool raw) {
        const std::size_t mark = m_s.tokens().size();
        bool fields = false;
        m_s.push(start, body, TokenKind::literal);
        std::size_t i = body;
        std::size_t piece = body;
        const auto flush = [&](std::size_t e) {
            m_s.push(piece, e, TokenKind::literal);
        };
        while (i < m_s.size()) {
            const unsigned char c = m_s.at(i);
            if (c == '\\') {
                // A backslash never escapes a brace, and in a raw string only a quote or a
                // backslash.
                const unsigned char n = m_s.at(i + 1);
                const bool pair = n != '{' && n != '}' && (!raw || n == quote || n == '\\');
                i += pair ? 2 : 1;
                continue;
            }
            if (c == '\n' && !triple) {
                break;
            }
            if (c == quote && (!triple || (m_s.at(i + 1) == quote && m_s.at(i + 2) == quote))) {
                flush(i);
                const std::size_t e = i + (triple ? 3 : 1);
                if (!fields) {
                    m_s.tokens().resize(mark);
                    m_s.push(start, e, TokenKind::literal);
                } else {
                    m_s.push(i, e, TokenKind::literal);
                }
                return e;
            }
            if (c == '{' && m_s.at(i + 1) == '{') {
                i += 2;
                continue;
            }
            if (c == '{') {
                fields = true;
                flush(i);
                i = field(i, triple);
                piece = i;
                continue;
            }
            ++i;
        }
        // Left open: what was read stays, the rest of the line is its last piece.
        flush(std::min(i, m_s.size()));
        if (!fields) {
            m_s.tokens().resize(mark);
            m_s.push(start, std::min(i, m_s.size()), TokenKind::literal);
        }
        return std::min(i, m_s.size());
    }

    // A replacement field at `open` (`{`); returns one past its `}`.
    std::size_t field(std::size_t open, bool triple) {
        m_s.push(open, open + 1, TokenKind::op);
        const std::size_t limit = triple ? m_s.size() : line_end(open);
        std::size_t i = code(open + 1, limit, Stop::field);
        if (m_s.at(i) == '=' && i < limit) {
            m_s.push(i, i + 1, TokenKind::op);
            ++i;
            while (i < limit && is_blank(m_s.at(i))) {
                ++i;
            }
        }
        if (m_s.at(i) == '!' && i < limit) {
            std::size_t e = i + 1;
            while (e < limit && is_word_char(m_s.at(e))) {
                ++e;
            }
            m_s.push(i, e, TokenKind::keyword);
            i = e;
        }
        if (m_s.at(i) == ':' && i < limit) {
            // The spec, `:` included and nested fields too, is one literal.
            const std::size_t piece = i;
            int nested = 0;
            for (++i; i < limit; ++i) {
                const unsigned char c = m_s.at(i);
                if (c == '{') {
                    ++nested;
                } else if (c == '}' && nested-- == 0) {
                    break;
                }
            }
            m_s.push(piece, i, TokenKind::literal);
        }
        if (i < limit && m_s.at(i) == '}') {
            m_s.push(i, i + 1, TokenKind::op);
            return i + 1;
        }
        return i;
    }

    // `match` and `case` that open a match statement or a case clause are keywords, as
    // tree-sitter reads them: the first token of a line whose logical line ends with `:`, not
    // followed by `=`, `.`, `:` or `,` (a name that happens to be called match).
    void soft_keywords() {
        std::vector<Token>& toks = m_s.tokens();
        const std::string_view src = m_s.src();
        const auto text = [&](std::size_t k) {
            return src.substr(toks[k].start_byte, toks[k].end_byte - toks[k].start_byte);
        };
        for (std::size_t k = 0; k + 1 < toks.size(); ++k) {
            if (toks[k].kind != TokenKind::identifier || (k > 0 && toks[k - 1].line == toks[k].line)) {
                continue;
            }
            const std::string_view w = text(k);
            if (w != "match" && w != "case") {
                continue;
            }
            const std::string_view next = text(k + 1);
            if (next == "=" || next == "." || next == ":" || next == "," || next == ")" ||
                toks[k + 1].line != toks[k].line || (next.size() == 2 && next[1] == '=')) {
                continue;
            }
            int depth = 0;
            std::size_t j = k + 1;
            for (; j < toks.size(); ++j) {
                const std::string_view t = text(j);
                if (depth == 0 && j > k + 1 && toks[j].line != toks[j - 1].line) {
                    break;
                }
                if (t == "(" || t == "[" || t == "{") {
                    ++depth;
                } else if ((t == ")" || t == "]" || t == "}") && depth > 0) {
                    --depth;
                }
            }
            if (text(j - 1) == ":") {
                toks[k].kind = TokenKind::keyword;
                toks[k].norm_hash = toks[k].exact_hash;
                if (w == "case" && text(k + 1) == "_") {  // the wildcard pattern
                    toks[k + 1].kind = TokenKind::keyword;
                    toks[k + 1].norm_hash = toks[k + 1].exact_hash;
                }
            }
        }
    }

    Scanner& m_s;
};

}  // namespace

void lex_python(Scanner& s) { PythonLexer(s).run(); }

}  // namespace cq::lexer::detail
