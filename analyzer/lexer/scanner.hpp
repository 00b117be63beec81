// Internal to analyzer/lexer: the cursor and token sink the language lexers share.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "analyzer/lexer/lexer.hpp"

namespace cq::lexer::detail {

inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_word_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
inline bool is_word_char(unsigned char c) { return is_word_start(c) || is_digit(c); }
inline bool is_blank(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// A fixed set of words, looked up by length and first byte before any comparison: the lexers
// ask for every name they read. With OpTable below, this halved the instructions of lexing
// (linear searches over up to 126 keywords and 32 operators before).
class WordSet {
public:
    template <std::size_t N>
    explicit WordSet(const std::array<std::string_view, N>& words) {
        for (const std::string_view w : words) {
            if (!w.empty() && w.size() < k_max) {
                m_by_size[w.size()].push_back(w);
            } else {
                m_long.push_back(w);
            }
        }
    }

    bool contains(std::string_view w) const {
        const std::vector<std::string_view>& bucket = w.size() < k_max ? m_by_size[w.size()] : m_long;
        for (const std::string_view k : bucket) {
            if (k[0] == w[0] && k == w) {
                return true;
            }
        }
        return false;
    }

private:
    static constexpr std::size_t k_max = 24;
    std::array<std::vector<std::string_view>, k_max> m_by_size;
    std::vector<std::string_view> m_long;
};

// Operators grouped by first byte, each group in the order given (longest first): the longest
// operator at a position, or 1 byte, without trying the operators of other first bytes.
class OpTable {
public:
    template <std::size_t N>
    explicit OpTable(const std::string_view (&ops)[N]) {
        for (const std::string_view op : ops) {
            m_by_first[static_cast<unsigned char>(op[0])].push_back(op);
        }
    }

    std::size_t length(std::string_view src, std::size_t i) const {
        if (i >= src.size()) {
            return 1;
        }
        for (const std::string_view op : m_by_first[static_cast<unsigned char>(src[i])]) {
            if (src.size() - i >= op.size() && std::memcmp(src.data() + i, op.data(), op.size()) == 0) {
                return op.size();
            }
        }
        return 1;
    }

private:
    std::array<std::vector<std::string_view>, 256> m_by_first;
};

// A position in the source with its line, and the output.
class Scanner {
public:
    Scanner(std::string_view src, std::vector<Token>& tokens, std::vector<std::uint32_t>& comments)
        : m_src(src), m_tokens(tokens), m_comments(comments) {}

    std::string_view src() const { return m_src; }
    std::size_t size() const { return m_src.size(); }
    unsigned char at(std::size_t i) const {
        return i < m_src.size() ? static_cast<unsigned char>(m_src[i]) : 0;
    }
    bool starts(std::size_t i, std::string_view s) const {
        return i <= m_src.size() && m_src.size() - i >= s.size() &&
               std::memcmp(m_src.data() + i, s.data(), s.size()) == 0;
    }

    // The line of byte `i`, for increasing `i` (amortized: counts newlines since the last ask).
    std::uint32_t line_at(std::size_t i) {
        if (i < m_line_pos) {  // back up (a token re-emitted after a look-ahead)
            const std::size_t to = std::min(i, m_src.size());
            for (std::size_t k = to; k < m_line_pos; ++k) {
                m_line -= m_src[k] == '\n' ? 1 : 0;
            }
            m_line_pos = to;
            return m_line;
        }
        const char* p = m_src.data() + m_line_pos;
        const char* end = m_src.data() + std::min(i, m_src.size());
        while (p < end) {
            const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
            if (nl == nullptr) {
                break;
            }
            ++m_line;
            p = static_cast<const char*>(nl) + 1;
        }
        m_line_pos = std::min(i, m_src.size());
        return m_line;
    }

    // Back to line 1 at byte 0, for a second pass over the source.
    void rewind_lines() {
        m_line_pos = 0;
        m_line = 1;
    }

    // `exact`: the normalized hash is the exact one whatever the kind (a #define's body is a
    // literal, but two different bodies are different code, not a Type-2 clone).
    void push(std::size_t begin, std::size_t end, TokenKind kind, bool exact = false) {
        if (end <= begin) {
            return;
        }
        Token t;
        t.kind = kind;
        t.start_byte = static_cast<std::uint32_t>(begin);
        t.end_byte = static_cast<std::uint32_t>(end);
        t.line = line_at(begin);
        t.exact_hash = fnv1a(m_src.substr(begin, end - begin));
        t.norm_hash = exact                         ? t.exact_hash
                      : kind == TokenKind::identifier ? k_identifier_hash
                      : kind == TokenKind::literal  ? k_literal_hash
                                                    : t.exact_hash;
        m_tokens.push_back(t);
    }

    // Records the lines of a comment [begin, end).
    void comment(std::size_t begin, std::size_t end) {
        const std::uint32_t first = line_at(begin);
        const std::uint32_t last = end > begin ? line_at(end - 1) : first;
        for (std::uint32_t l = first; l <= last; ++l) {
            if (m_comments.empty() || m_comments.back() < l) {
                m_comments.push_back(l);
            }
        }
    }

    // One past the closing `quote` of the literal opened at `q` (a backslash escapes the next
    // byte), or the end of the line (before a `\r\n`) when it is left open, or of the source.
    std::size_t quoted_end(std::size_t q, unsigned char quote) const {
        std::size_t i = q + 1;
        while (i < m_src.size()) {
            const unsigned char c = at(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '\n') {
                return i > q + 1 && at(i - 1) == '\r' ? i - 1 : i;
            }
            ++i;
            if (c == quote) {
                return i;
            }
        }
        return m_src.size();
    }

    std::vector<Token>& tokens() { return m_tokens; }

    // The text of the last token, or empty.
    std::string_view last_text() const {
        if (m_tokens.empty()) {
            return {};
        }
        const Token& t = m_tokens.back();
        return m_src.substr(t.start_byte, t.end_byte - t.start_byte);
    }

private:
    std::string_view m_src;
    std::vector<Token>& m_tokens;
    std::vector<std::uint32_t>& m_comments;
    std::size_t m_line_pos = 0;
    std::uint32_t m_line = 1;
};

void lex_python(Scanner& s);
void lex_javascript(Scanner& s, bool typescript);
void lex_c_family(Scanner& s, bool cpp);

}  // namespace cq::lexer::detail
