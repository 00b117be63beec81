// cq gate: pass or fail on new code (history/new_code.hpp, history/gate.hpp).
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/config_support.hpp"
#include "history/file_cache.hpp"
#include "history/gate.hpp"
#include "history/git.hpp"
#include "history/identity.hpp"
#include "history/new_code.hpp"
#include "history/store.hpp"

namespace cq::cli {

namespace {

struct GateArgs {
    ScanInputArgs input;
    std::string base;
    bool pull_request = false;
    bool staged = false;
    std::string db;
    std::string format = "text";
    std::string output;
    std::string link_base;
    std::string fail_on_new = "major";
    double max_new_duplication = 3.0;
    std::uint64_t min_new_lines = 20;
    bool no_complexity = false;
    bool no_record = false;
    std::string branch;
    std::string commit;
};

// In staged mode the head is the index: staged files are the focus, read from the index.
void focus_on_staged(const history::git::Repo& repo, ScanOptions& options) {
    const std::vector<std::string> files = history::git::staged_files(repo);
    options.focus = std::set<std::string>(files.begin(), files.end());
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

int run(const GateArgs& args) {
    history::GateConditions conditions;
    if (args.fail_on_new == "none") {
        conditions.new_issue_severity.reset();
    } else {
        conditions.new_issue_severity = parse_severity(args.fail_on_new);
        if (!conditions.new_issue_severity) {
            throw UsageError("--fail-on-new must be info, minor, major, critical, blocker or none");
        }
    }
    if (args.max_new_duplication < 0) {
        conditions.max_new_duplication.reset();
    } else {
        conditions.max_new_duplication = args.max_new_duplication;
    }
    conditions.min_new_lines = args.min_new_lines;
    conditions.complexity = !args.no_complexity;
    if (args.pull_request && args.base.empty()) {
        throw UsageError("--pr needs --base (the target branch, e.g. --base origin/main)");
    }

    ScanOptions options = make_scan_options(args.input);
    const history::git::Repo repo = history::git::locate(options.root);
    if (!repo.inside) {
        throw UsageError("cq gate compares with git history, and '" + options.root +
                         "' is not inside a git work tree");
    }
    if (args.staged) {
        focus_on_staged(repo, options);
    }
    const std::string db = args.db.empty() ? history::default_db_path(options.root) : args.db;
    auto store = history::HistoryStore::open(db, history::HistoryStore::Open::create);
    const std::string build = history::tool_build_id(CQ_VERSION);
    ScanResult head;
    {
        history::SqliteFileCache cache(*store, build, history::config_hash(options.rules));
        options.cache = &cache;
        const bool record = !args.staged && !args.no_record;
        history::ScanMeta meta;
        if (record) {
            meta = history::describe_scan(options, CQ_VERSION, args.branch, args.commit);
        }
        head = run_scan(options);
        if (record) {
            store->record_scan(meta, head, &cache);
        } else {
            store->flush_cache(cache);
        }
        options.cache = nullptr;
    }

    history::NewCodeSettings settings;
    settings.db_path = db;
    settings.base = args.base;
    settings.mode = args.staged         ? history::NewCodeMode::staged
                    : args.pull_request ? history::NewCodeMode::pull_request
                                        : history::NewCodeMode::branch;
    settings.tool_version = CQ_VERSION;
    settings.tool_build = build;
    history::NewCode new_code = history::compute_new_code(head, options, settings, *store);
    const history::GateResult gate = history::evaluate_gate(head, options, std::move(new_code), conditions);

    std::ofstream file;
    std::ostream* out = &open_output(args.output, file);
    history::GateOutput output;
    output.link_base = args.link_base;
    if (args.format == "json") {
        *out << history::gate_json(gate).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else if (args.format == "markdown") {
        history::write_gate_markdown(*out, gate, output);
    } else {
        history::write_gate_text(*out, gate, output);
    }
    out->flush();
    if (!*out) {
        throw UsageError("writing the gate report failed");
    }
    return gate.passed ? k_exit_ok : k_exit_findings;
}

}  // namespace

void add_gate_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<GateArgs>();
    auto* cmd = app.add_subcommand(
        "gate", "Pass or fail on new code: issues whose fingerprints are not in the baseline "
                "(exit 0 passed, 1 failed)");
    add_scan_input_options(cmd, args->input);
    cmd->add_option("--base", args->base,
                    "compare with the merge-base of HEAD and this ref (default: HEAD when "
                    "analyzed files have local changes, else HEAD's parent)");
    auto* pr = cmd->add_flag("--pr", args->pull_request,
                             "pull-request mode: only issues on changed lines, minus those the "
                             "--base branch already has");
    cmd->add_flag("--staged", args->staged, "pre-commit mode: the staged changes against HEAD")->excludes(pr);
    cmd->add_option("--db", args->db, "history database (default: ROOT/.cq/history.db)");
    cmd->add_option("--format,-f", args->format, "text, markdown (a pull-request comment) or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    cmd->add_option("--output,-o", args->output, "write the verdict to FILE instead of stdout");
    cmd->add_option("--link-base", args->link_base,
                    "URL that Markdown file links start with, e.g. "
                    "https://github.com/OWNER/REPO/blob/SHA (default: from GitHub or GitLab CI)");
    cmd->add_option("--fail-on-new", args->fail_on_new,
                    "fail on a new issue of this severity or above, or none (default major)");
    cmd->add_option("--max-new-duplication", args->max_new_duplication,
                    "highest duplicated-lines density in new code, in percent (default 3; "
                    "negative turns the condition off)");
    cmd->add_option("--min-new-lines", args->min_new_lines,
                    "ignore the duplication condition under this many new lines (default 20)");
    cmd->add_flag("--no-complexity-condition", args->no_complexity,
                  "do not fail on new or worsened functions over the complexity thresholds");
    cmd->add_flag("--no-record", args->no_record, "do not record the scan of the work tree in the history");
    cmd->add_option("--branch", args->branch, "branch name to record (default: from git or the CI)");
    cmd->add_option("--commit", args->commit, "commit to record (default: git HEAD)");
    cmd->callback([args, cmd, &exit_code]() {
        // The `gate:` section of .cq.yaml, for the conditions no flag was given for.
        (void)make_scan_options(args->input);  // loads the configuration (once per process)
        if (const config::Config* cfg = loaded_config()) {
            const config::GateSettings& g = cfg->gate;
            if (g.fail_on_new && cmd->count("--fail-on-new") == 0) {
                args->fail_on_new = *g.fail_on_new;
            }
            if (g.max_new_duplication && cmd->count("--max-new-duplication") == 0) {
                args->max_new_duplication = *g.max_new_duplication;
            }
            if (g.min_new_lines && cmd->count("--min-new-lines") == 0) {
                args->min_new_lines = *g.min_new_lines;
            }
            if (g.complexity && cmd->count("--no-complexity-condition") == 0) {
                args->no_complexity = !*g.complexity;
            }
        }
        exit_code = run(*args);
    });
}

}  // namespace cq::cli
