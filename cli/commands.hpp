// One file per command; main.cpp wires them into CLI11 and maps errors to exit codes:
// 0 clean / gate passed, 1 findings at or above --fail-on / gate failed, 2 usage or
// configuration error, 3 internal error.
#pragma once

#include <CLI/CLI.hpp>

namespace cq::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_internal = 3;

// Each adds its subcommand to `app`; the subcommand's callback stores its exit code in `exit_code`.
void add_scan_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);  // cli/export_command.cpp
void add_report_command(CLI::App& app, int& exit_code);  // cli/report_command.cpp
void add_sonar_command(CLI::App& app, int& exit_code);   // cli/sonar_command.cpp

}  // namespace cq::cli
