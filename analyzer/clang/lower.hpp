// Lowering of a libclang translation unit's main file into the FileModel. Private to
// analyzer/clang.
#pragma once

#include "analyzer/clang/cx_api.hpp"

#include "analyzer/clang/source_map.hpp"
#include "analyzer/model/file_model.hpp"

namespace cq::clangfe::detail {

// Walks the declarations of `tu` that lie in `main_file` (headers are skipped) and fills
// `model.functions` (with their control trees), calls, loops, assignments, strings and the
// using-imports (using-directives, using-declarations, namespace aliases). `map` must be built
// over `model.source` and `model.tokens`, which must already be filled: keywords, operators and
// parentheses are found in the token stream.
//
// Macro expansions: everything is attributed to the main-file location clang maps it to (the
// macro argument as written, or the macro name for a macro body), and is recorded once even when
// a macro repeats its argument. A control construct whose keyword or operator is not spelled at
// that location (an `if` or `?:` inside a macro body, as in assert()) gets no control node, so
// that the complexity numbers equal those of the syntactic tree-sitter front end, which sees
// a macro invocation as a call.
//
// Adds a note Diagnostic when nesting deeper than the walk's limit was skipped.
void lower_main_file(CXTranslationUnit tu, CXFile main_file, const SourceMap& map,
                     FileModel& model);

}  // namespace cq::clangfe::detail
