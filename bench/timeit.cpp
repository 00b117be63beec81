// timeit OUT TIMEOUT_S REPEAT REPEAT_UNDER_S -- COMMAND...
//
// Runs COMMAND and writes "wall user sys maxrss_kib" (seconds, to the microsecond; KiB) as the
// last line of OUT, like GNU time's '%e %U %S %M', which counts CPU time in 10 ms steps: a tenth
// of what the shortest runs here (lodash's parse floor, 0.10 s) are compared on.
//
// A run whose CPU time is under REPEAT_UNDER_S seconds is repeated, REPEAT runs in all, and the
// run with the least CPU time is kept with its wall time and peak RSS: on a shared machine noise
// only adds time, so the minimum is the best estimate of what the command itself costs. Longer
// runs are measured once. The peak RSS is the largest of the command and the processes it waited
// for (wait4's ru_maxrss). This program is small on purpose: the kernel counts the memory of the
// process that forks toward the child's peak until exec, so a Python or shell timer would raise
// the peak of small commands by its own size.
//
// Exit status: the kept run's; 124 when a run passes TIMEOUT_S (the process group is killed);
// 127 when COMMAND cannot be run; 2 on bad usage.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace {

struct Run {
    int status = 0;
    double wall = 0;
    double user = 0;
    double sys = 0;
    long maxrss_kib = 0;
    double cpu() const { return user + sys; }
};

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_timed_out = 0;

void on_alarm(int) {
    g_timed_out = 1;
    if (g_child > 0) {
        kill(-g_child, SIGKILL);
    }
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

double now() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

Run run_once(char** argv, unsigned timeout) {
    Run r;
    g_timed_out = 0;
    const double start = now();
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("timeit: fork");
        r.status = 127;
        return r;
    }
    if (pid == 0) {
        setpgid(0, 0);  // its own process group, killed whole on timeout
        execvp(argv[0], argv);
        std::fprintf(stderr, "timeit: %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    g_child = pid;
    if (timeout > 0) {
        alarm(timeout);
    }
    int raw = 0;
    rusage usage{};
    while (wait4(pid, &raw, 0, &usage) < 0 && errno == EINTR) {
    }
    alarm(0);
    g_child = 0;
    r.wall = now() - start;
    r.user = seconds(usage.ru_utime);
    r.sys = seconds(usage.ru_stime);
    r.maxrss_kib = usage.ru_maxrss;
    if (g_timed_out != 0) {
        r.status = 124;
    } else if (WIFEXITED(raw)) {
        r.status = WEXITSTATUS(raw);
    } else if (WIFSIGNALED(raw)) {
        r.status = 128 + WTERMSIG(raw);
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 7 || std::strcmp(argv[5], "--") != 0) {
        std::fprintf(stderr, "usage: timeit OUT TIMEOUT_S REPEAT REPEAT_UNDER_S -- COMMAND...\n");
        return 2;
    }
    const char* out = argv[1];
    const unsigned timeout = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
    const int repeat = std::max(1, std::atoi(argv[3]));
    const double repeat_under = std::strtod(argv[4], nullptr);
    char** command = argv + 6;

    struct sigaction sa {};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, nullptr);

    Run best = run_once(command, timeout);
    int runs = 1;
    while (runs < repeat && best.status == 0 && best.cpu() < repeat_under) {
        const Run r = run_once(command, timeout);
        ++runs;
        if (r.status == 0 && r.cpu() < best.cpu()) {
            best = r;
        }
    }
    FILE* f = std::fopen(out, "w");
    if (f == nullptr) {
        std::perror(out);
        return 2;
    }
    std::fprintf(f, "runs: %d\n%.6f %.6f %.6f %ld\n", runs, best.wall, best.user, best.sys, best.maxrss_kib);
    std::fclose(f);
    return best.status;
}
