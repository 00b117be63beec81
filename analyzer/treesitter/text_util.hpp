// Internal to analyzer/treesitter: small text helpers with no tree-sitter dependency.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/model/file_model.hpp"

namespace cq::treesitter {

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
