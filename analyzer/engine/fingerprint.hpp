// Stable issue fingerprints: an issue keeps its fingerprint when lines move above it, when
// whitespace changes, and when its function moves within the file; it changes when the flagged
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

// The flagged code with all whitespace removed (the normalized form a fingerprint hashes).
std::string normalize_code(std::string_view code);

// Fills Finding::fingerprint for every finding: hash of rule, path, function, and the
// normalized anchor (Finding::anchor, or the source lines the finding covers), plus an
// occurrence index among findings that share all of those, in source order.
void assign_fingerprints(std::vector<Finding>& findings, const ProjectModel& project);

}  // namespace cq
