// The catalogue's invariants: unique ids, complete docs, and a fixture for every language a
// rule claims.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "rules/registry.hpp"

namespace fs = std::filesystem;

TEST(Registry, IdsAreUniqueAndWellFormed) {
    std::set<std::string> ids;
    const std::regex id_form("^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*$");
    for (const cq::Rule* r : cq::Registry::instance().rules()) {
        const auto& m = r->meta();
        EXPECT_TRUE(ids.insert(m.id).second) << "duplicate id " << m.id;
        for (const auto& a : m.aliases) {
            EXPECT_TRUE(ids.insert(a).second) << "alias clashes: " << a;
        }
        EXPECT_TRUE(std::regex_match(m.id, id_form) || m.id.rfind("test/", 0) == 0) << m.id;
    }
}

TEST(Registry, EveryRuleHasDocSectionsAndMetadata) {
    const std::set<std::string> attributes = {"CONVENTIONAL", "FORMATTED", "IDENTIFIABLE", "CLEAR",
                                              "COMPLETE", "EFFICIENT", "LOGICAL", "DISTINCT",
                                              "FOCUSED", "MODULAR", "TESTED", "LAWFUL",
                                              "RESPECTFUL", "TRUSTWORTHY"};
    for (const cq::Rule* r : cq::Registry::instance().rules()) {
        const auto& m = r->meta();
        if (m.id.rfind("test/", 0) == 0) {
            continue;
        }
        for (const char* section : {"## What it finds", "## Why it matters", "## Example",
                                    "## Instead", "## Options"}) {
            EXPECT_NE(m.doc.find(section), std::string::npos) << m.id << " lacks " << section;
        }
        EXPECT_FALSE(m.title.empty()) << m.id;
        EXPECT_NE(m.languages, 0u) << m.id;
        EXPECT_TRUE(attributes.count(m.clean_code_attribute)) << m.id << ": " << m.clean_code_attribute;
        EXPECT_FALSE(m.impacts.empty()) << m.id;
        EXPECT_GE(m.effort_minutes, 0) << m.id;
    }
}

TEST(Registry, EveryRuleHasAFixturePerClaimedLanguage) {
    const std::pair<std::uint32_t, std::pair<const char*, const char*>> langs[] = {
        {cq::lang_mask::python, {"python", ".py"}},
        {cq::lang_mask::javascript, {"javascript", ".js"}},
        {cq::lang_mask::typescript, {"typescript", ".ts"}},
        {cq::lang_mask::c, {"c", ".c"}},
        {cq::lang_mask::cpp, {"cpp", ".cpp"}}};
    for (const cq::Rule* r : cq::Registry::instance().rules()) {
        const auto& m = r->meta();
        if (m.id.rfind("test/", 0) == 0) {
            continue;
        }
        for (const auto& [bit, names] : langs) {
            if ((m.languages & bit) == 0) {
                continue;
            }
            const fs::path fixture = fs::path(CQ_FIXTURE_DIR) / names.first / (m.id + names.second);
            const fs::path tsx = fs::path(CQ_FIXTURE_DIR) / names.first / (m.id + ".tsx");
            EXPECT_TRUE(fs::exists(fixture) || fs::exists(tsx)) << m.id << ": missing " << fixture;
        }
    }
}
