// Custom rules as data (`.cq/rules/*.yaml`, loaded by config/custom_rules.cpp): a pattern that
// finds candidate matches with named captures, constraints on the captures' text, and a message
// that interpolates captures. This file knows nothing of YAML, tree-sitter or RE2: the loader
// injects the matcher (a compiled tree-sitter query) and the constraint tests (RE2 or equality).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace cq::custom {

struct Capture {
    std::string name;
    Range range;
};

struct Match {
    std::vector<Capture> captures;
};

// Finds the candidate matches of one rule in a file. Implementations must be thread-safe.
class Matcher {
public:
    virtual ~Matcher() = default;
    virtual std::vector<Match> find(const FileModel& file) const = 0;
};

// A test on the text of one capture. A match whose capture is absent fails the constraint.
struct Constraint {
    std::string capture;
    std::string description;  // "matches /^print$/", for messages and docs
    std::function<bool(std::string_view text)> test;  // must be thread-safe
};

struct CustomRuleSpec {
    RuleMeta meta;
    std::string message;           // with {{capture}} placeholders
    std::string location_capture;  // the capture the finding points at; "" = the widest one
    std::vector<Constraint> constraints;
    std::map<Language, std::shared_ptr<const Matcher>> matchers;  // one per language it checks
    std::string source_file;       // the YAML file it came from (for messages)
};

class CustomRule final : public FileRule {
public:
    explicit CustomRule(CustomRuleSpec spec) : m_spec(std::move(spec)) {}
    const RuleMeta& meta() const override { return m_spec.meta; }
    const CustomRuleSpec& spec() const { return m_spec; }
    // One finding per match that passes every constraint (matches at the same location are
    // reported once).
    void check(const FileModel& file, const RuleContext& ctx, std::vector<Finding>& out) const override;

private:
    CustomRuleSpec m_spec;
};

// `message` with every {{name}} replaced by that capture's text (whitespace runs collapsed, at
// most 80 bytes); an absent capture leaves an empty string.
std::string interpolate(std::string_view message, const Match& match, const FileModel& file);

// The {{name}} placeholders of a message, in order.
std::vector<std::string> placeholders(std::string_view message);

}  // namespace cq::custom
