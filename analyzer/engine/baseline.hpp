// Baseline files: the fingerprints of the issues a project has today, so that a team adopting cq
// on legacy code sees only what is new (`cq baseline create`, `cq scan --baseline FILE`),
// without a history database.
//
// Format (JSON, one issue per line so that diffs stay readable when the file is committed):
//   {"tool": "cq", "version": 1, "issues": [
//    {"fingerprint": "…", "rule": "complexity/cognitive", "path": "src/a.py", "line": 12},
//    …]}
// Only `fingerprint` is used for matching; rule, path and line are there for the reader.
#pragma once

#include <cstddef>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "rules/finding.hpp"

namespace cq {

// Writes the baseline of `findings` (sorted by path, line, rule for stable diffs).
void write_baseline(std::ostream& out, const std::vector<Finding>& findings);

// Reads the fingerprints of a baseline file. Throws UsageError (exit 2) when the file cannot be
// read or is not a cq baseline, naming the file and what is wrong.
std::set<std::string> read_baseline(const std::string& path);

// Removes the findings whose fingerprint is in `baseline`; returns how many were removed.
std::size_t filter_baseline(std::vector<Finding>& findings, const std::set<std::string>& baseline);

}  // namespace cq
