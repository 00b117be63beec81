// SARIF 2.1.0: golden file, the published schema, the properties GitHub code scanning relies
// on, and the SARIF multitool's own validation (both from npm: sarif_validation.hpp).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string_view>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"
#include "tests/unit/reports/sarif_validation.hpp"

namespace cq {
namespace {

std::vector<std::string> schema_errors(const nlohmann::json& doc) {
    return test::sarif_schema_errors(doc);
}

TEST(SarifExport, MatchesGoldenAndSchema) {
    const ScanResult scan = test::sample_scan();
    auto doc = to_sarif(scan, test::sample_context());
    const std::string text = doc.dump(2) + "\n";
    // The golden file is the default build's, without -DCQ_INFORMATION_URI.
    doc["runs"][0]["tool"]["driver"].erase("informationUri");
    test::expect_golden("reports/sample.sarif.json", doc.dump(2) + "\n");
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

// tool.driver: name, version and semanticVersion always; informationUri only when cq was
// configured with one (-DCQ_INFORMATION_URI), and the document is valid either way (the
// multitool's test below validates whichever this build writes).
TEST(SarifExport, DriverDescribesTheTool) {
    const auto doc = to_sarif(test::sample_scan(), test::sample_context());
    const auto& driver = doc["runs"][0]["tool"]["driver"];
    EXPECT_EQ(driver["name"], "cq");
    EXPECT_EQ(driver["version"], test::sample_context().version);
    EXPECT_EQ(driver["semanticVersion"], test::sample_context().version);
    if (std::string_view(CQ_INFORMATION_URI).empty()) {
        EXPECT_FALSE(driver.contains("informationUri"));
    } else {
        EXPECT_EQ(driver["informationUri"], CQ_INFORMATION_URI);
    }
    ASSERT_FALSE(driver["rules"].empty());
    for (const auto& rule : driver["rules"]) {
        for (const char* key : {"shortDescription", "fullDescription", "help"}) {
            ASSERT_TRUE(rule.contains(key)) << rule["id"] << " has no " << key;
            EXPECT_FALSE(rule[key]["text"].get<std::string>().empty()) << rule["id"] << " " << key;
        }
        EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty()) << rule["id"];
    }
}

// A rule without title or doc (a stand-in for an id the catalogue does not know) still gets
// non-empty descriptions.
TEST(SarifExport, RuleWithoutDocStillHasDescriptions) {
    ScanResult scan = test::sample_scan();
    scan.findings.front().rule = "team/unknown-rule";
    ReportContext ctx = test::sample_context();
    ctx.include = [](const Finding& f) { return f.rule == "team/unknown-rule"; };
    const auto doc = to_sarif(scan, ctx);
    const auto& rule = doc["runs"][0]["tool"]["driver"]["rules"][0];
    EXPECT_EQ(rule["id"], "team/unknown-rule");
    EXPECT_EQ(rule["shortDescription"]["text"], "team/unknown-rule");
    EXPECT_EQ(rule["fullDescription"]["text"], "team/unknown-rule");
    EXPECT_EQ(rule["help"]["markdown"], "team/unknown-rule");
    for (const auto& e : schema_errors(nlohmann::json::parse(doc.dump()))) {
        ADD_FAILURE() << e;
    }
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

// The SARIF multitool validates the schema, the specification's rules and GitHub's
// requirements. It is pinned in package.json, so it runs everywhere the set-up ran.
TEST(SarifExport, SarifMultitoolValidates) {
    const auto verdict = test::sarif_multitool_validate(to_sarif(test::sample_scan(), test::sample_context()));
    ASSERT_TRUE(verdict.ran) << verdict.failure;
    for (const auto& p : verdict.problems) {
        ADD_FAILURE() << p;
    }
}

// The multitool is a real check: it reports what GitHub would reject.
TEST(SarifExport, SarifMultitoolCatchesMistakes) {
    auto doc = nlohmann::json::parse(to_sarif(test::sample_scan(), test::sample_context()).dump());
    doc["runs"][0]["results"][0].erase("locations");
    doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
    const auto verdict = test::sarif_multitool_validate(doc);
    ASSERT_TRUE(verdict.ran) << verdict.failure;
    std::string all;
    for (const auto& p : verdict.problems) {
        all += p + "\n";
    }
    EXPECT_NE(all.find("JSON1008"), std::string::npos) << all;  // startLine below the schema's minimum
    EXPECT_NE(all.find("GH1015"), std::string::npos) << all;    // GitHub needs locations
}

}  // namespace
}  // namespace cq
