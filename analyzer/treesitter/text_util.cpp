#include "analyzer/treesitter/text_util.hpp"

#include <cctype>

namespace cq::treesitter {
namespace {

bool is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

}  // namespace

std::string strip_whitespace(std::string_view s, std::size_t cap) {
    auto is_word = [](char ch) {
        const auto u = static_cast<unsigned char>(ch);
        return std::isalnum(u) != 0 || ch == '_' || u >= 0x80;
    };
    std::string out;
    out.reserve(s.size() < cap ? s.size() : cap);
    bool pending_space = false;
    for (const char ch : s) {
        if (is_space(ch)) {
            pending_space = true;
            continue;
        }
        // `obj.template get<T>`, `unsigned int`: two words stay apart
        if (pending_space && !out.empty() && is_word(out.back()) && is_word(ch)) {
            out += ' ';
        }
        pending_space = false;
        out += ch;
        if (out.size() >= cap + 4) {
            break;
        }
    }
    if (out.size() > cap) {
        out.resize(utf8_prefix(out, cap).size());
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace cq::treesitter
