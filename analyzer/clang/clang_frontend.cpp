// PLACEHOLDER: replaced by the libclang front end implementation.
#include "analyzer/clang/clang_frontend.hpp"

namespace cq::clangfe {
std::optional<CompilationDatabase> CompilationDatabase::load(const std::string& path,
                                                             std::string& error) {
    error = "compile database not implemented yet: " + path;
    return std::nullopt;
}
const CompileCommand* CompilationDatabase::find(const std::string&) const { return nullptr; }
FileModel analyze(const std::string& rel_path, const std::string&, Language lang,
                  std::string source, const CompileCommand&) {
    FileModel m;
    m.path = rel_path;
    m.language = lang;
    m.source = std::move(source);
    m.front_end = "libclang";
    return m;
}
std::string resource_dir() { return CQ_CLANG_RESOURCE_DIR; }
}  // namespace cq::clangfe
