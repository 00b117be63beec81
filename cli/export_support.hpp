// What `cq export ...` and `cq report html` share: the scan options they accept (those of `cq scan`,
// cli/commands.hpp), running the scan, and writing the report to a file or stdout.
// Also the report options that `cq scan` shares with them (--new-code-only and its companions,
// the SonarQube options), defined once here so that both commands read them alike.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/engine/engine.hpp"
#include "cli/commands.hpp"
#include "reports/report.hpp"

namespace cq::history {
class HistoryStore;
}

namespace cq::cli {

// Makes a path option absolute when it is parsed ("" and "-" stay as they are). A scan can move
// the process to another directory (libclang's driver follows a compile command's "directory"),
// so every path used after the scan (--output, --db, --project-base-dir) is fixed before it.
CLI::Option* pin_to_start_directory(CLI::Option* option);

// --new-code-only, --base, --pull-request.
struct NewCodeArgs {
    bool only = false;          // --new-code-only
    std::string base;           // the git ref new code is compared with
    bool pull_request = false;  // only new issues on changed lines (needs base)
};
// Adds the three options to `cmd` (--base needs --new-code-only, --pull-request needs --base).
// Returns --new-code-only, for a command that has to exclude it from other options.
CLI::Option* add_new_code_options(CLI::App* cmd, NewCodeArgs& args);

// With --new-code-only, removes from scan.findings what the new-code gate does not count as new
// (history/new_code.hpp: the fingerprint is in the baseline; with --pull-request, also issues
// off the changed lines or already on the target), so that every format, and `cq scan
// --fail-on`, see new code only. `staged`: the scan is of the staged changes (baseline HEAD).
// Baselines are read from, and recorded in, `store`, or when it is null the database at `db`
// ("" = <root>/.cq/history.db). Throws UsageError when the gate cannot run (not a git work tree,
// a --base that names no commit, ...).
void keep_new_code_only(const NewCodeArgs& args, ScanResult& scan, const ScanOptions& options,
                        history::HistoryStore* store, const std::string& db, bool staged = false);

// --sonar-format, --extended-impacts, --project-base-dir.
struct SonarArgs {
    std::string format = "current";
    bool extended_impacts = false;
    std::string base_dir;
};
// Adds the three options to `cmd`; returns them, for a command that accepts them with one
// format only.
std::vector<CLI::Option*> add_sonar_options(CLI::App* cmd, SonarArgs& args);
// The SonarQube options given on `cmd` over ctx's (which hold the `sonar:` section of .cq.yaml,
// apply_sonar_config()).
void apply_sonar_args(const CLI::App& cmd, const SonarArgs& args, ReportContext& ctx);
// Writes the SonarQube report of `scan` with ctx's settings, then, unless `quiet`, notes on
// stderr what had to change for SonarQube to accept it (widened ranges, left-out locations and
// issues).
void write_sonar_report(std::ostream& out, const ScanResult& scan, const ReportContext& ctx, bool quiet);

struct ExportArgs {
    ScanInputArgs input;  // PATH... and the scan options, as `cq scan` reads them
    std::string output;
    NewCodeArgs new_code;
    std::string db;  // the history database (default <root>/.cq/history.db)
};

// Adds PATH..., the scan options of `cq scan`, --output, the new-code options and --db to `cmd`;
// `default_output` is described in --output's help.
void add_export_scan_options(CLI::App* cmd, ExportArgs& args, const std::string& default_output);

// The scan the options describe (make_scan_options). Throws UsageError for unknown rules and
// bad --set values.
ScanOptions export_scan_options(const ExportArgs& args);

// The report context for an export of `scan` (made with `options`): version and .cq.yaml's
// sonar settings; with --new-code-only, `scan` keeps only new code (keep_new_code_only()).
// Throws UsageError when the gate cannot run (not a git work tree, unknown --base, ...).
ReportContext export_context(const ExportArgs& args, ScanResult& scan, const ScanOptions& options);

// Calls `write` on args.output (stdout when empty or "-"), then notes the file on stderr
// unless --quiet. Throws UsageError when the file cannot be written. Returns k_exit_ok.
int write_output(const ExportArgs& args, const ScanResult& scan,
                 const std::function<void(std::ostream&)>& write);

}  // namespace cq::cli
