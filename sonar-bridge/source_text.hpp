// A file's text as the consumers of cq's reports count it: lines split on LF, CRLF and lone CR,
// columns in UTF-16 code units (SonarQube counts Java chars; SARIF with columnKind
// utf16CodeUnits does the same). Converts cq's positions (1-based lines, 1-based byte columns,
// LF-separated lines, end exclusive) into those, and clamps or rejects what does not fit.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq {

// A position in consumer terms: 1-based line, 0-based UTF-16 column.
struct TextPos {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend bool operator==(const TextPos&, const TextPos&) = default;
};

// A range checked against the file. `kind` says how precise it is: a span with columns, a
// whole line (only `start.line` is meaningful), or the whole file (no line at all).
struct CheckedRange {
    enum class Kind : std::uint8_t { span, line, file };
    Kind kind = Kind::file;
    TextPos start;
    TextPos end;  // exclusive; start < end, both inside their lines, neither line empty
    bool degraded = false;  // the input range could not be kept as given
};

class SourceText {
public:
    // `bytes` is the file's content (UTF-8; a leading BOM is not counted, as SonarQube drops
    // it). Invalid UTF-8 bytes count one code unit each (they decode to U+FFFD).
    explicit SourceText(std::string bytes);

    // Number of lines as SonarQube counts them: line terminators + 1 (a trailing newline opens
    // an empty last line).
    std::uint32_t line_count() const { return static_cast<std::uint32_t>(m_starts.size()); }
    // Length of a 1-based line in UTF-16 code units, terminator excluded; 0 when out of range.
    std::uint32_t line_length(std::uint32_t line) const;
    // The bytes of a 1-based line, terminator excluded (empty when out of range).
    std::string_view line_bytes(std::uint32_t line) const;
    const std::string& bytes() const { return m_bytes; }

    // Byte offset of a cq position (1-based line split on LF only, 1-based byte column), or
    // nullopt when the line does not exist. A column past the end of its line is clamped to it.
    std::optional<std::size_t> offset_of(std::uint32_t line, std::uint32_t byte_column) const;

    // The consumer position of a byte offset. An offset inside a multi-byte character moves to
    // its start (round_up == false) or past its end (round_up == true); an offset inside a
    // line terminator is the end of that line.
    TextPos position_of(std::size_t offset, bool round_up) const;

    // Maps a cq Range (see file_model.hpp) to a range that is valid for this file:
    //   - a span when the columns fit (start < end, inside the lines, no column on an empty
    //     line); an end at column 0 of a later line, or a start at the end of its line, are
    //     moved onto the neighbouring text first;
    //   - otherwise the start line as a whole line, when that line exists;
    //   - otherwise the whole file.
    // A range without columns (start_column == 0) is a whole-line range.
    CheckedRange check(const Range& range) const;

private:
    std::uint32_t utf16_units(std::size_t from, std::size_t to) const;

    std::string m_bytes;
    std::size_t m_bom = 0;                   // 3 when the file starts with a UTF-8 BOM
    std::vector<std::size_t> m_starts;       // byte offset where each consumer line starts
    std::vector<std::size_t> m_ends;         // byte offset where its content ends
    std::vector<std::size_t> m_lf_starts;    // cq's lines (split on LF only)
};

// 0-based UTF-16 length of a UTF-8 string (invalid bytes count one unit each).
std::uint32_t utf16_length(std::string_view utf8);

}  // namespace cq

namespace cq {

struct ScanResult;

// The text of the files a report points into: the scan's FileModel::source when the file was
// analyzed, else the file read from disk under the scan root (a secondary location may point
// into a file that was not scanned). Not thread-safe.
class SourceCache {
public:
    explicit SourceCache(const ScanResult& scan);
    // nullptr when the file is neither in the scan nor readable.
    const SourceText* get(const std::string& path);

private:
    const ScanResult& m_scan;
    std::map<std::string_view, const FileModel*> m_models;  // the scan's files by path
    std::map<std::string, std::unique_ptr<SourceText>, std::less<>> m_texts;
};

}  // namespace cq
