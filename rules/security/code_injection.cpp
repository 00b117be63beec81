// security/code-injection: code evaluated from a value that is not a constant.
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_sink.hpp"
#include "rules/support/taint.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& code_injection_meta() {
    static const RuleMeta meta{
        .id = "security/code-injection",
        .title = "Code should not be evaluated from non-constant strings",
        .languages = lang_mask::python | lang_mask::js_ts,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {94, 95},
        .owasp = {"A03:2021"},
        .options = {},
        .effort_minutes = 30,
        .doc = R"md(## What it finds
Dynamic evaluation of a string that is not a constant:
- Python: the builtins `eval` and `exec`;
- JavaScript / TypeScript: `eval`, `new Function(...)` / `Function(...)`, `setTimeout` /
  `setInterval` given a string built by concatenation or a template literal (or a string from
  untrusted input), and `vm.runInContext` / `runInNewContext` / `runInThisContext` /
  `compileFunction` / `new vm.Script`.

Constant code (`eval("1 + 1")`) and callbacks (`setTimeout(tick, 100)`) are not reported. When
the string comes from untrusted input the finding is one severity higher and shows the path.
`ast.literal_eval` and `JSON.parse` are different functions and are never reported.

## Why it matters
Whoever controls the string runs arbitrary code in the process (CWE-94, CWE-95, OWASP A03:2021
Injection). Even strings that look internal often carry a piece of a request, a file or a
message somewhere upstream.

## Example
```python
def calc(request):
    expr = request.GET["expr"]
    return eval(expr)
```

## Instead
Parse the input as data: `ast.literal_eval` for Python literals, `json.loads` / `JSON.parse`
for JSON, a small expression parser or a lookup table of allowed operations for anything else.
Pass functions, not strings, to `setTimeout`.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

enum class Need : std::uint8_t { dynamic, string_value };

struct Sink {
    const Argument* arg = nullptr;
    Need need = Need::dynamic;
};

std::vector<Sink> sinks_of(const FileModel& file, const CallSite& call) {
    std::vector<Sink> out;
    const std::string callee = canonical_callee(call);
    if (file.language == Language::python) {
        if ((callee == "eval" || callee == "exec" || callee == "builtins.eval" ||
             callee == "builtins.exec") &&
            (call.receiver.empty() || call.receiver == "builtins")) {
            if (const Argument* a = positional_arg(call, 0)) {
                out.push_back({a, Need::dynamic});
            }
        }
        return out;
    }
    const bool global = call.receiver.empty() || call.receiver == "window" ||
                        call.receiver == "globalThis" || call.receiver == "global";
    if (call.name == "eval" && global) {
        if (const Argument* a = positional_arg(call, 0)) {
            out.push_back({a, Need::dynamic});
        }
        return out;
    }
    if (call.name == "Function" && global) {
        for (const Argument& a : call.args) {
            out.push_back({&a, Need::dynamic});
        }
        return out;
    }
    if ((call.name == "setTimeout" || call.name == "setInterval") && global) {
        if (const Argument* a = positional_arg(call, 0)) {
            out.push_back({a, Need::string_value});
        }
        return out;
    }
    const bool vm = callee.rfind("vm.", 0) == 0;
    if (vm && (call.name == "runInContext" || call.name == "runInNewContext" ||
               call.name == "runInThisContext" || call.name == "compileFunction" ||
               call.name == "Script")) {
        if (const Argument* a = positional_arg(call, 0)) {
            out.push_back({a, Need::dynamic});
        }
    }
    return out;
}

class CodeInjectionRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return code_injection_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        struct Candidate {
            const FileModel* file;
            const CallSite* call;
            std::vector<Sink> sinks;
        };
        std::vector<Candidate> candidates;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const CallSite& call : file->calls) {
                std::vector<Sink> sinks = sinks_of(*file, call);
                std::erase_if(sinks, [](const Sink& s) {
                    return is_literal_kind(s.arg->kind) || s.arg->kind == ArgKind::function;
                });
                if (!sinks.empty()) {
                    candidates.push_back({file, &call, std::move(sinks)});
                }
            }
        }
        if (candidates.empty()) {
            return;
        }
        // Only the functions with a sink, and what their facts depend on.
        std::vector<TaintFocus> focus;
        focus.reserve(candidates.size());
        for (const Candidate& c : candidates) {
            focus.push_back({c.file, c.call->function});
        }
        const TaintEngine engine(project, meta().languages, SinkProfile{}, focus);
        for (const Candidate& c : candidates) {
            Fact worst;
            bool report = false;
            for (const Sink& s : c.sinks) {
                const Fact fact = engine.evaluate_arg(*c.file, *c.call, *s.arg);
                const bool string_built = s.arg->kind == ArgKind::concatenation ||
                                          s.arg->kind == ArgKind::interpolated || fact.built;
                const bool hit = s.need == Need::dynamic
                                     ? fact.dynamic
                                     : fact.dynamic && (string_built || fact.tainted);
                if (hit) {
                    report = true;
                    worst.merge(fact);
                }
            }
            if (!report) {
                continue;
            }
            out.push_back(sink_finding(*this, ctx, *c.file, c.call->range,
                                       "'" + c.call->callee + "' evaluates code built from " +
                                           describe_value(worst) +
                                           "; parse the input as data instead of running it.",
                                       worst));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::CodeInjectionRule);
