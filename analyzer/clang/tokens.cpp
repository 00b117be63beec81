#include "analyzer/clang/tokens.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "analyzer/clang/cx_util.hpp"

namespace cq::clangfe::detail {

namespace {

// The file and byte offset of a location (line and column are left uncomputed: libclang
// scans back to the line start for a column).
bool file_offset(CXSourceLocation loc, unsigned& offset) {
    CXFile file = nullptr;
    clang_getFileLocation(loc, &file, nullptr, nullptr, &offset);
    return file != nullptr;
}

// Whether the byte before `end` is whitespace between tokens (a backslash-newline included).
bool is_token_gap(std::string_view source, unsigned begin, unsigned end) {
    const char c = source[end - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        return true;
    }
    // A line continuation: `\` followed by the newline already trimmed.
    return c == '\\' && end > begin + 1 && end < source.size() &&
           (source[end] == '\n' || source[end] == '\r');
}

// Line numbers for increasing offsets, in one pass over the source.
class LineCursor {
public:
    explicit LineCursor(std::string_view source) : m_source(source) {}
    std::uint32_t line_of(std::uint32_t offset) {
        while (m_pos < offset && m_pos < m_source.size()) {
            if (m_source[m_pos++] == '\n') {
                ++m_line;
            }
        }
        return m_line;
    }

private:
    std::string_view m_source;
    std::size_t m_pos = 0;
    std::uint32_t m_line = 1;
};

struct RawToken {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint32_t line = 0;
    CXTokenKind kind = CXToken_Punctuation;
};

// tree-sitter-c's primitive_type, plus the literal words its grammars name as nodes: all read
// as keywords there, while clang lexes most of them as identifiers (typedefs and macros).
bool is_syntactic_keyword(std::string_view w) {
    static constexpr std::array<std::string_view, 33> k_words = {
        "bool",      "char",      "int",        "float",     "double",    "void",
        "size_t",    "ssize_t",   "ptrdiff_t",  "intptr_t",  "uintptr_t", "charptr_t",
        "nullptr_t", "max_align_t", "int8_t",   "int16_t",   "int32_t",   "int64_t",
        "uint8_t",   "uint16_t",  "uint32_t",   "uint64_t",  "char8_t",   "char16_t",
        "char32_t",  "char64_t",  "true",       "false",     "NULL",      "nullptr",
        "defined",   "override",  "final"};
    return std::find(k_words.begin(), k_words.end(), w) != k_words.end();
}

// Keywords to clang that the tree-sitter grammars read as names: the C++ casts (calls of a
// template function name there) and C11's _Static_assert (a call there).
bool is_name_keyword(std::string_view w) {
    return w == "static_cast" || w == "dynamic_cast" || w == "reinterpret_cast" ||
           w == "const_cast" || w == "_Static_assert";
}

bool is_number_text(std::string_view t) {
    return !t.empty() && ((t[0] >= '0' && t[0] <= '9') ||
                          (t[0] == '.' && t.size() > 1 && t[1] >= '0' && t[1] <= '9'));
}

// The directives tree-sitter-c names in its grammar; any other (#pragma, #error, #undef, ...)
// is a preproc_call: a directive token and one argument literal.
bool is_grammar_directive(std::string_view name) {
    static constexpr std::array<std::string_view, 10> k_names = {
        "include", "define", "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else",
        "endif"};
    return std::find(k_names.begin(), k_names.end(), name) != k_names.end();
}

// The end of the logical line holding `from`: the first newline not escaped by a backslash.
std::uint32_t logical_line_end(std::string_view src, std::uint32_t from) {
    std::size_t i = from;
    while (i < src.size()) {
        const std::size_t nl = src.find('\n', i);
        if (nl == std::string_view::npos) {
            return static_cast<std::uint32_t>(src.size());
        }
        std::size_t k = nl;
        if (k > 0 && src[k - 1] == '\r') {
            --k;
        }
        if (k == 0 || src[k - 1] != '\\') {
            return static_cast<std::uint32_t>(nl);
        }
        i = nl + 1;
    }
    return static_cast<std::uint32_t>(src.size());
}

bool only_blanks_before(std::string_view src, std::uint32_t at) {
    for (std::uint32_t i = at; i > 0; --i) {
        const char c = src[i - 1];
        if (c == '\n') {
            return true;
        }
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') {
            return false;
        }
    }
    return true;
}

class TokenBuilder {
public:
    TokenBuilder(std::string_view source, Language lang, const SourceMap& map,
                 std::vector<RawToken> raw, std::vector<Token>& out,
                 std::vector<std::uint32_t>& comment_lines)
        : m_src(source), m_cpp(lang == Language::cpp), m_map(map), m_raw(std::move(raw)),
          m_out(out),
          m_comment_lines(comment_lines), m_identifier_norm(fnv1a(k_identifier_norm_text)),
          m_literal_norm(fnv1a(k_literal_norm_text)) {}

    void run() {
        m_out.reserve(m_raw.size());
        std::size_t i = 0;
        while (i < m_raw.size()) {
            if (m_newline != k_none && m_raw[i].begin > m_newline) {
                push_newline();
            }
            if (m_raw[i].kind == CXToken_Comment) {
                comment(i++);
                continue;
            }
            if (text(i) == "#" && only_blanks_before(m_src, m_raw[i].begin)) {
                i = directive(i);
                continue;
            }
            i = ordinary(i);
        }
        if (m_newline != k_none) {
            push_newline();
        }
    }

private:
    std::string_view text(std::size_t i) const {
        return i < m_raw.size() ? m_src.substr(m_raw[i].begin, m_raw[i].end - m_raw[i].begin)
                                : std::string_view();
    }

    void push(std::uint32_t begin, std::uint32_t end, std::uint32_t line, TokenKind kind) {
        Token t;
        t.kind = kind;
        t.start_byte = begin;
        t.end_byte = end;
        t.line = line;
        t.exact_hash = fnv1a(m_src.substr(begin, end - begin));
        t.norm_hash = kind == TokenKind::identifier ? m_identifier_norm
                      : kind == TokenKind::literal  ? m_literal_norm
                                                    : t.exact_hash;
        m_out.push_back(t);
    }

    void push_newline() {
        push(m_newline, m_newline + 1, m_map.line_of(m_newline), TokenKind::op);
        m_newline = k_none;
    }

    void comment(std::size_t i) {
        const std::uint32_t last = m_map.line_of(m_raw[i].end - 1);
        for (std::uint32_t l = m_raw[i].line; l <= last; ++l) {
            m_comment_lines.push_back(l);
        }
    }

    // The previous code token is `::` (`std::size_t` is a qualified name, not a primitive).
    bool after_scope(std::size_t i) const {
        for (std::size_t k = i; k-- > 0;) {
            if (m_raw[k].kind != CXToken_Comment) {
                return text(k) == "::";
            }
        }
        return false;
    }

    TokenKind kind_of(std::size_t i) const {
        const std::string_view t = text(i);
        switch (m_raw[i].kind) {
        case CXToken_Identifier:
            if (t == "defined" && m_raw[i].begin >= m_if_line_end) {
                return TokenKind::identifier;  // `defined` is special only in #if / #elif
            }
            return is_syntactic_keyword(t) && !after_scope(i) ? TokenKind::keyword
                                                               : TokenKind::identifier;
        case CXToken_Keyword:
            return is_name_keyword(t) ? TokenKind::identifier : TokenKind::keyword;
        case CXToken_Literal:
            return TokenKind::literal;
        default:
            return TokenKind::op;
        }
    }

    // One token; `-1` / `+1` where a value starts is one number, as tree-sitter lexes it.
    std::size_t ordinary(std::size_t i) {
        const std::string_view t = text(i);
        const RawToken& r = m_raw[i];
        if ((t == "-" || t == "+") && i + 1 < m_raw.size() &&
            m_raw[i + 1].kind == CXToken_Literal && m_raw[i + 1].begin == r.end &&
            is_number_text(text(i + 1)) && starts_value()) {
            push(r.begin, m_raw[i + 1].end, r.line, TokenKind::literal);
            return i + 2;
        }
        if (m_cpp) {
            track_angles(t);
            if (t == ">>" && m_angles >= 2) {
                // `vector<vector<int>>` closes two template argument lists: two tokens.
                m_angles -= 2;
                push(r.begin, r.begin + 1, r.line, TokenKind::op);
                push(r.begin + 1, r.end, r.line, TokenKind::op);
                return i + 1;
            }
            // `[[attr]]`: the brackets of an attribute are one token each side.
            if (t == "[" && i + 1 < m_raw.size() && text(i + 1) == "[" &&
                m_raw[i + 1].begin == r.end && !after_operand()) {
                ++m_attributes;
                push(r.begin, m_raw[i + 1].end, r.line, TokenKind::op);
                return i + 2;
            }
            if (t == "]" && m_attributes > 0 && i + 1 < m_raw.size() && text(i + 1) == "]" &&
                m_raw[i + 1].begin == r.end) {
                --m_attributes;
                push(r.begin, m_raw[i + 1].end, r.line, TokenKind::op);
                return i + 2;
            }
            if (t == "(" && i + 1 < m_raw.size() && text(i + 1) == ")" &&
                m_raw[i + 1].begin == r.end && !m_out.empty() && last_text() == "operator") {
                push(r.begin, m_raw[i + 1].end, r.line, TokenKind::op);  // operator()
                return i + 2;
            }
        }
        push(r.begin, r.end, r.line, kind_of(i));
        return i + 1;
    }

    std::string_view last_text() const {
        const Token& p = m_out.back();
        return m_src.substr(p.start_byte, p.end_byte - p.start_byte);
    }

    // Template argument lists left open in this statement: a `<` right after a name opens one
    // (a comparison's `<` rarely meets a `>>` before the statement ends).
    void track_angles(std::string_view t) {
        if (t == ";" || t == "{" || t == "}") {
            m_angles = 0;
        } else if (t == "<" && !m_out.empty() &&
                   (m_out.back().kind == TokenKind::identifier ||
                    m_out.back().kind == TokenKind::keyword)) {
            ++m_angles;
        } else if (t == ">" && m_angles > 0) {
            --m_angles;
        } else if (t == ">>" && m_angles < 2) {
            m_angles = m_angles > 0 ? m_angles - 1 : 0;
        }
    }

    // Whether the previous token ends an operand (`a[[]{...}()]` would be a subscript).
    bool after_operand() const {
        if (m_out.empty()) {
            return false;
        }
        const Token& prev = m_out.back();
        const std::string_view p = m_src.substr(prev.start_byte, prev.end_byte - prev.start_byte);
        return prev.kind == TokenKind::identifier || prev.kind == TokenKind::literal || p == ")" ||
               p == "]";
    }

    // Whether the next token starts an operand (so a sign is unary).
    bool starts_value() const {
        if (m_out.empty()) {
            return true;
        }
        const Token& prev = m_out.back();
        if (prev.kind == TokenKind::identifier || prev.kind == TokenKind::literal) {
            return false;
        }
        const std::string_view p = m_src.substr(prev.start_byte, prev.end_byte - prev.start_byte);
        return p != ")" && p != "]" && p != "}" && p != "this";
    }

    // The rest of a directive's logical line as one literal, as tree-sitter's preproc_arg
    // reads it: up to a `/*` comment or the end of the line, trailing blanks and any `//`
    // comment included.
    std::size_t literal_through(std::size_t i, std::uint32_t end) {
        std::size_t j = i;
        std::uint32_t stop = end;
        while (j < m_raw.size() && m_raw[j].begin < end) {
            if (m_raw[j].kind == CXToken_Comment && text(j).substr(0, 2) == "/*") {
                stop = m_raw[j].begin;
                break;
            }
            ++j;
        }
        if (j > i) {
            push(m_raw[i].begin, std::max(stop, m_raw[j - 1].end), m_raw[i].line,
                 TokenKind::literal);
        }
        return j;
    }

    std::size_t directive(std::size_t i) {
        const std::uint32_t line_end = logical_line_end(m_src, m_raw[i].begin);
        const std::size_t w = i + 1;
        const bool word = w < m_raw.size() && m_raw[w].begin < line_end &&
                          (m_raw[w].kind == CXToken_Identifier || m_raw[w].kind == CXToken_Keyword);
        if (!word) {
            push(m_raw[i].begin, m_raw[i].end, m_raw[i].line, TokenKind::op);  // `#` alone
            return i + 1;
        }
        const std::string_view name = text(w);
        const bool known = is_grammar_directive(name);
        // "#include", "# define", "#pragma": the directive is one token, a keyword.
        push(m_raw[i].begin, m_raw[w].end, m_raw[i].line, TokenKind::keyword);
        std::size_t j = w + 1;
        if (!known) {
            return literal_through(j, line_end);
        }
        if (name == "include") {
            if (j < m_raw.size() && m_raw[j].begin < line_end && text(j) == "<") {
                std::size_t k = j;
                while (k < m_raw.size() && m_raw[k].begin < line_end && text(k) != ">") {
                    ++k;
                }
                if (k < m_raw.size() && text(k) == ">") {
                    push(m_raw[j].begin, m_raw[k].end, m_raw[j].line, TokenKind::literal);
                    return k + 1;
                }
            }
            return j;
        }
        if (name == "define") {
            if (j >= m_raw.size() || m_raw[j].begin >= line_end) {
                return j;
            }
            push(m_raw[j].begin, m_raw[j].end, m_raw[j].line, TokenKind::identifier);
            ++j;
            if (j < m_raw.size() && text(j) == "(" && m_raw[j].begin == m_raw[j - 1].end) {
                // a function-like macro's parameters, token by token
                while (j < m_raw.size() && m_raw[j].begin < line_end) {
                    const bool close = text(j) == ")";
                    push(m_raw[j].begin, m_raw[j].end, m_raw[j].line, kind_of(j));
                    ++j;
                    if (close) {
                        break;
                    }
                }
            }
            return literal_through(j, line_end);  // the replacement text
        }
        if (name == "if" || name == "elif") {
            m_if_line_end = line_end;
            // The grammar ends an #if / #elif condition with a '\n' token.
            if (line_end < m_src.size() && m_src[line_end] == '\n') {
                m_newline = line_end;
            }
        }
        return j;
    }

    std::string_view m_src;
    bool m_cpp;
    int m_angles = 0;
    int m_attributes = 0;  // `[[` opened and not closed
    const SourceMap& m_map;
    std::vector<RawToken> m_raw;
    std::vector<Token>& m_out;
    std::vector<std::uint32_t>& m_comment_lines;
    std::uint32_t m_identifier_norm;
    std::uint32_t m_literal_norm;
    std::uint32_t m_if_line_end = 0;  // `defined` before this offset is the #if operator
    static constexpr std::uint32_t k_none = UINT32_MAX;
    std::uint32_t m_newline = k_none;  // an #if line's '\n' token still to emit
};

}  // namespace

void tokenize_main_file(CXTranslationUnit tu, CXFile main, const SourceMap& map, FileModel& m) {
    const auto size = static_cast<unsigned>(m.source.size());
    const CXSourceRange whole = clang_getRange(clang_getLocationForOffset(tu, main, 0),
                                               clang_getLocationForOffset(tu, main, size));
    TokensHandle tokens(tu);
    clang_tokenize(tu, whole, tokens.tokens_out(), tokens.count_out());
    // Token starts, then ends: clang_getTokenExtent re-lexes each token to measure it, which
    // costs more than the whole tokenization. Between two tokens there is only whitespace
    // (comments are tokens), so a token ends where the whitespace before the next one begins.
    const unsigned n = tokens.size();
    std::vector<unsigned> starts(n + 1, size);
    for (unsigned i = 0; i < n; ++i) {
        unsigned offset = 0;
        if (file_offset(clang_getTokenLocation(tu, tokens.data()[i]), offset) && offset <= size) {
            starts[i] = offset;
        }
    }
    if (n > 0) {
        unsigned end = size;
        file_offset(clang_getRangeEnd(clang_getTokenExtent(tu, tokens.data()[n - 1])), end);
        starts[n] = std::min(end, size);
    }
    std::vector<RawToken> raw;
    raw.reserve(n);
    std::vector<std::uint32_t> comment_lines;
    LineCursor lines(m.source);
    for (unsigned i = 0; i < n; ++i) {
        const unsigned begin = starts[i];
        unsigned end = std::max(begin, starts[i + 1]);
        while (end > begin && is_token_gap(m.source, begin, end)) {
            --end;
        }
        if (end <= begin) {
            continue;
        }
        raw.push_back(RawToken{begin, end, lines.line_of(begin), clang_getTokenKind(tokens.data()[i])});
    }
    TokenBuilder(m.source, m.language, map, std::move(raw), m.tokens, comment_lines).run();
    std::sort(comment_lines.begin(), comment_lines.end());
    comment_lines.erase(std::unique(comment_lines.begin(), comment_lines.end()),
                        comment_lines.end());
    m.comment_lines = std::move(comment_lines);
}

void add_includes(const SourceMap& map, FileModel& m) {
    const std::int32_t n = map.token_count();
    for (std::int32_t i = 0; i + 1 < n; ++i) {
        const std::string_view directive = map.token_text(i);
        if (directive.empty() || directive[0] != '#') {
            continue;
        }
        std::string_view word = directive.substr(1);
        while (!word.empty() && (word.front() == ' ' || word.front() == '\t')) {
            word.remove_prefix(1);
        }
        if (word != "include" && word != "include_next" && word != "import") {
            continue;
        }
        const Token& head = map.token(i + 1);
        const std::string_view module = map.token_text(i + 1);
        if (head.line != map.token(i).line ||
            !(is_string_literal_token(module) || (module.size() > 2 && module.front() == '<' &&
                                                  module.back() == '>'))) {
            continue;  // #include MACRO
        }
        Import imp;
        imp.module = std::string(module);
        imp.range = map.range(map.token(i).start_byte, head.end_byte);
        m.imports.push_back(std::move(imp));
    }
}

}  // namespace cq::clangfe::detail
