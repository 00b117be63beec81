#include "analyzer/engine/discovery.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace cq {

namespace {

const std::set<std::string>& pruned_dirs() {
    static const std::set<std::string> k_dirs = {".git", ".hg", ".svn", "node_modules",
                                                 "__pycache__", ".cq", ".venv", ".tox"};
    return k_dirs;
}

enum class Link { no, yes };

void add_file(Discovery& out, std::set<std::string>& seen, const fs::path& root,
              const fs::path& abs, Link link) {
    auto lang = language_for_path(abs.string());
    if (!lang) {
        return;
    }
    // `abs` was built under the canonical `root`: the relative path is lexical, except for a
    // symlink, which fs::relative resolves (one lstat per path component, per file, so not the
    // common case: it was most of discovery's time on a tree of a thousand files).
    std::error_code ec;
    std::string rel;
    if (link == Link::no) {
        rel = abs.lexically_relative(root).generic_string();
    }
    if (rel.empty() || rel.rfind("..", 0) == 0) {
        rel = fs::relative(abs, root, ec).generic_string();
        if (ec || rel.empty()) {
            rel = abs.generic_string();
        }
    }
    if (!seen.insert(rel).second) {
        return;
    }
    out.files.push_back({rel, abs.string(), *lang});
}

void walk(Discovery& out, std::set<std::string>& seen, const fs::path& root, const fs::path& start) {
    std::error_code ec;
    if (fs::is_regular_file(start, ec)) {
        add_file(out, seen, root, start,
                 fs::is_symlink(fs::symlink_status(start, ec)) ? Link::yes : Link::no);
        return;
    }
    // The iterator does not follow directory symlinks, so a symlink loop cannot trap it.
    fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        out.skipped.push_back({fs::relative(start, root, ec).generic_string(), "unreadable directory"});
        return;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
            ec.clear();
            continue;
        }
        const fs::directory_entry& entry = *it;
        const std::string name = entry.path().filename().string();
        std::error_code ec2;
        if (entry.is_directory(ec2) && !entry.is_symlink(ec2)) {
            if (pruned_dirs().count(name) != 0) {
                it.disable_recursion_pending();
            }
            continue;
        }
        const bool link = entry.is_symlink(ec2);
        if (link) {
            if (!fs::exists(entry.path(), ec2)) {
                if (language_for_path(name)) {
                    out.skipped.push_back({fs::relative(entry.path(), root, ec2).generic_string(),
                                           "broken symlink"});
                }
                continue;
            }
            if (!fs::is_regular_file(entry.path(), ec2)) {
                continue;  // symlinks to directories are not followed
            }
        } else if (!entry.is_regular_file(ec2)) {
            // a FIFO, socket or device named like a source file: reading it could block
            if (language_for_path(name)) {
                out.skipped.push_back({fs::relative(entry.path(), root, ec2).generic_string(), "not a regular file"});
            }
            continue;
        }
        add_file(out, seen, root, entry.path(), link ? Link::yes : Link::no);
    }
}

}  // namespace


std::string run_capture(const std::vector<std::string>& argv, const std::string& cwd, bool& ok) {
    ok = false;
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        return {};
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return {};
    }
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, STDERR_FILENO);
        }
        close(pipefd[0]);
        close(pipefd[1]);
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
            _exit(127);
        }
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(pipefd[1]);
    std::string out;
    std::array<char, 65536> buf{};
    ssize_t n = 0;
    while ((n = read(pipefd[0], buf.data(), buf.size())) > 0) {
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return out;
}

std::string skip_reason(const std::string& content, Language lang, std::uint64_t max_bytes) {
    if (content.size() > max_bytes) {
        return "too large (" + std::to_string(content.size()) + " bytes, limit " +
               std::to_string(max_bytes) + ")";
    }
    const std::size_t probe = std::min<std::size_t>(content.size(), 8192);
    if (std::find(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(probe), '\0') !=
        content.begin() + static_cast<std::ptrdiff_t>(probe)) {
        return "binary (NUL bytes)";
    }
    // Generated code: a marker in the first lines.
    const std::string head = content.substr(0, 1024);
    if (head.find("@generated") != std::string::npos ||
        head.find("DO NOT EDIT") != std::string::npos ||
        head.find("Code generated by") != std::string::npos) {
        return "generated";
    }
    // Minified: very long lines. Count them without copying.
    std::size_t longest = 0;
    std::size_t lines = 0;
    std::size_t start = 0;
    while (start <= content.size()) {
        std::size_t nl = content.find('\n', start);
        if (nl == std::string::npos) {
            nl = content.size();
        }
        longest = std::max(longest, nl - start);
        ++lines;
        start = nl + 1;
    }
    const double average = lines == 0 ? 0.0 : static_cast<double>(content.size()) / static_cast<double>(lines);
    if ((is_js_family(lang) || lang == Language::python) && content.size() > 4096 &&
        (average > 300.0 || longest > 20000)) {
        return "minified (average line " + std::to_string(static_cast<long>(average)) + " bytes)";
    }
    if (longest > 100000) {
        return "a line longer than 100000 bytes";
    }
    return {};
}

Discovery discover_files(const ScanOptions& options) {
    Discovery out;
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(fs::absolute(options.root.empty() ? "." : options.root), ec);
    if (ec || !fs::is_directory(root)) {
        throw UsageError("scan root '" + options.root + "' is not a directory");
    }
    std::vector<fs::path> starts;
    for (const std::string& p : options.paths) {
        fs::path abs = fs::path(p).is_absolute() ? fs::path(p) : root / p;
        if (!fs::exists(abs, ec)) {
            throw UsageError("path '" + p + "' does not exist");
        }
        starts.push_back(fs::weakly_canonical(abs, ec));
    }
    if (starts.empty()) {
        starts.push_back(root);
    }

    std::set<std::string> seen;
    bool in_git = false;
    {
        bool ok = false;
        std::string inside = run_capture({"git", "rev-parse", "--is-inside-work-tree"}, root.string(), ok);
        in_git = ok && inside.rfind("true", 0) == 0;
    }
    if (in_git) {
        std::vector<std::string> argv = {"git", "ls-files", "-z", "--cached", "--others",
                                         "--exclude-standard", "--"};
        for (const fs::path& s : starts) {
            argv.push_back(s.string());
        }
        bool ok = false;
        std::string listing = run_capture(argv, root.string(), ok);
        if (ok) {
            out.used_git = true;
            std::size_t pos = 0;
            while (pos < listing.size()) {
                std::size_t end = listing.find('\0', pos);
                if (end == std::string::npos) {
                    end = listing.size();
                }
                std::string rel = listing.substr(pos, end - pos);
                pos = end + 1;
                if (rel.empty() || !language_for_path(rel)) {
                    continue;
                }
                fs::path abs = root / rel;
                std::error_code ec2;
                const auto st = fs::symlink_status(abs, ec2);
                if (ec2 || !fs::exists(st)) {
                    continue;  // deleted in the work tree
                }
                if (fs::is_symlink(st)) {
                    if (!fs::exists(abs, ec2)) {
                        out.skipped.push_back({rel, "broken symlink"});
                        continue;
                    }
                    if (!fs::is_regular_file(abs, ec2)) {
                        continue;
                    }
                }
                if (!fs::is_regular_file(abs, ec2)) {
                    continue;
                }
                add_file(out, seen, root, abs, fs::is_symlink(st) ? Link::yes : Link::no);
            }
        }
    }
    if (!out.used_git) {
        for (const fs::path& s : starts) {
            walk(out, seen, root, s);
        }
    }

    std::vector<DiscoveredFile> kept;
    kept.reserve(out.files.size());
    for (auto& f : out.files) {
        if (!options.include.empty() &&
            std::none_of(options.include.begin(), options.include.end(),
                         [&](const std::string& g) { return glob_match(g, f.rel_path); })) {
            continue;
        }
        if (std::any_of(options.exclude.begin(), options.exclude.end(),
                        [&](const std::string& g) { return glob_match(g, f.rel_path); })) {
            continue;
        }
        kept.push_back(std::move(f));
    }
    out.files = std::move(kept);
    std::sort(out.files.begin(), out.files.end(),
              [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.rel_path < b.rel_path; });
    std::sort(out.skipped.begin(), out.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
    return out;
}

}  // namespace cq
