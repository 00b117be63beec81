// New code, as SonarQube's paid editions define it: an issue is new when its fingerprint is not
// in the baseline. This is the part of the gate that exporters reuse for `--new-code-only`.
//
//   mode          baseline (a commit)                              issues that count
//   branch        merge-base of HEAD and --base; without --base,   every issue whose fingerprint
//                 HEAD when analyzed files have local changes,     is not in the baseline
//                 else HEAD's first parent
//   pull_request  merge-base of HEAD and --base (required)         those of them that touch a changed
//                                                                  line, minus the issues the tip
//                                                                  of --base already has
//   staged        HEAD (pre-commit)                                those in the staged files
//
// A baseline commit comes from the history when it was scanned (same rules, scope and cq
// version, from a clean work tree); otherwise it is scanned in a temporary git worktree and
// recorded (kind "baseline"), so the next run finds it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/engine.hpp"
#include "history/git.hpp"
#include "history/store.hpp"

namespace cq::history {

enum class NewCodeMode : std::uint8_t { branch, pull_request, staged };

struct NewCodeSettings {
    std::string db_path;  // the history database; "" = <scan root>/.cq/history.db
    std::string base;     // a git ref; see the table above for ""
    NewCodeMode mode = NewCodeMode::branch;
    std::string tool_version;  // CQ_VERSION
    std::string tool_build;    // tool_build_id(CQ_VERSION); "" = tool_version
};

struct Baseline {
    std::string ref;     // what was asked for ("origin/main", "HEAD", "HEAD^")
    std::string commit;  // the commit compared with; "" when there is none (empty baseline)
    std::string source;  // how it was obtained, for the reader
    std::int64_t scan_id = 0;
    std::vector<StoredIssue> issues;
    std::vector<StoredFunction> functions;
};

struct NewCode {
    NewCodeMode mode = NewCodeMode::branch;
    git::Repo repo;
    Baseline baseline;
    std::optional<Baseline> target;  // pull_request: the tip of --base, when it is not the merge-base
    git::ChangedLines changed;       // baseline commit -> work tree (index in staged mode)
    std::vector<Finding> new_findings;  // in ScanResult order
    std::vector<StoredIssue> fixed;     // in the baseline, in scope, gone from the head
};

// Computes the new code of `head`, a scan made with `head_options` (in staged mode, with the
// staged files as focus). Reads baselines from `store` and records the ones it has to scan.
// Throws UsageError outside a git work tree, for a --base that names no commit, or when the
// baseline worktree cannot be made.
NewCode compute_new_code(const ScanResult& head, const ScanOptions& head_options,
                         const NewCodeSettings& settings, HistoryStore& store);

// For exporters (`--new-code-only`): the new findings of `head`, opening the history at
// settings.db_path (created when missing).
std::vector<Finding> new_findings(const ScanResult& head, const ScanOptions& head_options,
                                  const NewCodeSettings& settings);

// True when a finding touches changed lines: its range, a secondary location in the same file,
// or, for a finding on a function's name (a whole-function finding), the function's body.
bool touches_changed_lines(const Finding& finding, const ScanResult& head, const git::ChangedLines& changed);

// The metadata of a scan of the work tree at `options.root`: branch and commit from git unless
// overridden, parent, config and scope hashes, and whether analyzed files have local changes.
ScanMeta describe_scan(const ScanOptions& options, const std::string& tool_version,
                       const std::string& branch_override = "", const std::string& commit_override = "");

}  // namespace cq::history
