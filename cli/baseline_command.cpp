// cq baseline create: the fingerprints of today's issues, for `cq scan --baseline FILE`.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "analyzer/engine/baseline.hpp"
#include "cli/commands.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

void add_baseline_command(CLI::App& app, int& exit_code) {
    struct Args {
        ScanInputArgs input;
        std::string output;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("baseline", "Baseline files: accept today's issues, report only new ones");
    cmd->require_subcommand(1);
    auto* create = cmd->add_subcommand(
        "create", "Scan and write the fingerprints of every issue found to a baseline file; "
                  "`cq scan --baseline FILE` then reports only issues not in it");
    add_scan_input_options(create, args->input);
    create->add_option("--output,-o", args->output, "baseline file to write (default: ROOT/.cq-baseline.json)");
    create->callback([args, &exit_code]() {
        ScanOptions options = make_scan_options(args->input);
        const ScanResult result = run_scan(options);
        const std::string path =
            args->output.empty() ? (fs::path(options.root) / ".cq-baseline.json").string() : args->output;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) {
            throw UsageError("cannot write the baseline '" + path + "'");
        }
        write_baseline(out, result.findings);
        out.flush();
        if (!out) {
            throw UsageError("writing the baseline '" + path + "' failed");
        }
        if (!args->input.quiet) {
            std::cerr << "cq: wrote " << result.findings.size() << " issue fingerprint(s) to " << path << "\n";
        }
        exit_code = result.internal_errors.empty() ? k_exit_ok : k_exit_internal;
    });
}

}  // namespace cq::cli
