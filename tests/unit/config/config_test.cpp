// .cq.yaml: parsing, validation messages (file:line:col and a suggestion), merging under flags.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;
using cq::config::ConfigError;
using cq::config::parse_config;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        parse_config(yaml, "cq.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

fs::path temp_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("cq_config_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

}  // namespace

TEST(Config, EmptyFileIsTheDefaults) {
    const auto c = parse_config("", "cq.yaml");
    EXPECT_TRUE(c.include.empty());
    EXPECT_TRUE(c.rules.options.empty());
    EXPECT_EQ(c.custom_rule_dirs, std::vector<std::string>{".cq/rules"});
}

TEST(Config, DefaultTextParsesToTheDefaults) {
    const auto c = parse_config(cq::config::default_config_text(), "cq.yaml");
    EXPECT_TRUE(c.include.empty());
    EXPECT_TRUE(c.exclude.empty());
    EXPECT_TRUE(c.rules.disabled.empty());
    EXPECT_TRUE(c.rules.options.empty());
    EXPECT_TRUE(c.rules.severities.empty());
    EXPECT_FALSE(c.gate.fail_on_new.has_value());
}

TEST(Config, UnknownTopLevelKeyNamesLineAndSuggests) {
    EXPECT_EQ(error_of("version: 1\nexlude: [a]\n"), "cq.yaml:2:1: unknown key 'exlude' (did you mean 'exclude'?)");
}

TEST(Config, UnknownRuleSuggestsTheClosestId) {
    const std::string e = error_of("rules:\n  complexity/cognitiv:\n    threshold: 3\n");
    EXPECT_EQ(e, "cq.yaml:2:3: unknown key 'complexity/cognitiv' in rules (did you mean 'complexity/cognitive'?)");
}

TEST(Config, UnknownOptionSuggestsFromRuleMeta) {
    const std::string e = error_of("rules:\n  complexity/cognitive:\n    treshold: 3\n");
    EXPECT_NE(e.find("cq.yaml:3:5: unknown key 'treshold'"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'threshold'?"), std::string::npos) << e;
}

TEST(Config, WrongTypesAreErrors) {
    EXPECT_NE(error_of("rules:\n  complexity/cognitive:\n    threshold: high\n")
                  .find("cq.yaml:3:16: option 'threshold' of complexity/cognitive must be a whole number"),
              std::string::npos);
    EXPECT_NE(error_of("include: {a: b}\n").find("cq.yaml:1:10: include must be a list of strings"), std::string::npos);
    EXPECT_NE(error_of("rules:\n  complexity/nesting:\n    severity: huge\n").find("cq.yaml:3:15: severity must be"),
              std::string::npos);
    EXPECT_NE(error_of("gate:\n  complexity: maybe\n").find("cq.yaml:2:15: gate.complexity must be true or false"),
              std::string::npos);
    EXPECT_NE(error_of("max-file-size: lots\n").find("cq.yaml:1:16: max-file-size must be a size"), std::string::npos);
    EXPECT_NE(error_of("version: 2\n").find("unsupported configuration version"), std::string::npos);
    EXPECT_NE(error_of("- a\n- b\n").find("must be a mapping"), std::string::npos);
}

TEST(Config, InvalidYamlNamesThePosition) {
    const std::string e = error_of("rules:\n  a: [1, 2\n");
    EXPECT_EQ(e.rfind("cq.yaml:", 0), 0u) << e;
    EXPECT_NE(e.find("not valid YAML"), std::string::npos) << e;
}

TEST(Config, RulesOptionsSeveritiesAndCategories) {
    const auto c = parse_config(R"(
rules:
  only: [complexity]
  disable: [complexity/nesting]
  complexity: minor
  complexity/cognitive: {threshold: 20, severity: critical}
  complexity/parameters: off
max-file-size: 1MiB
)", "cq.yaml");
    EXPECT_EQ(c.rules.only, std::vector<std::string>{"complexity"});
    EXPECT_EQ(c.rules.options.at("complexity/cognitive").at("threshold"), "20");
    EXPECT_EQ(c.rules.severities.at("complexity/cognitive"), cq::Severity::critical);
    EXPECT_EQ(c.rules.severities.at("complexity/cyclomatic"), cq::Severity::minor);
    EXPECT_NE(std::find(c.rules.disabled.begin(), c.rules.disabled.end(), "complexity/parameters"), c.rules.disabled.end());
    EXPECT_EQ(*c.max_file_size, 1024u * 1024u);
}

TEST(Config, HotPathsMapOntoEveryRuleThatDeclaresTheOption) {
    const auto c = parse_config("hot-paths:\n  handler-names: [on_event, handle]\n", "cq.yaml");
    std::size_t rules = 0;
    for (const cq::Rule* r : cq::Registry::instance().rules()) {
        for (const auto& o : r->meta().options) {
            if (o.name == "handler-names") {
                ++rules;
                EXPECT_EQ(c.rules.options.at(r->meta().id).at("handler-names"), "on_event,handle");
            }
        }
    }
    EXPECT_GT(rules, 0u) << "no latency rule declares handler-names any more";
    EXPECT_NE(error_of("hot-paths:\n  handler-name: [x]\n").find("did you mean 'handler-names'?"), std::string::npos);
}

TEST(Config, ApplyMergesUnderTheFlags) {
    auto c = parse_config(R"(
include: ["src/**"]
exclude: ["build/**"]
paths: {vendored: ["vendor/**"], generated: ["gen/**"]}
rules:
  disable: [duplication]
  complexity/cognitive: {threshold: 20, severity: minor}
max-file-size: 1000
)", "cq.yaml");
    cq::ScanOptions o;
    o.exclude = {"x/**"};
    o.rules.options["complexity/cognitive"]["threshold"] = "30";  // from --set: wins
    cq::config::apply(c, o);
    EXPECT_EQ(o.include, std::vector<std::string>{"src/**"});
    EXPECT_EQ(o.exclude, (std::vector<std::string>{"x/**", "build/**", "gen/**", "vendor/**"}));
    EXPECT_EQ(o.rules.options["complexity/cognitive"]["threshold"], "30");
    EXPECT_EQ(o.rules.severities["complexity/cognitive"], cq::Severity::minor);
    EXPECT_EQ(o.rules.disabled, std::vector<std::string>{"duplication"});
    EXPECT_EQ(o.max_file_bytes, 1000u);
}

TEST(Config, FoundByWalkingUp) {
    const fs::path d = temp_dir("walk");
    fs::create_directories(d / "a" / "b");
    std::ofstream(d / ".cq.yaml") << "version: 1\n";
    EXPECT_EQ(fs::path(cq::config::find_config((d / "a" / "b").string())), fs::canonical(d) / ".cq.yaml");
    const auto c = cq::config::load_project("", (d / "a" / "b").string());
    EXPECT_EQ(fs::path(c.project_dir), fs::canonical(d));
    fs::remove_all(d);
}

TEST(Config, ExplicitMissingFileIsAnError) {
    EXPECT_THROW(cq::config::load_project("/nonexistent/cq.yaml", "."), ConfigError);
}

TEST(Config, EditDistanceSuggestions) {
    EXPECT_EQ(cq::config::edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(cq::config::closest("exlude", {"include", "exclude"}), "exclude");
    EXPECT_EQ(cq::config::closest("zzzzzz", {"include", "exclude"}), "");
}
