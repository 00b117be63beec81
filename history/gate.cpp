#include "history/gate.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "rules/registry.hpp"

namespace cq::history {

namespace {

std::uint64_t threshold_of(const ScanOptions& options, const std::string& rule, std::uint64_t fallback) {
    auto sel = options.rules.options.find(rule);
    std::string value;
    if (sel != options.rules.options.end()) {
        auto it = sel->second.find("threshold");
        if (it != sel->second.end()) {
            value = it->second;
        }
    }
    if (value.empty()) {
        if (const Rule* r = Registry::instance().find(rule)) {
            for (const RuleOption& o : r->meta().options) {
                if (o.name == "threshold") {
                    value = o.default_value;
                }
            }
        }
    }
    try {
        return value.empty() ? fallback : std::stoull(value);
    } catch (const std::exception&) {
        return fallback;
    }
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", v);
    return buf;
}

std::set<std::uint32_t> code_lines(const FileModel& file) {
    std::set<std::uint32_t> lines;
    for (const Token& t : file.tokens) {
        lines.insert(t.line);
    }
    if (lines.empty()) {
        for (std::uint32_t l = 1; l <= file.lines; ++l) {
            lines.insert(l);
        }
    }
    return lines;
}

std::string status_word(ConditionStatus s) {
    switch (s) {
    case ConditionStatus::passed: return "passed";
    case ConditionStatus::failed: return "failed";
    case ConditionStatus::ignored: return "ignored";
    }
    return "passed";
}

std::string link_base_from_env() {
    auto env = [](const char* name) {
        const char* v = std::getenv(name);
        return std::string(v == nullptr ? "" : v);
    };
    if (!env("GITHUB_REPOSITORY").empty() && !env("GITHUB_SHA").empty()) {
        const std::string server = env("GITHUB_SERVER_URL").empty() ? "https://github.com" : env("GITHUB_SERVER_URL");
        return server + "/" + env("GITHUB_REPOSITORY") + "/blob/" + env("GITHUB_SHA");
    }
    if (!env("CI_PROJECT_URL").empty() && !env("CI_COMMIT_SHA").empty()) {
        return env("CI_PROJECT_URL") + "/-/blob/" + env("CI_COMMIT_SHA");
    }
    return {};
}

// A Markdown table cell: no pipes or line breaks.
std::string cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string location_md(const GateResult& g, const std::string& base, const std::string& path, std::uint32_t line) {
    const std::string text = path + ":" + std::to_string(line);
    if (base.empty()) {
        return "`" + text + "`";
    }
    return "[" + cell(text) + "](" + base + "/" + g.new_code.repo.prefix + path + "#L" + std::to_string(line) + ")";
}

std::string function_change(const ComplexFunction& f) {
    auto metric = [](const char* name, std::uint64_t v, const std::optional<std::uint64_t>& base) {
        std::string s = std::string(name) + " " + std::to_string(v);
        if (base && *base != v) {
            s += " (was " + std::to_string(*base) + ")";
        }
        return s;
    };
    std::string s = metric("cyclomatic", f.cyclomatic, f.base_cyclomatic) + ", " +
                    metric("cognitive", f.cognitive, f.base_cognitive);
    if (!f.base_cyclomatic) {
        s += ", new function";
    }
    return s;
}

nlohmann::ordered_json issue_json(const Finding& f) {
    return {{"rule", f.rule},
            {"severity", std::string(severity_name(f.severity))},
            {"path", f.path},
            {"line", f.range.start_line},
            {"column", f.range.start_column},
            {"end_line", f.range.end_line},
            {"end_column", f.range.end_column},
            {"message", f.message},
            {"function", f.function},
            {"fingerprint", f.fingerprint}};
}

nlohmann::ordered_json stored_json(const StoredIssue& i) {
    return {{"rule", i.rule},
            {"severity", std::string(severity_name(i.severity))},
            {"path", i.path},
            {"line", i.range.start_line},
            {"message", i.message},
            {"function", i.function},
            {"fingerprint", i.fingerprint}};
}

nlohmann::ordered_json baseline_json(const Baseline& b) {
    return {{"ref", b.ref}, {"commit", b.commit}, {"scan_id", b.scan_id}, {"source", b.source}};
}

}  // namespace

std::string_view mode_name(NewCodeMode mode) {
    switch (mode) {
    case NewCodeMode::branch: return "branch";
    case NewCodeMode::pull_request: return "pull-request";
    case NewCodeMode::staged: return "staged";
    }
    return "branch";
}

GateResult evaluate_gate(const ScanResult& head, const ScanOptions& head_options, NewCode new_code,
                         const GateConditions& conditions) {
    GateResult g;
    g.new_code = std::move(new_code);
    const NewCode& nc = g.new_code;
    g.cyclomatic_threshold = threshold_of(head_options, "complexity/cyclomatic", 10);
    g.cognitive_threshold = threshold_of(head_options, "complexity/cognitive", 15);

    // New lines and the duplicated ones among them.
    std::map<std::string, std::set<std::uint32_t>> duplicated;
    for (const Finding& f : head.findings) {
        if (f.rule.rfind("duplication/", 0) == 0) {
            for (std::uint32_t l = f.range.start_line; l <= f.range.end_line; ++l) {
                duplicated[f.path].insert(l);
            }
        }
    }
    for (const auto& file : head.files) {
        if (!nc.changed.has_file(file->path)) {
            continue;
        }
        const auto dup = duplicated.find(file->path);
        for (std::uint32_t line : code_lines(*file)) {
            if (!nc.changed.contains(file->path, line)) {
                continue;
            }
            ++g.new_lines;
            if (dup != duplicated.end() && dup->second.count(line) != 0) {
                ++g.new_duplicated_lines;
            }
        }
    }

    // Functions over the complexity thresholds that are new or got worse.
    std::map<std::pair<std::string, std::string>, const StoredFunction*> before;
    for (const StoredFunction& f : nc.baseline.functions) {
        before[{f.path, f.key}] = &f;
    }
    for (const auto& file : head.files) {
        const std::vector<std::string> keys = function_keys(*file);
        for (std::size_t i = 0; i < file->functions.size(); ++i) {
            const Function& fn = file->functions[i];
            const bool over_cyc = fn.cyclomatic > g.cyclomatic_threshold;
            const bool over_cog = fn.cognitive > g.cognitive_threshold;
            if (!over_cyc && !over_cog) {
                continue;
            }
            if (nc.mode == NewCodeMode::pull_request &&
                !nc.changed.touches(file->path, fn.range.start_line, fn.range.end_line)) {
                continue;
            }
            ComplexFunction c;
            c.path = file->path;
            c.name = fn.qualified_name.empty() ? fn.name : fn.qualified_name;
            c.line = fn.range.start_line;
            c.end_line = fn.range.end_line;
            c.cyclomatic = fn.cyclomatic;
            c.cognitive = fn.cognitive;
            auto it = before.find({file->path, keys[i]});
            if (it != before.end()) {
                c.base_cyclomatic = it->second->cyclomatic;
                c.base_cognitive = it->second->cognitive;
                const bool worse = (over_cyc && fn.cyclomatic > it->second->cyclomatic) ||
                                   (over_cog && fn.cognitive > it->second->cognitive);
                if (!worse) {
                    continue;
                }
            }
            g.functions.push_back(std::move(c));
        }
    }

    if (conditions.new_issue_severity) {
        const Severity min = *conditions.new_issue_severity;
        const auto n = std::count_if(nc.new_findings.begin(), nc.new_findings.end(),
                                     [&](const Finding& f) { return f.severity >= min; });
        ConditionResult c;
        c.id = "new_issues";
        c.title = "New issues of severity " + std::string(severity_name(min)) + " or above";
        c.actual = std::to_string(n);
        c.threshold = "0";
        c.status = n == 0 ? ConditionStatus::passed : ConditionStatus::failed;
        c.note = std::to_string(nc.new_findings.size()) + " new issue(s) of any severity";
        g.conditions.push_back(std::move(c));
    }
    if (conditions.max_new_duplication) {
        const double density = g.new_lines == 0 ? 0.0
                                                 : 100.0 * static_cast<double>(g.new_duplicated_lines) /
                                                       static_cast<double>(g.new_lines);
        ConditionResult c;
        c.id = "new_duplicated_lines_density";
        c.title = "Duplicated lines in new code";
        c.actual = percent(density);
        c.threshold = "<= " + percent(*conditions.max_new_duplication);
        if (g.new_lines < conditions.min_new_lines) {
            c.status = ConditionStatus::ignored;
            c.note = std::to_string(g.new_lines) + " new line(s), under " + std::to_string(conditions.min_new_lines);
        } else {
            c.status = density <= *conditions.max_new_duplication ? ConditionStatus::passed : ConditionStatus::failed;
            c.note = std::to_string(g.new_duplicated_lines) + " of " + std::to_string(g.new_lines) + " new lines";
        }
        g.conditions.push_back(std::move(c));
    }
    if (conditions.complexity) {
        ConditionResult c;
        c.id = "complex_functions";
        c.title = "New or worsened functions over the complexity thresholds";
        c.actual = std::to_string(g.functions.size());
        c.threshold = "0";
        c.status = g.functions.empty() ? ConditionStatus::passed : ConditionStatus::failed;
        c.note = "cyclomatic > " + std::to_string(g.cyclomatic_threshold) + " or cognitive > " +
                 std::to_string(g.cognitive_threshold);
        g.conditions.push_back(std::move(c));
    }
    g.passed = std::none_of(g.conditions.begin(), g.conditions.end(),
                            [](const ConditionResult& c) { return c.status == ConditionStatus::failed; });
    return g;
}

void write_gate_text(std::ostream& out, const GateResult& g, const GateOutput& options) {
    const NewCode& nc = g.new_code;
    out << "cq gate: " << (g.passed ? "PASSED" : "FAILED") << " (" << mode_name(nc.mode) << " mode)\n";
    out << "baseline: " << nc.baseline.ref;
    if (!nc.baseline.commit.empty()) {
        out << " at " << nc.baseline.commit.substr(0, 10);
    }
    out << ", " << nc.baseline.source << "\n";
    if (nc.target) {
        out << "target:   " << nc.target->ref << " at " << nc.target->commit.substr(0, 10) << ", "
            << nc.target->source << "\n";
    }
    out << "\n";
    for (const ConditionResult& c : g.conditions) {
        const char* tag = c.status == ConditionStatus::failed ? "[FAIL]" : c.status == ConditionStatus::ignored ? "[SKIP]" : "[ OK ]";
        out << "  " << tag << " " << c.title << ": " << c.actual << " (threshold " << c.threshold << ")";
        if (!c.note.empty()) {
            out << "; " << c.note;
        }
        out << "\n";
    }
    auto listed = [&](std::size_t total) { return std::min(total, options.max_listed); };
    if (!nc.new_findings.empty()) {
        out << "\nnew issues (" << nc.new_findings.size() << "):\n";
        for (std::size_t i = 0; i < listed(nc.new_findings.size()); ++i) {
            const Finding& f = nc.new_findings[i];
            out << "  " << f.path << ":" << f.range.start_line << ":" << f.range.start_column << ": "
                << severity_name(f.severity) << ": " << f.message << " [" << f.rule << "]\n";
        }
        if (nc.new_findings.size() > options.max_listed) {
            out << "  ... and " << nc.new_findings.size() - options.max_listed << " more\n";
        }
    }
    if (!g.functions.empty()) {
        out << "\nfunctions over the complexity thresholds (cyclomatic " << g.cyclomatic_threshold
            << ", cognitive " << g.cognitive_threshold << "):\n";
        for (std::size_t i = 0; i < listed(g.functions.size()); ++i) {
            const ComplexFunction& f = g.functions[i];
            out << "  " << f.path << ":" << f.line << ": " << f.name << ": " << function_change(f) << "\n";
        }
    }
    if (!nc.fixed.empty()) {
        out << "\nfixed issues (" << nc.fixed.size() << "):\n";
        for (std::size_t i = 0; i < listed(nc.fixed.size()); ++i) {
            const StoredIssue& f = nc.fixed[i];
            out << "  " << f.path << ":" << f.range.start_line << ": " << severity_name(f.severity) << ": "
                << f.message << " [" << f.rule << "]\n";
        }
    }
    if (!g.passed && nc.mode == NewCodeMode::staged) {
        out << "\ncommit refused by cq: the staged changes add the issues above. Fix them and stage the fix,\n"
               "or commit with --no-verify to skip this check once.\n";
    }
}

void write_gate_markdown(std::ostream& out, const GateResult& g, const GateOutput& options) {
    const NewCode& nc = g.new_code;
    const std::string base = options.link_base.empty() ? link_base_from_env() : options.link_base;
    out << "## cq quality gate: " << (g.passed ? "✅ Passed" : "❌ Failed") << "\n\n";
    out << "New code compared with `" << nc.baseline.ref << "`";
    if (!nc.baseline.commit.empty()) {
        out << " (" << (nc.mode == NewCodeMode::staged ? "" : "merge-base ") << "`"
            << nc.baseline.commit.substr(0, 10) << "`)";
    }
    out << ": " << nc.baseline.source << ".";
    if (nc.target) {
        out << " Issues already on `" << nc.target->ref << "` are not counted.";
    }
    out << "\n\n| Condition | Actual | Threshold | Status |\n|---|---|---|---|\n";
    for (const ConditionResult& c : g.conditions) {
        const char* status = c.status == ConditionStatus::failed ? "❌ failed"
                             : c.status == ConditionStatus::ignored ? "➖ ignored"
                                                                    : "✅ passed";
        out << "| " << cell(c.title) << " | " << cell(c.actual) << " | " << cell(c.threshold) << " | " << status;
        if (!c.note.empty()) {
            out << " (" << cell(c.note) << ")";
        }
        out << " |\n";
    }
    auto more = [&](std::size_t total) {
        if (total > options.max_listed) {
            out << "\n… and " << total - options.max_listed << " more.\n";
        }
    };
    out << "\n### New issues (" << nc.new_findings.size() << ")\n\n";
    if (nc.new_findings.empty()) {
        out << "None.\n";
    } else {
        out << "| Severity | Rule | Location | Message |\n|---|---|---|---|\n";
        for (std::size_t i = 0; i < std::min(nc.new_findings.size(), options.max_listed); ++i) {
            const Finding& f = nc.new_findings[i];
            out << "| " << severity_name(f.severity) << " | `" << f.rule << "` | "
                << location_md(g, base, f.path, f.range.start_line) << " | " << cell(f.message) << " |\n";
        }
        more(nc.new_findings.size());
    }
    if (!g.functions.empty()) {
        out << "\n### Functions over the complexity thresholds (" << g.functions.size() << ")\n\n"
            << "| Function | Location | Complexity |\n|---|---|---|\n";
        for (std::size_t i = 0; i < std::min(g.functions.size(), options.max_listed); ++i) {
            const ComplexFunction& f = g.functions[i];
            out << "| `" << cell(f.name) << "` | " << location_md(g, base, f.path, f.line) << " | "
                << cell(function_change(f)) << " |\n";
        }
        more(g.functions.size());
    }
    out << "\n### Fixed issues (" << nc.fixed.size() << ")\n\n";
    if (nc.fixed.empty()) {
        out << "None.\n";
    } else {
        out << "| Severity | Rule | Location | Message |\n|---|---|---|---|\n";
        for (std::size_t i = 0; i < std::min(nc.fixed.size(), options.max_listed); ++i) {
            const StoredIssue& f = nc.fixed[i];
            // Fixed issues are gone from the head: their line is the baseline's, so no link.
            out << "| " << severity_name(f.severity) << " | `" << f.rule << "` | `" << f.path << ":"
                << f.range.start_line << "` | " << cell(f.message) << " |\n";
        }
        more(nc.fixed.size());
    }
}

nlohmann::ordered_json gate_json(const GateResult& g) {
    const NewCode& nc = g.new_code;
    nlohmann::ordered_json conditions = nlohmann::ordered_json::array();
    for (const ConditionResult& c : g.conditions) {
        conditions.push_back({{"id", c.id},
                              {"title", c.title},
                              {"actual", c.actual},
                              {"threshold", c.threshold},
                              {"status", status_word(c.status)},
                              {"note", c.note}});
    }
    nlohmann::ordered_json issues = nlohmann::ordered_json::array();
    for (const Finding& f : nc.new_findings) {
        issues.push_back(issue_json(f));
    }
    nlohmann::ordered_json fixed = nlohmann::ordered_json::array();
    for (const StoredIssue& i : nc.fixed) {
        fixed.push_back(stored_json(i));
    }
    nlohmann::ordered_json functions = nlohmann::ordered_json::array();
    for (const ComplexFunction& f : g.functions) {
        nlohmann::ordered_json j = {{"path", f.path},
                                    {"function", f.name},
                                    {"line", f.line},
                                    {"end_line", f.end_line},
                                    {"cyclomatic", f.cyclomatic},
                                    {"cognitive", f.cognitive}};
        j["base_cyclomatic"] = f.base_cyclomatic ? nlohmann::ordered_json(*f.base_cyclomatic) : nlohmann::ordered_json();
        j["base_cognitive"] = f.base_cognitive ? nlohmann::ordered_json(*f.base_cognitive) : nlohmann::ordered_json();
        functions.push_back(std::move(j));
    }
    nlohmann::ordered_json out = {{"passed", g.passed},
                                  {"mode", std::string(mode_name(nc.mode))},
                                  {"baseline", baseline_json(nc.baseline)}};
    out["target"] = nc.target ? baseline_json(*nc.target) : nlohmann::ordered_json();
    out["conditions"] = conditions;
    out["new_lines"] = g.new_lines;
    out["new_duplicated_lines"] = g.new_duplicated_lines;
    out["new_issues"] = issues;
    out["fixed_issues"] = fixed;
    out["complex_functions"] = functions;
    return out;
}

}  // namespace cq::history
