// The main file's token stream and #include imports. Private to analyzer/clang.
#pragma once

#include "analyzer/clang/cx_api.hpp"

#include "analyzer/clang/source_map.hpp"
#include "analyzer/model/file_model.hpp"

namespace cq::clangfe::detail {

// Tokenizes the main file once (clang_tokenize) into model.tokens (comments dropped, their lines
// in model.comment_lines). The stream is cut the way the tree-sitter C/C++ grammars cut it, so
// that clones between a file parsed here and a header parsed there are still found and the
// two front ends hash the same code the same: `#include` and the other directive names are one
// token, a header name `<x.h>`, a #define's replacement text and a directive's argument are one
// literal, a signed number `-1` is one literal, and the words tree-sitter reads as keywords
// (`true`, `NULL`, `size_t`, ...) or as names (`static_cast`) are classed as it classes them.
// `map` must be built over model.source and model.tokens.
void tokenize_main_file(CXTranslationUnit tu, CXFile main, const SourceMap& map, FileModel& m);

// #include / #include_next / #import directives from the token stream, as Imports whose module
// is the header as written: "<stdio.h>", "\"x.h\"" (also headers clang could not find).
void add_includes(const SourceMap& map, FileModel& m);

}  // namespace cq::clangfe::detail
