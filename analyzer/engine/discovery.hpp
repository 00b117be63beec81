// File discovery: what a scan looks at, the way git sees the tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/engine/engine.hpp"
#include "analyzer/model/glob.hpp"

namespace cq {

struct DiscoveredFile {
    std::string rel_path;  // relative to the scan root, '/' separators
    std::string abs_path;
    Language language = Language::python;
};

struct Discovery {
    std::vector<DiscoveredFile> files;  // sorted by rel_path, unique
    std::vector<SkippedFile> skipped;
    bool used_git = false;
};

// Lists the supported files under `options.paths` (or the root). Inside a git work tree it asks
// git (`ls-files --cached --others --exclude-standard`), so ignored files are skipped; elsewhere
// it walks the directories without following directory symlinks (no loops). Applies include /
// exclude globs. Throws UsageError when the root or a given path does not exist.
Discovery discover_files(const ScanOptions& options);

// Why a file's content should not be analyzed ("binary", "minified", "generated",
// "too large (N bytes)"), or empty when it should.
std::string skip_reason(const std::string& content, Language lang, std::uint64_t max_bytes);

// Runs a command (argv, no shell) in `cwd`, returns its stdout; `ok` is false when it could
// not run or exited non-zero.
std::string run_capture(const std::vector<std::string>& argv, const std::string& cwd, bool& ok);

}  // namespace cq
