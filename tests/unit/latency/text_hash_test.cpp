// text_hash (rules/support/text_hash.hpp), the hash in the keys of the caches shared between
// rules: equal texts hash equal, and a change anywhere (the tail past the last 8-byte word,
// a trailing NUL, the length) changes it.
#include <gtest/gtest.h>

#include <string>

#include "rules/support/text_hash.hpp"

namespace {

using cq::text_hash;

TEST(TextHash, EqualTextsHashEqual) {
    const std::string a = "def f(x):\n    return x + 1\n";
    const std::string b = a;
    EXPECT_EQ(text_hash(a), text_hash(b));
    EXPECT_EQ(text_hash(""), text_hash(std::string()));
}

TEST(TextHash, AnyChangedByteOrLengthChangesTheHash) {
    const std::string base = "const q = 'SELECT * FROM t WHERE id = ' + id;";
    for (std::size_t i = 0; i < base.size(); ++i) {
        std::string changed = base;
        changed[i] = static_cast<char>(changed[i] ^ 0x20);
        EXPECT_NE(text_hash(base), text_hash(changed)) << "byte " << i;
    }
    EXPECT_NE(text_hash("abc"), text_hash(std::string("abc\0", 4)));
    EXPECT_NE(text_hash("abcdefgh"), text_hash("abcdefgh "));
    EXPECT_NE(text_hash(""), text_hash(std::string(1, '\0')));
}

}  // namespace
