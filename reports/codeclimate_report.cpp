// GitLab Code Quality: an array of CodeClimate issues, of which GitLab reads description,
// check_name, fingerprint (unique per report; it compares a merge request with its target by
// it), severity and location (path, lines.begin).
#include <algorithm>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace cq {

namespace {

// CodeClimate's categories, as close as cq's rule categories come.
const char* category_for(const std::string& rule) {
    const std::string cat = rule_category(rule);
    if (cat == "complexity") {
        return "Complexity";
    }
    if (cat == "duplication") {
        return "Duplication";
    }
    if (cat == "security") {
        return "Security";
    }
    if (cat == "latency") {
        return "Performance";
    }
    return "Bug Risk";
}

nlohmann::ordered_json lines_json(const Range& r) {
    const std::uint32_t begin = std::max<std::uint32_t>(r.start_line, 1);
    const std::uint32_t end = std::max(begin, r.end_line);
    return {{"begin", begin}, {"end", end}};
}

}  // namespace

nlohmann::ordered_json to_codeclimate(const ScanResult& scan, const ReportContext& ctx) {
    const auto findings = report_support::selected_findings(scan, ctx);
    const auto fingerprints = report_support::unique_fingerprints(findings);
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = *findings[i];
        nlohmann::ordered_json issue;
        issue["type"] = "issue";
        issue["engine_name"] = "cq";
        issue["check_name"] = f.rule;
        issue["description"] = f.message.empty() ? f.rule : f.message;
        issue["categories"] = nlohmann::ordered_json::array({category_for(f.rule)});
        issue["severity"] = std::string(severity_name(f.severity));
        issue["fingerprint"] = fingerprints[i];
        issue["location"] = {{"path", f.path}, {"lines", lines_json(f.range)}};
        if (!f.secondary.empty()) {
            nlohmann::ordered_json others = nlohmann::ordered_json::array();
            for (const SecondaryLocation& s : f.secondary) {
                others.push_back({{"path", s.path}, {"lines", lines_json(s.range)}});
            }
            issue["other_locations"] = std::move(others);
        }
        out.push_back(std::move(issue));
    }
    return out;
}

}  // namespace cq
