// The rule catalogue as the exporters see it: a lookup that tests can replace (so that golden
// files do not change when a rule's doc does), stand-ins for ids the catalogue does not know,
// and the SonarQube names of clean-code attributes, qualities and impact severities.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/finding.hpp"
#include "rules/rule.hpp"

namespace cq {

// Returns the metadata of a rule id (or alias), or nullptr when unknown. The pointer must stay
// valid while a report is written.
using RuleLookup = std::function<const RuleMeta*(std::string_view id)>;

// The lookup into cq's rule registry.
RuleLookup registry_lookup();

// The metadata of `id` through `lookup` (the registry when `lookup` is empty). For an id that
// nothing knows, a stand-in: title = id, CONVENTIONAL, one MAINTAINABILITY impact from
// `severity`, no doc.
RuleMeta resolve_rule(const RuleLookup& lookup, const std::string& id, Severity severity);

// "complexity" for "complexity/cognitive"; the whole id when it has no '/'.
std::string rule_category(std::string_view id);

// SonarQube's fourteen clean-code attributes.
const std::vector<std::string_view>& clean_code_attributes();
bool is_clean_code_attribute(std::string_view name);

std::string_view quality_name(Quality q);  // "MAINTAINABILITY", "RELIABILITY", "SECURITY"

enum class ImpactRange : std::uint8_t {
    standard,  // LOW, MEDIUM, HIGH: every server since 10.3
    extended,  // plus INFO and BLOCKER (servers that know them)
};
// "LOW", "MEDIUM", "HIGH" (and "INFO", "BLOCKER" with ImpactRange::extended; otherwise INFO
// becomes LOW and BLOCKER becomes HIGH).
std::string_view impact_severity_name(ImpactSeverity s, ImpactRange range);

// The rule's impacts, one per software quality (the highest when a rule lists one twice), in
// the order MAINTAINABILITY, RELIABILITY, SECURITY; derived from the rule's default severity
// as one MAINTAINABILITY impact when the rule lists none.
std::vector<Impact> effective_impacts(const RuleMeta& meta);

// A rule's markdown doc as simple HTML (headings, paragraphs, lists, code blocks, inline code,
// bold); every character of the doc is escaped, so the result is safe to embed.
std::string doc_to_html(std::string_view markdown);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

// The first paragraph under "## What it finds" (or the title when there is none), as one line.
std::string doc_summary(const RuleMeta& meta);

}  // namespace cq
