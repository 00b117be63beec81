// Pre-commit end to end: `cq install-hook` and the pre-commit framework with
// .pre-commit-hooks.yaml. Each makes a repository, commits clean code, stages a change with a
// new issue and sees the commit refused with a clear message, then accepted after the fix.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/history_support.hpp"

namespace {

using namespace cq::test;

const std::string k_gate_args = "--rules complexity/cyclomatic --set complexity/cyclomatic.threshold=3";

std::string clean_code() { return py_function("handler", 1); }
std::string complex_code() { return py_function("handler", 1) + "\n\n" + py_function("router", 5); }
std::string fixed_code() {
    return py_function("handler", 1) + "\n\n" + py_function("router", 2);
}

// Commits through the hooks (no --no-verify); returns git's exit code and output.
ShellResult commit(const TempRepo& repo, const std::string& message, const std::string& env = "") {
    return sh((env.empty() ? "" : "env " + env + " ") + "git commit -q -m " + shell_quote(message) + " 2>&1",
              repo.path());
}

void clean_refused_fixed(const TempRepo& repo, const std::string& env) {
    repo.write("svc/app.py", clean_code());
    repo.git("add svc/app.py");
    auto r = commit(repo, "clean", env);
    ASSERT_EQ(r.exit_code, 0) << r.out;

    repo.write("svc/app.py", complex_code());
    repo.git("add svc/app.py");
    const std::string before = repo.head();
    r = commit(repo, "adds a complex function", env);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_EQ(repo.head(), before) << "the commit was made";
    EXPECT_NE(r.out.find("commit refused by cq"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("svc/app.py:7:5: major: Cyclomatic complexity of 'router' is 6"), std::string::npos) << r.out;

    repo.write("svc/app.py", fixed_code());
    repo.git("add svc/app.py");
    r = commit(repo, "fixed", env);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(repo.head(), before);
}

// `pre-commit install` in `repo` (its cache inside the repository), then clean_refused_fixed.
void install_pre_commit_then_commit(const TempRepo& repo) {
    // `language: system` runs the `cq` on PATH.
    const std::string bin_dir = std::filesystem::path(CQ_BINARY).parent_path().string();
    const std::string env = "PATH=" + shell_quote(bin_dir) + ":\"$PATH\" PRE_COMMIT_HOME=" +
                            shell_quote(repo / ".pre-commit-home");
    repo.write(".gitignore", ".pre-commit-home/\n");
    repo.commit("ignore");
    auto r = sh("env " + env + " pre-commit install 2>&1", repo.path());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    clean_refused_fixed(repo, env);
}

}  // namespace

TEST(Hook, InstallHookRefusesACommitWithANewIssueThenAcceptsTheFix) {
    TempRepo repo;
    repo.write("README.md", "demo\n");
    repo.commit("root");
    auto r = cq_run("install-hook -- " + k_gate_args, repo.path());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string hook = read_file(repo / ".git/hooks/pre-commit");
    EXPECT_NE(hook.find("gate --staged"), std::string::npos) << hook;
    clean_refused_fixed(repo, "");

    // A commit with -a goes through the same check, and leaves the index as git wants it.
    repo.write("svc/app.py", complex_code());
    auto a = sh("git commit -q -a -m all 2>&1", repo.path());
    EXPECT_NE(a.exit_code, 0) << a.out;
    EXPECT_EQ(repo.git("diff --cached --name-only").out, "");
    EXPECT_EQ(repo.git("worktree list --porcelain").out.find("cq-baseline"), std::string::npos);
}

TEST(Hook, InstallHookKeepsSomeoneElsesHook) {
    TempRepo repo;
    write_file(repo / ".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    auto r = cq_run("install-hook 2>&1", repo.path());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("--force"), std::string::npos) << r.out;
    EXPECT_EQ(read_file(repo / ".git/hooks/pre-commit"), "#!/bin/sh\necho mine\n");
    EXPECT_EQ(cq_run("install-hook --force", repo.path()).exit_code, 0);
    EXPECT_NE(read_file(repo / ".git/hooks/pre-commit").find("cq gate --staged"), std::string::npos);
    EXPECT_EQ(cq_run("install-hook", repo.path()).exit_code, 0) << "its own hook is replaced freely";
}

TEST(Hook, PreCommitFrameworkUsesTheHooksFile) {
    if (sh("command -v pre-commit >/dev/null", "/").exit_code != 0) {
        GTEST_SKIP() << "pre-commit is not installed (apt-get install pre-commit)";
    }
    // A repository that publishes the hooks, the way this one does.
    TempRepo hooks;
    write_file(hooks / ".pre-commit-hooks.yaml", read_file(std::string(CQ_SOURCE_DIR) + "/.pre-commit-hooks.yaml"));
    const std::string rev = hooks.commit("hooks");

    TempRepo repo;
    std::string args;
    for (const char* a : {"--rules", "complexity/cyclomatic", "--set", "complexity/cyclomatic.threshold=3"}) {
        args += std::string(args.empty() ? "" : ", ") + "\"" + a + "\"";
    }
    repo.write(".pre-commit-config.yaml", "repos:\n  - repo: " + hooks.path() + "\n    rev: " + rev +
                                              "\n    hooks:\n      - id: cq-gate\n        args: [" + args + "]\n");
    repo.commit("config");
    install_pre_commit_then_commit(repo);
}

// The `repo: local` configuration the README shows, with the gate's options where it says
// they go (the entry), as a user would copy it.
TEST(Hook, ReadmeLocalPreCommitConfigurationWorks) {
    if (sh("command -v pre-commit >/dev/null", "/").exit_code != 0) {
        GTEST_SKIP() << "pre-commit is not installed (apt-get install pre-commit)";
    }
    const std::string readme = read_file(std::string(CQ_SOURCE_DIR) + "/README.md");
    const std::string open = "```yaml\nrepos:\n  - repo: local\n";
    const std::size_t start = readme.find(open);
    ASSERT_NE(start, std::string::npos) << "README: no local pre-commit configuration";
    const std::size_t body = start + std::string("```yaml\n").size();
    const std::size_t end = readme.find("```", body);
    ASSERT_NE(end, std::string::npos);
    std::string config = readme.substr(body, end - body);
    const std::string entry = "entry: cq gate --staged --quiet";
    const std::size_t at = config.find(entry);
    ASSERT_NE(at, std::string::npos) << config;
    config.insert(at + entry.size(), " " + k_gate_args);

    TempRepo repo;
    repo.write(".pre-commit-config.yaml", config);
    repo.commit("config");
    install_pre_commit_then_commit(repo);
}
