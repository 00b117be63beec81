#include "sonar-bridge/source_text.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "analyzer/engine/engine.hpp"

namespace cq {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0u) == 0x80u; }

// Length in bytes and in UTF-16 units of the character starting at `pos` (pos < end).
// Malformed input counts as a one-byte character of one unit, as a decoder that replaces it
// with U+FFFD would.
struct CharInfo {
    std::size_t bytes = 1;
    std::uint32_t units = 1;
};

CharInfo char_at(std::string_view s, std::size_t pos, std::size_t end) {
    const auto c = static_cast<unsigned char>(s[pos]);
    std::size_t need = 0;
    std::uint32_t units = 1;
    if (c < 0x80u) {
        return {};
    }
    if (c >= 0xC2u && c <= 0xDFu) {
        need = 1;
    } else if (c >= 0xE0u && c <= 0xEFu) {
        need = 2;
    } else if (c >= 0xF0u && c <= 0xF4u) {
        need = 3;
        units = 2;  // outside the BMP: a surrogate pair
    } else {
        return {};
    }
    if (pos + need >= end) {
        return {};  // truncated sequence
    }
    for (std::size_t i = 1; i <= need; ++i) {
        if (!is_continuation(static_cast<unsigned char>(s[pos + i]))) {
            return {};
        }
    }
    return {need + 1, units};
}

}  // namespace

std::uint32_t utf16_length(std::string_view utf8) {
    std::uint32_t units = 0;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const CharInfo ch = char_at(utf8, pos, utf8.size());
        units += ch.units;
        pos += ch.bytes;
    }
    return units;
}

SourceText::SourceText(std::string bytes) : m_bytes(std::move(bytes)) {
    if (m_bytes.size() >= 3 && m_bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        m_bom = 3;
    }
    m_starts.push_back(0);
    m_lf_starts.push_back(0);
    for (std::size_t i = 0; i < m_bytes.size(); ++i) {
        const char c = m_bytes[i];
        if (c == '\n') {
            m_ends.push_back(i);
            m_starts.push_back(i + 1);
            m_lf_starts.push_back(i + 1);
        } else if (c == '\r') {
            m_ends.push_back(i);
            if (i + 1 < m_bytes.size() && m_bytes[i + 1] == '\n') {
                ++i;
                m_lf_starts.push_back(i + 1);
            }
            m_starts.push_back(i + 1);
        }
    }
    m_ends.push_back(m_bytes.size());
}

std::string_view SourceText::line_bytes(std::uint32_t line) const {
    if (line == 0 || line > line_count()) {
        return {};
    }
    std::size_t from = m_starts[line - 1];
    if (line == 1) {
        from = std::max(from, m_bom);
    }
    const std::size_t to = std::max(from, m_ends[line - 1]);
    return std::string_view(m_bytes).substr(from, to - from);
}

std::uint32_t SourceText::line_length(std::uint32_t line) const {
    return utf16_length(line_bytes(line));
}

std::uint32_t SourceText::utf16_units(std::size_t from, std::size_t to) const {
    return utf16_length(std::string_view(m_bytes).substr(from, to - from));
}

std::optional<std::size_t> SourceText::offset_of(std::uint32_t line, std::uint32_t byte_column) const {
    if (line == 0 || line > m_lf_starts.size()) {
        return std::nullopt;
    }
    const std::size_t start = m_lf_starts[line - 1];
    const std::size_t end = line < m_lf_starts.size() ? m_lf_starts[line] - 1 : m_bytes.size();
    const std::size_t col = byte_column == 0 ? 0 : byte_column - 1;
    return std::min(start + col, end);
}

TextPos SourceText::position_of(std::size_t offset, bool round_up) const {
    offset = std::min(offset, m_bytes.size());
    // The consumer line holding `offset`: the last line starting at or before it.
    const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    const std::size_t index = static_cast<std::size_t>(it - m_starts.begin()) - 1;
    std::size_t from = m_starts[index];
    if (index == 0) {
        from = std::max(from, m_bom);
    }
    const std::size_t end = std::max(from, m_ends[index]);
    offset = std::clamp(offset, from, end);
    std::uint32_t units = 0;
    std::size_t pos = from;
    const std::string_view text(m_bytes);
    while (pos < offset) {
        const CharInfo ch = char_at(text, pos, end);
        if (pos + ch.bytes > offset) {
            if (round_up) {
                units += ch.units;
            }
            break;
        }
        units += ch.units;
        pos += ch.bytes;
    }
    return {static_cast<std::uint32_t>(index + 1), units};
}

CheckedRange SourceText::check(const Range& range) const {
    CheckedRange out;
    const auto start_offset = offset_of(range.start_line, range.start_column == 0 ? 1 : range.start_column);
    if (!start_offset) {
        out.kind = CheckedRange::Kind::file;
        out.degraded = true;
        return out;
    }
    TextPos start = position_of(*start_offset, false);
    // The fallback: the whole start line (valid even when that line is empty).
    out.kind = CheckedRange::Kind::line;
    out.start = {start.line, 0};
    out.end = {start.line, line_length(start.line)};
    if (range.start_column == 0) {
        return out;
    }
    std::optional<std::size_t> end_offset;
    constexpr std::uint32_t k_line_end = std::numeric_limits<std::uint32_t>::max();
    if (range.end_line < range.start_line || range.end_line == 0) {
        end_offset = offset_of(range.start_line, k_line_end);
    } else {
        end_offset = offset_of(range.end_line, range.end_column == 0 ? k_line_end : range.end_column);
    }
    if (!end_offset) {
        out.degraded = true;
        return out;
    }
    TextPos end = position_of(*end_offset, true);
    // An end at the very start of a later line ends on the previous line's last character;
    // a start at the end of its line begins on the next line.
    while (end.line > start.line && end.column == 0) {
        end = {end.line - 1, line_length(end.line - 1)};
    }
    while (start.line < end.line && start.column >= line_length(start.line)) {
        start = {start.line + 1, 0};
    }
    const std::uint32_t start_len = line_length(start.line);
    const std::uint32_t end_len = line_length(end.line);
    const bool ordered = start.line < end.line || (start.line == end.line && start.column < end.column);
    const bool valid = start.line >= 1 && end.line <= line_count() && start_len > 0 && end_len > 0 &&
                       start.column <= start_len && end.column <= end_len && ordered;
    if (!valid) {
        out.degraded = true;
        return out;
    }
    out.kind = CheckedRange::Kind::span;
    out.start = start;
    out.end = end;
    return out;
}

}  // namespace cq

namespace cq {

SourceCache::SourceCache(const ScanResult& scan) : m_scan(scan) {
    for (const auto& f : scan.files) {
        m_models.emplace(f->path, f.get());
    }
}

const SourceText* SourceCache::get(const std::string& path) {
    const auto cached = m_texts.find(path);
    if (cached != m_texts.end()) {
        return cached->second.get();
    }
    std::unique_ptr<SourceText> text;
    const auto model = m_models.find(path);
    if (model != m_models.end()) {
        text = std::make_unique<SourceText>(model->second->source);
    } else if (!path.empty()) {
        const std::filesystem::path full = std::filesystem::path(m_scan.root) / path;
        std::ifstream in(full, std::ios::binary);
        if (in) {
            std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (!in.bad()) {
                text = std::make_unique<SourceText>(std::move(bytes));
            }
        }
    }
    const SourceText* raw = text.get();
    m_texts.emplace(path, std::move(text));
    return raw;
}

}  // namespace cq
