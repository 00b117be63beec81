// Internal to analyzer/treesitter: a byte scan that keeps inputs away from a tree-sitter 0.20.7
// defect. When a parse reaches the end of the file with 65,536 or more subtrees pending on its
// stack (65,536 unclosed brackets, `- - - ... x`, `a = a = ... = 1`, `if (a) if (a) ...`), the
// library wraps them in one ERROR node, truncates its child count and frees an invalid pointer,
// which aborts the process. Such text is never real code, so the front end declines to parse it.
#pragma once

#include <string>
#include <string_view>

#include "analyzer/model/file_model.hpp"

namespace cq::treesitter {

// Empty when `src` is safe to parse; otherwise why it is not ("brackets nested 70000 deep").
// Files under 64 KiB are always safe (a parse stack holds at most one subtree per token). For
// larger files the scan (strings and comments skipped) measures bracket nesting and the longest
// run of tokens without a statement or list separator (`;`, `,`, `}`; a Python newline outside
// brackets) and rejects either beyond a bound that real code never approaches. Linear time.
std::string parse_hazard(std::string_view src, Language lang);

}  // namespace cq::treesitter
