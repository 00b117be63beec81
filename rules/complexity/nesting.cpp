// complexity/nesting: control structures nested deeper than a threshold.
#include <string>
#include <string_view>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/complexity_support.hpp"

namespace cq {
namespace {

constexpr long long k_default_threshold = 4;

constexpr std::string_view k_doc = R"md(## What it finds
Control structures nested deeper than the threshold (4 by default). The structures that make a
level are `if` (with its `else if` / `elif` and `else` arms, which stay at the `if`'s level),
`switch` / `match`, loops (`for`, `while`, `do-while`, for-in / for-of, range-for), and
`catch` / `except`: an `if` inside a `for` is at depth 2. `case` labels, ternaries, logical
operators and comprehensions make no level, and `try` makes none of its own (its `catch` does).
A nested function, lambda or callback starts again from 0.

The finding points at the first structure that goes over the limit, with the structures around
it as secondary locations; structures nested further inside it are part of the same finding.
The function's deepest level is also listed as `max_nesting` in cq's metrics.

## Why it matters
Every level of nesting is one more condition the reader must hold to know when a line runs.
Deeply nested code is hard to follow, hard to test (each level multiplies the cases), and
usually mixes several concerns in one place.

## Example
```python
def sync(accounts):
    for account in accounts:                  # 1
        if account.active:                    # 2
            for invoice in account.invoices:  # 3
                if invoice.due:               # 4
                    while not invoice.paid:   # 5: over the limit
                        charge(invoice)
```

## Instead
Invert conditions and `continue` or `return` early, and move the inner loop into a function:
```python
def sync(accounts):
    for account in accounts:
        if not account.active:
            continue
        for invoice in account.invoices:
            settle(invoice)
```

## Options
- `threshold` (default 4): the deepest nesting allowed without a finding.
)md";

const RuleMeta& nesting_meta() {
    static const RuleMeta meta{
        .id = "complexity/nesting",
        .title = "Control flow statements should not be nested too deeply",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "FOCUSED",
        .impacts = {{Quality::maintainability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {{"threshold", std::to_string(k_default_threshold),
                     "Deepest nesting of control structures allowed without a finding."}},
        .effort_minutes = 10,
        .doc = std::string(k_doc),
        .aliases = {},
    };
    return meta;
}

class NestingRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return nesting_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const std::uint32_t threshold = complexity::threshold_option(ctx, k_default_threshold);
        for (const Function& fn : file.functions) {
            if (fn.max_nesting <= threshold) {
                continue;
            }
            for (const complexity::DeepStructure& deep :
                 complexity::find_deep_structures(fn, threshold)) {
                Finding finding = make_finding(
                    *this, ctx, file, deep.node->range,
                    "'" + complexity::structure_keyword(file, *deep.node) + "' is nested " +
                        std::to_string(deep.depth) + " levels deep in '" +
                        complexity::display_name(fn) + "' (threshold " +
                        std::to_string(threshold) +
                        "); return early or move the inner block into a function.");
                std::uint32_t level = 0;
                for (const ControlNode* outer : deep.enclosing) {
                    ++level;
                    finding.secondary.push_back(SecondaryLocation{
                        file.path, outer->range, "Nesting level " + std::to_string(level)});
                }
                out.push_back(std::move(finding));
            }
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::NestingRule);
