// Internal to analyzer/treesitter: small text helpers with no tree-sitter dependency.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/lexer/lexer.hpp"
#include "analyzer/model/file_model.hpp"

namespace cq::treesitter {

// The string-literal decoder both front ends share lives with the lexer.
using lexer::decode_string_literal;
using lexer::utf8_prefix;

// `s` without any ASCII whitespace, at most `cap` bytes.
std::string strip_whitespace(std::string_view s, std::size_t cap = 200);

// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

}  // namespace cq::treesitter
