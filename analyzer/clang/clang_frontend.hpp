// libclang front end for C and C++, driven by compile_commands.json.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq::clangfe {

struct CompileCommand {
    std::string directory;               // absolute working directory of the compile
    std::string file;                    // absolute, normalized path of the source file
    std::vector<std::string> arguments;  // argv without the compiler and without -o/-c/<file>
};

class CompilationDatabase {
public:
    // Loads compile_commands.json ("command" or "arguments" entries). Returns nullopt and sets
    // `error` (with the path and the reason) when the file cannot be read or parsed.
    static std::optional<CompilationDatabase> load(const std::string& path, std::string& error);

    // The command for an absolute source path, or nullptr.
    const CompileCommand* find(const std::string& absolute_path) const;
    std::size_t size() const { return m_commands.size(); }

private:
    std::map<std::string, CompileCommand> m_commands;
};

// Parses one file with libclang using `command` and lowers it to a FileModel with the same
// facts and the same control-tree shape as the tree-sitter front end produces for C/C++, so
// that metrics agree. Only the main file's declarations are lowered (not included headers).
// Parse errors (a missing header, ...) become Diagnostics on the model; analysis goes on with
// what libclang recovered. Thread-safe: each call uses its own CXIndex. `rel_path` is stored
// in the model; `abs_path` is what libclang opens; `source` is the file content already read.
FileModel analyze(const std::string& rel_path, const std::string& abs_path, Language lang,
                  std::string source, const CompileCommand& command);

// The resource directory configured at build time (builtin headers).
std::string resource_dir();

// Whether libclang can be loaded (it is opened on first use, not linked); on failure, `error`
// says which file was tried and why. Thread-safe; loaded once per process.
bool libclang_available(std::string& error);

}  // namespace cq::clangfe
