// security/format-string: printf-family calls whose format is not a string literal.
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

const RuleMeta& format_string_meta() {
    static const RuleMeta meta{
        .id = "security/format-string",
        .title = "printf-style format strings should be literals",
        .languages = lang_mask::c_cpp,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high},
                    {Quality::reliability, ImpactSeverity::medium}},
        .cwe = {134},
        .owasp = {"A03:2021"},
        .options = {},
        .effort_minutes = 10,
        .doc = R"md(## What it finds
Calls to the printf and scanf families (`printf`, `fprintf`, `sprintf`, `snprintf`, `dprintf`,
`syslog`, `err` / `warn`, their `v` and wide forms, `scanf` / `fscanf` / `sscanf`) whose format
argument is not a string literal.

Not reported: a format held in a local that is only ever assigned literals, an ALL_CAPS macro,
a gettext lookup of a literal (`_("...")`, `gettext("...")`), and the wrapper pattern, where the
format is a parameter of a variadic function (or of a function that passes it to a `v*` printf)
so the check belongs at the wrapper's callers. A format that comes from untrusted input (`argv`,
`getenv`, stdin, a socket) is reported one severity higher, with the path.

OWASP's 2021 Top 10 does not list CWE-134; cq files it under A03:2021 Injection, since the
attacker's text is interpreted by the formatter.

## Why it matters
Conversions in the format read (and with `%n` write) arguments that were never passed: an
attacker who controls the format reads the stack, crashes the process or writes memory
(CWE-134).

## Example
```c
void log_name(const char *name) {
    printf(name);
}
```

## Instead
Pass the data as an argument to a literal format: `printf("%s", name)`, `syslog(LOG_INFO, "%s",
msg)`. Mark your own variadic wrappers with `__attribute__((format(printf, 1, 2)))` so the
compiler checks their callers.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

struct Spec {
    std::string_view name;
    int format;
    bool takes_va_list;
};

constexpr std::array k_specs = {
    Spec{"printf", 0, false},   Spec{"vprintf", 0, true},    Spec{"wprintf", 0, false},
    Spec{"vwprintf", 0, true},  Spec{"fprintf", 1, false},   Spec{"vfprintf", 1, true},
    Spec{"fwprintf", 1, false}, Spec{"vfwprintf", 1, true},  Spec{"dprintf", 1, false},
    Spec{"vdprintf", 1, true},  Spec{"sprintf", 1, false},   Spec{"vsprintf", 1, true},
    Spec{"snprintf", 2, false}, Spec{"vsnprintf", 2, true},  Spec{"swprintf", 2, false},
    Spec{"vswprintf", 2, true}, Spec{"asprintf", 1, false},  Spec{"vasprintf", 1, true},
    Spec{"syslog", 1, false},   Spec{"vsyslog", 1, true},    Spec{"err", 1, false},
    Spec{"errx", 1, false},     Spec{"verr", 1, true},       Spec{"verrx", 1, true},
    Spec{"warn", 0, false},     Spec{"warnx", 0, false},     Spec{"vwarn", 0, true},
    Spec{"vwarnx", 0, true},    Spec{"scanf", 0, false},     Spec{"fscanf", 1, false},
    Spec{"sscanf", 1, false},   Spec{"vscanf", 0, true},     Spec{"vfscanf", 1, true},
    Spec{"vsscanf", 1, true},
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

// The format is a parameter of the enclosing function, which is variadic or forwards a va_list:
// a printf-style wrapper, checked at its callers.
bool is_wrapper_pattern(const FileModel& file, const CallSite& call, const Spec& spec,
                        const Argument& fmt) {
    if (call.function < 0 || call.function >= static_cast<std::int32_t>(file.functions.size()) ||
        fmt.kind != ArgKind::identifier) {
        return false;
    }
    const Function& fn = file.functions[static_cast<std::size_t>(call.function)];
    bool is_param = false;
    bool variadic = false;
    for (const Parameter& p : fn.params) {
        is_param = is_param || p.name == fmt.text;
        variadic = variadic || p.variadic;
        const std::string_view text = file.text(p.range);
        variadic = variadic || text.find("va_list") != std::string_view::npos ||
                   text.find("...") != std::string_view::npos;
    }
    return is_param && (variadic || spec.takes_va_list);
}

class FormatStringRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return format_string_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        struct Candidate {
            const FileModel* file;
            const CallSite* call;
            const Argument* fmt;
        };
        std::vector<Candidate> candidates;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const CallSite& call : file->calls) {
                const Spec* spec = spec_for(call);
                if (spec == nullptr || spec->format >= static_cast<int>(call.args.size())) {
                    continue;
                }
                const Argument& fmt = call.args[static_cast<std::size_t>(spec->format)];
                if (fmt.kind == ArgKind::string_literal || is_wrapper_pattern(*file, call, *spec, fmt)) {
                    continue;
                }
                candidates.push_back({file, &call, &fmt});
            }
        }
        if (candidates.empty()) {
            return;
        }
        SinkProfile profile;
        profile.sanitizer = [](std::string_view path, std::string_view) {
            return path == "_" || path == "gettext" || path == "dgettext" || path == "ngettext" ||
                   path == "dcgettext" || path == "N_" || path == "tr";
        };
        // Only the functions with a sink, and what their facts depend on.
        std::vector<TaintFocus> focus;
        focus.reserve(candidates.size());
        for (const Candidate& c : candidates) {
            focus.push_back({c.file, c.call->function});
        }
        const TaintEngine engine(project, meta().languages, std::move(profile), focus);
        for (const Candidate& c : candidates) {
            const Fact fact = engine.evaluate_arg(*c.file, *c.call, *c.fmt);
            if (!fact.dynamic) {
                continue;
            }
            out.push_back(sink_finding(
                *this, ctx, *c.file, c.call->range,
                "The format of '" + c.call->name + "' is " + describe_value(fact) +
                    "; pass it as data to a literal format such as \"%s\".",
                fact));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::FormatStringRule);
