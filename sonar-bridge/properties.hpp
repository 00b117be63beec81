// What sonar-scanner needs to import cq's report: the analysis parameters, and a project key per
// branch for teams on SonarQube Community (which has no branch analysis) that keep one project
// per branch.
#pragma once

#include <string>
#include <string_view>

namespace cq {

struct SonarProperties {
    std::string report_path = "cq-sonar.json";  // sonar.externalIssuesReportPaths
    std::string project_key;                    // empty: not printed
    std::string branch;                         // empty: one project for all branches
};

// A SonarQube project key made of what it accepts (letters, digits, '-', '_', '.', ':'): any
// other character becomes '-'. A key of digits only gets a "p" prefix.
std::string sanitize_project_key(std::string_view key);

// "<key>-<branch>" with the branch sanitized ("feature/login" -> "feature-login"); the key
// alone when branch is empty.
std::string branch_project_key(std::string_view key, std::string_view branch);

// Java .properties lines (non-ASCII escaped as \uXXXX, backslashes doubled), each ending in
// '\n': sonar.externalIssuesReportPaths, and sonar.projectKey / sonar.projectName when a key is
// given.
std::string sonar_properties_text(const SonarProperties& props);

}  // namespace cq
