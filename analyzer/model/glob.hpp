// Path globs, as --include / --exclude and the config's path roles take them.
#pragma once

#include <string>

namespace cq {

// Glob match on '/'-separated paths: `*` and `?` stay within a path segment, `**` spans
// segments, a pattern without '/' matches the base name anywhere ("*.min.js").
bool glob_match(const std::string& pattern, const std::string& path);

}  // namespace cq
