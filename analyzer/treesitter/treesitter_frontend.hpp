// Tree-sitter front end: Python, JavaScript, TypeScript (and TSX), and C/C++ when no compile
// command is known (the syntactic fallback). The only place besides analyzer/treesitter/*.cpp
// that may see tree-sitter headers is nowhere: this header exposes none.
#pragma once

#include <string>

#include "analyzer/model/file_model.hpp"

namespace cq::treesitter {

enum class Dialect : unsigned char { standard, tsx };  // tsx: .tsx files (and .jsx via JS grammar)

// Parses `source` and lowers it to a FileModel (functions with their control trees, calls,
// loops, awaits, assignments, strings, imports, tokens, comment lines, diagnostics). Syntax
// errors never throw: tree-sitter recovers, the rest of the file is still lowered and each
// ERROR / MISSING node yields a Diagnostic with its line. Metrics are not computed here (the
// engine calls compute_metrics). For C/C++ the model is marked syntactic_only and front_end is
// "tree-sitter (syntactic fallback)". Deeply nested input must not overflow the stack: walks
// are iterative or depth-bounded.
FileModel analyze(std::string path, Language lang, std::string source,
                  Dialect dialect = Dialect::standard);

}  // namespace cq::treesitter
