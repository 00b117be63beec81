// Inline suppressions: `cq: ignore[rule-id, ...]` in a comment on a finding's line or on the
// line above, `cq: ignore-file[rule-id, ...]` anywhere in a file. An id may be a rule id, an
// alias, or a category ("latency" or "latency/" or "latency/*").
//
// Directives are found through the model, never by a regex over the raw text: a `cq:` counts
// only on a line the front end lists in FileModel::comment_lines and at a byte that no token and
// no string literal covers, so text inside a string is never a suppression.
//
// A trailing directive (code before it on its line) covers its own line; a directive alone on
// its line (only comments there) covers its own line and the next line with code, across other
// comment-only lines, so several directives can be stacked above one statement.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"

namespace cq {

inline constexpr const char* k_unused_suppression_rule = "cq/unused-suppression";

struct SuppressionDirective {
    bool whole_file = false;  // ignore-file
    std::vector<std::string> ids;
    std::uint32_t line = 0;         // where the directive is written
    std::uint32_t target_line = 0;  // the line with code it covers (== line for a trailing one)
    Range range;                    // the `cq: ignore[...]` text
    std::vector<std::string> problems;  // malformed parts ("empty id list", "missing ']'")
};

// All directives of a file, in source order.
std::vector<SuppressionDirective> find_suppressions(const FileModel& file);

// Whether a directive id (rule id, alias or category) names `meta`.
bool suppression_id_matches(const std::string& id, const RuleMeta& meta);

// What one rule of the scan is, for deciding whether an unused directive is reportable.
struct ActiveRuleInfo {
    const RuleMeta* meta = nullptr;
};

// Moves the findings that a directive covers from `findings` to `suppressed` (both keep their
// order). When `unused_rule` is given (cq/unused-suppression is selected) with its context, adds a
// finding for every directive id that suppressed nothing although every rule it names ran on that
// file (ids naming rules that did not run are not judged), and for ids that name no rule at all.
// `files` are the files whose findings are considered (the scan's files).
void apply_suppressions(const std::vector<const FileModel*>& files, const std::vector<ActiveRuleInfo>& active,
                        const Rule* unused_rule, const RuleContext* unused_ctx, std::vector<Finding>& findings,
                        std::vector<Finding>& suppressed, std::vector<Finding>& unused_findings);

}  // namespace cq
