// The UTF-16 position mapping every exporter relies on.
#include <gtest/gtest.h>

#include "sonar-bridge/source_text.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace cq {
namespace {

using test::range_of;
using test::raw_range;

TEST(SourceText, CountsLinesLikeSonarQube) {
    EXPECT_EQ(SourceText("").line_count(), 1u);
    EXPECT_EQ(SourceText("a").line_count(), 1u);
    EXPECT_EQ(SourceText("a\n").line_count(), 2u);
    EXPECT_EQ(SourceText("a\r\nb\rc\n").line_count(), 4u);
    EXPECT_EQ(SourceText("a\r\nb").line_length(1), 1u);
}

TEST(SourceText, ColumnsAreUtf16CodeUnits) {
    const std::string s = "\xC3\xA9\xF0\x9F\x98\x80x = 1\n";  // é (2 bytes, 1 unit), emoji (4 bytes, 2 units)
    SourceText t(s);
    EXPECT_EQ(t.line_length(1), 8u);
    const CheckedRange r = t.check(range_of(s, "x"));
    ASSERT_EQ(r.kind, CheckedRange::Kind::span);
    EXPECT_EQ(r.start.column, 3u);
    EXPECT_EQ(r.end.column, 4u);
    const CheckedRange emoji = t.check(range_of(s, "\xF0\x9F\x98\x80"));
    EXPECT_EQ(emoji.start.column, 1u);
    EXPECT_EQ(emoji.end.column, 3u);
}

TEST(SourceText, MidCharacterColumnsWidenToWholeCharacters) {
    const std::string s = "a\xF0\x9F\x98\x80z\n";
    SourceText t(s);
    const CheckedRange r = t.check(raw_range(1, 3, 1, 4));  // bytes inside the emoji
    ASSERT_EQ(r.kind, CheckedRange::Kind::span);
    EXPECT_EQ(r.start.column, 1u);
    EXPECT_EQ(r.end.column, 3u);
}

TEST(SourceText, BomIsNotCounted) {
    const std::string s = "\xEF\xBB\xBFx = 1\n";
    const CheckedRange r = SourceText(s).check(range_of(s, "x"));
    ASSERT_EQ(r.kind, CheckedRange::Kind::span);
    EXPECT_EQ(r.start.column, 0u);
    EXPECT_EQ(r.end.column, 1u);
}

TEST(SourceText, CrlfTerminatorIsNotPartOfTheLine) {
    const std::string s = "ab\r\ncd\r\n";
    SourceText t(s);
    const CheckedRange r = t.check(raw_range(1, 1, 1, 4));  // through the \r
    ASSERT_EQ(r.kind, CheckedRange::Kind::span);
    EXPECT_EQ(r.end.column, 2u);
}

TEST(SourceText, LoneCrSplitsLinesAsSonarQubeDoes) {
    const std::string s = "ab\rcd\n";  // cq sees one line, SonarQube two
    const CheckedRange r = SourceText(s).check(range_of(s, "cd"));
    ASSERT_EQ(r.kind, CheckedRange::Kind::span);
    EXPECT_EQ(r.start.line, 2u);
    EXPECT_EQ(r.start.column, 0u);
    EXPECT_EQ(r.end.column, 2u);
}

TEST(SourceText, InvalidRangesDegrade) {
    const std::string s = "abc\n\ndef";
    SourceText t(s);
    EXPECT_EQ(t.check(raw_range(2, 1, 2, 1)).kind, CheckedRange::Kind::line);  // empty line
    EXPECT_EQ(t.check(raw_range(1, 3, 1, 2)).kind, CheckedRange::Kind::line);  // end before start
    EXPECT_EQ(t.check(raw_range(1, 2, 1, 2)).kind, CheckedRange::Kind::line);  // empty range
    EXPECT_EQ(t.check(raw_range(9, 1, 9, 2)).kind, CheckedRange::Kind::file);  // no such line
    EXPECT_EQ(t.check(raw_range(0, 0, 0, 0)).kind, CheckedRange::Kind::file);
    EXPECT_TRUE(t.check(raw_range(2, 1, 2, 1)).degraded);
    const CheckedRange clamped = t.check(raw_range(3, 1, 3, 50));  // last line, no final newline
    ASSERT_EQ(clamped.kind, CheckedRange::Kind::span);
    EXPECT_EQ(clamped.end.column, 3u);
}

TEST(SourceText, RangeEdgesMoveOffEmptyLineEnds) {
    const std::string s = "abc\ndef\n";
    SourceText t(s);
    const CheckedRange r = t.check(raw_range(1, 4, 2, 1));  // end of line 1 to start of line 2
    EXPECT_EQ(r.kind, CheckedRange::Kind::line);             // nothing left between them
    const CheckedRange r2 = t.check(raw_range(1, 2, 2, 1));
    ASSERT_EQ(r2.kind, CheckedRange::Kind::span);
    EXPECT_EQ(r2.end, (TextPos{1, 3}));
}

TEST(SourceText, Utf16LengthOfInvalidUtf8CountsEachByte) {
    EXPECT_EQ(utf16_length("\xFF\xFE"), 2u);
    EXPECT_EQ(utf16_length("\xE2\x82"), 2u);  // truncated sequence
    EXPECT_EQ(utf16_length("\xE2\x82\xAC"), 1u);
}

}  // namespace
}  // namespace cq
