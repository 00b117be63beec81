#include "history/new_code.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "history/file_cache.hpp"
#include "history/identity.hpp"

namespace fs = std::filesystem;

namespace cq::history {

namespace {

std::string short_sha(const std::string& sha) { return sha.substr(0, 10); }

// Scans `commit` in a temporary worktree with the head's options and records it as a baseline.
std::int64_t scan_in_worktree(const git::Repo& repo, const std::string& commit, const std::string& ref,
                              const ScanOptions& head_options, const NewCodeSettings& settings,
                              HistoryStore& store) {
    // A hook's GIT_INDEX_FILE / GIT_DIR point at the main work tree; the engine's discovery
    // runs git in the worktree with this process's environment.
    git::clear_repository_environment();
    git::Worktree tree(repo, commit);
    ScanOptions options = head_options;
    options.root = tree.root();
    options.focus.reset();
    options.read_override = nullptr;
    options.progress = nullptr;
    options.paths.clear();
    std::error_code ec;
    const fs::path head_root = fs::weakly_canonical(fs::absolute(head_options.root.empty() ? "." : head_options.root), ec);
    for (const std::string& p : head_options.paths) {
        const fs::path rel = fs::weakly_canonical(fs::path(p).is_absolute() ? fs::path(p) : head_root / p, ec)
                                 .lexically_relative(head_root);
        const fs::path in_tree = fs::path(options.root) / rel;
        if (fs::exists(in_tree, ec)) {
            options.paths.push_back(in_tree.string());
        }
    }
    ScanMeta meta;
    meta.kind = "baseline";
    meta.branch = ref;
    meta.commit = commit;
    meta.parent = git::first_parent(repo, commit);
    meta.started_at = now_iso8601();
    meta.tool_version = settings.tool_version;
    meta.config_hash = config_hash(head_options.rules);
    meta.scope_hash = scope_hash(head_options);
    // Files unchanged between the baseline and the head come from the incremental cache.
    SqliteFileCache cache(store, settings.tool_build.empty() ? settings.tool_version : settings.tool_build,
                          meta.config_hash);
    options.cache = &cache;
    ScanResult result;
    if (!head_options.paths.empty() && options.paths.empty()) {
        // None of the scanned paths existed at that commit: the baseline is empty.
        result.root = options.root;
    } else if (!fs::is_directory(options.root, ec)) {
        result.root = options.root;  // the scan root itself did not exist yet
    } else {
        result = run_scan(options);
    }
    return store.record_scan(meta, result, &cache);
}

Baseline load_baseline(const git::Repo& repo, const std::string& ref, const std::string& commit,
                       const ScanOptions& head_options, const NewCodeSettings& settings, HistoryStore& store) {
    Baseline b;
    b.ref = ref;
    b.commit = commit;
    if (commit.empty()) {
        b.source = "empty (no earlier commit)";
        return b;
    }
    if (auto row = store.find_commit_scan(commit, config_hash(head_options.rules), scope_hash(head_options),
                                          settings.tool_version)) {
        b.scan_id = row->id;
        b.source = "history scan #" + std::to_string(row->id) + " of " + short_sha(commit);
    } else {
        b.scan_id = scan_in_worktree(repo, commit, ref, head_options, settings, store);
        b.source = "scanned " + short_sha(commit) + " in a temporary worktree (recorded as scan #" +
                   std::to_string(b.scan_id) + ")";
    }
    b.issues = store.issues(b.scan_id);
    b.functions = store.functions(b.scan_id);
    return b;
}

const FileModel* model_of(const ScanResult& head, const std::string& path) {
    auto it = std::lower_bound(head.files.begin(), head.files.end(), path,
                               [](const std::unique_ptr<FileModel>& m, const std::string& p) { return m->path < p; });
    return it != head.files.end() && (*it)->path == path ? it->get() : nullptr;
}

}  // namespace

bool touches_changed_lines(const Finding& f, const ScanResult& head, const git::ChangedLines& changed) {
    if (changed.touches(f.path, f.range.start_line, f.range.end_line)) {
        return true;
    }
    for (const SecondaryLocation& s : f.secondary) {
        if (s.path == f.path && changed.touches(s.path, s.range.start_line, s.range.end_line)) {
            return true;
        }
    }
    if (const FileModel* file = model_of(head, f.path)) {
        for (const Function& fn : file->functions) {
            if (fn.name_range.start_byte == f.range.start_byte && fn.name_range.end_byte == f.range.end_byte &&
                changed.touches(f.path, fn.range.start_line, fn.range.end_line)) {
                return true;
            }
        }
    }
    return false;
}

ScanMeta describe_scan(const ScanOptions& options, const std::string& tool_version,
                       const std::string& branch_override, const std::string& commit_override) {
    ScanMeta meta;
    const git::Repo repo = git::locate(options.root.empty() ? "." : options.root);
    meta.started_at = now_iso8601();
    meta.tool_version = tool_version;
    meta.config_hash = config_hash(options.rules);
    meta.scope_hash = scope_hash(options);
    meta.branch = !branch_override.empty() ? branch_override : git::current_branch(repo);
    if (!commit_override.empty()) {
        const std::string full = git::resolve(repo, commit_override);
        meta.commit = full.empty() ? commit_override : full;
    } else {
        meta.commit = git::head(repo);
    }
    meta.parent = git::first_parent(repo, meta.commit);
    meta.dirty = commit_override.empty() && git::has_local_changes(repo);
    return meta;
}

NewCode compute_new_code(const ScanResult& head, const ScanOptions& head_options,
                         const NewCodeSettings& settings, HistoryStore& store) {
    NewCode out;
    out.mode = settings.mode;
    out.repo = git::locate(head_options.root.empty() ? "." : head_options.root);
    const git::Repo& repo = out.repo;
    if (!repo.inside) {
        throw UsageError("new code is measured against git history, but '" + repo.root +
                         "' is not inside a git work tree");
    }
    if (settings.mode == NewCodeMode::pull_request && settings.base.empty()) {
        throw UsageError("pull-request mode needs --base (the target branch, e.g. --base origin/main)");
    }
    const std::string head_commit = git::head(repo);

    // The baseline commit.
    std::string ref = settings.base;
    std::string base_commit;
    std::string target_commit;
    if (settings.mode == NewCodeMode::staged) {
        ref = "HEAD";
        base_commit = head_commit;
    } else if (!settings.base.empty()) {
        target_commit = git::resolve(repo, settings.base);
        if (target_commit.empty()) {
            throw UsageError("--base '" + settings.base + "' does not name a commit\nhint: fetch it first "
                             "(git fetch origin main); in CI, check out with full history (GitHub: "
                             "fetch-depth: 0; GitLab: GIT_DEPTH: 0)");
        }
        base_commit = head_commit.empty() ? std::string() : git::merge_base(repo, head_commit, target_commit);
        if (base_commit.empty() && !head_commit.empty()) {
            throw UsageError("HEAD and --base '" + settings.base + "' have no common ancestor\nhint: in a "
                             "shallow clone, fetch more history (git fetch --unshallow)");
        }
    } else if (git::has_local_changes(repo)) {
        ref = "HEAD";
        base_commit = head_commit;
    } else {
        ref = "HEAD^";
        base_commit = git::first_parent(repo, head_commit);
    }

    out.changed = git::changed_lines(repo, base_commit,
                                     settings.mode == NewCodeMode::staged ? git::Against::index : git::Against::work_tree);
    out.baseline = load_baseline(repo, ref, base_commit, head_options, settings, store);
    if (settings.mode == NewCodeMode::pull_request && target_commit != base_commit) {
        out.target = load_baseline(repo, settings.base, target_commit, head_options, settings, store);
    }

    std::unordered_set<std::string> in_baseline;
    for (const StoredIssue& i : out.baseline.issues) {
        in_baseline.insert(i.fingerprint);
    }
    std::unordered_set<std::string> in_target;
    if (out.target) {
        for (const StoredIssue& i : out.target->issues) {
            in_target.insert(i.fingerprint);
        }
    }
    std::set<std::string> head_paths;
    for (const auto& m : head.files) {
        head_paths.insert(m->path);
    }
    std::unordered_set<std::string> in_head;
    for (const Finding& f : head.findings) {
        in_head.insert(f.fingerprint);
        if (in_baseline.count(f.fingerprint) != 0) {
            continue;
        }
        if (settings.mode == NewCodeMode::pull_request &&
            (in_target.count(f.fingerprint) != 0 || !touches_changed_lines(f, head, out.changed))) {
            continue;
        }
        out.new_findings.push_back(f);
    }
    for (const StoredIssue& i : out.baseline.issues) {
        if (in_head.count(i.fingerprint) != 0) {
            continue;
        }
        const bool in_scope = settings.mode == NewCodeMode::branch ||
                              (settings.mode == NewCodeMode::staged && head_paths.count(i.path) != 0) ||
                              (settings.mode == NewCodeMode::pull_request &&
                               (out.changed.has_file(i.path) || head_paths.count(i.path) == 0));
        if (in_scope) {
            out.fixed.push_back(i);
        }
    }
    return out;
}

std::vector<Finding> new_findings(const ScanResult& head, const ScanOptions& head_options,
                                  const NewCodeSettings& settings) {
    const std::string db = settings.db_path.empty() ? default_db_path(head_options.root) : settings.db_path;
    auto store = HistoryStore::open(db, HistoryStore::Open::create);
    return compute_new_code(head, head_options, settings, *store).new_findings;
}

}  // namespace cq::history
