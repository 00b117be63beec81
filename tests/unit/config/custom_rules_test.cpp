// Custom rules as data: loading, errors with positions, matching with constraints, examples.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer/engine/baseline.hpp"
#include "analyzer/engine/engine.hpp"
#include "config/config.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace {

const char* k_rule = R"yaml(id: team/no-print
message: "print() of {{arg}}"
severity: minor
languages: [python]
query: |
  (call function: (identifier) @fn arguments: (argument_list (_) @arg)) @call
location: call
constraints:
  fn: {equals: [print, pprint]}
  arg: {not-regex: '^debug'}
valid:
  - "log.info('x')"
  - "print(debug_value)"
invalid:
  - "print('x')"
  - {language: python, code: "pprint(1)"}
)yaml";

std::string error_of(const std::string& yaml) {
    try {
        cq::config::check_custom_rules(yaml, "r.yaml");
    } catch (const cq::config::ConfigError& e) {
        return e.what();
    }
    return "";
}

class CustomRules : public testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("cq_custom_rules_" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        cq::config::unregister_custom_rules();
        fs::remove_all(m_dir);
    }
    void write(const std::string& name, const std::string& text) { std::ofstream(m_dir / name) << text; }
    fs::path m_dir;
};

}  // namespace

TEST_F(CustomRules, LoadRegisterMatchAndRunExamples) {
    write("print.yaml", k_rule);
    const auto set = cq::config::load_custom_rules({m_dir.string()});
    ASSERT_EQ(set.rules.size(), 1u);
    EXPECT_FALSE(set.hash.empty());
    const cq::Rule* rule = cq::Registry::instance().find("team/no-print");
    ASSERT_NE(rule, nullptr);
    EXPECT_NE(rule->meta().doc.find("## What it finds"), std::string::npos);
    cq::RuleSelection sel;
    sel.only = {"team/no-print"};
    const auto r = cq::analyze_source("a.py", "print('hello   world')\nprint(debug_x)\nlog(1)\n", sel);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].message, "print() of 'hello world'");
    EXPECT_EQ(r.findings[0].range.start_line, 1u);
    EXPECT_EQ(r.findings[0].range.start_column, 1u);
    EXPECT_EQ(r.findings[0].severity, cq::Severity::minor);
    EXPECT_TRUE(cq::config::run_examples(set).empty());
    // reloading replaces, never duplicates
    cq::config::load_custom_rules({m_dir.string()});
    std::size_t n = 0;
    for (const auto* x : cq::Registry::instance().rules()) {
        n += x->meta().id == "team/no-print" ? 1 : 0;
    }
    EXPECT_EQ(n, 1u);
}

TEST_F(CustomRules, ExampleMismatchIsReported) {
    std::string bad = k_rule;
    bad.replace(bad.find("  - \"log.info('x')\""), 19, "  - \"print('oops')\"");
    write("print.yaml", bad);
    const auto set = cq::config::load_custom_rules({m_dir.string()});
    const auto failures = cq::config::run_examples(set);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("print.yaml:12: team/no-print: valid example produced 1 finding"), std::string::npos)
        << failures[0];
}

TEST_F(CustomRules, BuiltInIdOrDuplicateIsAnError) {
    std::string dup = k_rule;
    write("a.yaml", dup);
    write("b.yaml", dup);
    EXPECT_THROW(cq::config::load_custom_rules({m_dir.string()}), cq::config::ConfigError);
    fs::remove(m_dir / "b.yaml");
    std::string builtin = k_rule;
    builtin.replace(0, 17, "id: complexity/nesting");
    write("a.yaml", builtin);
    EXPECT_THROW(cq::config::load_custom_rules({m_dir.string()}), cq::config::ConfigError);
}

TEST(CustomRuleErrors, BrokenQueryNamesFileLineAndColumn) {
    const std::string e = error_of(R"(id: team/x
message: m
languages: [python]
query: |
  (call
     function: (no_such_node) @fn)
)");
    EXPECT_EQ(e.rfind("r.yaml:6:17: query of rule 'team/x' does not compile: invalid node type 'no_such_node'", 0), 0u)
        << e;
    const std::string syntax = error_of("id: team/x\nmessage: m\nlanguages: [python]\nquery: \"(call @c\"\n");
    EXPECT_NE(syntax.find("r.yaml:4:"), std::string::npos) << syntax;
    EXPECT_NE(syntax.find("syntax"), std::string::npos) << syntax;
}

// cq rejects unknown fields itself (tree-sitter 0.20.7 leaks on that error); the check must not
// mistake a comment, a string, a quantifier or an anchor next to a real field for a field.
TEST(CustomRuleErrors, UnknownFieldIsReportedWithoutRejectingValidQueries) {
    const std::string e = error_of(R"(id: team/x
message: m
languages: [python]
query: |
  (call
     nosuch: (identifier) @fn)
)");
    EXPECT_EQ(e.rfind("r.yaml:6:6: query of rule 'team/x' does not compile: invalid field 'nosuch'", 0), 0u) << e;
    EXPECT_EQ(error_of(R"(id: team/x
message: m
languages: [python]
query: |
  ((call ; note: a comment
     function: (identifier) @fn
     (argument_list)?arguments: (argument_list)) @c
   (#eq? @fn "x: y"))
)"),
              "");
    EXPECT_EQ(error_of("id: team/x\nmessage: m\nlanguages: [javascript]\n"
                       "query: '(call_expression . function: (identifier) @fn)'\n"),
              "");
}

// tree-sitter 0.20.7 hangs or crashes on a quantifier over a pattern that can already match
// nothing (found by the custom-rule fuzzer); cq rejects those and compiles the useful ones.
TEST(CustomRuleErrors, StackedQuantifiersAreRejectedNotCompiled) {
    const auto rule = [](const std::string& q) {
        return "id: team/x\nmessage: m\nlanguages: [python]\nquery: |\n  " + q + "\n";
    };
    for (const char* q : {"(identifier)**", "(identifier)?*", "(identifier)*?", "((identifier)?)+",
                          "(call ((identifier)* @a)*)", "(call function: (identifier)? @f*)",
                          "(call ((identifier)? . (string)?)+)", "(call (_)*?)", "_?" "?", "(call ___?" "?)",
                          "(call ***)"}) {
        const std::string e = error_of(rule(q));
        EXPECT_NE(e.find("on a pattern that can already match nothing"), std::string::npos) << q << ": " << e;
    }
    for (const char* q : {"(identifier)* @a", "((identifier)+)* @a", "(call (identifier)* @a (string)*)",
                          "(call [(identifier)? (string)]* @a)", "(call ((identifier) @a (string)?)*)",
                          "(call function: (identifier)? @f arguments: (argument_list)+)", "(call _? @a)",
                          "(call (_)* @a)"}) {
        EXPECT_EQ(error_of(rule(q)), "") << q;
    }
    std::string chain;
    for (int i = 0; i < 5000; ++i) {
        chain += "function: ";
    }
    EXPECT_NE(error_of(rule("(call " + chain + "(identifier))")).find("nested more than"), std::string::npos);
}

TEST(CustomRuleErrors, ConstraintsAndMessagesAreChecked) {
    const std::string head = "id: team/x\nlanguages: [python]\nquery: \"(identifier) @name\"\n";
    EXPECT_NE(error_of(head + "message: \"{{nmae}}\"\n").find("did you mean 'name'?"), std::string::npos);
    EXPECT_NE(error_of(head + "message: m\nconstraints:\n  name: {regex: '(a'}\n").find("r.yaml:6:17: invalid regular expression"),
              std::string::npos);
    EXPECT_NE(error_of(head + "message: m\nconstraints:\n  name: {regexp: 'a'}\n").find("did you mean 'regex'?"),
              std::string::npos);
    EXPECT_NE(error_of(head + "message: m\nseverty: minor\n").find("did you mean 'severity'?"), std::string::npos);
    EXPECT_NE(error_of(head + "message: m\nquery: \"(identifier) @name (#match? @name \\\"x\\\")\"\n").find("#match?"),
              std::string::npos);
    EXPECT_NE(error_of("id: team/x\nmessage: m\nlanguages: [cobol]\nquery: \"(x)\"\n").find("unknown language 'cobol'"),
              std::string::npos);
    EXPECT_NE(error_of("id: Team X\nmessage: m\n").find("category/kebab-name"), std::string::npos);
}

TEST(CustomRuleErrors, EqPredicateIsEvaluated) {
    const auto infos = cq::config::check_custom_rules(
        "id: team/x\nmessage: m\nlanguages: [python]\nquery: '((identifier) @n (#eq? @n \"foo\"))'\n", "r.yaml");
    EXPECT_EQ(infos.size(), 1u);
}

TEST(Baseline, WriteReadFilter) {
    cq::Finding a;
    a.rule = "x/y";
    a.path = "a.py";
    a.fingerprint = "f1";
    cq::Finding b = a;
    b.fingerprint = "f2";
    std::ostringstream out;
    cq::write_baseline(out, {a});
    const fs::path p = fs::temp_directory_path() / ("cq_baseline_" + std::to_string(::getpid()) + ".json");
    std::ofstream(p) << out.str();
    const auto fps = cq::read_baseline(p.string());
    EXPECT_EQ(fps, std::set<std::string>{"f1"});
    std::vector<cq::Finding> fs{a, b};
    EXPECT_EQ(cq::filter_baseline(fs, fps), 1u);
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].fingerprint, "f2");
    std::ofstream(p) << "{\"tool\": \"other\"}";
    EXPECT_THROW(cq::read_baseline(p.string()), cq::UsageError);
    std::ofstream(p) << "not json";
    EXPECT_THROW(cq::read_baseline(p.string()), cq::UsageError);
    fs::remove(p);
}
