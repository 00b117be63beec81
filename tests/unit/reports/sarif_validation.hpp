// Validation of a SARIF document, shared by the unit and end-to-end tests, with two validators
// that both come from npm's @microsoft/sarif-multitool-linux (pinned in package.json, installed
// by `npm ci --ignore-scripts` in scripts/setup.sh; tests/CMakeLists.txt passes the paths):
//  - the published SARIF 2.1.0 JSON schema that the package ships (CQ_SARIF_SCHEMA), checked
//    by json_schema.hpp, in-process and fast;
//  - the SARIF multitool itself (CQ_SARIF_MULTITOOL, a self-contained .NET program): its
//    `validate` command checks the schema (JSON1xxx), the SARIF specification's rules
//    (SARIF1xxx errors, SARIF2xxx warnings) and what GitHub code scanning requires (GH1xxx).
// Missing files are failures, not skips: the project's own set-up installs both.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/unit/reports/json_schema.hpp"

namespace cq::test {

inline constexpr const char* k_npm_hint = "run `npm ci --ignore-scripts` in the source tree (scripts/setup.sh does)";

// The published schema; throws with a hint when npm did not install it.
inline const nlohmann::json& sarif_schema_document() {
    static const nlohmann::json schema = [] {
        std::ifstream in(CQ_SARIF_SCHEMA);
        if (!in) {
            throw std::runtime_error(std::string("SARIF schema not found at ") + CQ_SARIF_SCHEMA + ": " + k_npm_hint);
        }
        return nlohmann::json::parse(in);
    }();
    return schema;
}

// Schema violations of `doc`; empty when it is valid.
inline std::vector<std::string> sarif_schema_errors(const nlohmann::json& doc) {
    static const JsonSchema schema(sarif_schema_document());
    return schema.validate(doc);
}

// Result of one `Sarif.Multitool validate` run.
struct MultitoolVerdict {
    bool ran = false;                   // the tool ran and wrote its log
    std::string failure;                // why it did not run, when !ran
    std::vector<std::string> problems;  // error and warning results, one line each
};

// Runs the multitool on `doc` with the SARIF and GitHub rule kinds. Every error and every
// warning is a problem, except SARIF2005 ("provide informationUri") when the document has no
// informationUri: cq writes no home page it was not given (-DCQ_INFORMATION_URI), and SARIF
// makes the property optional. Notes are not problems.
inline MultitoolVerdict sarif_multitool_validate_text(const std::string& sarif_text) {
    namespace fs = std::filesystem;
    MultitoolVerdict verdict;
    const fs::path tool = CQ_SARIF_MULTITOOL;
    if (!fs::is_regular_file(tool)) {
        verdict.failure = "SARIF multitool not found at " + tool.string() + ": " + k_npm_hint;
        return verdict;
    }
    // npm installs the binary without its execute bit: the package's postinstall (`chmod u+x`)
    // does not run under --ignore-scripts. Do what that script does.
    struct stat st {};
    if (::stat(tool.c_str(), &st) == 0 && (st.st_mode & S_IXUSR) == 0 &&
        ::chmod(tool.c_str(), st.st_mode | S_IXUSR) != 0) {
        verdict.failure = "cannot make " + tool.string() + " executable (chmod u+x it)";
        return verdict;
    }
    static std::atomic<int> counter{0};
    const fs::path dir = fs::temp_directory_path() /
                         ("cq-sarif-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir);
    const fs::path in = dir / "cq.sarif";
    const fs::path out = dir / "validation.sarif";
    std::ofstream(in, std::ios::binary) << sarif_text;
    // Invariant globalization: the tool then needs no ICU library, and validation compares no
    // culture-dependent text.
    const std::string cmd = "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 '" +
                            tool.string() + "' validate '" + in.string() + "' --output '" + out.string() +
                            "' --rule-kind 'Sarif;Gh' 2>&1";
    std::string console;
    int status = -1;
    if (FILE* pipe = popen(cmd.c_str(), "r")) {
        std::array<char, 4096> buf{};
        std::size_t n = 0;
        while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
            console.append(buf.data(), n);
        }
        status = pclose(pipe);
    }
    std::ifstream result_in(out);
    if (!result_in) {
        verdict.failure = "the multitool wrote no log (exit status " + std::to_string(status) + "): " + cmd +
                          "\n" + console.substr(0, 2000);
        fs::remove_all(dir);
        return verdict;
    }
    const auto log = nlohmann::json::parse(result_in, nullptr, false);
    fs::remove_all(dir);
    if (log.is_discarded() || !log.contains("runs") || log["runs"].empty()) {
        verdict.failure = "the multitool's log is not SARIF\n" + console.substr(0, 2000);
        return verdict;
    }
    const auto& run = log["runs"][0];
    if (run.contains("invocations") && !run["invocations"].empty() &&
        !run["invocations"][0].value("executionSuccessful", false)) {
        verdict.failure = "the multitool reports an unsuccessful run\n" + console.substr(0, 2000);
        return verdict;
    }
    verdict.ran = true;
    const auto doc = nlohmann::json::parse(sarif_text, nullptr, false);
    bool has_information_uri = false;
    if (doc.is_object() && doc.contains("runs") && !doc["runs"].empty()) {
        has_information_uri = doc["runs"][0]["tool"]["driver"].contains("informationUri");
    }
    for (const auto& r : run.value("results", nlohmann::json::array())) {
        const std::string level = r.value("level", "warning");
        const std::string rule = r.value("ruleId", "?");
        if (level != "error" && level != "warning") {
            continue;
        }
        if (rule == "SARIF2005" && !has_information_uri) {
            continue;
        }
        std::string where;
        if (r.contains("properties") && r["properties"].contains("jsonPath")) {
            where = r["properties"]["jsonPath"].get<std::string>() + ": ";
        }
        verdict.problems.push_back(level + " " + rule + ": " + where + r["message"].dump());
    }
    return verdict;
}

template <typename Json>
MultitoolVerdict sarif_multitool_validate(const Json& doc) {
    return sarif_multitool_validate_text(doc.dump(2));
}

}  // namespace cq::test
