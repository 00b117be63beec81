// Byte offsets, lines and tokens of the main file, and the token-level helpers the lowering uses
// to find keywords, operators and parentheses. Private to analyzer/clang.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq::clangfe::detail {

class SourceMap {
public:
    // `tokens` (comments excluded, ordered by start_byte) must outlive the map.
    SourceMap(std::string_view source, const std::vector<Token>& tokens);

    std::uint32_t line_of(std::uint32_t byte) const;
    Range range(std::uint32_t begin, std::uint32_t end) const;
    std::string_view text(std::uint32_t begin, std::uint32_t end) const;
    std::uint32_t size() const { return static_cast<std::uint32_t>(m_source.size()); }

    std::int32_t token_count() const { return static_cast<std::int32_t>(m_tokens.size()); }
    const Token& token(std::int32_t i) const { return m_tokens[static_cast<std::size_t>(i)]; }
    // Empty for an index out of range, so callers can compare without checking first.
    std::string_view token_text(std::int32_t i) const;
    Range token_range(std::int32_t i) const;
    // Range from the start of token `first` to the end of token `last`.
    Range tokens_range(std::int32_t first, std::int32_t last) const;

    // The token that starts exactly at `byte`, or -1.
    std::int32_t token_starting_at(std::uint32_t byte) const;
    // The first token starting at or after `byte`, or -1.
    std::int32_t token_at_or_after(std::uint32_t byte) const;
    // The last token ending at or before `byte`, or -1.
    std::int32_t last_token_before(std::uint32_t byte) const;
    // The bracket matching the ( [ { at `open` (or the ) ] } at `close`), or -1.
    std::int32_t match_forward(std::int32_t open) const;
    std::int32_t match_backward(std::int32_t close) const;
    // The '>' closing the template argument list opened at `open` ('<'), or -1; a '>>' token
    // closes two levels (it is then the returned token).
    std::int32_t match_angle(std::int32_t open) const;
    // The '>' closing a template argument list opened at `open`: a '<' right after a name whose
    // match lies at or before `limit`; -1 for a less-than.
    std::int32_t template_close(std::int32_t open, std::int32_t limit) const;
    // The source text from token `first` to token `last` (inclusive) compacted as the syntactic
    // front end writes names: whitespace dropped except one space between two words
    // (`static_cast<unsigned char>`), at most `cap` bytes.
    std::string compact(std::int32_t first, std::int32_t last, std::size_t cap = 200) const;

private:
    std::string_view m_source;
    const std::vector<Token>& m_tokens;
    std::vector<std::uint32_t> m_line_starts;
};

// `s` without whitespace except one space between two word characters, at most `cap` bytes.
std::string compact_text(std::string_view s, std::size_t cap);

// `text` cut to at most `limit` bytes (never inside a UTF-8 sequence).
std::string truncated(std::string_view text, std::size_t limit);

// A C/C++ string literal token: optional L / u / U / u8 prefix, optional R (raw).
bool is_string_literal_token(std::string_view token);

// The concatenated values of the string literal tokens in first..last, at most `limit` bytes.
std::string string_value(const SourceMap& map, std::int32_t first, std::int32_t last,
                         std::size_t limit);

// What an expression is, judged from its tokens first..last the way the tree-sitter front end
// classes the same C/C++ expression: a string literal (adjacent literals included), a number
// (`-1` too), true/false, nullptr/NULL, a name (`this` too), a member access (`a.b`, `p->b`,
// `ns::x`), a call (`new T` too), a lambda, a `+` with a string literal operand, or other (a
// braced list, a cast, an operator expression).
ArgKind classify_tokens(const SourceMap& map, std::int32_t first, std::int32_t last);

}  // namespace cq::clangfe::detail
