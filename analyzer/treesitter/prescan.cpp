#include "analyzer/treesitter/prescan.hpp"

#include <cstdint>

namespace cq::treesitter {
namespace {

constexpr std::size_t k_safe_size = 64 * 1024;
// Both well below the 65,536 pending subtrees that break tree-sitter 0.20.7 (one bracket or
// token can leave more than one subtree on the stack), and far above real code: nesting in the
// thousands or one statement of 40,000 tokens without a comma is generated noise at best.
constexpr std::uint32_t k_max_depth = 16'000;
constexpr std::uint32_t k_max_run = 40'000;

bool is_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$' || c >= 0x80;
}

}  // namespace

std::string parse_hazard(std::string_view src, Language lang) {
    if (src.size() < k_safe_size) {
        return {};
    }
    const bool python = lang == Language::python;
    const bool c_family = is_c_family(lang);
    const bool backtick = is_js_family(lang);
    const std::size_t n = src.size();
    std::uint32_t depth = 0;
    std::uint32_t max_depth = 0;
    std::uint32_t run = 0;
    std::uint32_t max_run = 0;
    bool line_start = true;
    char last = '\n';  // last significant character, for Python line continuations
    auto token = [&] {
        ++run;
        if (run > max_run) {
            max_run = run;
        }
    };
    std::size_t i = 0;
    while (i < n) {
        const char ch = src[i];
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '\n') {
            if (python && depth == 0 && last != '\\') {
                run = 0;
            }
            line_start = true;
            ++i;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            ++i;
            continue;
        }
        const bool at_line_start = line_start;
        line_start = false;
        // comments (and C preprocessor lines) are skipped to the end of the line
        if ((ch == '#' && (python || (c_family && at_line_start))) ||
            (!python && ch == '/' && i + 1 < n && src[i + 1] == '/')) {
            while (i < n && src[i] != '\n') {
                ++i;
            }
            continue;
        }
        if (!python && ch == '/' && i + 1 < n && src[i + 1] == '*') {
            const std::size_t end = src.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
            continue;
        }
        // strings count as one token
        if (ch == '"' || ch == '\'' || (backtick && ch == '`')) {
            const bool triple = python && i + 2 < n && src[i + 1] == ch && src[i + 2] == ch;
            const bool multiline = triple || ch == '`';
            std::size_t j = i + (triple ? 3 : 1);
            while (j < n) {
                if (src[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (src[j] == '\n' && !multiline) {
                    break;
                }
                if (src[j] == ch &&
                    (!triple || (j + 2 < n && src[j + 1] == ch && src[j + 2] == ch))) {
                    j += triple ? 3 : 1;
                    break;
                }
                ++j;
            }
            i = j > n ? n : j;
            token();
            last = ch;
            continue;
        }
        if (is_word(u)) {
            while (i < n && is_word(static_cast<unsigned char>(src[i]))) {
                ++i;
            }
            token();
            last = 'a';
            continue;
        }
        ++i;
        last = ch;
        switch (ch) {
        case '(':
        case '[':
        case '{':
            ++depth;
            if (depth > max_depth) {
                max_depth = depth;
            }
            token();
            break;
        case ')':
        case ']':
        case '}':
            if (depth > 0) {
                --depth;
            }
            token();
            if (ch == '}' && !python) {
                run = 0;
            }
            break;
        case ';':
        case ',':
            run = 0;
            break;
        default:
            token();
            break;
        }
        if (max_depth > k_max_depth) {
            return "brackets nested more than " + std::to_string(k_max_depth) + " deep";
        }
        if (max_run > k_max_run) {
            return "one statement of more than " + std::to_string(k_max_run) +
                   " tokens without a separator";
        }
    }
    if (max_run > k_max_run) {
        return "one statement of more than " + std::to_string(k_max_run) +
               " tokens without a separator";
    }
    return {};
}

}  // namespace cq::treesitter
