// Runs the built cq binary and captures its output and exit code.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace cq::test {

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout (stderr goes to stderr.txt when asked)
};

// `args` is a shell-quoted argument string; runs in `cwd`, with `env` ("NAME=value ...", may
// be empty) in cq's environment.
inline RunResult run_cq_env(const std::string& env, const std::string& args,
                            const std::string& cwd = CQ_SOURCE_DIR) {
    const std::string cmd = "cd '" + cwd + "' && " + env + " '" + std::string(CQ_BINARY) + "' " + args;
    RunResult r;
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

inline RunResult run_cq(const std::string& args, const std::string& cwd = CQ_SOURCE_DIR) {
    return run_cq_env("", args, cwd);
}

}  // namespace cq::test
