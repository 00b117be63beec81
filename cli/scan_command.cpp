#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "analyzer/engine/engine.hpp"
#include "cli/commands.hpp"
#include "reports/report.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

namespace {

struct ScanArgs {
    std::vector<std::string> paths;
    std::string root;
    std::string format = "text";
    std::string output;
    std::string fail_on;
    std::string compile_commands;
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::vector<std::string> rules;
    std::vector<std::string> disable;
    std::vector<std::string> set;
    unsigned jobs = 0;
    std::uint64_t max_file_size = 5u * 1024u * 1024u;
    bool no_color = false;
    bool quiet = false;
};

// A progress bar on stderr, on a terminal only, for scans that run longer than a second.
class Progress {
public:
    Progress() : m_enabled(isatty(STDERR_FILENO) != 0), m_start(std::chrono::steady_clock::now()) {}

    void update(std::size_t done, std::size_t total) {
        if (!m_enabled) {
            return;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto now = std::chrono::steady_clock::now();
        if (now - m_start < std::chrono::seconds(1) || now - m_last < std::chrono::milliseconds(100)) {
            if (done != total || !m_shown) {
                return;
            }
        }
        m_last = now;
        m_shown = true;
        const int width = 30;
        const int filled = total == 0 ? width : static_cast<int>(static_cast<double>(done) * width / static_cast<double>(total));
        std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu files", filled,
                     "##############################", width - filled, "", done, total);
        std::fflush(stderr);
    }

    void finish() {
        if (m_enabled && m_shown) {
            std::fprintf(stderr, "\r%60s\r", "");
            std::fflush(stderr);
        }
    }

private:
    bool m_enabled;
    bool m_shown = false;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last{};
};

std::string choose_root(const ScanArgs& args) {
    if (!args.root.empty()) {
        return args.root;
    }
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (args.paths.size() == 1) {
        const fs::path p = fs::weakly_canonical(fs::absolute(args.paths[0]), ec);
        const fs::path rel = p.lexically_relative(cwd);
        if (rel.empty() || *rel.begin() == "..") {
            // Outside the current directory: that path is its own root.
            return fs::is_directory(p, ec) ? p.string() : p.parent_path().string();
        }
    }
    return cwd.string();
}

RuleSelection build_selection(const ScanArgs& args) {
    RuleSelection sel;
    for (const auto& r : args.rules) {
        sel.only.push_back(r);
    }
    for (const auto& r : args.disable) {
        sel.disabled.push_back(r);
    }
    auto known = [](const std::string& id) {
        if (Registry::instance().find(id) != nullptr) {
            return true;
        }
        for (const Rule* r : Registry::instance().rules()) {
            if (r->meta().id.rfind(id + "/", 0) == 0 || r->meta().id.rfind(id, 0) == 0) {
                return true;
            }
        }
        return false;
    };
    for (const auto& id : sel.only) {
        if (!known(id)) {
            throw UsageError("unknown rule or category '" + id + "' in --rules (see `cq rules`)");
        }
    }
    for (const auto& id : sel.disabled) {
        if (!known(id)) {
            throw UsageError("unknown rule or category '" + id + "' in --disable (see `cq rules`)");
        }
    }
    for (const auto& s : args.set) {
        // complexity/cognitive.threshold=20  or  complexity/cognitive.severity=critical
        const auto eq = s.find('=');
        const auto dot = s.rfind('.', eq);
        if (eq == std::string::npos || dot == std::string::npos || dot == 0) {
            throw UsageError("--set expects RULE.OPTION=VALUE, got '" + s + "'");
        }
        const std::string id = s.substr(0, dot);
        const std::string key = s.substr(dot + 1, eq - dot - 1);
        const std::string value = s.substr(eq + 1);
        const Rule* rule = Registry::instance().find(id);
        if (rule == nullptr) {
            throw UsageError("unknown rule '" + id + "' in --set (see `cq rules`)");
        }
        if (key == "severity") {
            auto sev = parse_severity(value);
            if (!sev) {
                throw UsageError("severity must be info, minor, major, critical or blocker, got '" +
                                 value + "'");
            }
            sel.severities[rule->meta().id] = *sev;
            continue;
        }
        bool found = false;
        for (const auto& o : rule->meta().options) {
            found = found || o.name == key;
        }
        if (!found) {
            std::string names;
            for (const auto& o : rule->meta().options) {
                names += (names.empty() ? "" : ", ") + o.name;
            }
            throw UsageError("rule '" + id + "' has no option '" + key + "'" +
                             (names.empty() ? std::string(" (it takes none)") : " (options: " + names + ")"));
        }
        sel.options[rule->meta().id][key] = value;
    }
    return sel;
}

int run(const ScanArgs& args) {
    std::optional<Severity> fail_on;
    if (!args.fail_on.empty()) {
        fail_on = parse_severity(args.fail_on);
        if (!fail_on) {
            throw UsageError("--fail-on must be info, minor, major, critical or blocker");
        }
    }
    ScanOptions options;
    options.root = choose_root(args);
    std::error_code ec;
    for (const auto& p : args.paths) {
        const fs::path abs = fs::weakly_canonical(fs::absolute(p), ec);
        options.paths.push_back(abs.string());
    }
    options.include = args.include;
    options.exclude = args.exclude;
    options.jobs = args.jobs;
    options.compile_commands = args.compile_commands;
    options.max_file_bytes = args.max_file_size;
    options.rules = build_selection(args);
    Progress progress;
    if (!args.quiet) {
        options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
    }
    ScanResult result = run_scan(options);
    progress.finish();

    std::ofstream file;
    std::ostream* out = &std::cout;
    if (!args.output.empty()) {
        file.open(args.output, std::ios::binary | std::ios::trunc);
        if (!file) {
            throw UsageError("cannot write --output '" + args.output + "'");
        }
        out = &file;
    }
    const ReportFormat* format = find_report_format(args.format);
    if (format == nullptr) {
        throw UsageError("unknown --format '" + args.format + "'");
    }
    ReportContext ctx;
    ctx.version = CQ_VERSION;
    ctx.color = args.format == "text" && args.output.empty() && !args.no_color &&
                isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
    format->write(*out, result, ctx);
    out->flush();
    if (!*out) {
        throw UsageError("writing the report failed");
    }
    if (!result.internal_errors.empty()) {
        bool only_config = true;
        for (const auto& e : result.internal_errors) {
            only_config = only_config && e.rule.empty() && e.path.size() > 5 &&
                          e.path.find("compile_commands") != std::string::npos;
        }
        if (!only_config) {
            return k_exit_internal;
        }
    }
    if (fail_on) {
        for (const Finding& f : result.findings) {
            if (f.severity >= *fail_on) {
                return k_exit_findings;
            }
        }
    }
    return k_exit_ok;
}

}  // namespace

void add_scan_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ScanArgs>();
    auto* cmd = app.add_subcommand("scan", "Analyze files and report issues and metrics");
    cmd->add_option("paths", args->paths, "files or directories to scan (default: .)");
    cmd->add_option("--root", args->root,
                    "directory that report paths are relative to (default: the current "
                    "directory, or the one scanned path when it lies outside it)");
    std::vector<std::string> format_names;
    std::string format_help = "report format:";
    for (const auto& f : report_formats()) {
        format_names.push_back(f.name);
        format_help += " " + f.name;
    }
    cmd->add_option("--format,-f", args->format, format_help)->check(CLI::IsMember(format_names));
    cmd->add_option("--output,-o", args->output, "write the report to FILE instead of stdout");
    cmd->add_option("--fail-on", args->fail_on,
                    "exit 1 when an issue of this severity or above is found "
                    "(info, minor, major, critical, blocker)");
    cmd->add_option("--jobs,-j", args->jobs, "files analyzed in parallel (default: all cores)");
    cmd->add_option("--compile-commands", args->compile_commands,
                    "compile_commands.json for C/C++ (default: ./compile_commands.json or "
                    "./build/compile_commands.json)");
    cmd->add_option("--include", args->include, "only files matching this glob (repeatable)");
    cmd->add_option("--exclude", args->exclude, "skip files matching this glob (repeatable)");
    cmd->add_option("--rules", args->rules, "run only these rules or categories (repeatable)")
        ->delimiter(',');
    cmd->add_option("--disable", args->disable, "do not run these rules or categories")
        ->delimiter(',');
    cmd->add_option("--set", args->set,
                    "rule option, e.g. complexity/cognitive.threshold=20 or RULE.severity=minor");
    cmd->add_option("--max-file-size", args->max_file_size,
                    "skip files larger than this many bytes (default 5 MiB)");
    cmd->add_flag("--no-color", args->no_color, "never colour the text report");
    cmd->add_flag("--quiet,-q", args->quiet, "no progress bar");
    cmd->callback([args, &exit_code]() { exit_code = run(*args); });
}

}  // namespace cq::cli
