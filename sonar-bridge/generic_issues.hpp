// SonarQube's generic external issue report (sonar.externalIssuesReportPaths).
//
// The current format (SonarQube 10.3 and later) has top-level `rules` (id, name, description,
// engineId "cq", cleanCodeAttribute, impacts) and `issues` (ruleId, effortMinutes,
// primaryLocation, secondaryLocations). The legacy format (servers before 10.3) has only
// `issues`, each with engineId, severity and type.
//
// SonarQube fails the whole analysis on one out-of-range textRange, so every range is checked
// against the file's real content first (SourceText::check): columns are 0-based UTF-16 code
// units with an exclusive endColumn, no column is given on an empty line, and a range that
// cannot be kept becomes a whole-line location, or a location on the whole file. Secondary
// locations must have a range: one that cannot get even a line is left out.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/engine/engine.hpp"
#include "sonar-bridge/rule_catalog.hpp"

namespace cq {

enum class SonarFormat : std::uint8_t {
    current,  // rules + issues, SonarQube 10.3+
    legacy,   // issues only, with severity and type
};

struct SonarOptions {
    SonarFormat format = SonarFormat::current;
    ImpactRange impacts = ImpactRange::standard;
    // SonarQube's sonar.projectBaseDir: filePaths are written relative to it. Empty means the
    // scan root. An issue whose file lies outside it is left out (SonarQube would not index it).
    std::string base_dir;
    RuleLookup rules;  // empty: the registry
    // Which findings to export (for example only new code); empty: all.
    std::function<bool(const Finding&)> include;
};

// What the writer had to change so that SonarQube accepts the report.
struct SonarStats {
    std::size_t issues = 0;             // written
    std::size_t rules = 0;              // written (current format)
    std::size_t degraded_ranges = 0;    // became whole-line or whole-file locations
    std::size_t dropped_secondary = 0;  // secondary locations without any valid range
    std::size_t outside_base_dir = 0;   // issues left out: file outside base_dir
    std::size_t filtered = 0;           // issues left out by `include`
};

// The whole report. Order: rules by id, issues in the scan's order; no timestamps.
nlohmann::ordered_json sonar_report(const ScanResult& scan, const SonarOptions& options,
                                    SonarStats* stats = nullptr);

// Writes sonar_report() as indented JSON with a final newline.
void write_sonar(std::ostream& out, const ScanResult& scan, const SonarOptions& options,
                 SonarStats* stats = nullptr);

// SonarQube's legacy issue severity for a cq severity: "INFO" ... "BLOCKER".
std::string sonar_severity(Severity s);
// SonarQube's legacy issue type for a rule: VULNERABILITY when it has a SECURITY impact, BUG
// for RELIABILITY, else CODE_SMELL.
std::string sonar_type(const RuleMeta& meta);

}  // namespace cq
