// complexity/function-length: functions with more lines of code (nloc) than a threshold.
#include <string>
#include <string_view>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/complexity_support.hpp"

namespace cq {
namespace {

constexpr long long k_default_threshold = 60;

constexpr std::string_view k_doc = R"md(## What it finds
Functions with more lines of code than the threshold (60 by default). A line of code is a line
that holds at least one token of the function: blank lines and lines that hold only comments do
not count, and a statement spread over three lines counts three. The lines of nested functions,
lambdas and callbacks count toward the function that contains them (as ESLint's
`max-lines-per-function` counts them), and each of those is also measured on its own. The
finding points at the function's name.

## Why it matters
A long function does many things; its reader has to hold all of them to change one. Long
functions are harder to name, to test in parts and to reuse, and they collect the conditions
that the other complexity rules measure.

## Example
```javascript
function importOrders(file) {   // 140 lines: parsing, validation, pricing, saving, reporting
  const rows = [];
  // ...
}
```

## Instead
Give each step its own function, and keep the original as a short list of calls that reads like
the steps:
```javascript
function importOrders(file) {
  const rows = parseRows(file);
  const orders = rows.map(validate).filter(Boolean);
  priceAll(orders);
  return saveAndReport(orders);
}
```

## Options
- `threshold` (default 60): the most lines of code a function may have without a finding.
)md";

const RuleMeta& function_length_meta() {
    static const RuleMeta meta{
        .id = "complexity/function-length",
        .title = "Functions should not have too many lines of code",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "FOCUSED",
        .impacts = {{Quality::maintainability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {{"threshold", std::to_string(k_default_threshold),
                     "Most lines of code a function may have without a finding."}},
        .effort_minutes = 20,
        .doc = std::string(k_doc),
        .aliases = {},
    };
    return meta;
}

class FunctionLengthRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return function_length_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const std::uint32_t threshold = complexity::threshold_option(ctx, k_default_threshold);
        for (const Function& fn : file.functions) {
            if (fn.nloc <= threshold) {
                continue;
            }
            out.push_back(make_finding(*this, ctx, file, fn.name_range,
                                       "'" + complexity::display_name(fn) + "' has " +
                                           std::to_string(fn.nloc) + " lines of code (threshold " +
                                           std::to_string(threshold) +
                                           "); split it into smaller functions."));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::FunctionLengthRule);
