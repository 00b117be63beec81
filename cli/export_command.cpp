// `cq export sonar|sarif|codeclimate|markdown|html|json [PATH...] -o FILE`: scans, then writes one
// exporter's document. The same formats are reachable as `cq scan --format X`; `export` adds the
// options specific to a format (SonarQube's --sonar-format, --extended-impacts,
// --project-base-dir) and defaults that suit CI.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "cli/export_support.hpp"
#include "cli/config_support.hpp"
#include "history/identity.hpp"
#include "history/new_code.hpp"
#include "rules/registry.hpp"
#include "sonar-bridge/generic_issues.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

namespace {

std::string choose_root(const ExportArgs& args) {
    if (!args.root.empty()) {
        return args.root;
    }
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (args.paths.size() == 1) {
        const fs::path p = fs::weakly_canonical(fs::absolute(args.paths[0]), ec);
        const fs::path rel = p.lexically_relative(cwd);
        if (rel.empty() || *rel.begin() == "..") {
            return fs::is_directory(p, ec) ? p.string() : p.parent_path().string();
        }
    }
    return cwd.string();
}

bool known_rule_or_category(const std::string& id) {
    if (Registry::instance().find(id) != nullptr) {
        return true;
    }
    for (const Rule* r : Registry::instance().rules()) {
        if (r->meta().id.rfind(id, 0) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

void add_export_scan_options(CLI::App* cmd, ExportArgs& args, const std::string& default_output) {
    cmd->add_option("paths", args.paths, "files or directories to scan (default: .)");
    cmd->add_option("--output,-o", args.output, "write to FILE (default: " + default_output + ")");
    cmd->add_option("--root", args.root, "directory that report paths are relative to (as for `cq scan`)");
    cmd->add_option("--include", args.include, "only files matching this glob (repeatable)");
    cmd->add_option("--exclude", args.exclude, "skip files matching this glob (repeatable)");
    cmd->add_option("--rules", args.rules, "run only these rules or categories")->delimiter(',');
    cmd->add_option("--disable", args.disable, "do not run these rules or categories")->delimiter(',');
    cmd->add_option("--compile-commands", args.compile_commands, "compile_commands.json for C/C++");
    cmd->add_option("--jobs,-j", args.jobs, "files analyzed in parallel (default: all cores)");
    cmd->add_flag("--new-code-only", args.new_code_only,
                  "only issues the new-code gate counts as new (fingerprint absent from the baseline)");
    cmd->add_option("--base", args.base, "with --new-code-only: the git ref to compare with (see `cq gate`)");
    cmd->add_flag("--pull-request", args.pull_request,
                  "with --new-code-only and --base: only new issues on changed lines");
    cmd->add_option("--db", args.db, "history database (default: <root>/.cq/history.db)");
    cmd->add_flag("--quiet,-q", args.quiet, "no notes on stderr");
    cmd->add_option("--config", args.config,
                    "configuration file (default: the nearest .cq.yaml in the scan root or above)");
}

ScanOptions export_scan_options(const ExportArgs& args) {
    ScanOptions options;
    options.root = choose_root(args);
    // Custom rules are registered here, before --rules / --disable are checked.
    const config::Config& cfg = project_config(args.config, options.root);
    std::error_code ec;
    for (const auto& p : args.paths) {
        options.paths.push_back(fs::weakly_canonical(fs::absolute(p), ec).string());
    }
    options.include = args.include;
    options.exclude = args.exclude;
    options.jobs = args.jobs;
    options.compile_commands = args.compile_commands;
    for (const auto& id : args.rules) {
        if (!known_rule_or_category(id)) {
            throw UsageError("unknown rule or category '" + id + "' in --rules (see `cq rules`)");
        }
        options.rules.only.push_back(id);
    }
    for (const auto& id : args.disable) {
        if (!known_rule_or_category(id)) {
            throw UsageError("unknown rule or category '" + id + "' in --disable (see `cq rules`)");
        }
        options.rules.disabled.push_back(id);
    }
    config::apply(cfg, options);
    return options;
}

ReportContext export_context(const ExportArgs& args, const ScanResult& scan, const ScanOptions& options) {
    ReportContext ctx;
    ctx.version = CQ_VERSION;
    apply_sonar_config(ctx);
    if (args.pull_request && args.base.empty()) {
        throw UsageError("--pull-request needs --base (the target branch)");
    }
    if (args.new_code_only) {
        history::NewCodeSettings settings;
        settings.db_path = args.db;
        settings.base = args.base;
        settings.mode = args.pull_request ? history::NewCodeMode::pull_request : history::NewCodeMode::branch;
        settings.tool_version = CQ_VERSION;
        settings.tool_build = history::tool_build_id(CQ_VERSION);
        std::multiset<std::string> fresh;
        for (const Finding& f : history::new_findings(scan, options, settings)) {
            fresh.insert(f.fingerprint);
        }
        auto shared = std::make_shared<std::multiset<std::string>>(std::move(fresh));
        ctx.include = [shared](const Finding& f) { return shared->count(f.fingerprint) > 0; };
    }
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
    if (!args.quiet) {
        std::cerr << "cq: wrote " << args.output << " (" << scan.findings.size() << " issues in "
                  << scan.files.size() << " files)\n";
    }
    return k_exit_ok;
}

namespace {

void add_sonar_export(CLI::App* parent, int& exit_code) {
    struct SonarArgs {
        ExportArgs common;
        std::string format = "current";
        bool extended_impacts = false;
        std::string base_dir;
    };
    auto args = std::make_shared<SonarArgs>();
    auto* cmd = parent->add_subcommand(
        "sonar", "SonarQube generic external issues, for sonar.externalIssuesReportPaths");
    add_export_scan_options(cmd, args->common, "stdout");
    cmd->add_option("--sonar-format", args->format,
                    "current (SonarQube 10.3 and later: rules + issues) or legacy (older servers: "
                    "issues with severity and type)")
        ->check(CLI::IsMember({"current", "legacy"}));
    cmd->add_flag("--extended-impacts", args->extended_impacts,
                  "allow the INFO and BLOCKER impact severities (only for servers that know them; "
                  "otherwise INFO is written as LOW and BLOCKER as HIGH)");
    cmd->add_option("--project-base-dir", args->base_dir,
                    "sonar.projectBaseDir, when it is not the scan root: file paths are written "
                    "relative to it");
    cmd->callback([args, cmd, &exit_code]() {
        const ScanOptions scan_options = export_scan_options(args->common);
        ScanResult scan = run_scan(scan_options);
        ReportContext ctx = export_context(args->common, scan, scan_options);
        SonarOptions options;
        options.format = args->format == "legacy" ? SonarFormat::legacy : SonarFormat::current;
        options.impacts = args->extended_impacts ? ImpactRange::extended : ImpactRange::standard;
        options.base_dir = args->base_dir;
        // .cq.yaml `sonar:` settings (in ctx) where no flag was given
        if (cmd->count("--sonar-format") == 0) {
            options.format = ctx.sonar_format;
        }
        if (cmd->count("--extended-impacts") == 0) {
            options.impacts = ctx.sonar_impacts;
        }
        if (cmd->count("--project-base-dir") == 0) {
            options.base_dir = ctx.sonar_base_dir;
        }
        options.include = ctx.include;
        SonarStats stats;
        exit_code = write_output(args->common, scan,
                                 [&](std::ostream& out) { write_sonar(out, scan, options, &stats); });
        if (!args->common.quiet) {
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
