// The project configuration as the commands see it: loaded once per process (the nearest
// .cq.yaml above the scan root, or --config), with its custom rules registered.
#pragma once

#include <fstream>
#include <ostream>
#include <string>

#include "config/config.hpp"

namespace cq::cli {

// Loads (first call) or returns the configuration for this scan root / --config. Throws
// config::ConfigError (exit 2).
const config::Config& project_config(const std::string& explicit_path, const std::string& scan_root);

// The configuration loaded by project_config, or null when none was loaded yet.
const config::Config* loaded_config();

// Where a report goes: `file` opened on `path` (UsageError, exit 2, when it cannot be), or
// stdout when `path` is empty.
std::ostream& open_output(const std::string& path, std::ofstream& file);

}  // namespace cq::cli
