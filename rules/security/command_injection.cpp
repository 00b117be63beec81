// security/command-injection: a shell command built from a value that is not a constant.
// A project rule because taint crosses functions and files (rules/support/taint.hpp).
#include <array>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_sink.hpp"
#include "rules/support/taint.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& command_injection_meta() {
    static const RuleMeta meta{
        .id = "security/command-injection",
        .title = "OS commands should not be built from non-constant values",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {78},
        .owasp = {"A03:2021"},
        .options = {},
        .effort_minutes = 30,
        .doc = R"md(## What it finds
Calls that hand a command line to a shell when the command is not a constant:
- Python: `os.system`, `os.popen`, `subprocess.getoutput` / `getstatusoutput`,
  `asyncio.create_subprocess_shell`, and `subprocess.run` / `call` / `Popen` / `check_output` /
  `check_call` with `shell=True`;
- JavaScript / TypeScript: `child_process.exec` / `execSync`, `spawn` / `execFile` with
  `{ shell: true }`, `shelljs.exec`;
- C / C++: `system`, `popen` (and `_popen`, `_wsystem`), `execl*("/bin/sh", "sh", "-c", cmd, ...)`.

A constant command (`os.system("make clean")`) is not reported. A command that reaches the call
from untrusted input (request parameters, a Lambda event, `sys.argv` / `argv`, environment
variables, queue message bodies), within the function or through the project's own functions,
is reported one severity higher, with the path from the source to the call as secondary
locations. Values passed through `shlex.quote` (or `pipes.quote`, `shlex.join`,
`shell-quote`'s `quote`, `shell-escape`) count as safe.

## Why it matters
A shell interprets `;`, `|`, `&&`, backticks and `$(...)`. Any part of the command that an
attacker can influence can run other programs with the service's privileges (CWE-78, OWASP
A03:2021 Injection).

## Example
```python
@app.route("/ping")
def ping():
    host = request.args["host"]
    return subprocess.check_output("ping -c 1 " + host, shell=True)
```

## Instead
Run the program directly with an argument list, so that no shell parses it:
```python
subprocess.check_output(["ping", "-c", "1", host])
```
In Node.js use `execFile("ping", ["-c", "1", host])`; in C use `fork` + `execv` with an
argument vector, never `system` with a formatted string.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

bool is_true_text(std::string_view t) { return t == "True" || t == "true" || t == "1"; }

std::string_view quote_helper(Language lang) {
    if (lang == Language::python) {
        return "pass an argument list without shell=True, or quote it with shlex.quote()";
    }
    if (is_js_family(lang)) {
        return "use execFile()/spawn() with an argument array and no shell";
    }
    return "use fork() and execv() with an argument vector instead of a shell";
}

// The argument that holds the command, when `call` runs a shell; else nullptr.
const Argument* command_argument(const FileModel& file, const CallSite& call) {
    const std::string callee = canonical_callee(call);
    if (file.language == Language::python) {
        static const std::array<std::string_view, 7> always{
            "os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
            "commands.getoutput", "commands.getstatusoutput", "asyncio.create_subprocess_shell"};
        for (std::string_view c : always) {
            if (callee == c) {
                const Argument* a = positional_arg(call, 0);
                return a != nullptr ? a : keyword_arg(call, "cmd");
            }
        }
        static const std::array<std::string_view, 5> shell_capable{
            "subprocess.run", "subprocess.call", "subprocess.Popen", "subprocess.check_output",
            "subprocess.check_call"};
        for (std::string_view c : shell_capable) {
            if (callee != c) {
                continue;
            }
            const Argument* shell = keyword_arg(call, "shell");
            if (shell == nullptr || !is_true_text(arg_value_text(*shell))) {
                return nullptr;  // an argument list without a shell is not parsed
            }
            const Argument* a = positional_arg(call, 0);
            return a != nullptr ? a : keyword_arg(call, "args");
        }
        return nullptr;
    }
    if (is_js_family(file.language)) {
        const bool child_process = callee.rfind("child_process.", 0) == 0 ||
                                   call.callee.find("child_process") != std::string::npos;
        if ((child_process && (call.name == "exec" || call.name == "execSync")) ||
            callee == "shelljs.exec") {
            return positional_arg(call, 0);
        }
        if (child_process && (call.name == "spawn" || call.name == "spawnSync" ||
                              call.name == "execFile" || call.name == "execFileSync")) {
            for (const Argument& a : call.args) {
                if (a.kind != ArgKind::object) {
                    continue;
                }
                std::string t;
                for (char c : a.text) {
                    if (c != ' ' && c != '\t' && c != '\n') {
                        t.push_back(c);
                    }
                }
                if (t.find("shell:true") != std::string::npos) {
                    return positional_arg(call, 0);
                }
            }
        }
        return nullptr;
    }
    // C / C++
    if (!call.receiver.empty() && call.receiver != "std") {
        return nullptr;
    }
    if (call.name == "system" || call.name == "popen" || call.name == "_popen" ||
        call.name == "_wsystem" || call.name == "_wpopen") {
        return positional_arg(call, 0);
    }
    if (call.name == "execl" || call.name == "execlp" || call.name == "execle") {
        for (std::size_t i = 0; i + 1 < call.args.size(); ++i) {
            if (call.args[i].kind == ArgKind::string_literal && call.args[i].value == "-c") {
                return &call.args[i + 1];
            }
        }
    }
    return nullptr;
}

class CommandInjectionRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return command_injection_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        struct Candidate {
            const FileModel* file;
            const CallSite* call;
            const Argument* arg;
        };
        std::vector<Candidate> candidates;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const CallSite& call : file->calls) {
                const Argument* arg = command_argument(*file, call);
                if (arg == nullptr || is_literal_kind(arg->kind)) {
                    continue;
                }
                candidates.push_back({file, &call, arg});
            }
        }
        if (candidates.empty()) {
            return;
        }
        SinkProfile profile;
        profile.sanitizer = [](std::string_view path, std::string_view) {
            const std::string_view last = last_part(path);
            return path == "shlex.quote" || path == "pipes.quote" || path == "shlex.join" ||
                   path == "quote" || path == "shellescape" || path == "shellEscape" ||
                   last == "escapeShellArg" || last == "escapeshellarg";
        };
        // Only the functions with a sink, and what their facts depend on.
        std::vector<TaintFocus> focus;
        focus.reserve(candidates.size());
        for (const Candidate& c : candidates) {
            focus.push_back({c.file, c.call->function});
        }
        const TaintEngine engine(project, meta().languages, std::move(profile), focus);
        for (const Candidate& c : candidates) {
            const Fact fact = engine.evaluate_arg(*c.file, *c.call, *c.arg);
            if (!fact.dynamic) {
                continue;  // a constant command
            }
            out.push_back(sink_finding(
                *this, ctx, *c.file, c.call->range,
                "'" + c.call->callee + "' runs a shell command built from " + describe_value(fact) +
                    "; " + std::string(quote_helper(c.file->language)) + ".",
                fact));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::CommandInjectionRule);
