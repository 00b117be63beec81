#include "analyzer/clang/source_map.hpp"

#include <algorithm>
#include <cstring>

#include "analyzer/lexer/lexer.hpp"

namespace cq::clangfe::detail {

SourceMap::SourceMap(std::string_view source, const std::vector<Token>& tokens)
    : m_source(source), m_tokens(tokens) {
    m_line_starts.push_back(0);
    const char* const begin = source.data();
    const char* const end = begin + source.size();
    for (const char* p = begin; p < end;) {
        const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (nl == nullptr) {
            break;
        }
        p = static_cast<const char*>(nl) + 1;
        m_line_starts.push_back(static_cast<std::uint32_t>(p - begin));
    }
}

std::uint32_t SourceMap::line_of(std::uint32_t byte) const {
    auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), byte);
    return static_cast<std::uint32_t>(it - m_line_starts.begin());
}

Range SourceMap::range(std::uint32_t begin, std::uint32_t end) const {
    Range r;
    r.start_byte = std::min(begin, size());
    r.end_byte = std::max(r.start_byte, std::min(end, size()));
    r.start_line = line_of(r.start_byte);
    r.start_column = r.start_byte - m_line_starts[r.start_line - 1] + 1;
    r.end_line = line_of(r.end_byte);
    r.end_column = r.end_byte - m_line_starts[r.end_line - 1] + 1;
    return r;
}

std::string_view SourceMap::text(std::uint32_t begin, std::uint32_t end) const {
    if (begin > end || end > m_source.size()) {
        return {};
    }
    return m_source.substr(begin, end - begin);
}

std::string_view SourceMap::token_text(std::int32_t i) const {
    if (i < 0 || i >= token_count()) {
        return {};
    }
    const Token& t = token(i);
    return text(t.start_byte, t.end_byte);
}

Range SourceMap::token_range(std::int32_t i) const {
    const Token& t = token(i);
    return range(t.start_byte, t.end_byte);
}

Range SourceMap::tokens_range(std::int32_t first, std::int32_t last) const {
    return range(token(first).start_byte, token(last).end_byte);
}

std::int32_t SourceMap::token_at_or_after(std::uint32_t byte) const {
    auto it = std::lower_bound(m_tokens.begin(), m_tokens.end(), byte,
                               [](const Token& t, std::uint32_t b) { return t.start_byte < b; });
    return it == m_tokens.end() ? -1 : static_cast<std::int32_t>(it - m_tokens.begin());
}

std::int32_t SourceMap::token_starting_at(std::uint32_t byte) const {
    const std::int32_t i = token_at_or_after(byte);
    return i >= 0 && token(i).start_byte == byte ? i : -1;
}

std::int32_t SourceMap::last_token_before(std::uint32_t byte) const {
    // Tokens do not overlap, so end order equals start order.
    auto it = std::upper_bound(m_tokens.begin(), m_tokens.end(), byte,
                               [](std::uint32_t b, const Token& t) { return b < t.end_byte; });
    return static_cast<std::int32_t>(it - m_tokens.begin()) - 1;
}

namespace {

char closing_for(std::string_view open) {
    if (open == "(") {
        return ')';
    }
    if (open == "[") {
        return ']';
    }
    if (open == "{") {
        return '}';
    }
    return 0;
}

char opening_for(std::string_view close) {
    if (close == ")") {
        return '(';
    }
    if (close == "]") {
        return '[';
    }
    if (close == "}") {
        return '{';
    }
    return 0;
}

}  // namespace

std::int32_t SourceMap::match_forward(std::int32_t open) const {
    const std::string_view o = token_text(open);
    const char c = closing_for(o);
    if (c == 0) {
        return -1;
    }
    int depth = 0;
    for (std::int32_t i = open; i < token_count(); ++i) {
        const std::string_view t = token_text(i);
        if (t.size() != 1) {
            continue;
        }
        if (t[0] == o[0]) {
            ++depth;
        } else if (t[0] == c && --depth == 0) {
            return i;
        }
    }
    return -1;
}

std::int32_t SourceMap::match_backward(std::int32_t close) const {
    const std::string_view cl = token_text(close);
    const char o = opening_for(cl);
    if (o == 0) {
        return -1;
    }
    int depth = 0;
    for (std::int32_t i = close; i >= 0; --i) {
        const std::string_view t = token_text(i);
        if (t.size() != 1) {
            continue;
        }
        if (t[0] == cl[0]) {
            ++depth;
        } else if (t[0] == o && --depth == 0) {
            return i;
        }
    }
    return -1;
}

std::int32_t SourceMap::match_angle(std::int32_t open) const {
    if (token_text(open) != "<") {
        return -1;
    }
    int depth = 0;
    for (std::int32_t i = open; i < token_count(); ++i) {
        const std::string_view t = token_text(i);
        if (t == "(" || t == "[" || t == "{") {
            i = match_forward(i);
            if (i < 0) {
                return -1;
            }
            continue;
        }
        if (t == "<") {
            ++depth;
        } else if (t == ">") {
            --depth;
        } else if (t == ">>") {
            depth -= 2;
        } else if (t == ";") {
            return -1;
        }
        if (depth <= 0) {
            return i;
        }
    }
    return -1;
}

std::string SourceMap::compact(std::int32_t first, std::int32_t last, std::size_t cap) const {
    if (first < 0 || last < first || last >= token_count()) {
        return {};
    }
    return compact_text(text(token(first).start_byte, token(last).end_byte), cap);
}

std::string compact_text(std::string_view s, std::size_t cap) {
    const auto is_word = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || u >= 0x80;
    };
    std::string out;
    out.reserve(std::min(s.size(), cap));
    bool pending_space = false;
    for (const char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty() && is_word(out.back()) && is_word(c)) {
            out += ' ';  // `unsigned char`, `obj.template get`: two words stay apart
        }
        pending_space = false;
        out += c;
        if (out.size() >= cap + 4) {
            break;
        }
    }
    return truncated(out, cap);
}

std::string truncated(std::string_view text, std::size_t limit) {
    return std::string(lexer::utf8_prefix(text, limit));
}

namespace {

// Length of the encoding prefix (L, u, U, u8) and whether the literal is raw.
bool string_prefix(std::string_view t, std::size_t& prefix, bool& raw) {
    std::size_t i = 0;
    if (t.substr(0, 2) == "u8") {
        i = 2;
    } else if (!t.empty() && (t[0] == 'L' || t[0] == 'u' || t[0] == 'U')) {
        i = 1;
    }
    raw = i < t.size() && t[i] == 'R';
    if (raw) {
        ++i;
    }
    prefix = i;
    return i < t.size() && t[i] == '"';
}

// A number literal token; the tokenizer makes `-1` one token, as tree-sitter does.
bool is_number(std::string_view t) {
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        t.remove_prefix(1);
    }
    return !t.empty() && ((t[0] >= '0' && t[0] <= '9') ||
                          (t[0] == '.' && t.size() > 1 && t[1] >= '0' && t[1] <= '9'));
}

}  // namespace

bool is_string_literal_token(std::string_view token) {
    std::size_t prefix = 0;
    bool raw = false;
    return token.size() >= 2 && token.back() == '"' && string_prefix(token, prefix, raw);
}

std::string string_value(const SourceMap& map, std::int32_t first, std::int32_t last,
                         std::size_t limit) {
    std::string out;
    for (std::int32_t i = std::max(first, 0); i <= last && i < map.token_count(); ++i) {
        const std::string_view t = map.token_text(i);
        if (is_string_literal_token(t)) {
            out += lexer::decode_string_literal(t, Language::cpp);
            if (out.size() >= limit) {
                break;
            }
        }
    }
    return truncated(out, limit);
}

std::int32_t SourceMap::template_close(std::int32_t open, std::int32_t limit) const {
    if (token_text(open) != "<" || open == 0) {
        return -1;
    }
    const Token& before = token(open - 1);
    if (before.kind != TokenKind::identifier && before.kind != TokenKind::keyword) {
        return -1;
    }
    const std::int32_t close = match_angle(open);
    return close > open && close <= limit ? close : -1;
}

ArgKind classify_tokens(const SourceMap& map, std::int32_t first, std::int32_t last) {
    // Parentheses around the whole expression say nothing about it.
    while (first >= 0 && first < last && map.token_text(first) == "(" &&
           map.match_forward(first) == last) {
        ++first;
        --last;
    }
    if (first < 0 || last < first) {
        return ArgKind::other;
    }
    const std::string_view head = map.token_text(first);
    const auto is_name = [&](std::int32_t i) {
        return map.token(i).kind == TokenKind::identifier || map.token_text(i) == "this";
    };
    if (first == last) {
        if (is_string_literal_token(head)) {
            return ArgKind::string_literal;
        }
        if (is_number(head)) {
            return ArgKind::number_literal;
        }
        if (head == "true" || head == "false") {
            return ArgKind::bool_literal;
        }
        if (head == "nullptr" || head == "NULL") {
            return ArgKind::null_literal;
        }
        return is_name(first) ? ArgKind::identifier : ArgKind::other;
    }
    if (head == "[") {
        return ArgKind::function;  // a lambda
    }
    if (head == "{" || head == "new") {
        // A braced list is no literal kind in C/C++; both decided from the head (a generated
        // table's initializer has millions of tokens).
        return head == "new" ? ArgKind::call : ArgKind::other;
    }
    if (map.token(first).kind == TokenKind::op && head != "(" && head != "::") {
        return ArgKind::other;  // -x, !f(x), *p, &x
    }
    if (head == "(") {
        // `(int)x` is a cast, `(f)(x)` a call; `(a + b).c()` and `(a) + "b"` go on below.
        const std::int32_t close = map.match_forward(first);
        if (close > first && close < last) {
            const std::string_view next = map.token_text(close + 1);
            if (next == "(" && map.match_forward(close + 1) == last) {
                return ArgKind::call;
            }
            const TokenKind nk = map.token(close + 1).kind;
            if (nk == TokenKind::identifier || nk == TokenKind::literal ||
                nk == TokenKind::keyword || next == "(") {
                return ArgKind::other;
            }
        }
    }
    // One pass at the top level (outside brackets and template argument lists).
    bool all_strings = true;
    bool string_operand = false;
    bool only_plus = true;          // the top-level operators are all `+`
    bool operator_at_top = false;   // a binary or conditional operator at the top level
    bool only_names_and_access = true;
    bool has_access = false;
    int depth = 0;
    for (std::int32_t i = first; i <= last; ++i) {
        const std::string_view t = map.token_text(i);
        const bool str = is_string_literal_token(t);
        all_strings = all_strings && str;
        string_operand = string_operand || (str && depth == 0);
        if (t == "(" || t == "[" || t == "{") {
            ++depth;
        } else if (t == ")" || t == "]" || t == "}") {
            --depth;
        } else if (t == "<" && map.template_close(i, last) > i) {
            only_names_and_access = false;
            i = map.template_close(i, last);
            continue;
        } else if (depth == 0 && map.token(i).kind == TokenKind::op && t != "." && t != "->" &&
                   t != "::") {
            operator_at_top = true;
            only_plus = only_plus && t == "+";
        }
        if (t == "." || t == "->" || t == "::") {
            has_access = true;
        } else if (!is_name(i)) {
            only_names_and_access = false;
        }
    }
    if (all_strings) {
        return ArgKind::string_literal;  // "a" "b": adjacent literals are one string
    }
    if (operator_at_top && only_plus && string_operand) {
        return ArgKind::concatenation;  // + with a string literal operand
    }
    if (only_names_and_access) {
        // a.b, p->b, ns::name (a qualified name reads as a member access)
        return has_access ? ArgKind::member : ArgKind::identifier;
    }
    const std::string_view access = map.token_text(last - 1);
    if (!operator_at_top && (access == "." || access == "->") &&
        map.token(last).kind == TokenKind::identifier) {
        return ArgKind::member;  // r[i].id, f().x
    }
    if (map.token_text(last) == ")" && !operator_at_top) {
        const std::int32_t open = map.match_backward(last);
        if (open > first) {
            const std::string_view before = map.token_text(open - 1);
            if (is_name(open - 1) || before == ">" || before == ")" || before == "]" ||
                before == "}") {
                return ArgKind::call;  // f(x), a.b(x), g<T>(x), T{}(x)
            }
        }
    }
    return ArgKind::other;
}

}  // namespace cq::clangfe::detail
