// Writers of a scan's results. Each takes a finished ScanResult and writes a whole document;
// output order is the ScanResult's (deterministic), with no timestamps.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/engine/engine.hpp"
#include "sonar-bridge/generic_issues.hpp"
#include "sonar-bridge/rule_catalog.hpp"

namespace cq {

struct TextOptions {
    bool color = false;
    bool show_notes = true;  // parse diagnostics, skipped files, syntactic fallback
    bool show_suppressed = false;  // list ScanResult::suppressed, marked "(suppressed)"
};

// Compiler-style lines `path:line:col: severity: message [rule]`, then a summary.
void write_text(std::ostream& out, const ScanResult& scan, const TextOptions& options);

// The JSON document of the README ("JSON output"): tool, summary, files with every function,
// duplication, issues.
// `show_suppressed` adds a "suppressed" array (issue objects) after "issues".
nlohmann::ordered_json to_json(const ScanResult& scan, const std::string& version, bool show_suppressed = false);
// The same document written to `out` (with a final newline), byte for byte what
// to_json(...).dump(2) gives, but built one file and one issue at a time: a scan of 60,000
// functions does not hold its whole document in memory.
void write_json(std::ostream& out, const ScanResult& scan, const std::string& version, bool show_suppressed = false);

struct ReportContext;

// SARIF 2.1.0 for GitHub code scanning (columnKind utf16CodeUnits, 1-based columns).
nlohmann::ordered_json to_sarif(const ScanResult& scan, const ReportContext& ctx);
// GitLab Code Quality: the CodeClimate issue subset that merge requests show.
nlohmann::ordered_json to_codeclimate(const ScanResult& scan, const ReportContext& ctx);
// A summary for a pull-request comment or a CI job summary.
void write_markdown(std::ostream& out, const ScanResult& scan, const ReportContext& ctx);
// One self-contained HTML page (inline CSS, JS and SVG; nothing loaded from elsewhere).
void write_html(std::ostream& out, const ScanResult& scan, const ReportContext& ctx);

// Lines of the whole scan (physical) and ncloc.
std::uint64_t total_lines(const ScanResult& scan);
std::uint64_t total_ncloc(const ScanResult& scan);

}  // namespace cq

namespace cq {

// One scan in the history, for trend charts (filled from the SQLite history by the caller).
struct TrendPoint {
    std::int64_t scan_id = 0;
    std::string branch;
    std::string commit;
    std::string time;  // ISO 8601 UTC
    std::uint64_t issues = 0;
    std::uint64_t issues_by_severity[5] = {0, 0, 0, 0, 0};  // info..blocker
    std::uint64_t ncloc = 0;
    double duplication_density = 0.0;
    std::uint64_t functions_over_threshold = 0;  // complexity findings
};

// Everything a writer may need beyond the scan itself.
struct ReportContext {
    std::string version;
    bool color = false;
    std::vector<TrendPoint> trends;  // oldest first; empty when there is no history
    // Rule metadata for rule tables (SARIF rules[], Sonar rules[], HTML); empty: the registry.
    // Tests inject their own so that golden files do not follow rule docs.
    RuleLookup rules;
    // Which findings the exporters write (for example only new code, from the gate); empty: all.
    std::function<bool(const Finding&)> include;
    // SonarQube: `--sonar-format legacy` for servers before 10.3, INFO/BLOCKER impact
    // severities for servers that know them, and sonar.projectBaseDir when it is not the root.
    SonarFormat sonar_format = SonarFormat::current;
    ImpactRange sonar_impacts = ImpactRange::standard;
    std::string sonar_base_dir;
    // List the findings that inline suppressions cover (ScanResult::suppressed) as well.
    bool show_suppressed = false;
};

// The SonarQube writer's options that a ReportContext carries.
SonarOptions sonar_options(const ReportContext& ctx);

// A report format: name (as given to --format), and the writer.
struct ReportFormat {
    std::string name;
    std::string description;
    void (*write)(std::ostream& out, const ScanResult& scan, const ReportContext& ctx);
};

// All formats, in the order `--help` lists them. Add a format by adding a writer here
// (reports/formats.cpp); the CLI takes its list from this function.
const std::vector<ReportFormat>& report_formats();
const ReportFormat* find_report_format(const std::string& name);

}  // namespace cq
