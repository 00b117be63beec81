// Token-based clone detection (Type-1 and Type-2) for duplication/block.
//
// Algorithm, linear in the number of tokens:
//   1. Per language, every file's token stream is reduced to normalized values (FileModel::Token::
//      norm_hash: identifiers and literals abstracted), with import / include / require runs
//      left out.
//   2. A rolling hash over every window of `min_tokens` consecutive values; an open-addressing
//      table maps each window hash to the first window that had it (its representative). A window
//      is duplicated when it is not its own representative or when another window points at it.
//   3. Duplicated windows that overlap or touch, in one file, merge into one maximal region.
//   4. Each duplicated window joins (union-find) its region with its representative's region;
//      the connected regions form one group: a block found in four places is one group of four
//      occurrences, not six pairs.
//   5. Regions spanning fewer than `min_lines` lines are dropped; groups left with fewer than two
//      occurrences are dropped.
// Every step touches each token a constant number of times (hash-table probes are expected
// O(1)); memory is about 40 bytes per token of the language being processed, released before the
// next language.
//
// A region that repeats two different blocks joins both blocks' groups (its partners become one
// group); see the rule's doc.
#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq::clones {

struct Options {
    std::uint32_t min_tokens = 100;
    std::uint32_t min_lines = 10;
};

struct Occurrence {
    std::size_t file = 0;           // index into the `files` argument of find_clones
    std::uint32_t first_token = 0;  // index into FileModel::tokens, inclusive
    std::uint32_t last_token = 0;   // inclusive
    std::uint32_t tokens = 0;       // tokens that count (import runs inside excluded)
    std::uint32_t start_line = 0;
    std::uint32_t end_line = 0;     // line of the last byte of the last token
    std::uint64_t anchor = 0;       // hash of the normalized tokens: stable when the code moves
};

struct Group {
    std::vector<Occurrence> occurrences;  // ordered by file, then position
    bool exact = false;                   // every occurrence has the same exact tokens (Type-1)
};

// Work counters, for tests that check the cost stays linear without timing anything.
struct Stats {
    std::uint64_t tokens = 0;   // tokens that count, over all languages
    std::uint64_t windows = 0;  // windows hashed
    std::uint64_t probes = 0;   // hash-table slots inspected
    std::uint64_t regions = 0;  // maximal duplicated regions
    std::uint64_t unions = 0;   // union operations
};

// The clone groups of `files` (any mix of languages; clones never cross languages). Groups are
// ordered by their first occurrence. `files` entries may be null (skipped). Never throws except
// std::bad_alloc.
std::vector<Group> find_clones(const std::vector<const FileModel*>& files, const Options& options,
                               Stats* stats = nullptr);

// Per token of `file`: true when the token belongs to an import / include / require statement,
// found from the tokens alone (so that a tokens-only scan masks the same as a full scan):
// Python `import` / `from ... import` lines, JS/TS `import ... from` / `export ... from`,
// declarations whose every declarator calls require() and any `require("m")` call, C/C++
// `#include` / `#import` lines, C++ `using` declarations and `import` units.
std::vector<bool> import_mask(const FileModel& file);

}  // namespace cq::clones
