// cq/unused-suppression: an inline `cq: ignore[...]` that suppresses nothing.
//
// The engine reports these itself (analyzer/engine/suppressions.cpp): whether a suppression was
// used is known only after every file and project rule ran. This class carries the metadata, so
// the rule can be selected, disabled, re-rated and suppressed like any other.
#include <string_view>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"

namespace cq {
namespace {

constexpr std::string_view k_doc = R"md(## What it finds
Inline suppressions that do not suppress anything:
- `cq: ignore[RULE]` on a line (or alone on the line above) where RULE reports nothing;
- `cq: ignore-file[RULE]` in a file where RULE reports nothing;
- ids that name no rule or category, or a rule that does not check this language;
- malformed directives (`cq: ignore` without `[...]`, a missing `]`, an empty list).

An id is judged only when every rule it names ran in this scan: with `--rules latency`, a
`cq: ignore[complexity/cognitive]` is left alone, since cognitive complexity was not computed.

## Why it matters
A suppression outlives the code it was written for. Once the code is fixed or moved, a stale
`cq: ignore` silently hides the next real issue on that line, and readers keep wondering what
it was about. Reporting it keeps suppressions few and meaningful.

## Example
```python
def parse(line):  # cq: ignore[complexity/cognitive]
    return line.split(",")
```

## Instead
Remove the suppression, or move it to the line the finding is reported on (the line of the
finding's first character, shown by `cq scan`):
```python
def parse(line):
    return line.split(",")
```

## Options
None. To keep a suppression on purpose, add `cq/unused-suppression` to it:
`# cq: ignore[complexity/cognitive, cq/unused-suppression]`.
)md";

class UnusedSuppression final : public FileRule {
public:
    const RuleMeta& meta() const override {
        static const RuleMeta meta{
            .id = "cq/unused-suppression",
            .title = "Suppression that suppresses nothing",
            .languages = lang_mask::all,
            .severity = Severity::minor,
            .clean_code_attribute = "CLEAR",
            .impacts = {{Quality::maintainability, ImpactSeverity::low}},
            .cwe = {},
            .owasp = {},
            .options = {},
            .effort_minutes = 1,
            .doc = std::string(k_doc),
            .aliases = {},
        };
        return meta;
    }
    // Reported by the engine after all rules ran (see the top of this file).
    void check(const FileModel&, const RuleContext&, std::vector<Finding>&) const override {}
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::UnusedSuppression);
