// Project configuration: `.cq.yaml`, found by walking up from the scan root (or given with
// --config), and the custom rules under `.cq/rules/*.yaml` next to it. Everything is validated
// when loaded: an unknown key or a value of the wrong type is a ConfigError naming the file, the
// line and the column, with a "did you mean" suggestion. The CLI maps ConfigError to exit 2.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/engine.hpp"
#include "config/custom_rules.hpp"

namespace cq::config {

class ConfigError : public UsageError {
public:
    using UsageError::UsageError;
};

inline constexpr const char* k_config_file_name = ".cq.yaml";

// Path roles: globs (as --include / --exclude take them) that say what a file is.
struct PathRoles {
    std::vector<std::string> tests;      // test code: not hot paths (rules' `test-paths` option)
    std::vector<std::string> generated;  // not analyzed
    std::vector<std::string> vendored;   // not analyzed
};

// The `gate:` section; unset fields keep `cq gate`'s defaults (and its flags win).
struct GateSettings {
    std::optional<std::string> fail_on_new;        // a severity or "none"
    std::optional<double> max_new_duplication;     // percent; negative: off
    std::optional<std::uint64_t> min_new_lines;
    std::optional<bool> complexity;
};

// The `sonar:` section; unset fields keep the exporters' defaults (and their flags win).
struct SonarSettings {
    std::optional<std::string> format;  // "current" or "legacy"
    std::optional<bool> extended_impacts;
    std::optional<std::string> project_base_dir;
    std::optional<std::string> project_key;
};

struct Config {
    std::string path;     // the file read; empty when there is none (defaults)
    std::string project_dir;  // the directory custom-rule directories are relative to
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::optional<std::uint64_t> max_file_size;
    PathRoles roles;
    RuleSelection rules;  // only / disabled / options / severities, validated against the registry
    GateSettings gate;
    SonarSettings sonar;
    std::vector<std::string> custom_rule_dirs = {".cq/rules"};  // relative to project_dir
    CustomRuleSet custom;  // filled by load_project
};

// The nearest `.cq.yaml` in `start_dir` or one of its parents, or "" when there is none.
std::string find_config(const std::string& start_dir);

// Parses configuration text. `file_name` is used in messages. Throws ConfigError.
Config parse_config(std::string_view text, const std::string& file_name);

// Reads and parses a file. Throws ConfigError when it cannot be read or is invalid.
Config load_config(const std::string& path);

// What a command uses: the configuration at `explicit_path` (--config) or the nearest
// `.cq.yaml` walking up from `scan_root` (none: the defaults, project_dir = scan_root), with its
// custom rules loaded and registered first (so that the `rules:` section can name them).
// Throws ConfigError.
Config load_project(const std::string& explicit_path, const std::string& scan_root);

// Merges the configuration under `options`: the custom rules' identity goes into the rule
// options (so the history's config hash and the incremental cache follow edits to them), globs and disabled rules are added, rule options and
// severities already set (from command-line flags) win, `only` applies when no --rules was given,
// max-file-size applies when the option is still at its default. Generated and vendored paths
// become excludes; test paths become the `test-paths` option of every rule that declares one.
void apply(const Config& config, ScanOptions& options);

// The commented default `.cq.yaml` that `cq init` writes; it parses to the defaults.
std::string default_config_text();

// Edit distance, and the closest candidate within a small distance (empty when none is close).
std::size_t edit_distance(std::string_view a, std::string_view b);
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cq::config
