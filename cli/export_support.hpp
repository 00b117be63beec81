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
};

// Adds PATH... and the scan options to `cmd`; `default_output` is described in --output's help.
void add_export_scan_options(CLI::App* cmd, ExportArgs& args, const std::string& default_output);

// Runs the scan the options describe. Throws UsageError for unknown rules or paths.
ScanResult run_export_scan(const ExportArgs& args);

// The report context for an export: version, and the new-code filter when asked for.
// Throws UsageError for --new-code-only, which needs the history's new-code gate.
ReportContext export_context(const ExportArgs& args);

// Calls `write` on args.output (stdout when empty or "-"), then notes the file on stderr
// unless --quiet. Throws UsageError when the file cannot be written. Returns k_exit_ok.
int write_output(const ExportArgs& args, const ScanResult& scan,
                 const std::function<void(std::ostream&)>& write);

}  // namespace cq::cli
