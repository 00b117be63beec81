// Fingerprint anchors on hand-tokenized sources: independent of line numbers, whitespace, line
// breaks and comments; dependent on the flagged code.
#include <gtest/gtest.h>

#include <cctype>

#include "analyzer/engine/fingerprint.hpp"

namespace {

using namespace cq;

// A tiny tokenizer (identifiers, numbers, single punctuation; `#` comments skipped), enough to
// give the anchor what a front end gives it.
FileModel tokenize(const std::string& path, const std::string& source) {
    FileModel m;
    m.path = path;
    m.source = source;
    std::uint32_t line = 1;
    for (std::size_t i = 0; i < source.size();) {
        const char c = source[i];
        if (c == '\n') {
            ++line;
            ++i;
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++i;
        } else if (c == '#') {
            while (i < source.size() && source[i] != '\n') {
                ++i;
            }
        } else {
            std::size_t j = i + 1;
            if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
                while (j < source.size() && (std::isalnum(static_cast<unsigned char>(source[j])) != 0 || source[j] == '_')) {
                    ++j;
                }
            }
            Token t;
            t.line = line;
            t.start_byte = static_cast<std::uint32_t>(i);
            t.end_byte = static_cast<std::uint32_t>(j);
            m.tokens.push_back(t);
            i = j;
        }
    }
    return m;
}

Range range_of(const FileModel& m, const std::string& needle, std::size_t nth = 0) {
    std::size_t pos = m.source.find(needle);
    while (nth-- > 0 && pos != std::string::npos) {
        pos = m.source.find(needle, pos + 1);
    }
    Range r;
    r.start_byte = static_cast<std::uint32_t>(pos);
    r.end_byte = static_cast<std::uint32_t>(pos + needle.size());
    r.start_line = static_cast<std::uint32_t>(std::count(m.source.begin(), m.source.begin() + static_cast<long>(pos), '\n') + 1);
    r.end_line = r.start_line;
    r.start_column = 1;
    r.end_column = 2;
    return r;
}

std::string fingerprint_of(const FileModel& m, const std::string& needle, std::size_t nth = 0) {
    Finding f;
    f.rule = "latency/sleep-on-hot-path";
    f.path = m.path;
    f.range = range_of(m, needle, nth);
    std::vector<Finding> findings = {f};
    ProjectModel p;
    p.files.push_back(&m);
    assign_fingerprints(findings, p);
    return findings[0].fingerprint;
}

}  // namespace

TEST(Fingerprint, IgnoresPositionWhitespaceLineBreaksAndComments) {
    const FileModel a = tokenize("a.py", "x = 1\nsleep(3)\n");
    const FileModel moved = tokenize("a.py", "import os\n\n\nx = 1\nsleep(3)\n");
    const FileModel reformatted = tokenize("a.py", "x = 1\nsleep(  # wait\n    3\n)\n");
    EXPECT_EQ(fingerprint_of(a, "sleep(3)"), fingerprint_of(moved, "sleep(3)"));
    const FileModel& r = reformatted;
    Finding f;
    f.rule = "latency/sleep-on-hot-path";
    f.path = "a.py";
    f.range = range_of(r, "sleep");
    f.range.end_byte = static_cast<std::uint32_t>(r.source.rfind(')') + 1);
    std::vector<Finding> fs = {f};
    ProjectModel p;
    p.files.push_back(&r);
    assign_fingerprints(fs, p);
    EXPECT_EQ(fs[0].fingerprint, fingerprint_of(a, "sleep(3)"));
}

TEST(Fingerprint, ChangesWhenTheFlaggedCodeChanges) {
    const FileModel a = tokenize("a.py", "sleep(3)\n");
    const FileModel b = tokenize("a.py", "sleep(30)\n");
    EXPECT_NE(fingerprint_of(a, "sleep(3)"), fingerprint_of(b, "sleep(30)"));
    const FileModel other_path = tokenize("b.py", "sleep(3)\n");
    EXPECT_NE(fingerprint_of(a, "sleep(3)"), fingerprint_of(other_path, "sleep(3)"));
}

TEST(Fingerprint, ShortRangesTakeTheFollowingTokens) {
    // Two `if`s: the anchor of each is the `if` and what follows, so they differ without
    // relying on their order.
    const FileModel a = tokenize("a.py", "if a > 1:\n    pass\nif b > 2:\n    pass\n");
    const FileModel swapped = tokenize("a.py", "if b > 2:\n    pass\nif a > 1:\n    pass\n");
    EXPECT_NE(fingerprint_of(a, "if", 0), fingerprint_of(a, "if", 1));
    EXPECT_EQ(fingerprint_of(a, "if", 0), fingerprint_of(swapped, "if", 1));
    EXPECT_EQ(fingerprint_of(a, "if", 1), fingerprint_of(swapped, "if", 0));
}

TEST(Fingerprint, FunctionFindingsAnchorOnTheFunction) {
    FileModel m = tokenize("a.py", "def handle(a, b):\n    return a\n");
    Function fn;
    fn.name = "handle";
    fn.qualified_name = "handle";
    fn.range = range_of(m, "def");
    fn.range.end_byte = static_cast<std::uint32_t>(m.source.size());
    fn.name_range = range_of(m, "handle");
    m.functions.push_back(fn);
    Finding f;
    f.rule = "complexity/cyclomatic";
    f.path = "a.py";
    f.function = "handle";
    f.range = fn.name_range;
    EXPECT_EQ(fingerprint_anchor(f, m), "fn:handle") << "parameters may change; the function stays";
}

TEST(Fingerprint, RepeatsGetOccurrenceIndices) {
    const FileModel m = tokenize("a.py", "sleep(3)\nsleep(3)\n");
    Finding f;
    f.rule = "r/x";
    f.path = "a.py";
    f.range = range_of(m, "sleep(3)", 0);
    Finding g = f;
    g.range = range_of(m, "sleep(3)", 1);
    std::vector<Finding> fs = {g, f};
    ProjectModel p;
    p.files.push_back(&m);
    assign_fingerprints(fs, p);
    EXPECT_NE(fs[0].fingerprint, fs[1].fingerprint);
}

TEST(Fingerprint, ContentHashNamesContentAndLength) {
    EXPECT_EQ(content_hash("abc"), content_hash("abc"));
    EXPECT_NE(content_hash("abc"), content_hash("abd"));
    EXPECT_EQ(content_hash("").size(), 24u);
}
