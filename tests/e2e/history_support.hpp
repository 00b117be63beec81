// Helpers for the history, gate and hook end-to-end tests: temporary git repositories, shell
// commands, and cq runs with their own environment (in the background when a test needs it).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cq::test {

struct ShellResult {
    int exit_code = -1;
    std::string out;
};

inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

// Runs `command` with /bin/sh in `cwd`; stdout only (add 2>&1 to see stderr).
inline ShellResult sh(const std::string& command, const std::string& cwd) {
    const std::string cmd = "cd " + shell_quote(cwd) + " && " + command;
    ShellResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) {
        return r;
    }
    std::array<char, 65536> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
        r.out.append(buf.data(), n);
    }
    const int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

inline std::string cq_bin() { return shell_quote(CQ_BINARY); }

// `cq args` in `cwd`; `env` is prepended as shell assignments ("A=1 B=2").
inline ShellResult cq_run(const std::string& args, const std::string& cwd, const std::string& env = "") {
    return sh((env.empty() ? "" : "env " + env + " ") + cq_bin() + " " + args, cwd);
}

inline void write_file(const std::string& path, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A temporary directory holding a fresh git repository (removed with its worktrees).
class TempRepo {
public:
    explicit TempRepo(bool init_git = true) {
        std::string pattern = (std::filesystem::temp_directory_path() / "cq-e2e-XXXXXX").string();
        if (mkdtemp(pattern.data()) != nullptr) {
            m_path = pattern;
        }
        if (init_git) {
            git("init -q -b main");
            git("config user.email test@example.com");
            git("config user.name test");
            git("config commit.gpgsign false");
        }
    }
    ~TempRepo() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempRepo(const TempRepo&) = delete;
    TempRepo& operator=(const TempRepo&) = delete;

    const std::string& path() const { return m_path; }
    std::string operator/(const std::string& rel) const { return m_path + "/" + rel; }
    void write(const std::string& rel, const std::string& content) const { write_file(*this / rel, content); }
    ShellResult git(const std::string& args) const { return sh("git " + args + " 2>&1", m_path); }
    // Stages everything and commits; returns the new commit id.
    std::string commit(const std::string& message) const {
        git("add -A");
        git("commit -q --no-verify -m " + shell_quote(message));
        return head();
    }
    std::string head() const {
        std::string h = sh("git rev-parse HEAD", m_path).out;
        return h.substr(0, h.find('\n'));
    }

private:
    std::string m_path;
};

// Parses cq's JSON output, or fails the test with what it printed.
inline nlohmann::json json_of(const ShellResult& r) {
    try {
        return nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not JSON (exit " << r.exit_code << "): " << r.out.substr(0, 2000);
        return nlohmann::json::object();
    }
}

// Starts cq in the background with extra environment variables; returns its pid.
inline pid_t spawn_cq(const std::vector<std::string>& args, const std::string& cwd,
                      const std::vector<std::pair<std::string, std::string>>& env) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (chdir(cwd.c_str()) != 0) {
            _exit(126);
        }
        for (const auto& [k, v] : env) {
            setenv(k.c_str(), v.c_str(), 1);
        }
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        std::vector<std::string> storage = {CQ_BINARY};
        storage.insert(storage.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : storage) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(CQ_BINARY, argv.data());
        _exit(127);
    }
    return pid;
}

inline int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// Waits (without a deadline the test depends on) until `path` exists; false after two minutes,
// which only a hung process reaches.
inline bool wait_for_file(const std::string& path) {
    for (int i = 0; i < 12000; ++i) {
        if (std::filesystem::exists(path)) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// A Python function whose cyclomatic complexity is 1 + `branches`.
inline std::string py_function(const std::string& name, int branches, const std::string& indent = "    ") {
    std::string s = "def " + name + "(event, context):\n";
    for (int i = 0; i < branches; ++i) {
        s += indent + "if event.get(\"k" + std::to_string(i) + "\") > " + std::to_string(i) + ":\n";
        s += indent + indent + "return " + std::to_string(i) + "\n";
    }
    s += indent + "return None\n";
    return s;
}

}  // namespace cq::test
