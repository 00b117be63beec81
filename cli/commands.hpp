// One file per command; main.cpp wires them into CLI11 and maps errors to exit codes:
// 0 clean / gate passed, 1 findings at or above --fail-on / gate failed, 2 usage or
// configuration error, 3 internal error.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/engine/engine.hpp"
#include "reports/report.hpp"

namespace cq::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_internal = 3;

// Each adds its subcommand to `app`; the subcommand's callback stores its exit code in `exit_code`.
void add_scan_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_history_command(CLI::App& app, int& exit_code);
void add_gate_command(CLI::App& app, int& exit_code);
void add_install_hook_command(CLI::App& app, int& exit_code);

// What a scan looks at and with which rules: shared by `scan` and `gate` (scan_command.cpp).
struct ScanInputArgs {
    std::vector<std::string> paths;
    std::string root;
    std::string compile_commands;
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::vector<std::string> rules;
    std::vector<std::string> disable;
    std::vector<std::string> set;
    unsigned jobs = 0;
    std::uint64_t max_file_size = 5u * 1024u * 1024u;
    bool quiet = false;
    std::string config;  // --config FILE; empty: the nearest .cq.yaml above the scan root
};
void add_scan_input_options(CLI::App* cmd, ScanInputArgs& args);
// Throws UsageError for unknown rules, bad --set values and the like. Loads the project
// configuration (config_support.hpp) and merges it under the flags.
ScanOptions make_scan_options(const ScanInputArgs& args);
// The `sonar:` settings of the loaded configuration, where the context still has defaults.
void apply_sonar_config(ReportContext& ctx);
void add_export_command(CLI::App& app, int& exit_code);  // cli/export_command.cpp
void add_report_command(CLI::App& app, int& exit_code);  // cli/report_command.cpp
void add_sonar_command(CLI::App& app, int& exit_code);   // cli/sonar_command.cpp
void add_init_command(CLI::App& app, int& exit_code);        // cli/init_command.cpp
void add_baseline_command(CLI::App& app, int& exit_code);    // cli/baseline_command.cpp
void add_test_rules_command(CLI::App& app, int& exit_code);  // cli/test_rules_command.cpp

}  // namespace cq::cli
