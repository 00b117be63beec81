#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "analyzer/engine/baseline.hpp"
#include "analyzer/engine/engine.hpp"
#include "cli/config_support.hpp"
#include "cli/commands.hpp"
#include "cli/export_support.hpp"
#include "history/file_cache.hpp"
#include "history/git.hpp"
#include "history/identity.hpp"
#include "history/new_code.hpp"
#include "history/store.hpp"
#include "history/trends.hpp"
#include "reports/report.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

namespace {

// The command ends with the process: handing every file's model back to the allocator, string by
// string, only to exit is work nobody needs (on lodash's 1,046 files about 2% of the scan's CPU
// time, mostly cache misses on models last touched long before). Like clang's -disable-free, the
// models are left to the operating system. Sanitizer builds free them, so that a leak check still
// sees every real leak.
#if defined(__SANITIZE_ADDRESS__)
#define CQ_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CQ_FREE_AT_EXIT 1
#endif
#endif
void release_models_at_exit(ScanResult& result) {
#ifdef CQ_FREE_AT_EXIT
    static_cast<void>(result);
#else
    for (auto& model : result.files) {
        static_cast<void>(model.release());
    }
#endif
}

struct ScanArgs {
    ScanInputArgs input;
    std::string format = "text";
    std::string output;
    std::string fail_on;
    bool no_color = false;
    // History and incremental scans.
    std::string db;
    bool no_history = false;
    std::string branch;
    std::string commit;
    bool staged = false;
    std::string changed_since;
    // Suppressions and baselines.
    bool show_suppressed = false;
    std::string baseline;
    // Report options shared with `cq export` (export_support.hpp).
    NewCodeArgs new_code;
    SonarArgs sonar;
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

std::string choose_root(const ScanInputArgs& args) {
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

RuleSelection build_selection(const ScanInputArgs& args) {
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

// Opens the history for a scan, or returns null when the default location cannot be written
// (a read-only checkout still scans; an explicit --db must work). A file that is not a usable cq
// history database is an error either way.
std::unique_ptr<history::HistoryStore> open_history(const ScanArgs& args, const ScanOptions& options) {
    if (args.no_history) {
        return nullptr;
    }
    if (!args.db.empty()) {
        return history::HistoryStore::open(args.db, history::HistoryStore::Open::create);
    }
    const std::string db = history::default_db_path(options.root);
    std::error_code ec;
    const fs::path dir = fs::path(db).parent_path();
    const fs::path writable = fs::exists(dir, ec) ? dir : dir.parent_path();
    if (!fs::exists(db, ec) && access(writable.c_str(), W_OK) != 0) {
        if (!args.input.quiet) {
            std::cerr << "cq: note: history not recorded: " << writable.string()
                      << " is not writable (--db FILE chooses another place, --no-history skips it)\n";
        }
        return nullptr;
    }
    return history::HistoryStore::open(db, history::HistoryStore::Open::create);
}

// --staged / --changed-since: the files to report on, with the rest of the project as context.
void apply_git_focus(const ScanArgs& args, ScanOptions& options) {
    if (!args.staged && args.changed_since.empty()) {
        return;
    }
    if (args.staged && !args.changed_since.empty()) {
        throw UsageError("--staged and --changed-since cannot be combined");
    }
    const history::git::Repo repo = history::git::locate(options.root);
    if (!repo.inside) {
        throw UsageError(std::string(args.staged ? "--staged" : "--changed-since") +
                         " needs a git work tree, and '" + options.root + "' is not in one");
    }
    const std::vector<std::string> files =
        args.staged ? history::git::staged_files(repo) : history::git::changed_files_since(repo, args.changed_since);
    options.focus = std::set<std::string>(files.begin(), files.end());
    if (args.staged) {
        // Scan what will be committed, not what the work tree holds.
        auto staged = std::make_shared<std::map<std::string, std::string>>();
        for (const std::string& f : files) {
            if (auto content = history::git::staged_content(repo, f)) {
                (*staged)[f] = std::move(*content);
            }
        }
        options.read_override = [staged](const std::string& rel) -> std::optional<std::string> {
            auto it = staged->find(rel);
            if (it == staged->end()) {
                return std::nullopt;
            }
            return it->second;
        };
    }
}

// Writes the report in --format to --output (stdout when none), with the report options.
void write_report(const ScanArgs& args, const CLI::App& cmd, const ScanResult& result, std::vector<TrendPoint> trends) {
    std::ofstream file;
    std::ostream* out = &open_output(args.output, file);
    const ReportFormat* format = find_report_format(args.format);
    if (format == nullptr) {
        throw UsageError("unknown --format '" + args.format + "'");
    }
    ReportContext ctx;
    ctx.version = CQ_VERSION;
    ctx.trends = std::move(trends);
    ctx.show_suppressed = args.show_suppressed;
    apply_sonar_config(ctx);
    apply_sonar_args(cmd, args.sonar, ctx);
    ctx.color = args.format == "text" && args.output.empty() && !args.no_color &&
                isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
    if (args.format == "sonar") {
        write_sonar_report(*out, result, ctx, args.input.quiet);
    } else {
        format->write(*out, result, ctx);
    }
    out->flush();
    if (!*out) {
        throw UsageError("writing the report failed");
    }
}

int run(const ScanArgs& args, const CLI::App& cmd) {
    std::optional<Severity> fail_on;
    if (!args.fail_on.empty()) {
        fail_on = parse_severity(args.fail_on);
        if (!fail_on) {
            throw UsageError("--fail-on must be info, minor, major, critical or blocker");
        }
    }
    std::optional<std::set<std::string>> baseline;
    if (!args.baseline.empty()) {
        baseline = read_baseline(args.baseline);  // before the scan: a bad file fails at once
    }
    ScanOptions options = make_scan_options(args.input);
    Progress progress;
    if (!args.input.quiet) {
        options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
    }
    apply_git_focus(args, options);
    // The store outlives the cache (the cache holds a statement on the store's connection).
    std::unique_ptr<history::HistoryStore> store = open_history(args, options);
    std::unique_ptr<history::SqliteFileCache> cache;
    history::ScanMeta meta;
    if (store) {
        cache = std::make_unique<history::SqliteFileCache>(*store, history::tool_build_id(CQ_VERSION),
                                                           history::config_hash(options.rules));
        options.cache = cache.get();
        if (!options.focus) {
            meta = history::describe_scan(options, CQ_VERSION, args.branch, args.commit);
        }
    }
    // The text and JSON reports read no source: let the engine free each file's model once it
    // is done with it (ScanOptions::compact_models).
    options.compact_models = args.format == "text" || args.format == "json";
    ScanResult result = run_scan(options);
    progress.finish();
    std::vector<TrendPoint> trends;
    if (store) {
        // A focus scan is not a snapshot of the project: it only refreshes the cache.
        if (options.focus) {
            store->flush_cache(*cache);
        } else {
            store->record_scan(meta, result, cache.get());
        }
        if (args.format == "html") {
            for (auto& t : history::scan_trends(*store, meta.branch, 100)) {
                trends.push_back(std::move(t.point));
            }
        }
    }

    // --new-code-only and the baseline file filter the report only: the history keeps every
    // issue, so that the gate and trends do not depend on how one scan was reported.
    keep_new_code_only(args.new_code, result, options, store.get(), args.db, args.staged);
    if (baseline) {
        result.baselined = filter_baseline(result.findings, *baseline);
    }

    write_report(args, cmd, result, std::move(trends));
    release_models_at_exit(result);
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

void add_scan_input_options(CLI::App* cmd, ScanInputArgs& args) {
    cmd->add_option("paths", args.paths, "files or directories to scan (default: .)");
    cmd->add_option("--root", args.root,
                    "directory that report paths are relative to (default: the current "
                    "directory, or the one scanned path when it lies outside it)");
    cmd->add_option("--jobs,-j", args.jobs, "files analyzed in parallel (default: all cores)");
    cmd->add_option("--compile-commands", args.compile_commands,
                    "compile_commands.json for C/C++ (default: for each file, the nearest "
                    "compile_commands.json or build/compile_commands.json above it)");
    cmd->add_option("--include", args.include, "only files matching this glob (repeatable)");
    cmd->add_option("--exclude", args.exclude, "skip files matching this glob (repeatable)");
    cmd->add_option("--rules", args.rules, "run only these rules or categories (repeatable)")
        ->delimiter(',');
    cmd->add_option("--disable", args.disable, "do not run these rules or categories")
        ->delimiter(',');
    cmd->add_option("--set", args.set,
                    "rule option, e.g. complexity/cognitive.threshold=20 or RULE.severity=minor");
    cmd->add_option("--max-file-size", args.max_file_size,
                    "skip files larger than this many bytes (default 5 MiB)");
    cmd->add_flag("--quiet,-q", args.quiet, "no progress bar, and no notes on stderr");
    cmd->add_option("--config", args.config,
                    "configuration file (default: the nearest .cq.yaml in the scan root or above)");
}

void apply_sonar_config(ReportContext& ctx) {
    const config::Config* cfg = loaded_config();
    if (cfg == nullptr) {
        return;
    }
    if (cfg->sonar.format) {
        ctx.sonar_format = *cfg->sonar.format == "legacy" ? SonarFormat::legacy : SonarFormat::current;
    }
    if (cfg->sonar.extended_impacts) {
        ctx.sonar_impacts = *cfg->sonar.extended_impacts ? ImpactRange::extended : ImpactRange::standard;
    }
    if (cfg->sonar.project_base_dir && ctx.sonar_base_dir.empty()) {
        // Relative to the configuration file, like its other paths (and not to the directory
        // a scan may have left the process in).
        const fs::path dir = *cfg->sonar.project_base_dir;
        ctx.sonar_base_dir = dir.is_absolute() || cfg->project_dir.empty()
                                 ? dir.string()
                                 : (fs::path(cfg->project_dir) / dir).lexically_normal().string();
    }
}

ScanOptions make_scan_options(const ScanInputArgs& args) {
    ScanOptions options;
    options.root = choose_root(args);
    // Custom rules are registered here, before --rules / --set are checked against the registry.
    const config::Config& cfg = project_config(args.config, options.root);
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
    config::apply(cfg, options);
    return options;
}

void add_scan_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ScanArgs>();
    auto* cmd = app.add_subcommand("scan", "Analyze files and report issues and metrics");
    add_scan_input_options(cmd, args->input);
    std::vector<std::string> format_names;
    std::string format_help = "report format:";
    for (const auto& f : report_formats()) {
        format_names.push_back(f.name);
        format_help += " " + f.name;
    }
    cmd->add_option("--format,-f", args->format, format_help)->check(CLI::IsMember(format_names));
    pin_to_start_directory(cmd->add_option("--output,-o", args->output, "write the report to FILE instead of stdout"));
    cmd->add_option("--fail-on", args->fail_on,
                    "exit 1 when an issue of this severity or above is found "
                    "(info, minor, major, critical, blocker)");
    cmd->add_flag("--no-color", args->no_color, "never colour the text report");
    auto* db = pin_to_start_directory(cmd->add_option(
        "--db", args->db, "history database to record the scan in (default: ROOT/.cq/history.db)"));
    auto* no_history = cmd->add_flag("--no-history", args->no_history,
                                     "record nothing and use no incremental cache")
                           ->excludes(db);
    cmd->add_option("--branch", args->branch, "branch name to record (default: from git or the CI)");
    cmd->add_option("--commit", args->commit, "commit to record (default: git HEAD)");
    auto* staged = cmd->add_flag("--staged", args->staged,
                                 "report only the files staged for commit, as staged (project-wide "
                                 "rules still see every file)");
    cmd->add_option("--changed-since", args->changed_since,
                    "report only the files changed since REF (committed or not) and untracked "
                    "ones (project-wide rules still see every file)")
        ->excludes(staged);
    cmd->add_flag("--show-suppressed", args->show_suppressed,
                  "also list the issues that inline `cq: ignore[...]` comments suppress");
    cmd->add_option("--baseline", args->baseline,
                    "report only issues whose fingerprint is not in this baseline file "
                    "(`cq baseline create` writes one)");
    // The report options of `cq export`: new code compares with the history, which
    // --no-history turns off, and with --staged it is the staged changes against HEAD; the
    // SonarQube options belong to --format sonar.
    add_new_code_options(cmd, args->new_code)->excludes(no_history);
    cmd->get_option("--base")->excludes(staged);  // the staged changes compare with HEAD
    const std::vector<CLI::Option*> sonar_options = add_sonar_options(cmd, args->sonar);
    cmd->callback([args, cmd, sonar_options, &exit_code]() {
        for (const CLI::Option* o : sonar_options) {
            if (o->count() > 0 && args->format != "sonar") {
                throw UsageError(o->get_name() + " applies to --format sonar only");
            }
        }
        exit_code = run(*args, *cmd);
    });
}

}  // namespace cq::cli
