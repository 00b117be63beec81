// `cq export sonar|sarif|codeclimate|markdown|html|json [PATH...] -o FILE`: scans, then writes one
// exporter's document. The same formats, with the same report options (--new-code-only,
// SonarQube's --sonar-format, --extended-impacts, --project-base-dir: defined once below), are
// reachable as `cq scan --format X`; `export` does not record its own scan in the history.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "cli/export_support.hpp"
#include "history/identity.hpp"
#include "history/new_code.hpp"
#include "sonar-bridge/generic_issues.hpp"

namespace cq::cli {

CLI::Option* pin_to_start_directory(CLI::Option* option) {
    return option->transform(
        [](const std::string& path) {
            if (path.empty() || path == "-") {
                return path;
            }
            std::error_code ec;
            const std::filesystem::path abs = std::filesystem::absolute(path, ec);
            return ec ? path : abs.lexically_normal().string();
        },
        "", "");
}

void add_export_scan_options(CLI::App* cmd, ExportArgs& args, const std::string& default_output) {
    add_scan_input_options(cmd, args.input);
    pin_to_start_directory(cmd->add_option("--output,-o", args.output, "write to FILE (default: " + default_output + ")"));
    add_new_code_options(cmd, args.new_code);
    pin_to_start_directory(cmd->add_option("--db", args.db, "history database (default: <root>/.cq/history.db)"));
}

ScanOptions export_scan_options(const ExportArgs& args) {
    return make_scan_options(args.input);
}

CLI::Option* add_new_code_options(CLI::App* cmd, NewCodeArgs& args) {
    auto* only = cmd->add_flag("--new-code-only", args.only,
                               "only the issues the new-code gate counts as new (fingerprint absent "
                               "from the baseline; see `cq gate`)");
    auto* base = cmd->add_option("--base", args.base,
                                 "with --new-code-only: compare with the merge-base of HEAD and this "
                                 "ref (default: HEAD when analyzed files have local changes, else "
                                 "HEAD's parent)")
                     ->needs(only);
    cmd->add_flag("--pull-request", args.pull_request,
                  "with --new-code-only and --base: only new issues on changed lines, minus those "
                  "the --base branch already has")
        ->needs(base);
    return only;
}

void keep_new_code_only(const NewCodeArgs& args, ScanResult& scan, const ScanOptions& options,
                        history::HistoryStore* store, const std::string& db, bool staged) {
    if (!args.only) {
        return;
    }
    if (args.pull_request && args.base.empty()) {
        throw UsageError("--pull-request needs --base (the target branch)");
    }
    history::NewCodeSettings settings;
    settings.db_path = db;
    settings.base = args.base;
    settings.mode = staged              ? history::NewCodeMode::staged
                    : args.pull_request ? history::NewCodeMode::pull_request
                                        : history::NewCodeMode::branch;
    settings.tool_version = CQ_VERSION;
    settings.tool_build = history::tool_build_id(CQ_VERSION);
    const std::vector<Finding> fresh_findings =
        store != nullptr ? history::compute_new_code(scan, options, settings, *store).new_findings
                         : history::new_findings(scan, options, settings);
    // Identical findings share a fingerprint: keep as many of each as are new.
    std::multiset<std::string> fresh;
    for (const Finding& f : fresh_findings) {
        fresh.insert(f.fingerprint);
    }
    std::vector<Finding> kept;
    for (Finding& f : scan.findings) {
        const auto it = fresh.find(f.fingerprint);
        if (it != fresh.end()) {
            fresh.erase(it);
            kept.push_back(std::move(f));
        }
    }
    scan.findings = std::move(kept);
}

std::vector<CLI::Option*> add_sonar_options(CLI::App* cmd, SonarArgs& args) {
    return {cmd->add_option("--sonar-format", args.format,
                            "current (SonarQube 10.3 and later: rules + issues) or legacy (older "
                            "servers: issues with severity and type)")
                ->check(CLI::IsMember({"current", "legacy"})),
            cmd->add_flag("--extended-impacts", args.extended_impacts,
                          "allow the INFO and BLOCKER impact severities (only for servers that "
                          "know them; otherwise INFO is written as LOW and BLOCKER as HIGH)"),
            pin_to_start_directory(cmd->add_option("--project-base-dir", args.base_dir,
                                                   "sonar.projectBaseDir, when it is not the scan "
                                                   "root: file paths are written relative to it"))};
}

void apply_sonar_args(const CLI::App& cmd, const SonarArgs& args, ReportContext& ctx) {
    if (cmd.count("--sonar-format") > 0) {
        ctx.sonar_format = args.format == "legacy" ? SonarFormat::legacy : SonarFormat::current;
    }
    if (cmd.count("--extended-impacts") > 0) {
        ctx.sonar_impacts = args.extended_impacts ? ImpactRange::extended : ImpactRange::standard;
    }
    if (cmd.count("--project-base-dir") > 0) {
        ctx.sonar_base_dir = args.base_dir;
    }
}

void write_sonar_report(std::ostream& out, const ScanResult& scan, const ReportContext& ctx, bool quiet) {
    const SonarOptions options = sonar_options(ctx);
    SonarStats stats;
    write_sonar(out, scan, options, &stats);
    if (quiet) {
        return;
    }
    if (stats.degraded_ranges > 0) {
        std::cerr << "cq: note: " << stats.degraded_ranges
                  << " location(s) did not fit their file and were widened to a whole line or file\n";
    }
    if (stats.dropped_secondary > 0) {
        std::cerr << "cq: note: " << stats.dropped_secondary
                  << " secondary location(s) left out (no valid range in their file)\n";
    }
    if (stats.outside_base_dir > 0) {
        std::cerr << "cq: note: " << stats.outside_base_dir
                  << " issue(s) left out: their file is outside --project-base-dir\n";
    }
}

ReportContext export_context(const ExportArgs& args, ScanResult& scan, const ScanOptions& options) {
    ReportContext ctx;
    ctx.version = CQ_VERSION;
    apply_sonar_config(ctx);
    keep_new_code_only(args.new_code, scan, options, nullptr, args.db);
    return ctx;
}

int write_output(const ExportArgs& args, const ScanResult& scan,
                 const std::function<void(std::ostream&)>& write) {
    if (args.output.empty() || args.output == "-") {
        write(std::cout);
        std::cout.flush();
        if (!std::cout) {
            throw UsageError("writing the report to stdout failed");
        }
        return k_exit_ok;
    }
    std::ofstream file(args.output, std::ios::binary | std::ios::trunc);
    if (!file) {
        throw UsageError("cannot write --output '" + args.output + "'");
    }
    write(file);
    file.flush();
    if (!file) {
        throw UsageError("writing '" + args.output + "' failed");
    }
    if (!args.input.quiet) {
        std::cerr << "cq: wrote " << args.output << " (" << scan.findings.size() << " issues in "
                  << scan.files.size() << " files)\n";
    }
    return k_exit_ok;
}

namespace {

void add_sonar_export(CLI::App* parent, int& exit_code) {
    struct Args {
        ExportArgs common;
        SonarArgs sonar;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = parent->add_subcommand(
        "sonar", "SonarQube generic external issues, for sonar.externalIssuesReportPaths");
    add_export_scan_options(cmd, args->common, "stdout");
    add_sonar_options(cmd, args->sonar);
    cmd->callback([args, cmd, &exit_code]() {
        const ScanOptions scan_options = export_scan_options(args->common);
        ScanResult scan = run_scan(scan_options);
        ReportContext ctx = export_context(args->common, scan, scan_options);
        apply_sonar_args(*cmd, args->sonar, ctx);  // flags over .cq.yaml's `sonar:` settings
        exit_code = write_output(args->common, scan, [&](std::ostream& out) {
            write_sonar_report(out, scan, ctx, args->common.input.quiet);
        });
    });
}

void add_plain_export(CLI::App* parent, int& exit_code, const std::string& name, const std::string& help) {
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = parent->add_subcommand(name, help);
    add_export_scan_options(cmd, *args, "stdout");
    cmd->callback([args, name, &exit_code]() {
        const ReportFormat* format = find_report_format(name);
        if (format == nullptr) {
            throw UsageError("unknown format '" + name + "'");
        }
        const ScanOptions scan_options = export_scan_options(*args);
        ScanResult scan = run_scan(scan_options);
        ReportContext ctx = export_context(*args, scan, scan_options);
        exit_code = write_output(*args, scan, [&](std::ostream& out) { format->write(out, scan, ctx); });
    });
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("export", "Scan and write one exporter's report (SonarQube, SARIF, GitLab, ...)");
    cmd->require_subcommand(1);
    add_sonar_export(cmd, exit_code);
    add_plain_export(cmd, exit_code, "sarif", "SARIF 2.1.0 for GitHub code scanning");
    add_plain_export(cmd, exit_code, "codeclimate", "GitLab Code Quality report (CodeClimate subset)");
    add_plain_export(cmd, exit_code, "markdown", "summary for a pull-request comment or CI job summary");
    add_plain_export(cmd, exit_code, "html", "self-contained HTML report (same as `cq report html`)");
    add_plain_export(cmd, exit_code, "json", "the documented JSON document (same as `cq scan --format json`)");
}

}  // namespace cq::cli
