// PLACEHOLDER: replaced by the tree-sitter front end implementation.
#include "analyzer/treesitter/treesitter_frontend.hpp"

namespace cq::treesitter {
FileModel analyze(std::string path, Language lang, std::string source, Dialect) {
    FileModel m;
    m.path = std::move(path);
    m.language = lang;
    m.source = std::move(source);
    m.front_end = "tree-sitter";
    return m;
}
}  // namespace cq::treesitter
