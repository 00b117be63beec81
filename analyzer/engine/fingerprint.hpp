// Stable issue fingerprints: an issue keeps its fingerprint when lines move above it, when the
// file is reformatted, and when its function moves within the file; it changes when the flagged
// code itself changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/finding.hpp"
#include "rules/rule.hpp"

namespace cq {

// 64-bit FNV-1a.
std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed = 0xcbf29ce484222325ULL);

// The identity of a file's content for the incremental cache and the history: FNV-1a of the
// bytes and their length, as 24 hex digits.
std::string content_hash(std::string_view content);

// The flagged code with all whitespace removed (the fallback normalized form).
std::string normalize_code(std::string_view code);

// The position-independent text of the code a finding flags, which the fingerprint hashes:
//   - Finding::anchor when the rule set one;
//   - for a finding on a function's name (complexity and other whole-function findings), the
//     name alone: the function itself is part of the fingerprint;
//   - otherwise the exact text of the tokens inside the range (comments and whitespace are not
//     tokens, so re-indenting, re-spacing and comments change nothing), extended when the range
//     holds fewer than k_min_anchor_tokens (a lone `if` is not distinctive) with the tokens that
//     follow on the same line, never past the end of the enclosing function;
//   - without tokens (a front end that has none), the range's text with whitespace removed,
//     widened to its whole lines when that is shorter than 12 characters.
inline constexpr std::size_t k_min_anchor_tokens = 8;
std::string fingerprint_anchor(const Finding& finding, const FileModel& file);

// Fills Finding::fingerprint for every finding: a hash of rule, path, enclosing function and
// fingerprint_anchor(), plus an occurrence index among findings that share all of those, in
// source order. No line or column enters the hash.
void assign_fingerprints(std::vector<Finding>& findings, const ProjectModel& project);

}  // namespace cq
