#include "analyzer/lexer/lexer.hpp"

#include <algorithm>
#include <cstring>

#include "analyzer/lexer/scanner.hpp"

namespace cq::lexer {

void lex(Language lang, std::string_view source, std::vector<Token>& tokens,
         std::vector<std::uint32_t>& comment_lines) {
    tokens.reserve(tokens.size() + source.size() / 6 + 16);
    detail::Scanner s(source, tokens, comment_lines);
    switch (lang) {
    case Language::python: detail::lex_python(s); break;
    case Language::javascript: detail::lex_javascript(s, false); break;
    case Language::typescript: detail::lex_javascript(s, true); break;
    case Language::c: detail::lex_c_family(s, false); break;
    case Language::cpp: detail::lex_c_family(s, true); break;
    }
}

std::uint32_t count_lines(std::string_view source) {
    if (source.empty()) {
        return 0;
    }
    std::uint32_t n = 0;
    const char* p = source.data();
    const char* const end = p + source.size();
    while (p < end) {
        p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (p == nullptr) {
            break;
        }
        ++n;
        ++p;
    }
    return source.back() == '\n' ? n : n + 1;
}

std::uint32_t code_lines(const std::vector<Token>& tokens) {
    std::uint32_t last = 0;
    std::uint32_t n = 0;
    for (const Token& t : tokens) {
        if (t.line != last) {
            ++n;
            last = t.line;
        }
    }
    return n;
}

}  // namespace cq::lexer
