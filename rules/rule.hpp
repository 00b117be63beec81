// The rule interface. A rule is one .cpp under rules/<category>/ that defines a class deriving
// from FileRule or ProjectRule and registers it with CQ_REGISTER_RULE at the bottom.
// Rules read only the model (analyzer/model); they never see libclang or tree-sitter.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"

namespace cq {

// SonarQube software qualities and impact severities (design.md §5).
enum class Quality : std::uint8_t { maintainability, reliability, security };
enum class ImpactSeverity : std::uint8_t { info, low, medium, high, blocker };

struct Impact {
    Quality quality = Quality::maintainability;
    ImpactSeverity severity = ImpactSeverity::medium;
};

namespace lang_mask {
inline constexpr std::uint32_t python = 1u << 0;
inline constexpr std::uint32_t javascript = 1u << 1;
inline constexpr std::uint32_t typescript = 1u << 2;
inline constexpr std::uint32_t c = 1u << 3;
inline constexpr std::uint32_t cpp = 1u << 4;
inline constexpr std::uint32_t js_ts = javascript | typescript;
inline constexpr std::uint32_t c_cpp = c | cpp;
inline constexpr std::uint32_t all = python | javascript | typescript | c | cpp;
}  // namespace lang_mask

std::uint32_t language_bit(Language lang);

struct RuleOption {
    std::string name;
    std::string default_value;
    std::string description;
};

struct RuleMeta {
    std::string id;     // "category/kebab-name", stable forever
    std::string title;  // one line
    std::uint32_t languages = lang_mask::all;
    Severity severity = Severity::major;
    std::string clean_code_attribute = "CONVENTIONAL";  // SonarQube clean-code attribute
    std::vector<Impact> impacts;
    std::vector<int> cwe;
    std::vector<std::string> owasp;  // "A03:2021"
    std::vector<RuleOption> options;
    int effort_minutes = 5;
    // Markdown with the sections "## What it finds", "## Why it matters", "## Example",
    // "## Instead", "## Options".
    std::string doc;
    std::vector<std::string> aliases;  // old ids that still select this rule
};

// Options for one rule as configured by the user; values are strings, parsed by the rule.
class RuleContext {
public:
    RuleContext() = default;
    explicit RuleContext(std::map<std::string, std::string> options, Severity severity)
        : m_options(std::move(options)), m_severity(severity) {}

    // The configured value, or the fallback. Throws std::invalid_argument naming the option
    // when the configured value is not an integer.
    long long option_int(const std::string& name, long long fallback) const;
    std::string option_string(const std::string& name, const std::string& fallback) const;
    // Comma-separated list option.
    std::vector<std::string> option_list(const std::string& name,
                                         const std::vector<std::string>& fallback) const;
    Severity severity() const { return m_severity; }

private:
    std::map<std::string, std::string> m_options;
    Severity m_severity = Severity::major;
};

struct ProjectModel;

// Analyses that several project rules build from the same models (the latency rules' hot paths,
// the taint rules' skeleton of every function): the first rule to ask builds one, the others get
// the same. It lives in the ProjectModel and dies with it; a copy of a ProjectModel starts empty.
// Keys name the analysis and its options; `get` adds the project's list of models to the key, so
// a project whose `files` changed after a rule ran builds again. Changing a FileModel itself while
// a ProjectModel holds it is not supported.
class SharedAnalyses {
public:
    SharedAnalyses() = default;
    SharedAnalyses(const SharedAnalyses&) {}
    SharedAnalyses& operator=(const SharedAnalyses&) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_items.clear();
        return *this;
    }

    template <class T>
    std::shared_ptr<const T> get(const ProjectModel& project, const std::string& key,
                                 const std::function<std::shared_ptr<const T>()>& build) const {
        return std::static_pointer_cast<const T>(get_erased(project, key, [&build] {
            return std::static_pointer_cast<const void>(build());
        }));
    }

private:
    std::shared_ptr<const void> get_erased(const ProjectModel& project, const std::string& key,
                                           const std::function<std::shared_ptr<const void>()>& build) const;

    mutable std::mutex m_mutex;
    mutable std::map<std::string, std::shared_ptr<const void>> m_items;
};

// All FileModels of one scan, for project-wide rules.
struct ProjectModel {
    std::vector<const FileModel*> files;  // sorted by path
    SharedAnalyses shared;
};

class Rule {
public:
    virtual ~Rule() = default;
    virtual const RuleMeta& meta() const = 0;
    virtual bool is_project_rule() const { return false; }
    // Whether the rule reads nothing of a FileModel but its path, language, source, lines,
    // tokens and comment lines. When every selected rule does, the engine lexes the files
    // instead of parsing them (a tokens-only scan: no functions, calls or control trees).
    virtual bool reads_tokens_only() const { return false; }
};

// Runs once per file, possibly on many threads at once: must not keep mutable state.
class FileRule : public Rule {
public:
    virtual void check(const FileModel& file, const RuleContext& ctx,
                       std::vector<Finding>& out) const = 0;
};

// Runs once per scan over all files.
class ProjectRule : public Rule {
public:
    bool is_project_rule() const override { return true; }
    virtual void check(const ProjectModel& project, const RuleContext& ctx,
                       std::vector<Finding>& out) const = 0;
};

// Helpers for rules: a Finding prefilled with the rule id, severity, path, range and function.
Finding make_finding(const Rule& rule, const RuleContext& ctx, const FileModel& file,
                     const Range& range, std::string message);

}  // namespace cq
