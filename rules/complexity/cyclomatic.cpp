// complexity/cyclomatic: functions whose McCabe cyclomatic complexity, counted as lizard counts
// it, is over a threshold. The count is made once in analyzer/model/metrics.cpp.
#include <string>
#include <string_view>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/complexity_support.hpp"

namespace cq {
namespace {

constexpr long long k_default_threshold = 10;

constexpr std::string_view k_doc = R"md(## What it finds
Functions whose cyclomatic complexity (McCabe) is above the threshold (10 by default). The
finding points at the function's name.

cq counts the way lizard does, so that numbers can be compared with it: 1, plus one for each
`if`, `else if` / `elif`, loop (`for`, `while`, `do-while`, for-in / for-of, range-for, and each
`for` clause of a Python comprehension), `case` (not `default:` nor Python's `case _:`), `catch` /
`except`, ternary (`?:`, Python's `x if c else y`), `if` clause of a comprehension, and each
binary logical operator (`&&`, `||`, `and`, `or`; `a && b || c` adds two). `else`, `switch`
itself, `goto`, labelled jumps and `try` / `finally` add nothing. A nested function, lambda or
callback is measured on its own and adds nothing to the function that defines it.

Where cq and lizard differ: lizard also counts Python's `finally` and `case _:`, and C/C++
preprocessor conditionals (`#if`, `#ifdef`, `#elif`); cq counts neither, because they do not
add a path through the function as written for one build. lizard reads tokens, so a `?` of
optional chaining can count in its JavaScript numbers; cq counts only real ternaries, plus the
logical operators the front end reports.

## Why it matters
Cyclomatic complexity is the number of independent paths through a function: the number of
test cases needed to cover every branch. A function with many paths is hard to test fully and
tends to grow more. Unlike Cognitive Complexity it does not care about nesting, so a flat
`switch` with many cases scores high here and low there.

## Example
```c
int classify(const struct req *r) {          /* cyclomatic 11 */
    if (r == NULL || r->len == 0) return -1;  /* if, || */
    for (int i = 0; i < r->n; i++) {          /* for */
        if (r->v[i] < 0 && !r->signed_ok) return -2;  /* if, && */
        switch (r->t[i]) {
        case 1: case 2: case 3: case 4: break;        /* 4 cases */
        default: break;
        }
    }
    return r->strict ? 1 : 0;                 /* ?: */
}
```

## Instead
Split the function along its decisions: validation, the per-item work and the final answer
each become a function, and table-driven code replaces a long `switch` where the cases only map
one value to another.

## Options
- `threshold` (default 10): the highest cyclomatic complexity a function may have without a
  finding.
)md";

const RuleMeta& cyclomatic_meta() {
    static const RuleMeta meta{
        .id = "complexity/cyclomatic",
        .title = "Functions should not have too many independent paths (cyclomatic complexity)",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "FOCUSED",
        .impacts = {{Quality::maintainability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {{"threshold", std::to_string(k_default_threshold),
                     "Highest cyclomatic complexity a function may have without a finding."}},
        .effort_minutes = 10,
        .doc = std::string(k_doc),
        .aliases = {},
    };
    return meta;
}

class CyclomaticComplexityRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return cyclomatic_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const std::uint32_t threshold = complexity::threshold_option(ctx, k_default_threshold);
        for (const Function& fn : file.functions) {
            if (fn.cyclomatic <= threshold) {
                continue;
            }
            out.push_back(make_finding(
                *this, ctx, file, fn.name_range,
                "Cyclomatic complexity of '" + complexity::display_name(fn) + "' is " +
                    std::to_string(fn.cyclomatic) + " (threshold " + std::to_string(threshold) +
                    "); split its decisions into smaller functions."));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::CyclomaticComplexityRule);
