// complexity/cognitive: functions whose Cognitive Complexity (SonarSource's definition) is over
// a threshold. The score is computed once in analyzer/model/metrics.cpp; the doc below is the
// user-facing statement of the definition, including where cq follows a SonarSource analyzer
// over the white paper.
#include <string>
#include <string_view>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/complexity_support.hpp"

namespace cq {
namespace {

constexpr long long k_default_threshold = 15;

constexpr std::string_view k_doc = R"md(## What it finds
Functions whose Cognitive Complexity is above the threshold (15 by default). Cognitive
Complexity is G. Ann Campbell's measure from SonarSource's white paper "Cognitive Complexity: a
new way of measuring understandability": it charges for each break in the linear flow of the
code, and charges more for breaks that are nested inside others. The finding points at the
function's name and lists every increment as a secondary location ("+3 (incl. 2 for nesting)").

How the score is made:
- **+1, plus the current nesting level**: `if`, ternary (`a ? b : c`, Python `x if c else y`),
  `switch` / Python `match` (once for the whole statement; `case` adds nothing), every loop
  (`for`, `for-in`, `for-of`, `while`, `do-while`, range-for, `async for`), `catch` / `except`.
- **+1, no nesting charge**: `else if` / `elif`, `else`, each sequence of like binary logical
  operators (`a && b && c` is +1, `a && b || c` is +2; a negated or parenthesised group is its
  own sequence), `goto` and labelled `break` / `continue`, and recursion (+1 once per function
  that calls itself, however many recursive calls it makes).
- **Nesting** grows inside the bodies of `if`, `else if`, `else`, `switch`, loops, `catch`,
  ternaries and nested functions or lambdas. A loop's header and a switch's subject are not
  inside the structure.
- `try`, `finally`, `with`, plain `break` / `continue`, early `return` and null-coalescing
  shorthand cost nothing.

Nested functions, lambdas and callbacks: the white paper adds a nested function's increments to
the function that encloses it, with one more level of nesting. cq follows the SonarSource
analyzer of each language where the two differ:
- **C, C++** (the white paper): a lambda or local function is folded into its enclosing
  function with +1 nesting. Only functions that no other function encloses are reported; the
  nested one's increments appear in its parent's finding. Its own score (as if it stood alone)
  is still listed in cq's metrics.
- **Python** (as sonar-python): nested `def`s are folded with +1 nesting, and only outermost
  functions are reported. Lambdas add no nesting; a decorator's wrapper (a function whose body
  is one nested `def` plus `return wrapper`) adds no nesting to the wrapped function; methods
  of a class defined inside a function start again at nesting 0. Comprehension `for` / `if`
  clauses add nothing (a ternary or `and` / `or` inside them still does).
- **JavaScript, TypeScript** (as SonarJS today): every function, arrow function and method is
  scored on its own body only and reported on its own; a callback's complexity never leaks into
  the function that defines it, and nesting starts again at 0 inside it.

Known differences from the SonarSource analyzers:
- cq charges recursion (the white paper does; SonarJS and sonar-python do not).
- cq charges Python `match` like a `switch` (sonar-python adds nothing for it).
- cq counts `||` sequences like `&&` (the white paper does; recent SonarJS releases skip `||`
  and `??`, and logical operators that only guard JSX). `??` and `?.` cost nothing in cq.
- A parenthesised group is a sequence of its own: `(a && b) && c` is +2 in cq, +1 in SonarJS
  (which sees through parentheses); sonar-python agrees with cq.
- Python's `else` after a `for`, `while` or `try` is not charged (sonar-python charges +1).
- Something inside an `if` condition (a ternary, a lambda's body) counts one level deeper than
  the SonarSource analyzers count it: cq does not yet tell an `if`'s condition from its body.
  Loop headers and switch subjects are handled.
- React components get no special treatment.

## Why it matters
Code is read far more often than it is written. Each branch, loop and nested condition is one
more thing a reader must keep in mind; deeply nested ones cost the most, which is what this
measure weighs and cyclomatic complexity does not. Functions with a high score are where bugs
hide and where changes take longest.

## Example
```python
def ship(order):                       # Cognitive Complexity 9
    if order.paid:                     # +1
        for item in order.items:       # +2 (incl. 1 for nesting)
            if item.in_stock:          # +3 (incl. 2 for nesting)
                send(item)
            else:                      # +1
                backorder(item)
    elif order.cancelled or order.fraud:  # +1 (elif), +1 (or)
        refund(order)
```

## Instead
Return early for the simple cases, and move the body of a loop or a branch into a function
with a name that says what it does:
```python
def ship(order):
    if order.cancelled or order.fraud:
        return refund(order)
    if not order.paid:
        return
    for item in order.items:
        ship_item(item)
```

## Options
- `threshold` (default 15): the highest score a function may have without a finding.
)md";

const RuleMeta& cognitive_meta() {
    static const RuleMeta meta{
        .id = "complexity/cognitive",
        .title = "Functions should not be too hard to understand (Cognitive Complexity)",
        .languages = lang_mask::all,
        .severity = Severity::critical,
        .clean_code_attribute = "FOCUSED",
        .impacts = {{Quality::maintainability, ImpactSeverity::high}},
        .cwe = {},
        .owasp = {},
        .options = {{"threshold", std::to_string(k_default_threshold),
                     "Highest Cognitive Complexity a function may have without a finding."}},
        .effort_minutes = 10,
        .doc = std::string(k_doc),
        .aliases = {},
    };
    return meta;
}

class CognitiveComplexityRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return cognitive_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const std::uint32_t threshold = complexity::threshold_option(ctx, k_default_threshold);
        for (const Function& fn : file.functions) {
            if (fn.cognitive <= threshold) {
                continue;
            }
            if (!complexity::cognitive_reported_alone(file, fn)) {
                continue;  // folded into the function that encloses it, reported there
            }
            Finding finding = make_finding(
                *this, ctx, file, fn.name_range,
                "Cognitive complexity of '" + complexity::display_name(fn) + "' is " +
                    std::to_string(fn.cognitive) + " (threshold " + std::to_string(threshold) +
                    "); split it into smaller functions or flatten its nesting.");
            for (const ComplexityIncrement& inc : fn.cognitive_increments) {
                finding.secondary.push_back(
                    SecondaryLocation{file.path, inc.range, complexity::increment_message(inc)});
            }
            out.push_back(std::move(finding));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::CognitiveComplexityRule);
