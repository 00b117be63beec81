// What history and the gate need from git, through the git command line (no libgit2 in Debian's
// reach for this project): where the work tree is, commits and branches, what changed, staged
// content, and temporary worktrees for baseline scans.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cq::history::git {

// inherit: the caller's environment. clean: without GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE and
// the other variables a hook exports, which point at the main work tree and must not leak into
// a command run in another worktree.
enum class Env : std::uint8_t { inherit, clean };

struct Output {
    bool ok = false;  // ran and exited 0
    std::string out;
    std::string err;
};

// Runs `git args...` in `dir` (no shell), stdin from /dev/null.
Output run(const std::vector<std::string>& args, const std::string& dir, Env env = Env::inherit);

struct Repo {
    bool inside = false;
    std::string top;     // absolute path of the work tree
    std::string prefix;  // the scan root relative to `top`: "" or "sub/dir/"
    std::string root;    // the scan root (absolute)
};

// The repository that holds `root`; inside == false when there is none (or no git).
Repo locate(const std::string& root);

// The full commit id of `ref`, or "" when it does not name a commit.
std::string resolve(const Repo& repo, const std::string& ref);
// HEAD's commit, "" on an unborn branch.
std::string head(const Repo& repo);
// The first parent of `commit`, "" for a root commit.
std::string first_parent(const Repo& repo, const std::string& commit);
// The branch checked out; when HEAD is detached, the branch a CI system names
// (GITHUB_HEAD_REF, GITHUB_REF_NAME, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, CI_COMMIT_REF_NAME),
// else "HEAD".
std::string current_branch(const Repo& repo);
// The best common ancestor of two commits, "" when they share none.
std::string merge_base(const Repo& repo, const std::string& a, const std::string& b);

// Files (relative to the scan root, files outside it left out) that `git diff --cached` touches,
// deleted ones excluded.
std::vector<std::string> staged_files(const Repo& repo);
// Files changed in the work tree since `ref` (committed or not), plus untracked files that are
// not ignored; deleted ones excluded. Throws UsageError when `ref` is not a commit.
std::vector<std::string> changed_files_since(const Repo& repo, const std::string& ref);
// The staged content of a file (relative to the scan root), nullopt when it is not in the index.
std::optional<std::string> staged_content(const Repo& repo, const std::string& rel_path);
// True when a file cq analyzes differs from HEAD in the work tree or index, or is untracked.
bool has_local_changes(const Repo& repo);

// New-side line numbers that were added or changed, by path relative to the scan root.
struct ChangedLines {
    // [first, last] line ranges by file; a file changed only by deletions has an empty list.
    std::map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>> ranges;
    std::set<std::string> whole_files;  // added or untracked: every line is new

    bool has_file(const std::string& path) const;
    bool touches(const std::string& path, std::uint32_t first, std::uint32_t last) const;
    bool contains(const std::string& path, std::uint32_t line) const { return touches(path, line, line); }
};
enum class Against : std::uint8_t { work_tree, index };
// What changed from `base` (a commit; "" means the empty tree) to the work tree (untracked files
// count as added) or to the index.
ChangedLines changed_lines(const Repo& repo, const std::string& base, Against against);

// A detached worktree of `commit` in a temporary directory, with hooks disabled; removed (and
// pruned from the repository's list) on destruction. Throws UsageError when git refuses.
class Worktree {
public:
    Worktree(const Repo& repo, const std::string& commit);
    ~Worktree();
    Worktree(const Worktree&) = delete;
    Worktree& operator=(const Worktree&) = delete;
    // The scan root inside the worktree (the same prefix as the main scan root).
    std::string root() const;

private:
    Repo m_repo;
    std::string m_temp;
    std::string m_tree;
};

// Removes the variables of Env::clean from this process's environment. The gate calls it before
// scanning a baseline worktree, because the engine's discovery runs git with the inherited
// environment. Single-threaded callers only.
void clear_repository_environment();

}  // namespace cq::history::git
