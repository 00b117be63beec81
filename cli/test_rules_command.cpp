// cq test-rules: runs the valid / invalid examples of the custom rules (.cq/rules/*.yaml).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/config_support.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

void add_test_rules_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string root = ".";
        std::string config;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("test-rules",
                                   "Check the custom rules (.cq/rules/*.yaml): each `invalid` example must "
                                   "produce a finding and each `valid` one none (exit 1 on a mismatch)");
    cmd->add_option("dir", args->root, "project directory (default: the current one)");
    cmd->add_option("--config", args->config, "configuration file (default: the nearest .cq.yaml)");
    cmd->callback([args, &exit_code]() {
        const config::Config& cfg = project_config(args->config, args->root);
        if (cfg.custom.rules.empty()) {
            std::cout << "no custom rules found (looked in";
            for (const auto& d : cfg.custom_rule_dirs) {
                std::cout << " " << (fs::path(cfg.project_dir) / d).lexically_normal().string();
            }
            std::cout << ")\n";
            exit_code = k_exit_ok;
            return;
        }
        const std::vector<std::string> failures = config::run_examples(cfg.custom);
        std::size_t examples = 0;
        for (const auto& r : cfg.custom.rules) {
            examples += r.examples.size();
        }
        for (const auto& f : failures) {
            std::cout << f << "\n";
        }
        std::cout << cfg.custom.rules.size() << " custom rule(s), " << examples << " example(s): "
                  << (failures.empty() ? "all pass" : std::to_string(failures.size()) + " failure(s)") << "\n";
        exit_code = failures.empty() ? k_exit_ok : k_exit_findings;
    });
}

}  // namespace cq::cli
