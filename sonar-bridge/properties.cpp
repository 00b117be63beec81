#include "sonar-bridge/properties.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace cq {

namespace {

bool key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
           c == ':';
}

// Escapes a .properties value: backslash, leading blanks, control characters and everything
// outside ASCII (the file is read as ISO-8859-1 by Java's Properties).
std::string escape_value(std::string_view value) {
    std::string out;
    std::size_t i = 0;
    auto push_unit = [&out](std::uint32_t unit) {
        char buf[16];  // "\uXXXX": a UTF-16 unit, never more than four digits
        std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(unit & 0xFFFFu));
        out += buf;
    };
    while (i < value.size()) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c < 0x80u) {
            if (c == '\\') {
                out += "\\\\";
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (c == '\t') {
                out += "\\t";
            } else if (c < 0x20u) {
                push_unit(c);
            } else if (c == ' ' && out.empty()) {
                out += "\\ ";
            } else {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        // Decode one UTF-8 sequence; a malformed byte becomes U+FFFD.
        std::uint32_t cp = 0xFFFD;
        std::size_t len = 1;
        if (c >= 0xC2u && c <= 0xDFu) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0u && c <= 0xEFu) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0u && c <= 0xF4u) {
            len = 4;
            cp = c & 0x07u;
        }
        bool ok = len > 1 && i + len <= value.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(value[i + k]);
            ok = (cc & 0xC0u) == 0x80u;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (!ok) {
            cp = 0xFFFD;
            len = 1;
        }
        if (cp >= 0x10000u) {
            cp -= 0x10000u;
            push_unit(0xD800u + (cp >> 10));
            push_unit(0xDC00u + (cp & 0x3FFu));
        } else {
            push_unit(cp);
        }
        i += len;
    }
    return out;
}

}  // namespace

std::string sanitize_project_key(std::string_view key) {
    std::string out;
    bool has_non_digit = false;
    for (const char c : key) {
        if ((static_cast<unsigned char>(c) & 0xC0u) == 0x80u) {
            continue;  // a UTF-8 continuation byte: its character is already one '-'
        }
        const char k = key_char(c) ? c : '-';
        has_non_digit = has_non_digit || std::isdigit(static_cast<unsigned char>(k)) == 0;
        out += k;
    }
    if (!out.empty() && !has_non_digit) {
        out = "p" + out;
    }
    return out;
}

std::string branch_project_key(std::string_view key, std::string_view branch) {
    if (branch.empty()) {
        return sanitize_project_key(key);
    }
    return sanitize_project_key(std::string(key) + "-" + std::string(branch));
}

std::string sonar_properties_text(const SonarProperties& props) {
    std::string out = "sonar.externalIssuesReportPaths=" + escape_value(props.report_path) + "\n";
    if (!props.project_key.empty()) {
        out += "sonar.projectKey=" + branch_project_key(props.project_key, props.branch) + "\n";
        std::string name = props.project_key;
        if (!props.branch.empty()) {
            name += " (" + props.branch + ")";
        }
        out += "sonar.projectName=" + escape_value(name) + "\n";
    }
    return out;
}

}  // namespace cq
