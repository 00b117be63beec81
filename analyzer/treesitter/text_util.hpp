// Internal to analyzer/treesitter: small text helpers with no tree-sitter dependency.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/model/file_model.hpp"

namespace cq::treesitter {

// FNV-1a, 32 bits: cheap and stable across runs and platforms (token hashes are persisted).
constexpr std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (const char ch : s) {
        h ^= static_cast<std::uint8_t>(ch);
        h *= 16777619u;
    }
    return h;
}

// The normalized hashes of Type-2 clones: every identifier hashes to one value, every literal
// to another, whatever their text.
inline constexpr std::uint32_t k_identifier_hash = fnv1a("\x01identifier");
inline constexpr std::uint32_t k_literal_hash = fnv1a("\x01literal");

// At most `cap` bytes of `s`, cut back to a UTF-8 character boundary.
std::string_view utf8_prefix(std::string_view s, std::size_t cap);

// `s` without any ASCII whitespace, at most `cap` bytes.
std::string strip_whitespace(std::string_view s, std::size_t cap = 200);

// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

// The value of a string literal as written in `lang` (prefixes, quotes and simple escapes
// removed; raw strings kept verbatim), at most `cap` bytes. Unknown escapes are kept as written.
std::string decode_string_literal(std::string_view raw, Language lang, std::size_t cap);

}  // namespace cq::treesitter
