#include "analyzer/clang/command_line.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

namespace cq::clangfe::detail {

namespace fs = std::filesystem;

std::vector<std::string> split_command(std::string_view command) {
    std::vector<std::string> out;
    std::string current;
    bool in_word = false;
    std::size_t i = 0;
    const std::size_t n = command.size();
    while (i < n) {
        const char c = command[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) {
                out.push_back(std::move(current));
                current.clear();
                in_word = false;
            }
            ++i;
            continue;
        }
        in_word = true;
        if (c == '\'') {
            // Single quotes: everything literal up to the next single quote.
            ++i;
            while (i < n && command[i] != '\'') {
                current += command[i++];
            }
            ++i;
        } else if (c == '"') {
            // Double quotes: backslash escapes only ", \, $, ` and newline.
            ++i;
            while (i < n && command[i] != '"') {
                if (command[i] == '\\' && i + 1 < n) {
                    const char next = command[i + 1];
                    if (next == '"' || next == '\\' || next == '$' || next == '`') {
                        current += next;
                        i += 2;
                        continue;
                    }
                    if (next == '\n') {
                        i += 2;
                        continue;
                    }
                }
                current += command[i++];
            }
            ++i;
        } else if (c == '\\') {
            if (i + 1 < n) {
                if (command[i + 1] != '\n') {
                    current += command[i + 1];
                }
                i += 2;
            } else {
                ++i;
            }
        } else {
            current += c;
            ++i;
        }
    }
    if (in_word) {
        out.push_back(std::move(current));
    }
    return out;
}

std::string absolute_normal(const std::string& path, const std::string& base) {
    fs::path p(path);
    if (p.is_relative() && !base.empty()) {
        p = fs::path(base) / p;
    }
    std::string out = p.lexically_normal().generic_string();
    // "dir/" and "dir" name the same directory; keep the form without the slash.
    if (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    return out;
}

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string basename_of(const std::string& path) {
    return fs::path(path).filename().string();
}

bool is_launcher(const std::string& arg) {
    static constexpr std::array<std::string_view, 5> k_launchers = {
        "ccache", "sccache", "distcc", "icecc", "buildcache"};
    const std::string base = basename_of(arg);
    return std::find(k_launchers.begin(), k_launchers.end(), base) != k_launchers.end();
}

// Flags that take the next argument as their value and that we drop together with it.
bool drops_with_value(const std::string& a) {
    static constexpr std::array<std::string_view, 8> k_flags = {
        "-o", "-MF", "-MT", "-MQ", "-MJ", "-include-pch", "-emit-pch", "--serialize-diagnostics"};
    return std::find(k_flags.begin(), k_flags.end(), a) != k_flags.end();
}

// Flags that are dropped on their own: compile mode, dependency output, warnings-as-errors
// (libclang diagnostics would change), colours, and gcc-only options clang rejects as unknown.
bool drops_alone(const std::string& a) {
    static constexpr std::array<std::string_view, 20> k_exact = {
        "-c",
        "-M",
        "-MM",
        "-MD",
        "-MMD",
        "-MP",
        "-MG",
        "-MV",
        "-Werror",
        "-pedantic-errors",
        "-fcolor-diagnostics",
        "-fno-color-diagnostics",
        "-fconserve-stack",
        "-fno-canonical-system-headers",
        "-fno-var-tracking-assignments",
        "-fno-allow-store-data-races",
        "-mindirect-branch-register",
        "-mrecord-mcount",
        "-fanalyzer",
        "-fno-gnu-unique",
    };
    if (std::find(k_exact.begin(), k_exact.end(), a) != k_exact.end()) {
        return true;
    }
    static constexpr std::array<std::string_view, 14> k_prefixes = {
        "-Werror=",
        "-Wp,-M",
        "-fdiagnostics-color",
        "-MF",
        "-MT",
        "-MQ",
        "-MJ",
        "-mindirect-branch=",
        "-mpreferred-stack-boundary=",
        "-fmin-function-alignment=",
        "-fno-ipa-",
        "-fipa-",
        "-fno-lifetime-dse",
        "-fconcepts",
    };
    for (std::string_view p : k_prefixes) {
        if (starts_with(a, p)) {
            return true;
        }
    }
    // -o<file> joined (but not clang's -objcmt-* / -object-file-name=).
    return a.size() > 2 && starts_with(a, "-o") && !starts_with(a, "-obj");
}

// Options whose value is a path, relative to the compile's working directory.
struct PathFlag {
    std::string_view flag;
    bool joined_with_equals;  // --sysroot=dir
    bool only_if_exists;      // -include x.h may also be found through the include path
};
constexpr std::array<PathFlag, 10> k_path_flags = {{
    {"-I", false, false},
    {"-isystem", false, false},
    {"-iquote", false, false},
    {"-idirafter", false, false},
    {"-iframework", false, false},
    {"-F", false, false},
    {"-isysroot", false, false},
    {"--sysroot", true, false},
    {"-include", false, true},
    {"-imacros", false, true},
}};

std::string resolve_path_value(const std::string& value, const std::string& directory,
                               bool only_if_exists) {
    if (value.empty() || fs::path(value).is_absolute()) {
        return value;
    }
    std::string abs = absolute_normal(value, directory);
    if (only_if_exists) {
        std::error_code ec;
        if (!fs::exists(abs, ec)) {
            return value;
        }
    }
    return abs;
}

}  // namespace

std::vector<std::string> clean_arguments(const std::vector<std::string>& argv,
                                         const std::string& directory, const std::string& file) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < argv.size() && is_launcher(argv[i]) && i + 1 < argv.size() &&
           !starts_with(argv[i + 1], "-")) {
        ++i;  // "ccache g++ ..." : skip the launcher, the compiler is next
    }
    ++i;  // the compiler
    for (; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "-Xclang" && i + 3 < argv.size() && argv[i + 1] == "-include-pch" &&
            argv[i + 2] == "-Xclang") {
            i += 3;  // CMake's precompiled header for clang: built by another clang version
            continue;
        }
        if (drops_with_value(a)) {
            ++i;
            continue;
        }
        if (drops_alone(a)) {
            continue;
        }
        if (a == "--") {
            continue;
        }
        if (!a.empty() && a[0] != '-') {
            if (absolute_normal(a, directory) == file) {
                continue;  // the source file itself: libclang gets it separately
            }
            out.push_back(a);
            continue;
        }
        bool handled = false;
        for (const PathFlag& pf : k_path_flags) {
            if (a == pf.flag && !pf.joined_with_equals && i + 1 < argv.size()) {
                out.push_back(a);
                out.push_back(resolve_path_value(argv[i + 1], directory, pf.only_if_exists));
                ++i;
                handled = true;
                break;
            }
            if (pf.joined_with_equals && starts_with(a, std::string(pf.flag) + "=")) {
                const std::string value = a.substr(pf.flag.size() + 1);
                out.push_back(std::string(pf.flag) + "=" +
                              resolve_path_value(value, directory, pf.only_if_exists));
                handled = true;
                break;
            }
            // Joined short forms only for -I and -F ("-Iinclude"); "-include" must not be read
            // as "-I" + "nclude".
            if ((pf.flag == "-I" || pf.flag == "-F") && a.size() > 2 && starts_with(a, pf.flag)) {
                out.push_back(std::string(pf.flag) +
                              resolve_path_value(a.substr(2), directory, false));
                handled = true;
                break;
            }
        }
        if (!handled) {
            out.push_back(a);
        }
    }
    return out;
}

}  // namespace cq::clangfe::detail
