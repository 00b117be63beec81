// Helpers shared by the complexity rules (rules/complexity/*.cpp). The metrics themselves are
// computed once in analyzer/model/metrics.cpp; these helpers only read them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/rule.hpp"

namespace cq::complexity {

// The `threshold` option of a rule, at least 0. Throws std::invalid_argument (from
// RuleContext::option_int) when the configured value is not an integer.
std::uint32_t threshold_option(const RuleContext& ctx, long long fallback);

// How a finding names a function: its qualified name, or its simple name when that is empty.
std::string display_name(const Function& fn);

// Whether complexity/cognitive reports `fn` on its own. JavaScript / TypeScript score every
// function on its own body (SonarJS), so every function is reported. Elsewhere a nested
// function is folded into its enclosing function's score (the white paper, sonar-python), so
// only functions that no other function encloses are reported: the nested one would report
// the same increments twice.
bool cognitive_reported_alone(const FileModel& file, const Function& fn);

// The secondary-location message of one increment, as SonarQube words it: "+1", or
// "+3 (incl. 2 for nesting)".
std::string increment_message(const ComplexityIncrement& inc);

// The keyword of a control structure as written ("for", "while", "elif", "except", "match"),
// or the neutral name of its kind when the range holds no plain keyword.
std::string structure_keyword(const FileModel& file, const ControlNode& node);

// A statement-level structure that opens one level for max_nesting: if, switch, loop, catch
// (comprehension clauses excluded). else-if / else arms keep the depth of their if; ternaries
// and logical runs open none; nested functions start again from 0. Must agree with
// compute_metrics' max_nesting (tested in tests/unit/metrics).
bool opens_nesting_level(const ControlNode& node);

// One structure that is nested deeper than allowed: the first on its path to exceed the
// threshold (the deeper ones inside it are not reported again).
struct DeepStructure {
    const ControlNode* node = nullptr;
    std::uint32_t depth = 0;              // 1 for an outermost structure
    // The structures (or else-if / else arms) that make up the levels above it, outermost first.
    std::vector<const ControlNode*> enclosing;
};

// Structures of `fn`'s own control tree whose depth exceeds `threshold`, in source order.
// Iterative: safe on arbitrarily deep trees.
std::vector<DeepStructure> find_deep_structures(const Function& fn, std::uint32_t threshold);

}  // namespace cq::complexity
