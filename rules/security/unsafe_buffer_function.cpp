// security/unsafe-buffer-function: C library functions that write into a buffer without knowing
// its size.
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

const RuleMeta& unsafe_buffer_meta() {
    static const RuleMeta meta{
        .id = "security/unsafe-buffer-function",
        .title = "Functions that cannot bound what they write should not be used",
        .languages = lang_mask::c_cpp,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high},
                    {Quality::reliability, ImpactSeverity::high}},
        .cwe = {120, 242},
        .owasp = {"A04:2021"},
        .options = {},
        .effort_minutes = 15,
        .doc = R"md(## What it finds
Calls to C library functions that write into a buffer without being told its size:
- `gets` (always: it can never be used safely and was removed in C11);
- `strcpy`, `strcat`, `wcscpy`, `wcscat`, `stpcpy`, `lstrcpy`, `lstrcat` when the source is not
  a string literal;
- `sprintf` when the format is not a literal, or has an unbounded `%s` fed by a non-constant
  value; `vsprintf` always;
- `scanf`, `fscanf`, `sscanf` (and `vscanf` kin) whose format reads `%s` or `%[` without a field
  width.

Copies of string literals, `sprintf(buf, "%d", n)` and `%.20s` are not reported. When the data
comes from untrusted input (`argv`, `getenv`, `fgets` from stdin, `recv`) the finding is one
severity higher and shows the path.

OWASP's 2021 Top 10 maps no memory-safety CWE; cq files these under A04:2021 Insecure Design
(use of an inherently dangerous function, CWE-242).

## Why it matters
Input longer than the destination overwrites whatever follows it on the stack or heap: the
classic buffer overflow, from crashes to code execution (CWE-120, CWE-242).

## Example
```c
char name[32];
strcpy(name, argv[1]);
```

## Instead
Use the bounded forms and check for truncation: `snprintf(name, sizeof name, "%s", argv[1])`,
`strlcpy` / `strlcat` where available, `fgets(buf, sizeof buf, stdin)`, `scanf("%31s", name)`;
in C++ prefer `std::string`.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

enum class Kind : std::uint8_t { always, copy, format, scan };

struct Spec {
    std::string_view name;
    Kind kind;
    int arg;  // copy: source; format / scan: format argument
};

constexpr std::array k_specs = {
    Spec{"gets", Kind::always, 0},      Spec{"_getws", Kind::always, 0},
    Spec{"getwd", Kind::always, 0},     Spec{"vsprintf", Kind::always, 1},
    Spec{"strcpy", Kind::copy, 1},      Spec{"strcat", Kind::copy, 1},
    Spec{"wcscpy", Kind::copy, 1},      Spec{"wcscat", Kind::copy, 1},
    Spec{"stpcpy", Kind::copy, 1},      Spec{"lstrcpy", Kind::copy, 1},
    Spec{"lstrcat", Kind::copy, 1},     Spec{"lstrcpyA", Kind::copy, 1},
    Spec{"lstrcpyW", Kind::copy, 1},    Spec{"_mbscpy", Kind::copy, 1},
    Spec{"_tcscpy", Kind::copy, 1},     Spec{"_tcscat", Kind::copy, 1},
    Spec{"sprintf", Kind::format, 1},
    Spec{"scanf", Kind::scan, 0},       Spec{"fscanf", Kind::scan, 1},
    Spec{"sscanf", Kind::scan, 1},      Spec{"vscanf", Kind::scan, 0},
    Spec{"vfscanf", Kind::scan, 1},     Spec{"vsscanf", Kind::scan, 1},
    Spec{"wscanf", Kind::scan, 0},      Spec{"swscanf", Kind::scan, 1},
};

const Spec* spec_for(const CallSite& call) {
    if (!call.receiver.empty() && call.receiver != "std") {
        return nullptr;
    }
    for (const Spec& s : k_specs) {
        if (s.name == call.name) {
            return &s;
        }
    }
    return nullptr;
}

class UnsafeBufferFunctionRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return unsafe_buffer_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        struct Candidate {
            const FileModel* file;
            const CallSite* call;
            const Spec* spec;
        };
        std::vector<Candidate> candidates;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const CallSite& call : file->calls) {
                if (const Spec* s = spec_for(call)) {
                    candidates.push_back({file, &call, s});
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
            report(engine, ctx, c.file, *c.call, *c.spec, out);
        }
    }

private:
    void report(const TaintEngine& engine, const RuleContext& ctx, const FileModel* file,
                const CallSite& call, const Spec& spec, std::vector<Finding>& out) const {
        const std::string name(call.name);
        const auto nargs = static_cast<int>(call.args.size());
        Fact fact;
        std::string why;
        switch (spec.kind) {
        case Kind::always:
            fact.dynamic = true;
            why = "'" + name + "' cannot limit how much it writes";
            if (name == "gets" || name == "_getws") {
                // stdin is untrusted by definition
                fact.tainted = true;
                fact.origin = "stdin";
            }
            break;
        case Kind::copy: {
            if (spec.arg >= nargs) {
                return;
            }
            const Argument& src = call.args[static_cast<std::size_t>(spec.arg)];
            if (src.kind == ArgKind::string_literal) {
                return;
            }
            fact = engine.evaluate_arg(*file, call, src);
            if (!fact.dynamic) {
                return;
            }
            why = "'" + name + "' copies " + describe_value(fact) +
                  " without knowing the destination's size";
            break;
        }
        case Kind::format: {
            if (spec.arg >= nargs) {
                return;
            }
            const Argument& fmt = call.args[static_cast<std::size_t>(spec.arg)];
            if (fmt.kind != ArgKind::string_literal) {
                fact = engine.evaluate_arg(*file, call, fmt);
                if (!fact.dynamic) {
                    return;
                }
                why = "'" + name + "' writes with a non-literal format and no size limit";
                break;
            }
            if (!parse_format(fmt.value).unbounded_string) {
                return;
            }
            for (int i = spec.arg + 1; i < nargs; ++i) {
                fact.merge(engine.evaluate_arg(*file, call, call.args[static_cast<std::size_t>(i)]));
            }
            if (!fact.dynamic) {
                return;
            }
            why = "'" + name + "' writes " + describe_value(fact) +
                  " through an unbounded %s with no size limit";
            break;
        }
        case Kind::scan: {
            if (spec.arg >= nargs) {
                return;
            }
            const Argument& fmt = call.args[static_cast<std::size_t>(spec.arg)];
            if (fmt.kind != ArgKind::string_literal || !scanf_has_unbounded_string(fmt.value)) {
                return;
            }
            fact.dynamic = true;
            if (spec.arg > 0) {
                fact.merge(engine.evaluate_arg(*file, call, call.args[0]));
            } else {
                fact.tainted = true;
                fact.origin = "stdin";
            }
            why = "'" + name + "' reads a string with %s or %[ and no field width";
            break;
        }
        }
        out.push_back(sink_finding(*this, ctx, *file, call.range,
                                   why + "; use a bounded alternative (snprintf, strlcpy, fgets, "
                                         "a field width) and check for truncation.",
                                   fact));
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::UnsafeBufferFunctionRule);
