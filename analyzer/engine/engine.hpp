// The engine: discovers files, runs the front ends and the rules in parallel, and returns the
// models and findings in a deterministic order.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"

namespace cq {

// Which rules run and with what options.
struct RuleSelection {
    // Rule ids (or category prefixes such as "complexity/") to run; empty means all rules.
    std::vector<std::string> only;
    std::vector<std::string> disabled;
    std::map<std::string, std::map<std::string, std::string>> options;  // rule id -> options
    std::map<std::string, Severity> severities;                         // rule id -> severity
};

class FileResultCache;

struct ScanOptions {
    std::string root;                 // scan root; paths in results are relative to it
    std::vector<std::string> paths;   // files or directories under root; empty = root
    std::vector<std::string> include; // globs ("src/**/*.py"); empty = every supported file
    std::vector<std::string> exclude; // globs
    unsigned jobs = 0;                // 0 = all cores
    std::string compile_commands;     // explicit compile_commands.json, else searched
    std::uint64_t max_file_bytes = 5u * 1024u * 1024u;
    RuleSelection rules;
    // Called from worker threads after each file; must be thread-safe.
    std::function<void(std::size_t done, std::size_t total)> progress;

    // Incremental scans (history/ provides both hooks; the engine works without them).
    // Per-file results kept between scans; not owned, may be null. Files that libclang parses
    // are never cached: their model also depends on the headers they include.
    FileResultCache* cache = nullptr;
    // When set, only these files (relative paths) are reported: file rules run on them alone,
    // and the other files are read (from the cache when possible) only to give project rules
    // their project-wide context, then dropped from the result. `--staged`, `--changed-since`.
    std::optional<std::set<std::string>> focus;
    // When set and it returns a value for a relative path, that is the file's content instead
    // of the bytes on disk (`--staged` reads staged content from the git index). Called from
    // worker threads; must be thread-safe.
    std::function<std::optional<std::string>(const std::string& rel_path)> read_override;
    // When no selected rule is project-wide, each file's findings are fingerprinted and
    // suppressions applied as soon as its file rules ran, and its model is cut down to what the
    // text and JSON reports and the history read (path, language, front end, lines, functions
    // with their metrics, diagnostics): the source, tokens, calls and control trees are freed,
    // so a scan's memory no longer grows with the code. Off by default: the SonarQube, SARIF
    // and HTML writers read the sources.
    bool compact_models = false;
};

// A file that was looked at but not analyzed, and why ("binary", "minified", "too large", ...).
struct SkippedFile {
    std::string path;
    std::string reason;
};

struct InternalError {
    std::string path;
    std::string rule;  // empty when the front end failed
    std::string message;
    bool bad_option = false;  // the rule rejected an option's value (std::invalid_argument)
};

struct ScanResult {
    std::string root;
    std::vector<std::unique_ptr<FileModel>> files;  // sorted by path
    std::vector<Finding> findings;                   // sorted with finding_less
    // Findings an inline `cq: ignore[...]` covers (suppressions.hpp), sorted likewise; counted
    // in summaries, listed with --show-suppressed, never recorded as issues.
    std::vector<Finding> suppressed;
    // Findings left out because their fingerprint is in a --baseline file (baseline.hpp).
    std::size_t baselined = 0;
    std::vector<SkippedFile> skipped;
    std::vector<InternalError> internal_errors;
    std::string compile_commands;  // the compile database used, if any
    std::uint64_t duration_ms = 0;
    // Content hash (content_hash() in fingerprint.hpp) of every file in `files`, by path.
    std::map<std::string, std::string> content_hashes;
    std::size_t cache_hits = 0;     // files whose model came from ScanOptions::cache
    std::size_t context_files = 0;  // files read only for project-wide context (focus scans)
};

// Raised for bad usage or configuration (exit code 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Results of one file kept between scans, as ScanOptions::cache returns them.
struct CachedFile {
    std::unique_ptr<FileModel> model;  // null on a miss; on a hit, with metrics and its source
    // The file rules' findings for this content under the current rule selection, when the
    // cache still holds them (it does not after the selection changed).
    std::optional<std::vector<Finding>> findings;
};

// The incremental-scan cache interface. The engine calls it from worker threads, so
// implementations must be thread-safe.
class FileResultCache {
public:
    virtual ~FileResultCache() = default;
    // What is stored for `path` with this content. On a hit the model takes `source` (moved
    // from); on a miss `source` is left untouched.
    virtual CachedFile load(const std::string& path, const std::string& content_hash,
                            std::string& source) = 0;
    // Keeps the model (metrics computed) and, when the file rules ran on it without an
    // internal error, their findings (`findings` null otherwise).
    virtual void store(const FileModel& model, const std::string& content_hash,
                       const std::vector<Finding>* findings) = 0;
};

// The language of a path by its extension, or nullopt when cq does not analyze it.
std::optional<Language> language_for_path(const std::string& path);

// Runs a whole scan. Throws UsageError for a missing root or an unreadable explicit
// compile_commands.json; everything else that goes wrong with one file is recorded in the
// result (diagnostics, skipped, internal_errors) and the scan goes on.
ScanResult run_scan(const ScanOptions& options);

// Analyzes one in-memory source (tests, fixtures): front end, metrics, the selected file rules
// and project rules over this single file. C/C++ use the syntactic fallback unless `command_args`
// is given, in which case libclang parses it with those arguments.
struct SingleFileResult {
    std::unique_ptr<FileModel> model;
    std::vector<Finding> findings;
    std::vector<Finding> suppressed;  // covered by inline suppressions
    std::vector<InternalError> internal_errors;
};
SingleFileResult analyze_source(const std::string& path, std::string source,
                                const RuleSelection& rules,
                                const std::vector<std::string>* command_args = nullptr);

// Builds the FileModel only (front end + metrics).
std::unique_ptr<FileModel> build_model(const std::string& path, std::string source,
                                       const std::vector<std::string>* command_args = nullptr);

}  // namespace cq
