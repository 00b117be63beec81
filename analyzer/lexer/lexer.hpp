// The token stream of a file, from a hand-written lexer per language family: the one source of
// FileModel::tokens and FileModel::comment_lines for every front end (tree-sitter, libclang),
// and all that a tokens-only scan reads (duplication/block alone: no parse at all).
//
// The stream follows the cut the tree-sitter grammars make, so that a file hashes the same
// whichever front end reads it and a clone between a header parsed one way and a file parsed
// the other is still found:
//   - comments are dropped (their lines go to comment_lines);
//   - a string literal is one literal token; an f-string or template literal with
//     substitutions is cut into its pieces (literals), its delimiters and the tokens of each
//     substituted expression;
//   - C/C++: a directive (`#include`, `# define`, `#pragma`) is one keyword token, a header name
//     `<x.h>` one literal, the argument of a directive other than include/define/if... one
//     literal that keeps its exact hash as its normalized one, a #define's body ordinary tokens,
//     a signed number where a value starts (`-1`) one literal, and the words the tree-sitter C
//     grammars read as keywords (`size_t`, `true`, `NULL`) are keywords;
//   - words are keywords or identifiers by a fixed list per language (contextual words such as
//     Python's `match` are identifiers, JavaScript's `of`/`get`/`async` keywords).
// Broken input never fails: an unterminated string or comment runs to the end of its line (or
// of the file, for block comments and triple-quoted strings) and lexing goes on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq::lexer {

// 32-bit FNV-1a: Token::exact_hash and norm_hash. Stable across runs and platforms (token
// hashes are persisted in the history's file cache).
constexpr std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (const char ch : s) {
        h ^= static_cast<std::uint8_t>(ch);
        h *= 16777619u;
    }
    return h;
}

// What every identifier and every literal hash to in Token::norm_hash (Type-2 clones).
inline constexpr std::uint32_t k_identifier_hash = fnv1a("\x01identifier");
inline constexpr std::uint32_t k_literal_hash = fnv1a("\x01literal");

// Appends the tokens of `source`, read as `lang`, to `tokens` (in source order) and the 1-based
// lines that hold a comment to `comment_lines` (sorted, unique when it starts empty).
void lex(Language lang, std::string_view source, std::vector<Token>& tokens,
         std::vector<std::uint32_t>& comment_lines);

// The number of lines of `source` (a last line without a newline counts; empty: 0).
std::uint32_t count_lines(std::string_view source);

// Lines holding at least one token (ncloc), counting every line a multi-line token spans from
// its first line only, as the front ends always did.
std::uint32_t code_lines(const std::vector<Token>& tokens);

// At most `cap` bytes of `s`, cut back to a UTF-8 character boundary.
std::string_view utf8_prefix(std::string_view s, std::size_t cap);

// The value of a string literal token as written in `lang` (prefixes such as r, b, f, u8, L
// and the quotes removed, escapes decoded; raw strings kept verbatim), at most `cap` bytes.
// Unknown escapes are kept as written; a token that is not a quoted literal comes back as is.
std::string decode_string_literal(std::string_view raw, Language lang,
                                  std::size_t cap = std::string::npos);

}  // namespace cq::lexer
