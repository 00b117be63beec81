// Test hooks of the tree-sitter front end. Not for production code.
#pragma once

#include <cstdint>

namespace cq::treesitter {

// Forces the parse timeout of every later analyze() call (0 restores the size-based default).
void set_parse_timeout_for_testing(std::uint64_t micros);

}  // namespace cq::treesitter
