// The quality gate on new code: conditions evaluated over NewCode, and the verdict written as
// text, Markdown (a pull-request comment) or JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/new_code.hpp"

namespace cq::history {

// Defaults as SonarQube's "Sonar way": no new issue of severity major or above, at most 3 %
// duplicated lines in new code (ignored under 20 new lines), no new or worsened function over
// the complexity thresholds (those of complexity/cyclomatic and complexity/cognitive).
struct GateConditions {
    std::optional<Severity> new_issue_severity = Severity::major;  // nullopt: condition off
    std::optional<double> max_new_duplication = 3.0;               // percent; nullopt: off
    std::uint64_t min_new_lines = 20;  // the duplication condition is ignored under this
    bool complexity = true;
};

enum class ConditionStatus : std::uint8_t { passed, failed, ignored };

struct ConditionResult {
    std::string id;  // "new_issues", "new_duplicated_lines_density", "complex_functions"
    std::string title;
    std::string actual;
    std::string threshold;
    ConditionStatus status = ConditionStatus::passed;
    std::string note;  // why it was ignored, or what it counted
};

struct ComplexFunction {
    std::string path;
    std::string name;  // qualified name
    std::uint32_t line = 0;
    std::uint32_t end_line = 0;
    std::uint64_t cyclomatic = 0;
    std::uint64_t cognitive = 0;
    std::optional<std::uint64_t> base_cyclomatic;  // nullopt: a new function
    std::optional<std::uint64_t> base_cognitive;
};

struct GateResult {
    bool passed = true;
    NewCode new_code;
    std::vector<ConditionResult> conditions;
    std::vector<ComplexFunction> functions;  // new or worsened, over a threshold
    std::uint64_t new_lines = 0;             // changed lines of code in the scanned files
    std::uint64_t new_duplicated_lines = 0;
    std::uint64_t cyclomatic_threshold = 10;
    std::uint64_t cognitive_threshold = 15;
};

GateResult evaluate_gate(const ScanResult& head, const ScanOptions& head_options, NewCode new_code,
                         const GateConditions& conditions);

struct GateOutput {
    // Markdown links: `link_base` + "/" + path from the repository top + "#L" + line. Empty:
    // from GitHub Actions (GITHUB_SERVER_URL/GITHUB_REPOSITORY/blob/GITHUB_SHA) or GitLab CI
    // (CI_PROJECT_URL/-/blob/CI_COMMIT_SHA) when set, else no links.
    std::string link_base;
    std::size_t max_listed = 100;  // longer lists are cut, saying how many were left out
};

void write_gate_text(std::ostream& out, const GateResult& gate, const GateOutput& options);
void write_gate_markdown(std::ostream& out, const GateResult& gate, const GateOutput& options);
nlohmann::ordered_json gate_json(const GateResult& gate);

std::string_view mode_name(NewCodeMode mode);

}  // namespace cq::history
