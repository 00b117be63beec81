// cq install-hook: a plain git pre-commit hook running `cq gate --staged`, for projects that do
// not use the pre-commit framework (.pre-commit-hooks.yaml serves those that do).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "history/git.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

namespace {

constexpr const char* k_marker = "written by `cq install-hook`";

struct HookArgs {
    std::string dir = ".";
    std::string cq;
    std::vector<std::string> gate_args;
    bool force = false;
};

std::string self_path() {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("cq") : p.string();
}

// Single quotes for the shell.
std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

int run(const HookArgs& args) {
    const history::git::Repo repo = history::git::locate(args.dir);
    if (!repo.inside) {
        throw UsageError("'" + args.dir + "' is not inside a git work tree");
    }
    history::git::Output hooks = history::git::run({"rev-parse", "--git-path", "hooks"}, repo.top);
    std::string hooks_dir = hooks.out.substr(0, hooks.out.find_first_of("\r\n"));
    if (!hooks.ok || hooks_dir.empty()) {
        throw UsageError("cannot find the git hooks directory: " + hooks.err);
    }
    fs::path dir = fs::path(hooks_dir).is_absolute() ? fs::path(hooks_dir) : fs::path(repo.top) / hooks_dir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path hook = dir / "pre-commit";
    if (fs::exists(hook, ec) && !args.force) {
        std::ifstream in(hook);
        std::stringstream existing;
        existing << in.rdbuf();
        if (existing.str().find(k_marker) == std::string::npos) {
            throw UsageError("a pre-commit hook already exists at " + hook.string() +
                             "\nhint: --force replaces it; or call `cq gate --staged` from it yourself");
        }
    }
    const std::string cq = args.cq.empty() ? self_path() : args.cq;
    std::string extra;
    for (const auto& a : args.gate_args) {
        extra += " " + quoted(a);
    }
    std::ofstream out(hook, std::ios::trunc);
    out << "#!/bin/sh\n"
        << "# cq pre-commit hook, " << k_marker << ".\n"
        << "# Refuses a commit whose staged changes add issues, as `cq gate --staged` decides:\n"
        << "# new issues of severity major or above, too much new duplication, new or worsened\n"
        << "# functions over the complexity thresholds. `git commit --no-verify` skips it once.\n"
        << "CQ=" << quoted(cq) << "\n"
        << "if [ ! -x \"$CQ\" ]; then CQ=cq; fi\n"
        << "exec \"$CQ\" gate --staged --quiet" << extra << "\n";
    out.close();
    if (!out) {
        throw UsageError("cannot write " + hook.string());
    }
    fs::permissions(hook, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec, ec);
    std::cout << "installed " << hook.string() << ": commits now run `cq gate --staged`\n";
    return k_exit_ok;
}

}  // namespace

void add_install_hook_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<HookArgs>();
    auto* cmd = app.add_subcommand("install-hook",
                                   "Write a git pre-commit hook that refuses commits adding new issues "
                                   "(cq gate --staged)");
    cmd->add_option("--dir", args->dir, "a directory inside the repository (default: .)");
    cmd->add_option("--cq", args->cq, "the cq the hook runs (default: this binary, else cq on PATH)");
    cmd->add_flag("--force", args->force, "replace an existing pre-commit hook that cq did not write");
    cmd->add_option("gate-args", args->gate_args,
                    "extra arguments for cq gate, after --, e.g. -- --set complexity/cognitive.threshold=20");
    cmd->callback([args, &exit_code]() { exit_code = run(*args); });
}

}  // namespace cq::cli
