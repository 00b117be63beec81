// complexity/parameters: functions that take more parameters than a threshold.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/complexity_support.hpp"

namespace cq {
namespace {

constexpr long long k_default_threshold = 7;

constexpr std::string_view k_doc = R"md(## What it finds
Functions, methods, lambdas and arrow functions that declare more parameters than the threshold
(7 by default). Every declared parameter counts, with or without a default value, and a rest or
variadic parameter (`*args`, `**kwargs`, `...rest`) counts as one. In Python the implicit first
parameter of a method (`self`, `cls`) does not count unless the method is a `@staticmethod`, as
sonar-python counts them; C's `(void)` declares none. The finding points at the function's name.

## Why it matters
A long parameter list is hard to call correctly: arguments of the same type are easy to swap,
and every call site repeats the whole list. It often means the function does several things, or
that some parameters always travel together and want to be one object.

## Example
```typescript
function createUser(first: string, last: string, email: string, phone: string,
                    street: string, city: string, zip: string, admin: boolean) { /* ... */ }
```

## Instead
Group the parameters that belong together, or pass an options object:
```typescript
function createUser(name: Name, contact: Contact, address: Address, opts: { admin: boolean }) {
  /* ... */
}
```

## Options
- `threshold` (default 7): the most parameters a function may declare without a finding.
)md";

const RuleMeta& parameters_meta() {
    static const RuleMeta meta{
        .id = "complexity/parameters",
        .title = "Functions should not have too many parameters",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "FOCUSED",
        .impacts = {{Quality::maintainability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {{"threshold", std::to_string(k_default_threshold),
                     "Most parameters a function may declare without a finding."}},
        .effort_minutes = 20,
        .doc = std::string(k_doc),
        .aliases = {},
    };
    return meta;
}

bool is_static_method(const Function& fn) {
    return std::any_of(fn.decorators.begin(), fn.decorators.end(), [](const std::string& d) {
        return d.find("staticmethod") != std::string::npos;
    });
}

// Declared parameters, less the implicit `self` / `cls` of a Python method.
std::size_t counted_parameters(const FileModel& file, const Function& fn) {
    std::size_t count = fn.params.size();
    if (file.language == Language::python && fn.is_method && count > 0 &&
        !fn.params.front().variadic && !is_static_method(fn)) {
        count -= 1;
    }
    return count;
}

class ParametersRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return parameters_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const std::uint32_t threshold = complexity::threshold_option(ctx, k_default_threshold);
        for (const Function& fn : file.functions) {
            const std::size_t count = counted_parameters(file, fn);
            if (count <= threshold) {
                continue;
            }
            out.push_back(make_finding(*this, ctx, file, fn.name_range,
                                       "'" + complexity::display_name(fn) + "' has " +
                                           std::to_string(count) + " parameters (threshold " +
                                           std::to_string(threshold) +
                                           "); group the ones that belong together."));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::ParametersRule);
