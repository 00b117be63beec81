// The main file's #include imports, from its token stream. Private to analyzer/clang.
#pragma once

#include "analyzer/clang/cx_api.hpp"

#include "analyzer/clang/source_map.hpp"
#include "analyzer/model/file_model.hpp"

namespace cq::clangfe::detail {

// #include / #include_next / #import directives from the token stream, as Imports whose module
// is the header as written: "<stdio.h>", "\"x.h\"" (also headers clang could not find).
void add_includes(const SourceMap& map, FileModel& m);

}  // namespace cq::clangfe::detail
