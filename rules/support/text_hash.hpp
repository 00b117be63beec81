// A fast, non-cryptographic 64-bit hash of a text, for the keys of the caches that rules share
// across one scan (TaintEngine's skeleton, HotPaths): those keys hash every source of the
// project once per rule, which std::hash (murmur, a byte at a time at the tail) made 1.3% of a
// whole scan of the Python standard library.
#pragma once

#include <cstdint>
#include <string_view>

namespace cq {

// Eight bytes a step; the same text always gives the same value within a build. Not for
// anything that is stored or compared across builds.
std::uint64_t text_hash(std::string_view text);

}  // namespace cq
