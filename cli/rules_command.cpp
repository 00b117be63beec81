#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/config_support.hpp"
#include "rules/registry.hpp"

namespace cq::cli {

namespace {

std::string languages_text(std::uint32_t mask) {
    std::string out;
    const std::pair<std::uint32_t, const char*> names[] = {
        {lang_mask::python, "python"}, {lang_mask::javascript, "javascript"},
        {lang_mask::typescript, "typescript"}, {lang_mask::c, "c"}, {lang_mask::cpp, "cpp"}};
    for (const auto& [bit, name] : names) {
        if ((mask & bit) != 0) {
            out += out.empty() ? "" : ",";
            out += name;
        }
    }
    return out;
}

nlohmann::json rule_json(const RuleMeta& m) {
    nlohmann::json options = nlohmann::json::array();
    for (const auto& o : m.options) {
        options.push_back({{"name", o.name}, {"default", o.default_value}, {"description", o.description}});
    }
    return {{"id", m.id},       {"title", m.title},
            {"languages", languages_text(m.languages)},
            {"severity", std::string(severity_name(m.severity))},
            {"clean_code_attribute", m.clean_code_attribute},
            {"cwe", m.cwe},     {"owasp", m.owasp},
            {"options", options}, {"doc", m.doc}};
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("rules", "List the rule catalogue (nothing is scanned)");
    auto format = std::make_shared<std::string>("text");
    cmd->add_option("--format", *format, "text, json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}));
    cmd->callback([format, &exit_code]() {
        (void)project_config("", ".");  // the project's custom rules (.cq/rules) are listed too
        const auto rules = Registry::instance().rules();
        if (*format == "json") {
            nlohmann::json arr = nlohmann::json::array();
            for (const Rule* r : rules) {
                arr.push_back(rule_json(r->meta()));
            }
            std::cout << arr.dump(2) << "\n";
        } else if (*format == "markdown") {
            std::cout << "# cq rules\n\n| id | title | languages | severity |\n|---|---|---|---|\n";
            for (const Rule* r : rules) {
                const auto& m = r->meta();
                std::cout << "| `" << m.id << "` | " << m.title << " | " << languages_text(m.languages)
                          << " | " << severity_name(m.severity) << " |\n";
            }
            for (const Rule* r : rules) {
                std::cout << "\n## `" << r->meta().id << "`\n\n" << r->meta().doc << "\n";
            }
        } else {
            for (const Rule* r : rules) {
                const auto& m = r->meta();
                std::cout << m.id << std::string(m.id.size() < 36 ? 36 - m.id.size() : 1, ' ')
                          << severity_name(m.severity) << std::string(10 - severity_name(m.severity).size(), ' ')
                          << m.title << "  [" << languages_text(m.languages) << "]\n";
            }
            std::cout << rules.size() << " rules; `cq explain RULE` shows one in full\n";
        }
        exit_code = k_exit_ok;
    });
}

void add_explain_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("explain", "Show a rule's documentation");
    auto id = std::make_shared<std::string>();
    cmd->add_option("rule", *id, "rule id, e.g. complexity/cognitive")->required();
    cmd->callback([id, &exit_code]() {
        (void)project_config("", ".");  // custom rules can be explained too
        const Rule* rule = Registry::instance().find(*id);
        if (rule == nullptr) {
            std::cerr << "cq: error: unknown rule '" << *id << "'\nhint: `cq rules` lists them\n";
            exit_code = k_exit_usage;
            return;
        }
        const auto& m = rule->meta();
        std::cout << m.id << ": " << m.title << "\n"
                  << "languages: " << languages_text(m.languages)
                  << "   default severity: " << severity_name(m.severity) << "\n";
        if (!m.cwe.empty()) {
            std::cout << "CWE:";
            for (int c : m.cwe) {
                std::cout << " CWE-" << c;
            }
            std::cout << "\n";
        }
        if (!m.owasp.empty()) {
            std::cout << "OWASP Top 10:";
            for (const auto& o : m.owasp) {
                std::cout << " " << o;
            }
            std::cout << "\n";
        }
        std::cout << "\n" << m.doc << "\n";
        exit_code = k_exit_ok;
    });
}

}  // namespace cq::cli
