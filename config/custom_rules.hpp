// Custom rules as data: `.cq/rules/*.yaml`, each holding one rule or a `rules:` list.
//
//   id: team/no-print                      # category/kebab-name, not a built-in id
//   title: print() in library code          # optional (default: the message)
//   message: "print() of {{arg}} in library code; use logging"
//   severity: minor                        # info, minor, major, critical, blocker
//   languages: [python]                    # python, javascript, typescript, c, cpp
//   query: |                               # a tree-sitter query; @captures
//     (call function: (identifier) @fn arguments: (argument_list (_) @arg)) @call
//   location: call                         # the capture reported (default: the widest)
//   constraints:                           # on captures' text; all must hold
//     fn: {equals: print}                  # equals / not-equals: a string or a list
//     arg: {regex: '^"', not-regex: 'debug'}  # RE2 (linear time), searched anywhere
//   valid: ["log.info('x')"]               # examples with no finding
//   invalid: ["print('x')"]                # examples with at least one finding
//   description: markdown for `cq explain` (optional); cwe: [..]; quality: reliability;
//   clean-code-attribute: CONVENTIONAL; effort-minutes: 5
//
// Loaded rules are registered in the rule registry, so they run, appear in every report and in
// `cq rules`, and can be configured and suppressed like built-in rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq::config {

struct CustomExample {
    std::string code;
    Language language = Language::python;
    bool expect_finding = false;  // an `invalid` example
    int line = 0;                 // where it is written in the rule file (1-based)
};

struct CustomRuleInfo {
    std::string id;
    std::string file;
    int line = 0;
    std::vector<CustomExample> examples;
};

struct CustomRuleSet {
    std::vector<CustomRuleInfo> rules;
    std::vector<std::string> files;  // rule files read, sorted
    std::string hash;                // identity of all rule files' contents ("" when none)
};

// Parses the rules of one file (does not register them). Throws ConfigError naming the file,
// line and column: bad YAML, an unknown key (with a suggestion), a query that does not compile
// (with its position in the file), an unknown capture in a constraint or the message, an
// invalid regular expression.
std::vector<CustomRuleInfo> check_custom_rules(std::string_view text, const std::string& file_name);

// Loads every `*.yaml` / `*.yml` under `dirs` (sorted by name), registers the rules in the
// registry, replacing the rules of any previous call. A missing directory is no error; a rule
// id used twice or equal to a built-in one is. Throws ConfigError.
CustomRuleSet load_custom_rules(const std::vector<std::string>& dirs);

// Removes every rule load_custom_rules registered.
void unregister_custom_rules();

// Runs every example through the engine with only its rule selected. Returns one line per
// mismatch ("FILE:LINE: team/no-print: invalid example produced no finding").
std::vector<std::string> run_examples(const CustomRuleSet& rules);

}  // namespace cq::config
