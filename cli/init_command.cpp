// cq init: writes a commented default .cq.yaml.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "config/config.hpp"

namespace fs = std::filesystem;

namespace cq::cli {

void add_init_command(CLI::App& app, int& exit_code) {
    struct Args {
        std::string dir = ".";
        bool force = false;
    };
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("init", "Write a commented default configuration (.cq.yaml) to start from");
    cmd->add_option("dir", args->dir, "directory to write .cq.yaml into (default: the current one)");
    cmd->add_flag("--force", args->force, "overwrite an existing .cq.yaml");
    cmd->callback([args, &exit_code]() {
        std::error_code ec;
        if (!fs::is_directory(args->dir, ec)) {
            throw UsageError("cq init: '" + args->dir + "' is not a directory");
        }
        const fs::path target = fs::path(args->dir) / config::k_config_file_name;
        if (fs::exists(target, ec) && !args->force) {
            throw UsageError(target.string() + " already exists (--force overwrites it)");
        }
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        out << config::default_config_text();
        out.flush();
        if (!out) {
            throw UsageError("cannot write " + target.string());
        }
        std::cout << "wrote " << target.string() << "\n";
        exit_code = k_exit_ok;
    });
}

}  // namespace cq::cli
