#include "cli/config_support.hpp"

#include <iostream>
#include <memory>

#include "analyzer/engine/engine.hpp"

namespace cq::cli {

namespace {
std::unique_ptr<config::Config>& slot() {
    static std::unique_ptr<config::Config> loaded;
    return loaded;
}
}  // namespace

const config::Config& project_config(const std::string& explicit_path, const std::string& scan_root) {
    if (!slot()) {
        slot() = std::make_unique<config::Config>(config::load_project(explicit_path, scan_root));
    }
    return *slot();
}

const config::Config* loaded_config() { return slot().get(); }

std::ostream& open_output(const std::string& path, std::ofstream& file) {
    if (path.empty()) {
        return std::cout;
    }
    file.open(path, std::ios::binary | std::ios::trunc);
    if (!file) {
        throw UsageError("cannot write --output '" + path + "'");
    }
    return file;
}

}  // namespace cq::cli
