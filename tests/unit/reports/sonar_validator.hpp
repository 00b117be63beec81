// SonarQube's own checks of a generic external issue report, re-implemented for the tests: what
// sonar-scanner's ExternalIssueReportValidator rejects (mandatory fields, duplicate rule ids,
// undeclared ruleIds, deprecated fields in the new format), what the importer's enum parsing
// rejects (cleanCodeAttribute, softwareQuality, impact severity, legacy severity and type), and
// what DefaultInputFile rejects when a range is built (line outside the file, offset past the
// line's length, start not before end), counting lines and columns the way SonarQube does:
// Java chars (UTF-16 code units), lines ended by CRLF, LF or CR, a BOM not counted.
//
// It shares no code with the exporter: UTF-16 comes from iconv, lines are split here.
// On top of SonarQube's checks it enforces cq's stricter contract (design.md §5): no column on an
// empty line, columns given in pairs, paths relative with '/'.
#pragma once

#include <iconv.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cq::test {

struct SonarValidation {
    bool allow_extended_impacts = false;  // INFO and BLOCKER
    // The content of a file by its report path, or nullopt when SonarQube would not index it.
    std::function<std::optional<std::string>(const std::string&)> content;
};

// Line lengths in UTF-16 code units as SonarQube's FileMetadata computes them.
inline std::vector<std::size_t> sonar_line_lengths(const std::string& utf8) {
    std::u16string text;
    if (!utf8.empty()) {
        iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
        std::string in = utf8;
        std::string out(in.size() * 4 + 8, '\0');
        char* inp = in.data();
        char* outp = out.data();
        std::size_t inleft = in.size();
        std::size_t outleft = out.size();
        while (inleft > 0) {
            if (iconv(cd, &inp, &inleft, &outp, &outleft) == static_cast<std::size_t>(-1)) {
                // Invalid byte: SonarQube's decoder writes U+FFFD; do the same and go on.
                ++inp;
                --inleft;
                *outp++ = static_cast<char>(0xFD);
                *outp++ = static_cast<char>(0xFF);
                outleft -= 2;
            }
        }
        iconv_close(cd);
        const std::size_t bytes = out.size() - outleft;
        for (std::size_t i = 0; i + 1 < bytes; i += 2) {
            text.push_back(static_cast<char16_t>(static_cast<unsigned char>(out[i]) |
                                                 (static_cast<unsigned char>(out[i + 1]) << 8)));
        }
    }
    if (!text.empty() && text[0] == u'\uFEFF') {
        text.erase(0, 1);
    }
    std::vector<std::size_t> lengths;
    std::size_t current = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == u'\r' || text[i] == u'\n') {
            lengths.push_back(current);
            current = 0;
            if (text[i] == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
                ++i;
            }
        } else {
            ++current;
        }
    }
    lengths.push_back(current);
    return lengths;
}

// Every problem found, as readable strings; empty when SonarQube would accept the report.
inline std::vector<std::string> validate_sonar_report(const nlohmann::json& report, const SonarValidation& v) {
    std::vector<std::string> errors;
    auto fail = [&](const std::string& where, const std::string& what) { errors.push_back(where + ": " + what); };
    auto non_empty_string = [](const nlohmann::json& obj, const char* key) {
        return obj.is_object() && obj.contains(key) && obj[key].is_string() && !obj[key].get<std::string>().empty();
    };
    auto one_of = [](const nlohmann::json& value, const std::set<std::string>& allowed) {
        return value.is_string() && allowed.count(value.get<std::string>()) > 0;
    };
    if (!report.is_object() || !report.contains("issues") || !report["issues"].is_array()) {
        fail("report", "invalid report detected (no issues array)");
        return errors;
    }
    const bool current = report.contains("rules");
    std::set<std::string> rule_ids;
    if (current) {
        if (!report["rules"].is_array()) {
            fail("report", "rules is not an array");
            return errors;
        }
        const std::set<std::string> attributes = {"CONVENTIONAL", "FORMATTED",  "IDENTIFIABLE", "CLEAR",
                                                  "COMPLETE",     "EFFICIENT",  "LOGICAL",      "DISTINCT",
                                                  "FOCUSED",      "MODULAR",    "TESTED",       "LAWFUL",
                                                  "RESPECTFUL",   "TRUSTWORTHY"};
        std::set<std::string> severities = {"LOW", "MEDIUM", "HIGH"};
        if (v.allow_extended_impacts) {
            severities.insert("INFO");
            severities.insert("BLOCKER");
        }
        for (std::size_t i = 0; i < report["rules"].size(); ++i) {
            const auto& rule = report["rules"][i];
            const std::string where = "rules[" + std::to_string(i) + "]";
            for (const char* key : {"id", "name", "engineId"}) {
                if (!non_empty_string(rule, key)) {
                    fail(where, std::string("missing mandatory field '") + key + "'");
                }
            }
            if (!rule.contains("cleanCodeAttribute") || !one_of(rule["cleanCodeAttribute"], attributes)) {
                fail(where, "cleanCodeAttribute missing or not one of SonarQube's attributes");
            }
            if (!rule.contains("impacts") && !rule.contains("type")) {
                fail(where, "either type, impacts or both should be provided");
            }
            if (rule.contains("impacts")) {
                if (!rule["impacts"].is_array() || rule["impacts"].empty()) {
                    fail(where, "mandatory array 'impacts' not populated");
                } else {
                    std::set<std::string> qualities;
                    for (const auto& impact : rule["impacts"]) {
                        if (!one_of(impact.value("softwareQuality", nlohmann::json()),
                                    {"MAINTAINABILITY", "RELIABILITY", "SECURITY"})) {
                            fail(where, "impact softwareQuality not MAINTAINABILITY/RELIABILITY/SECURITY");
                        } else if (!qualities.insert(impact["softwareQuality"].get<std::string>()).second) {
                            fail(where, "two impacts on one software quality");
                        }
                        if (!one_of(impact.value("severity", nlohmann::json()), severities)) {
                            fail(where, "impact severity " + impact.value("severity", nlohmann::json()).dump() +
                                            " not accepted");
                        }
                    }
                }
            }
            if (rule.contains("type") != rule.contains("severity")) {
                fail(where, "type and severity go together");
            }
            if (rule.contains("id") && rule["id"].is_string() && !rule_ids.insert(rule["id"].get<std::string>()).second) {
                fail(where, "found duplicate rule ID '" + rule["id"].get<std::string>() + "'");
            }
        }
    }
    auto check_range = [&](const std::string& where, const nlohmann::json& loc, bool range_required) {
        if (!non_empty_string(loc, "filePath")) {
            fail(where, "missing mandatory field 'filePath'");
            return;
        }
        if (!loc.contains("message") || !loc["message"].is_string()) {
            if (!range_required) {
                fail(where, "missing mandatory field 'message'");
            }
        }
        const std::string path = loc["filePath"].get<std::string>();
        if (path.find('\\') != std::string::npos || path[0] == '/' || path.rfind("./", 0) == 0 ||
            path.rfind("../", 0) == 0 || path.find("/../") != std::string::npos) {
            fail(where, "filePath '" + path + "' is not a clean relative path with '/'");
        }
        const auto content = v.content ? v.content(path) : std::nullopt;
        if (!content) {
            fail(where, "file '" + path + "' is not in the project");
            return;
        }
        if (!loc.contains("textRange")) {
            if (range_required) {
                fail(where, "missing mandatory field 'textRange'");
            }
            return;
        }
        const auto& r = loc["textRange"];
        if (!r.is_object() || !r.contains("startLine") || !r["startLine"].is_number_integer()) {
            fail(where, "missing mandatory field 'startLine of the text range'");
            return;
        }
        const auto lengths = sonar_line_lengths(*content);
        const long long lines = static_cast<long long>(lengths.size());
        const long long start_line = r["startLine"].get<long long>();
        if (start_line < 1 || start_line > lines) {
            fail(where, path + ": " + std::to_string(start_line) + " is not a valid line for a file with " +
                            std::to_string(lines) + " lines");
            return;
        }
        if (r.contains("startColumn") != r.contains("endColumn")) {
            fail(where, "startColumn and endColumn must be given together");
            return;
        }
        if (!r.contains("startColumn")) {
            if (r.contains("endLine")) {
                fail(where, "endLine without columns");
            }
            return;  // whole line: SonarQube's selectLine accepts any existing line
        }
        const long long end_line = r.value("endLine", start_line);
        if (end_line < start_line || end_line > lines) {
            fail(where, path + ": endLine " + std::to_string(end_line) + " is not valid");
            return;
        }
        const long long sc = r["startColumn"].get<long long>();
        const long long ec = r["endColumn"].get<long long>();
        const long long slen = static_cast<long long>(lengths[static_cast<std::size_t>(start_line - 1)]);
        const long long elen = static_cast<long long>(lengths[static_cast<std::size_t>(end_line - 1)]);
        if (sc < 0 || sc > slen) {
            fail(where, path + ": " + std::to_string(sc) + " is not a valid line offset for pointer. Line " +
                            std::to_string(start_line) + " has " + std::to_string(slen) + " character(s)");
        }
        if (ec < 0 || ec > elen) {
            fail(where, path + ": " + std::to_string(ec) + " is not a valid line offset for pointer. Line " +
                            std::to_string(end_line) + " has " + std::to_string(elen) + " character(s)");
        }
        if (!(start_line < end_line || sc < ec)) {
            fail(where, path + ": Start pointer should be before end pointer");
        }
        if (slen == 0 || elen == 0) {
            fail(where, path + ": a column on an empty line");
        }
    };
    for (std::size_t i = 0; i < report["issues"].size(); ++i) {
        const auto& issue = report["issues"][i];
        const std::string where = "issues[" + std::to_string(i) + "]";
        if (!non_empty_string(issue, "ruleId")) {
            fail(where, "missing mandatory field 'ruleId'");
        }
        if (current) {
            if (issue.contains("ruleId") && issue["ruleId"].is_string() && !rule_ids.count(issue["ruleId"].get<std::string>())) {
                fail(where, "rule with '" + issue["ruleId"].get<std::string>() + "' not present");
            }
            if (issue.contains("severity") || issue.contains("type")) {
                fail(where, "deprecated 'severity'/'type' field in the new format");
            }
        } else {
            if (!non_empty_string(issue, "engineId")) {
                fail(where, "missing mandatory field 'engineId'");
            }
            if (!one_of(issue.value("severity", nlohmann::json()), {"BLOCKER", "CRITICAL", "MAJOR", "MINOR", "INFO"})) {
                fail(where, "severity missing or invalid");
            }
            if (!one_of(issue.value("type", nlohmann::json()), {"BUG", "VULNERABILITY", "CODE_SMELL"})) {
                fail(where, "type missing or invalid");
            }
        }
        if (issue.contains("effortMinutes") &&
            (!issue["effortMinutes"].is_number_integer() || issue["effortMinutes"].get<long long>() < 0)) {
            fail(where, "effortMinutes must be an integer >= 0");
        }
        if (!issue.contains("primaryLocation") || !issue["primaryLocation"].is_object()) {
            fail(where, "missing mandatory field 'primaryLocation'");
            continue;
        }
        check_range(where + ".primaryLocation", issue["primaryLocation"], false);
        if (issue.contains("secondaryLocations")) {
            for (std::size_t k = 0; k < issue["secondaryLocations"].size(); ++k) {
                check_range(where + ".secondaryLocations[" + std::to_string(k) + "]", issue["secondaryLocations"][k], true);
            }
        }
    }
    return errors;
}

}  // namespace cq::test
