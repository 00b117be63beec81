#include <cstdint>
#include <string>

#include "analyzer/lexer/lexer.hpp"

namespace cq::lexer {
namespace {

int hex_value(char ch) {
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x110000) {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Reads up to `max_digits` hex digits at s[i...]; returns the number read.
std::size_t read_hex(std::string_view s, std::size_t i, std::size_t max_digits,
                     std::uint32_t& value) {
    std::size_t n = 0;
    value = 0;
    while (n < max_digits && i + n < s.size()) {
        const int v = hex_value(s[i + n]);
        if (v < 0) {
            break;
        }
        value = value * 16 + static_cast<std::uint32_t>(v);
        ++n;
    }
    return n;
}

std::string unescape(std::string_view body, std::size_t cap) {
    std::string out;
    out.reserve(body.size() < cap ? body.size() : cap);
    for (std::size_t i = 0; i < body.size() && out.size() < cap; ++i) {
        const char ch = body[i];
        if (ch != '\\' || i + 1 >= body.size()) {
            out += ch;
            continue;
        }
        const char e = body[++i];
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0':
            if (i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7') {
                out += '\\';
                out += e;
            } else {
                out += '\0';
            }
            break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'a': out += '\a'; break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case '`': out += '`'; break;
        case '$': out += '$'; break;
        case '\n': break;  // line continuation
        case 'x': {
            std::uint32_t v = 0;
            const std::size_t n = read_hex(body, i + 1, 2, v);
            if (n == 0) {
                out += "\\x";
            } else {
                append_utf8(out, v);
                i += n;
            }
            break;
        }
        case 'u':
        case 'U': {
            std::uint32_t v = 0;
            std::size_t n = 0;
            if (e == 'u' && i + 1 < body.size() && body[i + 1] == '{') {
                n = read_hex(body, i + 2, 6, v);
                if (n > 0 && i + 2 + n < body.size() && body[i + 2 + n] == '}') {
                    append_utf8(out, v);
                    i += n + 2;
                    break;
                }
                n = 0;
            } else {
                n = read_hex(body, i + 1, e == 'u' ? 4 : 8, v);
            }
            if (n == 0) {
                out += '\\';
                out += e;
            } else {
                append_utf8(out, v);
                i += n;
            }
            break;
        }
        default:
            out += '\\';
            out += e;
            break;
        }
    }
    return std::string(utf8_prefix(out, cap));
}


}  // namespace

std::string_view utf8_prefix(std::string_view s, std::size_t cap) {
    if (s.size() <= cap) {
        return s;
    }
    std::size_t n = cap;
    // Step back over continuation bytes so that no character is cut in two.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
        --n;
    }
    return s.substr(0, n);
}

std::string decode_string_literal(std::string_view raw, Language lang, std::size_t cap) {
    std::string_view s = raw;
    bool is_raw = false;
    if (lang == Language::python) {
        std::size_t p = 0;
        while (p < s.size() && p < 3 && s[p] != '"' && s[p] != '\'') {
            if (s[p] == 'r' || s[p] == 'R') {
                is_raw = true;
            }
            ++p;
        }
        s.remove_prefix(p);
    } else if (is_c_family(lang)) {
        std::size_t p = 0;
        while (p < s.size() && p < 3 && s[p] != '"' && s[p] != '\'') {
            if (s[p] == 'R') {
                is_raw = true;
            }
            ++p;
        }
        s.remove_prefix(p);
        if (is_raw && s.size() >= 2 && s.front() == '"') {
            // R"delim( ... )delim"
            const std::size_t open = s.find('(');
            if (open != std::string_view::npos) {
                const std::string_view delim = s.substr(1, open - 1);
                std::string_view body = s.substr(open + 1);
                const std::size_t tail = delim.size() + 2;  // ) delim "
                if (body.size() >= tail) {
                    body.remove_suffix(tail);
                }
                return std::string(utf8_prefix(body, cap));
            }
        }
    }
    if (s.empty()) {
        return {};
    }
    const char q = s.front();
    if (q != '"' && q != '\'' && q != '`') {
        return std::string(utf8_prefix(s, cap));
    }
    std::size_t quote_len = 1;
    if (lang == Language::python && s.size() >= 6 && s[1] == q && s[2] == q) {
        quote_len = 3;
    }
    s.remove_prefix(quote_len);
    if (s.size() >= quote_len) {
        bool closed = true;
        for (std::size_t k = 0; k < quote_len; ++k) {
            if (s[s.size() - 1 - k] != q) {
                closed = false;
            }
        }
        if (closed) {
            s.remove_suffix(quote_len);
        }
    }
    if (is_raw) {
        return std::string(utf8_prefix(s, cap));
    }
    return unescape(s, cap);
}


}  // namespace cq::lexer
