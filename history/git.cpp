#include "history/git.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "analyzer/engine/engine.hpp"

namespace fs = std::filesystem;

namespace cq::history::git {

namespace {

constexpr const char* k_repository_variables[] = {
    "GIT_DIR",        "GIT_WORK_TREE",   "GIT_INDEX_FILE",         "GIT_PREFIX",
    "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
};

// The tree with no files: the base of everything on an unborn branch.
constexpr const char* k_empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
    std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
    std::array<char, 65536> buf{};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            const ssize_t n = read(fds[i].fd, buf.data(), buf.size());
            if (n > 0) {
                (i == 0 ? out : err).append(buf.data(), static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
}

std::vector<std::string> split_nul(const std::string& s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t end = s.find('\0', pos);
        if (end == std::string::npos) {
            end = s.size();
        }
        if (end > pos) {
            out.push_back(s.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    return out;
}

// A path relative to the repository top made relative to the scan root, or nullopt when it
// lies outside the root.
std::optional<std::string> to_root_relative(const Repo& repo, const std::string& top_rel) {
    if (repo.prefix.empty()) {
        return top_rel;
    }
    if (top_rel.size() <= repo.prefix.size() || top_rel.compare(0, repo.prefix.size(), repo.prefix) != 0) {
        return std::nullopt;
    }
    return top_rel.substr(repo.prefix.size());
}

// Undoes git's C-style quoting of unusual path names ("a\tb").
std::string unquote(const std::string& s) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') {
        return s;
    }
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] != '\\' || i + 2 >= s.size()) {
            out.push_back(s[i]);
            continue;
        }
        const char c = s[++i];
        switch (c) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        default:
            if (c >= '0' && c <= '7' && i + 2 < s.size()) {
                const int v = (c - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0');
                out.push_back(static_cast<char>(v));
                i += 2;
            } else {
                out.push_back(c);
            }
        }
    }
    return out;
}

std::uint32_t parse_uint(const std::string& s, std::size_t& pos) {
    std::uint32_t v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        v = v * 10 + static_cast<std::uint32_t>(s[pos] - '0');
        ++pos;
    }
    return v;
}

}  // namespace

Output run(const std::vector<std::string>& args, const std::string& dir, Env env) {
    Output result;
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(out_pipe) != 0) {
        return result;
    }
    if (pipe(err_pipe) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return result;
    }
    std::vector<std::string> argv_storage = {"git"};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            close(fd);
        }
        return result;
    }
    if (pid == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        const int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
        }
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            close(fd);
        }
        if (env == Env::clean) {
            for (const char* name : k_repository_variables) {
                unsetenv(name);
            }
        }
        if (!dir.empty() && chdir(dir.c_str()) != 0) {
            _exit(127);
        }
        execvp("git", argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    drain(out_pipe[0], err_pipe[0], result.out, result.err);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return result;
}

Repo locate(const std::string& root) {
    Repo repo;
    std::error_code ec;
    repo.root = fs::weakly_canonical(fs::absolute(root), ec).string();
    Output top = run({"rev-parse", "--show-toplevel"}, repo.root);
    if (!top.ok) {
        return repo;
    }
    while (!top.out.empty() && (top.out.back() == '\n' || top.out.back() == '\r')) {
        top.out.pop_back();
    }
    repo.inside = !top.out.empty();
    repo.top = fs::weakly_canonical(top.out, ec).string();
    const fs::path rel = fs::path(repo.root).lexically_relative(repo.top);
    const std::string r = rel.generic_string();
    if (!r.empty() && r != "." && r.rfind("..", 0) != 0) {
        repo.prefix = r + "/";
    }
    return repo;
}

std::string resolve(const Repo& repo, const std::string& ref) {
    if (!repo.inside || ref.empty()) {
        return {};
    }
    Output o = run({"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}, repo.top);
    if (!o.ok) {
        return {};
    }
    return o.out.substr(0, o.out.find_first_of("\r\n"));
}

std::string head(const Repo& repo) { return resolve(repo, "HEAD"); }

std::string first_parent(const Repo& repo, const std::string& commit) {
    return commit.empty() ? std::string() : resolve(repo, commit + "^1");
}

std::string current_branch(const Repo& repo) {
    if (!repo.inside) {
        return {};
    }
    Output o = run({"symbolic-ref", "--short", "-q", "HEAD"}, repo.top);
    std::string name = o.out.substr(0, o.out.find_first_of("\r\n"));
    if (o.ok && !name.empty()) {
        return name;
    }
    for (const char* var : {"GITHUB_HEAD_REF", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "GITHUB_REF_NAME",
                            "CI_COMMIT_REF_NAME", "BRANCH_NAME"}) {
        const char* v = std::getenv(var);
        if (v != nullptr && *v != '\0') {
            return v;
        }
    }
    return "HEAD";
}

std::string merge_base(const Repo& repo, const std::string& a, const std::string& b) {
    Output o = run({"merge-base", a, b}, repo.top);
    return o.ok ? o.out.substr(0, o.out.find_first_of("\r\n")) : std::string();
}

std::vector<std::string> staged_files(const Repo& repo) {
    std::vector<std::string> out;
    Output o = run({"diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=d"}, repo.top);
    if (!o.ok) {
        throw UsageError("git diff --cached failed: " + o.err);
    }
    for (const std::string& p : split_nul(o.out)) {
        if (auto rel = to_root_relative(repo, p)) {
            out.push_back(*rel);
        }
    }
    return out;
}

std::vector<std::string> changed_files_since(const Repo& repo, const std::string& ref) {
    const std::string commit = resolve(repo, ref);
    if (commit.empty()) {
        throw UsageError("--changed-since '" + ref + "' does not name a commit (git rev-parse failed)");
    }
    std::set<std::string> files;
    Output o = run({"diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", commit, "--"}, repo.top);
    if (!o.ok) {
        throw UsageError("git diff " + ref + " failed: " + o.err);
    }
    Output u = run({"ls-files", "-z", "--others", "--exclude-standard"}, repo.top);
    for (const Output* src : {&o, &u}) {
        for (const std::string& p : split_nul(src->out)) {
            if (auto rel = to_root_relative(repo, p)) {
                files.insert(*rel);
            }
        }
    }
    return {files.begin(), files.end()};
}

std::optional<std::string> staged_content(const Repo& repo, const std::string& rel_path) {
    Output o = run({"cat-file", "blob", ":" + repo.prefix + rel_path}, repo.top);
    if (!o.ok) {
        return std::nullopt;
    }
    return std::move(o.out);
}

bool has_local_changes(const Repo& repo) {
    if (!repo.inside) {
        return false;
    }
    Output o = run({"status", "--porcelain", "-z", "--untracked-files=all", "--", "."}, repo.root);
    const std::vector<std::string> entries = split_nul(o.out);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string& e = entries[i];
        if (e.size() < 4) {
            continue;
        }
        const std::string path = e.substr(3);
        if (e[0] == 'R' || e[0] == 'C') {
            ++i;  // the rename's source follows
        }
        if (language_for_path(path)) {
            return true;
        }
    }
    return false;
}

bool ChangedLines::has_file(const std::string& path) const {
    return whole_files.count(path) != 0 || ranges.count(path) != 0;
}

bool ChangedLines::touches(const std::string& path, std::uint32_t first, std::uint32_t last) const {
    if (whole_files.count(path) != 0) {
        return true;
    }
    auto it = ranges.find(path);
    if (it == ranges.end()) {
        return false;
    }
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const auto& r) { return r.first <= last && first <= r.second; });
}

ChangedLines changed_lines(const Repo& repo, const std::string& base, Against against) {
    ChangedLines out;
    if (!repo.inside) {
        return out;
    }
    std::vector<std::string> args = {"-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff",
                                     "--no-renames", "-U0", "--src-prefix=a/", "--dst-prefix=b/"};
    if (against == Against::index) {
        args.push_back("--cached");
    }
    args.push_back(base.empty() ? k_empty_tree : base);
    args.push_back("--");
    Output o = run(args, repo.top);
    if (!o.ok) {
        throw UsageError("git diff against " + (base.empty() ? std::string("the empty tree") : base) +
                         " failed: " + o.err);
    }
    std::optional<std::string> current;
    bool added_file = false;
    std::size_t pos = 0;
    while (pos < o.out.size()) {
        std::size_t end = o.out.find('\n', pos);
        if (end == std::string::npos) {
            end = o.out.size();
        }
        const std::string line = o.out.substr(pos, end - pos);
        pos = end + 1;
        if (line.rfind("diff --git ", 0) == 0) {
            current.reset();
            added_file = false;
        } else if (line.rfind("--- ", 0) == 0) {
            added_file = line == "--- /dev/null";
        } else if (line.rfind("+++ ", 0) == 0) {
            std::string p = unquote(line.substr(4));
            if (p.rfind("b/", 0) == 0) {
                current = to_root_relative(repo, p.substr(2));
                if (current && added_file) {
                    out.whole_files.insert(*current);
                } else if (current) {
                    out.ranges[*current];  // changed, even if only by deletions
                }
            } else {
                current.reset();  // deleted
            }
        } else if (line.rfind("@@ ", 0) == 0 && current) {
            // @@ -a[,b] +c[,d] @@
            std::size_t plus = line.find(" +");
            if (plus == std::string::npos) {
                continue;
            }
            std::size_t p = plus + 2;
            const std::uint32_t start = parse_uint(line, p);
            std::uint32_t count = 1;
            if (p < line.size() && line[p] == ',') {
                ++p;
                count = parse_uint(line, p);
            }
            if (count > 0) {
                out.ranges[*current].push_back({start, start + count - 1});
            }
        }
    }
    if (against == Against::work_tree) {
        Output u = run({"ls-files", "-z", "--others", "--exclude-standard"}, repo.top);
        for (const std::string& p : split_nul(u.out)) {
            if (auto rel = to_root_relative(repo, p)) {
                out.whole_files.insert(*rel);
            }
        }
    }
    return out;
}

Worktree::Worktree(const Repo& repo, const std::string& commit) : m_repo(repo) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/cq-baseline-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        throw UsageError("cannot create a temporary directory for the baseline worktree in " + pattern);
    }
    m_temp = pattern;
    m_tree = m_temp + "/tree";
    Output o = run({"-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach", "--quiet", m_tree, commit},
                   repo.top, Env::clean);
    if (!o.ok) {
        std::error_code ec;
        fs::remove_all(m_temp, ec);
        throw UsageError("git worktree add for the baseline " + commit + " failed: " + o.err);
    }
}

Worktree::~Worktree() {
    run({"worktree", "remove", "--force", m_tree}, m_repo.top, Env::clean);
    std::error_code ec;
    fs::remove_all(m_temp, ec);
    run({"worktree", "prune"}, m_repo.top, Env::clean);
}

std::string Worktree::root() const {
    return m_repo.prefix.empty() ? m_tree : m_tree + "/" + m_repo.prefix.substr(0, m_repo.prefix.size() - 1);
}

void clear_repository_environment() {
    for (const char* name : k_repository_variables) {
        unsetenv(name);
    }
}

}  // namespace cq::history::git
