// Helpers for the libclang front-end tests: a scratch directory and a one-call analysis of a
// snippet with given compile arguments.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "analyzer/clang/clang_frontend.hpp"
#include "analyzer/model/file_model.hpp"

namespace cq::clangfe::testing {

class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        m_path = std::filesystem::temp_directory_path() /
                 ("cq_clang_test_" + std::to_string(::getpid()) + "_" +
                  std::to_string(counter++));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string path() const { return m_path.string(); }
    // Writes `content` to `rel` (creating folders) and returns the absolute path.
    std::string write(const std::string& rel, const std::string& content) const {
        const std::filesystem::path p = m_path / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }

private:
    std::filesystem::path m_path;
};

// Analyzes `source` as <tmp>/<name> with `args` as its compile command (working directory
// <tmp>).
inline FileModel analyze_snippet(const std::string& source, Language lang = Language::cpp,
                                 std::vector<std::string> args = {},
                                 const std::string& name = "") {
    TempDir dir;
    const std::string file_name = !name.empty() ? name : lang == Language::c ? "snippet.c"
                                                                            : "snippet.cpp";
    const std::string abs = dir.write(file_name, source);
    CompileCommand cmd;
    cmd.directory = dir.path();
    cmd.file = abs;
    if (args.empty()) {
        args.push_back(lang == Language::c ? "-std=c11" : "-std=c++17");
    }
    cmd.arguments = std::move(args);
    return analyze(file_name, abs, lang, source, cmd);
}

// A compact rendering of a control tree, so that a test states the whole shape in one line:
// "if{&&(2,1)} elif else{if}" — children in braces, siblings separated by spaces.
inline std::string shape(const std::vector<ControlNode>& nodes) {
    std::string out;
    for (const ControlNode& n : nodes) {
        if (!out.empty()) {
            out += ' ';
        }
        switch (n.kind) {
        case ControlKind::if_: out += "if"; break;
        case ControlKind::else_if: out += "elif"; break;
        case ControlKind::else_: out += "else"; break;
        case ControlKind::switch_: out += "switch"; break;
        case ControlKind::case_:
            out += (n.flags & control_flag::k_default) != 0 ? "default" : "case";
            break;
        case ControlKind::loop:
            out += (n.flags & control_flag::k_do_while) != 0 ? "do" : "loop";
            break;
        case ControlKind::catch_: out += "catch"; break;
        case ControlKind::ternary: out += "?:"; break;
        case ControlKind::logical_run:
            out += "&&(" + std::to_string(n.operators) + "," + std::to_string(n.sequences) + ")";
            break;
        case ControlKind::jump:
            out += (n.flags & control_flag::k_goto) != 0 ? "goto" : "jump";
            break;
        case ControlKind::nested_function: out += "fn#" + std::to_string(n.function); break;
        case ControlKind::recursion: out += "rec"; break;
        }
        if (!n.children.empty()) {
            out += "{" + shape(n.children) + "}";
        }
    }
    return out;
}

inline const Function* find_function(const FileModel& m, const std::string& qualified) {
    for (const Function& f : m.functions) {
        if (f.qualified_name == qualified) {
            return &f;
        }
    }
    return nullptr;
}

inline const CallSite* find_call(const FileModel& m, const std::string& name) {
    for (const CallSite& c : m.calls) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

}  // namespace cq::clangfe::testing
