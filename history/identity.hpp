// What makes two scans comparable: the rule selection, the scope, the tool. Hashes are hex
// strings, stable across runs and machines (they key the history and the incremental cache).
#pragma once

#include <string>

#include "analyzer/engine/engine.hpp"

namespace cq::history {

// The rule selection: rules on and off, options, severities.
std::string config_hash(const RuleSelection& rules);
// What is scanned, relative to the root: paths, include and exclude globs, the size limit.
std::string scope_hash(const ScanOptions& options);
// The tool version plus the identity of the running binary (its size and modification time),
// so that a rebuilt cq never reuses results cached by another build of the same version.
std::string tool_build_id(const std::string& version);
// Now, as ISO 8601 UTC ("2026-01-31T12:00:00Z").
std::string now_iso8601();
// The default history database of a scan root: <root>/.cq/history.db.
std::string default_db_path(const std::string& root);

}  // namespace cq::history
