#include "analyzer/model/file_model.hpp"

#include <algorithm>

namespace cq {

std::string_view language_name(Language lang) {
    switch (lang) {
    case Language::python: return "python";
    case Language::javascript: return "javascript";
    case Language::typescript: return "typescript";
    case Language::c: return "c";
    case Language::cpp: return "cpp";
    }
    return "unknown";
}

bool is_c_family(Language lang) { return lang == Language::c || lang == Language::cpp; }

bool is_js_family(Language lang) {
    return lang == Language::javascript || lang == Language::typescript;
}

std::string_view control_kind_name(ControlKind kind) {
    switch (kind) {
    case ControlKind::if_: return "if";
    case ControlKind::else_if: return "else if";
    case ControlKind::else_: return "else";
    case ControlKind::switch_: return "switch";
    case ControlKind::case_: return "case";
    case ControlKind::loop: return "loop";
    case ControlKind::catch_: return "catch";
    case ControlKind::ternary: return "ternary";
    case ControlKind::logical_run: return "logical operators";
    case ControlKind::jump: return "jump";
    case ControlKind::nested_function: return "nested function";
    case ControlKind::recursion: return "recursion";
    }
    return "unknown";
}

std::int32_t FileModel::function_at(std::uint32_t byte) const {
    // Functions are ordered by start, parent before child, and nest: the innermost function
    // holding `byte` is the last one starting at or before it, or one of that one's ancestors.
    const auto after = std::upper_bound(
        functions.begin(), functions.end(), byte,
        [](std::uint32_t b, const Function& f) { return b < f.range.start_byte; });
    auto i = static_cast<std::int32_t>(after - functions.begin()) - 1;
    while (i >= 0) {
        const Function& f = functions[static_cast<std::size_t>(i)];
        if (f.range.contains_byte(byte)) {
            return i;
        }
        i = f.parent < i ? f.parent : -1;
    }
    return -1;
}

std::string_view FileModel::text(const Range& r) const {
    if (r.start_byte > r.end_byte || r.end_byte > source.size()) {
        return {};
    }
    return std::string_view(source).substr(r.start_byte, r.end_byte - r.start_byte);
}

std::string_view FileModel::line_text(std::uint32_t line) const {
    if (line == 0) {
        return {};
    }
    std::string_view s(source);
    std::size_t pos = 0;
    for (std::uint32_t l = 1; l < line; ++l) {
        std::size_t nl = s.find('\n', pos);
        if (nl == std::string_view::npos) {
            return {};
        }
        pos = nl + 1;
    }
    std::size_t end = s.find('\n', pos);
    if (end == std::string_view::npos) {
        end = s.size();
    }
    std::string_view out = s.substr(pos, end - pos);
    if (!out.empty() && out.back() == '\r') {
        out.remove_suffix(1);
    }
    return out;
}

}  // namespace cq
