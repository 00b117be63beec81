#include "sonar-bridge/generic_issues.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>

#include "sonar-bridge/source_text.hpp"

namespace fs = std::filesystem;

namespace cq {

std::string sonar_severity(Severity s) {
    std::string name(severity_name(s));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return name;
}

std::string sonar_type(const RuleMeta& meta) {
    bool reliability = false;
    for (const Impact& i : effective_impacts(meta)) {
        if (i.quality == Quality::security) {
            return "VULNERABILITY";
        }
        reliability = reliability || i.quality == Quality::reliability;
    }
    return reliability ? "BUG" : "CODE_SMELL";
}

namespace {

// Maps scan-root-relative paths to base-dir-relative ones.
class PathMapper {
public:
    PathMapper(const std::string& root, const std::string& base_dir) {
        if (base_dir.empty()) {
            return;
        }
        std::error_code ec;
        m_root = fs::weakly_canonical(fs::absolute(root), ec);
        m_base = fs::weakly_canonical(fs::absolute(base_dir), ec);
        m_active = m_root != m_base;
    }

    // nullopt when the file lies outside the base directory.
    std::optional<std::string> map(const std::string& path) const {
        if (!m_active) {
            return path;
        }
        const fs::path rel = (m_root / path).lexically_normal().lexically_relative(m_base);
        if (rel.empty() || *rel.begin() == "..") {
            return std::nullopt;
        }
        return rel.generic_string();
    }

private:
    bool m_active = false;
    fs::path m_root;
    fs::path m_base;
};

nlohmann::ordered_json text_range_json(const CheckedRange& r) {
    if (r.kind == CheckedRange::Kind::span) {
        return {{"startLine", r.start.line},
                {"endLine", r.end.line},
                {"startColumn", r.start.column},
                {"endColumn", r.end.column}};
    }
    return {{"startLine", r.start.line}};
}

class Writer {
public:
    Writer(const ScanResult& scan, const SonarOptions& options, SonarStats& stats)
        : m_scan(scan), m_options(options), m_stats(stats), m_sources(scan),
          m_paths(scan.root, options.base_dir) {}

    nlohmann::ordered_json run() {
        nlohmann::ordered_json issues = nlohmann::ordered_json::array();
        for (const Finding& f : m_scan.findings) {
            if (m_options.include && !m_options.include(f)) {
                ++m_stats.filtered;
                continue;
            }
            auto issue = issue_json(f);
            if (issue) {
                issues.push_back(std::move(*issue));
            }
        }
        m_stats.issues = issues.size();
        nlohmann::ordered_json report;
        if (m_options.format == SonarFormat::current) {
            nlohmann::ordered_json rules = nlohmann::ordered_json::array();
            for (const auto& [id, meta] : m_rules) {
                rules.push_back(rule_json(meta));
            }
            m_stats.rules = rules.size();
            report["rules"] = std::move(rules);
        }
        report["issues"] = std::move(issues);
        return report;
    }

private:
    const RuleMeta& rule(const Finding& f) {
        auto it = m_rules.find(f.rule);
        if (it == m_rules.end()) {
            it = m_rules.emplace(f.rule, resolve_rule(m_options.rules, f.rule, f.severity)).first;
        }
        return it->second;
    }

    nlohmann::ordered_json rule_json(const RuleMeta& meta) const {
        nlohmann::ordered_json impacts = nlohmann::ordered_json::array();
        for (const Impact& i : effective_impacts(meta)) {
            impacts.push_back({{"softwareQuality", std::string(quality_name(i.quality))},
                               {"severity", std::string(impact_severity_name(i.severity, m_options.impacts))}});
        }
        // A typo in a rule's attribute must not fail the user's analysis.
        const std::string attribute = is_clean_code_attribute(meta.clean_code_attribute)
                                          ? meta.clean_code_attribute
                                          : std::string("CONVENTIONAL");
        const std::string description = meta.doc.empty() ? "<p>" + html_escape(meta.title) + "</p>"
                                                         : doc_to_html(meta.doc);
        return {{"id", meta.id},
                {"name", meta.title.empty() ? meta.id : meta.title},
                {"description", description},
                {"engineId", "cq"},
                {"cleanCodeAttribute", attribute},
                {"impacts", impacts}};
    }

    // The textRange for a location, or nullopt for a whole-file location.
    std::optional<CheckedRange> checked(const std::string& path, const Range& range) {
        const SourceText* text = m_sources.get(path);
        if (text == nullptr) {
            ++m_stats.degraded_ranges;
            return std::nullopt;
        }
        CheckedRange r = text->check(range);
        if (r.degraded) {
            ++m_stats.degraded_ranges;
        }
        if (r.kind == CheckedRange::Kind::file) {
            return std::nullopt;
        }
        return r;
    }

    std::optional<nlohmann::ordered_json> issue_json(const Finding& f) {
        const auto path = m_paths.map(f.path);
        if (!path) {
            ++m_stats.outside_base_dir;
            return std::nullopt;
        }
        const RuleMeta& meta = rule(f);
        nlohmann::ordered_json primary;
        primary["message"] = f.message.empty() ? (meta.title.empty() ? meta.id : meta.title) : f.message;
        primary["filePath"] = *path;
        if (auto r = checked(f.path, f.range)) {
            primary["textRange"] = text_range_json(*r);
        }
        nlohmann::ordered_json secondary = nlohmann::ordered_json::array();
        for (const SecondaryLocation& s : f.secondary) {
            const auto spath = m_paths.map(s.path);
            const auto r = spath ? checked(s.path, s.range) : std::nullopt;
            if (!r) {
                ++m_stats.dropped_secondary;
                continue;
            }
            nlohmann::ordered_json loc;
            loc["message"] = s.message;
            loc["filePath"] = *spath;
            loc["textRange"] = text_range_json(*r);
            secondary.push_back(std::move(loc));
        }
        nlohmann::ordered_json issue;
        if (m_options.format == SonarFormat::legacy) {
            issue["engineId"] = "cq";
            issue["ruleId"] = f.rule;
            issue["severity"] = sonar_severity(f.severity);
            issue["type"] = sonar_type(meta);
        } else {
            issue["ruleId"] = f.rule;
        }
        issue["effortMinutes"] = std::max(0, meta.effort_minutes);
        issue["primaryLocation"] = std::move(primary);
        if (!secondary.empty()) {
            issue["secondaryLocations"] = std::move(secondary);
        }
        return issue;
    }

    const ScanResult& m_scan;
    const SonarOptions& m_options;
    SonarStats& m_stats;
    SourceCache m_sources;
    PathMapper m_paths;
    std::map<std::string, RuleMeta> m_rules;  // the rules referenced, by id
};

}  // namespace

nlohmann::ordered_json sonar_report(const ScanResult& scan, const SonarOptions& options,
                                    SonarStats* stats) {
    SonarStats local;
    Writer writer(scan, options, stats != nullptr ? *stats : local);
    return writer.run();
}

void write_sonar(std::ostream& out, const ScanResult& scan, const SonarOptions& options,
                 SonarStats* stats) {
    out << sonar_report(scan, options, stats).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace cq
