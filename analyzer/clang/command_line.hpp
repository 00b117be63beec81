// Turning a compile_commands.json entry into the arguments libclang wants. Private to
// analyzer/clang (exposed in a header so that the unit tests can check it directly).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cq::clangfe::detail {

// Splits a command line the way a POSIX shell does (whitespace, '…', "…", backslash escapes),
// without any expansion. Unterminated quotes run to the end of the input.
std::vector<std::string> split_command(std::string_view command);

// `path` made absolute against `base` (when relative) and lexically normalized ("a/./b/../c"
// becomes "a/c"). `base` must be absolute for the result to be.
std::string absolute_normal(const std::string& path, const std::string& base);

// From a compiler argv (argv[0] is the compiler, possibly behind a launcher such as ccache) to
// libclang's arguments: drops the launcher and compiler, -c, -o <x>, the source file itself
// (`file` is its absolute normalized path), dependency-file flags (-M*, -Wp,-M*), -Werror*,
// precompiled-header flags and gcc-only flags that clang rejects; makes relative include paths
// (-I, -isystem, -iquote, -idirafter, -include, -imacros, --sysroot, ...) absolute against
// `directory`.
std::vector<std::string> clean_arguments(const std::vector<std::string>& argv,
                                         const std::string& directory, const std::string& file);

}  // namespace cq::clangfe::detail
