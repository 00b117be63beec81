// What `cq export ...` and `cq report html` share: the scan options they accept (a subset of
// `cq scan`'s, same meaning), running the scan, and writing the report to a file or stdout.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/engine/engine.hpp"
#include "reports/report.hpp"

namespace cq::cli {

struct ExportArgs {
    std::vector<std::string> paths;
    std::string root;
    std::string output;
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::vector<std::string> rules;
    std::vector<std::string> disable;
    std::string compile_commands;
    unsigned jobs = 0;
    bool quiet = false;
    bool new_code_only = false;
    bool pull_request = false;  // with --new-code-only: only issues on changed lines
    std::string base;           // with --new-code-only: the git ref new code is compared with
    std::string db;             // the history database (default <root>/.cq/history.db)
    std::string config;         // --config FILE; empty: the nearest .cq.yaml
};

// Adds PATH... and the scan options to `cmd`; `default_output` is described in --output's help.
void add_export_scan_options(CLI::App* cmd, ExportArgs& args, const std::string& default_output);

// The scan the options describe. Throws UsageError for unknown rules.
ScanOptions export_scan_options(const ExportArgs& args);

// The report context for an export of `scan` (made with `options`): version, and with
// --new-code-only a filter that keeps what the history's new-code gate counts as new.
// Throws UsageError when the gate cannot run (not a git work tree, unknown --base, ...).
ReportContext export_context(const ExportArgs& args, const ScanResult& scan, const ScanOptions& options);

// Calls `write` on args.output (stdout when empty or "-"), then notes the file on stderr
// unless --quiet. Throws UsageError when the file cannot be written. Returns k_exit_ok.
int write_output(const ExportArgs& args, const ScanResult& scan,
                 const std::function<void(std::ostream&)>& write);

}  // namespace cq::cli
