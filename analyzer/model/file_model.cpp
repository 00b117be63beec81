#include "analyzer/model/file_model.hpp"

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
    // functions are ordered parent-before-child by start position, so the last match is the
    // innermost one.
    std::int32_t best = -1;
    for (std::size_t i = 0; i < functions.size(); ++i) {
        const Range& r = functions[i].range;
        if (r.start_byte > byte) {
            break;
        }
        if (r.contains_byte(byte)) {
            best = static_cast<std::int32_t>(i);
        }
    }
    return best;
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
