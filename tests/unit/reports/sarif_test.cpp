// SARIF 2.1.0: golden file, the published schema (tests/golden/schema/sarif-2.1.0.json, as
// shipped in npm's @microsoft/sarif-multitool-linux 5.7.0, MIT), the properties GitHub code
// scanning relies on, and the SARIF multitool's own validation when it is installed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <map>
#include <set>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/report.hpp"
#include "tests/unit/reports/json_schema.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace fs = std::filesystem;

namespace cq {
namespace {

nlohmann::json load_schema() {
    std::ifstream in(fs::path(CQ_GOLDEN_DIR) / "schema" / "sarif-2.1.0.json");
    return nlohmann::json::parse(in);
}

std::vector<std::string> schema_errors(const nlohmann::json& doc) {
    static const test::JsonSchema schema(load_schema());
    return schema.validate(doc);
}

TEST(SarifExport, MatchesGoldenAndSchema) {
    const ScanResult scan = test::sample_scan();
    const auto doc = to_sarif(scan, test::sample_context());
    const std::string text = doc.dump(2) + "\n";
    test::expect_golden("reports/sample.sarif.json", text);
    for (const auto& e : schema_errors(nlohmann::json::parse(text))) {
        ADD_FAILURE() << e;
    }
}

TEST(SarifExport, SchemaValidatorCatchesMistakes) {
    auto doc = nlohmann::json::parse(to_sarif(test::sample_scan(), test::sample_context()).dump());
    doc["runs"][0]["results"][0]["level"] = "fatal";
    doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
    doc["runs"][0]["tool"]["driver"].erase("name");
    EXPECT_GE(schema_errors(doc).size(), 3u);
}

TEST(SarifExport, WhatGithubCodeScanningReads) {
    const ScanResult scan = test::sample_scan();
    const auto doc = to_sarif(scan, test::sample_context());
    EXPECT_EQ(doc["version"], "2.1.0");
    EXPECT_EQ(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    const auto& run = doc["runs"][0];
    EXPECT_EQ(run["columnKind"], "utf16CodeUnits");
    const auto& rules = run["tool"]["driver"]["rules"];
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        index[rules[i]["id"].get<std::string>()] = i;
        EXPECT_TRUE(rules[i].contains("shortDescription"));
        EXPECT_TRUE(rules[i].contains("fullDescription"));
        EXPECT_TRUE(rules[i]["help"].contains("markdown"));
    }
    const auto& inj = rules[index.at("security/command-injection")];
    const auto tags = inj["properties"]["tags"].dump();
    EXPECT_NE(tags.find("external/cwe/cwe-78"), std::string::npos);
    EXPECT_NE(tags.find("security"), std::string::npos);
    EXPECT_TRUE(inj["properties"].contains("security-severity"));
    std::set<std::string> hashes;
    ASSERT_EQ(run["results"].size(), scan.findings.size());
    for (const auto& r : run["results"]) {
        EXPECT_EQ(r["ruleIndex"].get<std::size_t>(), index.at(r["ruleId"].get<std::string>()));
        EXPECT_TRUE(hashes.insert(r["partialFingerprints"]["primaryLocationLineHash"].get<std::string>()).second);
        if (r["message"]["text"] == "time.sleep(1) runs for every message") {
            const auto& region = r["locations"][0]["physicalLocation"]["region"];
            EXPECT_EQ(region["startColumn"], 23);  // 1-based UTF-16
            EXPECT_EQ(region["endColumn"], 36);
            EXPECT_EQ(r["relatedLocations"].size(), 3u);
        }
        const std::string uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        EXPECT_EQ(uri.find(' '), std::string::npos) << uri;
    }
}

// The SARIF multitool (npm @microsoft/sarif-multitool, a self-contained .NET program) validates
// against the schema and its own rules. It is large (about 100 MB), so it is used when present:
// CQ_SARIF_MULTITOOL=path, or node_modules/.bin/sarif-multitool in the source tree.
TEST(SarifExport, SarifMultitoolValidates) {
    std::string tool;
    if (const char* env = std::getenv("CQ_SARIF_MULTITOOL")) {
        tool = env;
    } else if (fs::exists(fs::path(CQ_SOURCE_DIR) / "node_modules/.bin/sarif-multitool")) {
        tool = (fs::path(CQ_SOURCE_DIR) / "node_modules/.bin/sarif-multitool").string();
    }
    if (tool.empty() || !fs::exists(tool)) {
        GTEST_SKIP() << "SARIF multitool not installed (npm install @microsoft/sarif-multitool, or set "
                        "CQ_SARIF_MULTITOOL); the schema test above still ran";
    }
    const fs::path dir = fs::temp_directory_path() / ("cq-sarif-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path in = dir / "cq.sarif";
    const fs::path out = dir / "validation.sarif";
    std::ofstream(in) << to_sarif(test::sample_scan(), test::sample_context()).dump(2);
    const std::string cmd = "'" + tool + "' validate '" + in.string() + "' --output '" + out.string() +
                            "' >/dev/null 2>&1";
    const int rc = std::system(cmd.c_str());
    ASSERT_TRUE(fs::exists(out)) << "multitool did not run: " << cmd << " rc=" << rc;
    std::ifstream result_in(out);
    const auto result = nlohmann::json::parse(result_in);
    for (const auto& r : result["runs"][0]["results"]) {
        const std::string level = r.value("level", "warning");
        if (level == "error") {
            ADD_FAILURE() << r["ruleId"].get<std::string>() << ": " << r["message"].dump();
        }
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace cq
