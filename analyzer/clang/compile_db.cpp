// compile_commands.json: https://clang.llvm.org/docs/JSONCompilationDatabase.html
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analyzer/clang/clang_frontend.hpp"
#include "analyzer/clang/command_line.hpp"

namespace cq::clangfe {

namespace {

std::string parent_directory(const std::string& path) {
    const std::string abs = detail::absolute_normal(path, std::filesystem::current_path().string());
    const std::size_t slash = abs.rfind('/');
    return slash == std::string::npos || slash == 0 ? std::string("/") : abs.substr(0, slash);
}

std::optional<std::string> string_field(const nlohmann::json& entry, const char* key) {
    auto it = entry.find(key);
    if (it == entry.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

}  // namespace

std::optional<CompilationDatabase> CompilationDatabase::load(const std::string& path,
                                                             std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot read the compile database";
        return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();

    nlohmann::json doc = nlohmann::json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        error = path + ": not valid JSON";
        return std::nullopt;
    }
    if (!doc.is_array()) {
        error = path + ": expected a JSON array of compile commands";
        return std::nullopt;
    }

    // A relative "directory" (the format asks for absolute ones) is read against the
    // database's own folder.
    const std::string db_dir = parent_directory(path);
    CompilationDatabase db;
    for (const nlohmann::json& entry : doc) {
        if (!entry.is_object()) {
            continue;
        }
        std::optional<std::string> file = string_field(entry, "file");
        std::optional<std::string> directory = string_field(entry, "directory");
        if (!file || file->empty()) {
            continue;
        }
        CompileCommand cmd;
        cmd.directory = detail::absolute_normal(directory.value_or(db_dir), db_dir);
        cmd.file = detail::absolute_normal(*file, cmd.directory);

        std::vector<std::string> argv;
        auto args_it = entry.find("arguments");
        if (args_it != entry.end() && args_it->is_array()) {
            for (const nlohmann::json& a : *args_it) {
                if (a.is_string()) {
                    argv.push_back(a.get<std::string>());
                }
            }
        } else if (std::optional<std::string> command = string_field(entry, "command")) {
            argv = detail::split_command(*command);
        } else {
            continue;
        }
        cmd.arguments = detail::clean_arguments(argv, cmd.directory, cmd.file);
        // The first entry for a file wins (a file compiled twice keeps its first flags).
        db.m_commands.emplace(cmd.file, std::move(cmd));
    }
    return db;
}

const CompileCommand* CompilationDatabase::find(const std::string& absolute_path) const {
    auto it = m_commands.find(detail::absolute_normal(absolute_path, ""));
    return it == m_commands.end() ? nullptr : &it->second;
}

}  // namespace cq::clangfe
