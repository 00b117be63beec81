// Test hooks of the tree-sitter front end. Not for production code.
#pragma once

#include <cstdint>

namespace cq::treesitter {

// Forces the parse timeout of every later analyze() call (0 restores the size-based default).
void set_parse_timeout_for_testing(std::uint64_t micros);

// Forces the progress guard to abandon a parse that spends more than `ns_per_byte` of CPU per
// byte read, with no initial allowance (0 restores the default: 200 ms plus 2.5 µs per byte).
void set_parse_rate_limit_for_testing(std::uint64_t ns_per_byte);

}  // namespace cq::treesitter
