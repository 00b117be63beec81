// Writers of a scan's results. Each takes a finished ScanResult and writes a whole document;
// output order is the ScanResult's (deterministic), with no timestamps.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/engine/engine.hpp"

namespace cq {

struct TextOptions {
    bool color = false;
    bool show_notes = true;  // parse diagnostics, skipped files, syntactic fallback
};

// Compiler-style lines `path:line:col: severity: message [rule]`, then a summary.
void write_text(std::ostream& out, const ScanResult& scan, const TextOptions& options);

// The JSON document of the README ("JSON output"): tool, summary, files with every function,
// duplication, issues.
nlohmann::ordered_json to_json(const ScanResult& scan, const std::string& version);

// Lines of the whole scan (physical) and ncloc.
std::uint64_t total_lines(const ScanResult& scan);
std::uint64_t total_ncloc(const ScanResult& scan);

}  // namespace cq
