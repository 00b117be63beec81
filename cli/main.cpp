// cq: static code-quality analysis for C/C++, Python, JavaScript and TypeScript.
#include <iostream>

#include "analyzer/engine/engine.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"cq: code quality for C/C++, Python, JavaScript and TypeScript.\n"
                 "Complexity, duplication, security and latency anti-patterns, with history and\n"
                 "a new-code gate.\n\n"
                 "Start with:  cq scan .            (text report of the current directory)\n"
                 "             cq scan . --format json --output report.json\n"
                 "             cq rules             (the rule catalogue)\n"
                 "             cq explain latency/await-in-loop",
                 "cq"};
    app.set_version_flag("--version", std::string("cq ") + CQ_VERSION);
    app.require_subcommand(1);
    int exit_code = cq::cli::k_exit_ok;
    cq::cli::add_scan_command(app, exit_code);
    cq::cli::add_rules_command(app, exit_code);
    cq::cli::add_explain_command(app, exit_code);
    cq::cli::add_history_command(app, exit_code);
    cq::cli::add_gate_command(app, exit_code);
    cq::cli::add_install_hook_command(app, exit_code);
    cq::cli::add_export_command(app, exit_code);
    cq::cli::add_report_command(app, exit_code);
    cq::cli::add_sonar_command(app, exit_code);
    cq::cli::add_init_command(app, exit_code);
    cq::cli::add_baseline_command(app, exit_code);
    cq::cli::add_test_rules_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? cq::cli::k_exit_ok : cq::cli::k_exit_usage;
    } catch (const cq::UsageError& e) {
        std::cerr << "cq: error: " << e.what() << "\n";
        return cq::cli::k_exit_usage;
    } catch (const std::invalid_argument& e) {
        std::cerr << "cq: error: " << e.what() << "\n";
        return cq::cli::k_exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "cq: internal error: " << e.what() << "\n"
                  << "hint: please report this with the command line that triggered it\n";
        return cq::cli::k_exit_internal;
    }
    return exit_code;
}
