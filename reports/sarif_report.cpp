// SARIF 2.1.0 as GitHub code scanning reads it. Columns are 1-based and counted in UTF-16
// code units (the run says so with columnKind), converted from cq's byte columns through the
// file's content; a range that does not fit the file keeps only its line, or no region at all.
#include <algorithm>
#include <map>

#include "reports/report.hpp"
#include "reports/report_support.hpp"
#include "sonar-bridge/source_text.hpp"

namespace cq {

namespace {

using nlohmann::ordered_json;
namespace rs = report_support;

const char* level_for(Severity s) {
    switch (s) {
    case Severity::blocker:
    case Severity::critical: return "error";
    case Severity::major: return "warning";
    case Severity::minor:
    case Severity::info: return "note";
    }
    return "warning";
}

// GitHub orders security alerts by this 0.0-10.0 score (CVSS-like).
const char* security_severity_for(Severity s) {
    switch (s) {
    case Severity::blocker: return "9.5";
    case Severity::critical: return "8.0";
    case Severity::major: return "6.0";
    case Severity::minor: return "3.5";
    case Severity::info: return "1.0";
    }
    return "6.0";
}

// "complexity/cognitive" -> "ComplexityCognitive": SARIF wants a name that is not the id and
// reads as an identifier.
std::string rule_name(const std::string& id) {
    std::string out;
    bool upper = true;
    for (const char c : id) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out;
}

bool is_security(const RuleMeta& meta) {
    if (!meta.cwe.empty() || rule_category(meta.id) == "security") {
        return true;
    }
    for (const Impact& i : meta.impacts) {
        if (i.quality == Quality::security) {
            return true;
        }
    }
    return false;
}

// The doc as plain text for help.text: the markdown itself reads well as text.
ordered_json rule_json(const RuleMeta& meta) {
    ordered_json tags = ordered_json::array();
    tags.push_back(rule_category(meta.id));
    const bool security = is_security(meta);
    if (security && rule_category(meta.id) != "security") {
        tags.push_back("security");
    }
    for (const int cwe : meta.cwe) {
        tags.push_back("external/cwe/cwe-" + std::to_string(cwe));
    }
    for (const std::string& owasp : meta.owasp) {
        tags.push_back("external/owasp/" + owasp);
    }
    // Never an empty text: GitHub shows these as the rule's description and help.
    const std::string title = meta.title.empty() ? meta.id : meta.title;
    const std::string summary = doc_summary(meta).empty() ? title : doc_summary(meta);
    const std::string doc = meta.doc.empty() ? title : meta.doc;
    ordered_json properties = {{"tags", tags}, {"precision", "high"}};
    if (security) {
        properties["security-severity"] = security_severity_for(meta.severity);
    }
    return {{"id", meta.id},
            {"name", rule_name(meta.id)},
            {"shortDescription", {{"text", title}}},
            {"fullDescription", {{"text", summary}}},
            {"help", {{"text", doc}, {"markdown", doc}}},
            {"defaultConfiguration", {{"level", level_for(meta.severity)}}},
            {"properties", properties}};
}

class SarifWriter {
public:
    SarifWriter(const ScanResult& scan, const ReportContext& ctx) : m_scan(scan), m_ctx(ctx), m_sources(scan) {}

    ordered_json run() {
        const auto findings = rs::selected_findings(m_scan, m_ctx);
        // Rules: those the results use, sorted by id, so that ruleIndex is stable.
        std::map<std::string, RuleMeta> metas;
        for (const Finding* f : findings) {
            if (metas.find(f->rule) == metas.end()) {
                metas.emplace(f->rule, resolve_rule(m_ctx.rules, f->rule, f->severity));
            }
        }
        ordered_json rules = ordered_json::array();
        std::map<std::string, int> index;
        for (const auto& [id, meta] : metas) {
            index[id] = static_cast<int>(rules.size());
            rules.push_back(rule_json(meta));
        }
        const auto fingerprints = rs::unique_fingerprints(findings);
        std::map<std::string, int> line_hash_seen;
        ordered_json results = ordered_json::array();
        for (std::size_t i = 0; i < findings.size(); ++i) {
            const Finding& f = *findings[i];
            ordered_json result;
            result["ruleId"] = f.rule;
            result["ruleIndex"] = index[f.rule];
            result["level"] = level_for(f.severity);
            result["message"] = {{"text", f.message.empty() ? f.rule : f.message}};
            ordered_json loc;
            loc["physicalLocation"] = physical_location(f.path, f.range);
            if (!f.function.empty()) {
                loc["logicalLocations"] = ordered_json::array({{{"fullyQualifiedName", f.function}, {"kind", "function"}}});
            }
            result["locations"] = ordered_json::array({loc});
            // GitHub tracks an alert across commits by this hash; cq's fingerprint does not
            // depend on the line number, which is what GitHub wants of it.
            const std::string base = rs::base_fingerprint(f);
            const int occurrence = ++line_hash_seen[base];
            result["partialFingerprints"] = {{"primaryLocationLineHash", base + ":" + std::to_string(occurrence)},
                                             {"cq/v1", fingerprints[i]}};
            if (!f.secondary.empty()) {
                ordered_json related = ordered_json::array();
                int id = 1;
                for (const SecondaryLocation& s : f.secondary) {
                    ordered_json r;
                    r["id"] = id++;
                    r["physicalLocation"] = physical_location(s.path, s.range);
                    r["message"] = {{"text", s.message.empty() ? std::string("related location") : s.message}};
                    related.push_back(std::move(r));
                }
                result["relatedLocations"] = std::move(related);
            }
            result["properties"] = {{"severity", std::string(severity_name(f.severity))}};
            results.push_back(std::move(result));
        }
        ordered_json driver;
        driver["name"] = "cq";
        if (!m_ctx.version.empty()) {
            driver["version"] = m_ctx.version;
            driver["semanticVersion"] = m_ctx.version;
        }
        // The project's home page, set at configure time (-DCQ_INFORMATION_URI=...); SARIF
        // makes it optional, and cq writes no address it was not given.
        if (std::string_view(CQ_INFORMATION_URI).size() > 0) {
            driver["informationUri"] = CQ_INFORMATION_URI;
        }
        driver["rules"] = std::move(rules);
        ordered_json run = {{"tool", {{"driver", driver}}},
                            {"columnKind", "utf16CodeUnits"},
                            {"results", results}};
        return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", ordered_json::array({run})}};
    }

private:
    ordered_json physical_location(const std::string& path, const Range& range) {
        ordered_json loc;
        loc["artifactLocation"] = {{"uri", rs::uri_encode(path)}, {"uriBaseId", "%SRCROOT%"}};
        const SourceText* text = m_sources.get(path);
        if (text == nullptr) {
            return loc;
        }
        const CheckedRange r = text->check(range);
        if (r.kind == CheckedRange::Kind::span) {
            loc["region"] = {{"startLine", r.start.line},
                             {"startColumn", r.start.column + 1},
                             {"endLine", r.end.line},
                             {"endColumn", r.end.column + 1}};
        } else if (r.kind == CheckedRange::Kind::line) {
            loc["region"] = {{"startLine", r.start.line}};
        } else {
            // The whole file, in the form the SARIF multitool asks for (SARIF2017).
            loc["region"] = {{"startLine", 1}, {"endLine", text->line_count()}};
        }
        return loc;
    }

    const ScanResult& m_scan;
    const ReportContext& m_ctx;
    SourceCache m_sources;
};

}  // namespace

ordered_json to_sarif(const ScanResult& scan, const ReportContext& ctx) {
    SarifWriter writer(scan, ctx);
    return writer.run();
}

}  // namespace cq
