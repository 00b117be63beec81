#include "rules/support/security_common.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <iterator>
#include <unordered_set>

namespace cq::security {
namespace {

constexpr std::size_t k_max_literal_text = 2048;

bool is_ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool is_ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool is_keyword(std::string_view w, Language lang) {
    static const std::unordered_set<std::string_view> python{
        "and", "or", "not", "in", "is", "if", "else", "elif", "for", "while", "lambda", "await",
        "async", "yield", "return", "pass", "def", "class", "del", "global", "nonlocal", "assert",
        "with", "as", "from", "import", "raise", "try", "except", "finally", "break", "continue"};
    static const std::unordered_set<std::string_view> js{
        "new", "typeof", "instanceof", "void", "delete", "in", "of", "function", "var", "let",
        "const", "super", "extends", "keyof", "satisfies", "await", "async", "yield", "return",
        "if", "else", "for", "while", "class", "as", "import", "export", "throw"};
    static const std::unordered_set<std::string_view> c{
        "sizeof", "alignof", "static", "struct", "union", "enum", "unsigned", "signed", "int",
        "char", "long", "short", "float", "double", "bool", "auto", "volatile", "register",
        "typedef", "static_cast", "reinterpret_cast", "const_cast", "dynamic_cast", "wchar_t",
        "size_t", "operator", "template", "typename", "decltype", "noexcept", "constexpr", "const",
        "void", "new", "delete", "return", "if", "else", "for", "while"};
    if (lang == Language::python) {
        return python.count(w) != 0;
    }
    if (is_js_family(lang)) {
        return js.count(w) != 0;
    }
    return c.count(w) != 0;
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

// Python string prefixes (r, b, u, f and their pairs), C/C++ (L, u, U, u8, R).
std::size_t string_prefix_length(std::string_view t, std::size_t i, Language lang) {
    std::size_t j = i;
    const std::size_t limit = std::min(t.size(), i + 3);
    while (j < limit && std::isalpha(static_cast<unsigned char>(t[j])) != 0) {
        ++j;
    }
    if (j >= t.size() || (t[j] != '"' && t[j] != '\'')) {
        return std::string_view::npos;
    }
    const std::string p = lower(t.substr(i, j - i));
    static const std::array<std::string_view, 12> py = {"r", "b", "u", "f", "rb", "br", "fr",
                                                        "rf", "", "", "", ""};
    static const std::array<std::string_view, 6> cc = {"l", "u", "u8", "r", "lr", "u8r"};
    if (lang == Language::python) {
        for (std::string_view ok : py) {
            if (!ok.empty() && p == ok) {
                return j - i;
            }
        }
        return std::string_view::npos;
    }
    if (is_c_family(lang)) {
        for (std::string_view ok : cc) {
            if (p == ok) {
                return j - i;
            }
        }
    }
    return std::string_view::npos;
}

class Scanner {
public:
    Scanner(std::string_view text, Language lang, ExprScan& out)
        : m_t(text), m_lang(lang), m_out(out) {}

    void run() { scan(0, m_t.size()); }

private:
    struct Open {
        std::uint32_t call;
        std::size_t close;
    };

    // Index of the bracket that closes the one at `open`, or end of text.
    std::size_t find_close(std::size_t open, std::size_t end) const {
        int depth = 0;
        for (std::size_t i = open; i < end; ++i) {
            const char c = m_t[i];
            if (c == '"' || c == '\'' || c == '`') {
                i = skip_plain_string(i, end);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                ++depth;
            } else if (c == ')' || c == ']' || c == '}') {
                --depth;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return end;
    }

    // From an opening quote, index of the closing quote (or end - 1).
    std::size_t skip_plain_string(std::size_t i, std::size_t end) const {
        const char q = m_t[i];
        const bool triple = m_lang == Language::python && i + 2 < end && m_t[i + 1] == q &&
                            m_t[i + 2] == q;
        std::size_t j = i + (triple ? 3 : 1);
        while (j < end) {
            if (m_t[j] == '\\') {
                j += 2;
                continue;
            }
            if (m_t[j] == q) {
                if (!triple) {
                    return j;
                }
                if (j + 2 < end && m_t[j + 1] == q && m_t[j + 2] == q) {
                    return j + 2;
                }
            }
            ++j;
        }
        return end - 1;
    }

    // Contents of a literal between two offsets; offsets past the end (a literal cut off by the
    // model's 200-byte truncation) are clamped.
    void add_literal_piece(std::size_t from, std::size_t to) {
        to = std::min(to, m_t.size());
        if (from < to) {
            add_literal_text(m_t.substr(from, to - from));
        }
    }

    void add_literal_text(std::string_view s) {
        if (m_out.literal_text.size() >= k_max_literal_text) {
            return;
        }
        m_out.literal_text.append(s.substr(0, k_max_literal_text - m_out.literal_text.size()));
        m_out.literal_text.push_back(' ');
    }

    // A string literal starting at `i` (the quote; prefix already skipped); interpolations
    // (f-strings, template literals) are scanned as code. Returns the index after it.
    std::size_t string_literal(std::size_t i, std::size_t end, bool interpolating) {
        m_out.has_literal = true;
        const char q = m_t[i];
        const bool triple = m_lang == Language::python && i + 2 < end && m_t[i + 1] == q &&
                            m_t[i + 2] == q;
        std::size_t j = i + (triple ? 3 : 1);
        std::size_t piece = j;
        const bool template_literal = q == '`';
        while (j < end) {
            const char c = m_t[j];
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == q && (!triple || (j + 2 < end && m_t[j + 1] == q && m_t[j + 2] == q))) {
                add_literal_piece(piece, j);
                return j + (triple ? 3 : 1);
            }
            const bool py_field = interpolating && !template_literal && c == '{';
            const bool js_field = template_literal && c == '$' && j + 1 < end && m_t[j + 1] == '{';
            if (py_field && j + 1 < end && m_t[j + 1] == '{') {
                j += 2;  // `{{` is a literal brace
                continue;
            }
            if (py_field || js_field) {
                add_literal_piece(piece, j);
                const std::size_t open = js_field ? j + 1 : j;
                const std::size_t close = find_close(open, end);
                scan(std::min(open + 1, end), close);
                j = close + 1;
                piece = j;
                continue;
            }
            ++j;
        }
        add_literal_piece(piece, std::min(j, end));
        return end;
    }

    std::size_t skip_spaces(std::size_t j, std::size_t end) const {
        while (j < end && is_space(m_t[j])) {
            ++j;
        }
        return j;
    }

    std::size_t read_ident(std::size_t j, std::size_t end) const {
        while (j < end && is_ident_char(m_t[j])) {
            ++j;
        }
        return j;
    }

    // After a name or attribute path ends at `j`: records a call when '(' follows.
    // Returns the index scanning continues from.
    std::size_t maybe_call(const std::string& path, std::size_t j, std::size_t end,
                           bool& called) {
        const std::size_t k = skip_spaces(j, end);
        called = k < end && m_t[k] == '(';
        if (!called) {
            return j;
        }
        const std::size_t close = find_close(k, end);
        const auto index = static_cast<std::uint32_t>(m_out.calls.size());
        m_out.calls.push_back(ExprCall{path, m_t.substr(k + 1, close > k ? close - k - 1 : 0)});
        m_pending_call = index;
        m_pending_close = close;
        m_brackets.push_back('(');
        return k + 1;
    }

    void pop_finished(std::size_t i) {
        while (!m_stack.empty() && m_stack.back().close <= i) {
            m_stack.pop_back();
        }
    }

    std::vector<std::uint32_t> enclosing() const {
        std::vector<std::uint32_t> out;
        out.reserve(m_stack.size());
        for (const Open& o : m_stack) {
            out.push_back(o.call);
        }
        return out;
    }

    void push_pending() {
        if (m_pending_call != k_none) {
            m_stack.push_back(Open{m_pending_call, m_pending_close});
            m_pending_call = k_none;
        }
    }

    void scan(std::size_t begin, std::size_t end) {
        std::size_t i = begin;
        while (i < end) {
            pop_finished(i);
            const char c = m_t[i];
            if (is_space(c)) {
                ++i;
                continue;
            }
            // comments
            if (c == '#' && m_lang == Language::python) {
                while (i < end && m_t[i] != '\n') {
                    ++i;
                }
                continue;
            }
            if (c == '/' && i + 1 < end && m_lang != Language::python) {
                if (m_t[i + 1] == '/') {
                    while (i < end && m_t[i] != '\n') {
                        ++i;
                    }
                    continue;
                }
                if (m_t[i + 1] == '*') {
                    const std::size_t close = m_t.find("*/", i + 2);
                    i = close == std::string_view::npos ? end : close + 2;
                    continue;
                }
            }
            // string literals, with their prefixes
            if (c == '"' || c == '\'' || (c == '`' && is_js_family(m_lang))) {
                if (c == '\'' && is_c_family(m_lang)) {
                    m_out.has_literal = true;
                    i = skip_plain_string(i, end) + 1;
                    continue;
                }
                i = string_literal(i, end, c == '`');
                continue;
            }
            if (is_ident_start(c) && (i == begin || !is_ident_char(m_t[i - 1]))) {
                const std::size_t plen = string_prefix_length(m_t, i, m_lang);
                if (plen != std::string_view::npos) {
                    const std::string p = lower(m_t.substr(i, plen));
                    const bool f = p.find('f') != std::string::npos;
                    i = string_literal(i + plen, end, f);
                    continue;
                }
            }
            // numbers
            if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
                (c == '.' && i + 1 < end && std::isdigit(static_cast<unsigned char>(m_t[i + 1])) != 0 &&
                 (i == begin || !is_ident_char(m_t[i - 1])))) {
                m_out.has_literal = true;
                ++i;
                while (i < end && (is_ident_char(m_t[i]) || m_t[i] == '.')) {
                    ++i;
                }
                continue;
            }
            if (is_ident_start(c)) {
                i = name(i, begin, end);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                m_brackets.push_back(c);
            } else if (c == ')' || c == ']' || c == '}') {
                if (!m_brackets.empty()) {
                    m_brackets.pop_back();
                }
            }
            ++i;
        }
    }

    // A name at `i`: a reference (with its member chain), an attribute of something that is not
    // a name, a keyword, a keyword-argument name or an object key.
    std::size_t name(std::size_t i, std::size_t begin, std::size_t end) {
        std::size_t j = read_ident(i, end);
        const std::string_view ident = m_t.substr(i, j - i);
        std::size_t p = i;
        while (p > begin && is_space(m_t[p - 1])) {
            --p;
        }
        const char prev = p > begin ? m_t[p - 1] : '\0';
        const char prev2 = p > begin + 1 ? m_t[p - 2] : '\0';
        const char prev3 = p > begin + 2 ? m_t[p - 3] : '\0';
        const bool spread = prev == '.' && prev2 == '.' && prev3 == '.';
        const bool prev_is_member = (prev == '.' && !spread) || (prev == '>' && prev2 == '-') ||
                                    (prev == ':' && prev2 == ':');
        if (prev_is_member) {
            // the attribute of a literal, a call result or a subscript: `"a".format(x)`
            const std::string path = "." + std::string(ident);
            bool called = false;
            const std::size_t next = maybe_call(path, j, end, called);
            push_pending();
            return next;
        }
        if (is_keyword(ident, m_lang) || is_constant_name(ident)) {
            return j;
        }
        const std::size_t after = skip_spaces(j, end);
        if (after < end && m_t[after] == '=' && (after + 1 >= end || (m_t[after + 1] != '=' &&
                                                                      m_t[after + 1] != '>'))) {
            return j;  // keyword argument / default value name
        }
        if (after < end && m_t[after] == ':' && (after + 1 >= end || m_t[after + 1] != ':') &&
            !m_brackets.empty() && m_brackets.back() == '{' && (prev == '{' || prev == ',') &&
            m_lang != Language::python) {
            return j;  // object-literal key
        }
        ExprRef ref;
        ref.offset = static_cast<std::uint32_t>(i);
        ref.path = std::string(ident);
        // member chain
        for (;;) {
            std::size_t k = skip_spaces(j, end);
            std::size_t seg = std::string_view::npos;
            if (k + 1 < end && m_t[k] == '.' && m_t[k + 1] != '.') {
                seg = k + 1;
            } else if (k + 2 < end && m_t[k] == '?' && m_t[k + 1] == '.' && is_ident_start(m_t[k + 2])) {
                seg = k + 2;
            } else if (k + 2 < end && m_t[k] == '-' && m_t[k + 1] == '>') {
                seg = k + 2;
            } else if (k + 2 < end && m_t[k] == ':' && m_t[k + 1] == ':') {
                seg = k + 2;
            } else if (k < end && m_t[k] == '[') {
                const std::size_t close = find_close(k, end);
                std::string key;
                if (close < end && decode_string_literal(trim(m_t.substr(k + 1, close - k - 1)), key) &&
                    !key.empty()) {
                    ref.path += '.';
                    ref.path += key;
                    j = close + 1;
                    continue;
                }
                break;
            }
            if (seg == std::string_view::npos) {
                break;
            }
            seg = skip_spaces(seg, end);
            if (seg >= end || !is_ident_start(m_t[seg])) {
                break;
            }
            const std::size_t seg_end = read_ident(seg, end);
            ref.path += '.';
            ref.path += m_t.substr(seg, seg_end - seg);
            j = seg_end;
        }
        const std::size_t next = maybe_call(ref.path, j, end, ref.called);
        if (ref.called) {
            ref.call = m_pending_call;
        }
        ref.enclosing = enclosing();
        m_out.refs.push_back(std::move(ref));
        ExprRef& stored = m_out.refs.back();
        const auto dot = stored.path.find('.');
        stored.root = std::string_view(stored.path).substr(0, dot);
        push_pending();
        return next;
    }

    static constexpr std::uint32_t k_none = 0xffffffffu;

    std::string_view m_t;
    Language m_lang;
    ExprScan& m_out;
    std::vector<Open> m_stack;
    std::vector<char> m_brackets;
    std::uint32_t m_pending_call = k_none;
    std::size_t m_pending_close = 0;
};

bool has_word(std::string_view text, std::string_view word) {
    std::size_t pos = 0;
    while ((pos = text.find(word, pos)) != std::string_view::npos) {
        const bool left = pos == 0 || !is_ident_char(text[pos - 1]);
        const std::size_t e = pos + word.size();
        const bool right = e >= text.size() || !is_ident_char(text[e]);
        if (left && right) {
            return true;
        }
        pos = e;
    }
    return false;
}

}  // namespace

ExprScan scan_expression(std::string_view text, Language lang) {
    ExprScan out;
    Scanner(text, lang, out).run();
    // roots were set as views into each ref's own path; vectors may have moved the strings
    for (ExprRef& r : out.refs) {
        r.root = std::string_view(r.path).substr(0, r.path.find('.'));
    }
    return out;
}

namespace {

// Calls `visit(i)` for every index of `text` at bracket depth 0 outside string literals and
// comments; stops when it returns false.
template <typename Visit>
void top_level(std::string_view text, Language lang, Visit visit) {
    int depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"' || c == '\'' || (c == '`' && is_js_family(lang))) {
            const char q = c;
            ++i;
            while (i < text.size() && text[i] != q) {
                i += text[i] == '\\' ? 2 : 1;
            }
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            --depth;
        } else if (depth == 0 && !visit(i)) {
            return;
        }
    }
}

bool word_at(std::string_view text, std::size_t i, std::string_view word) {
    if (text.substr(i, word.size()) != word) {
        return false;
    }
    const bool left = i == 0 || !is_ident_char(text[i - 1]);
    const std::size_t e = i + word.size();
    return left && (e >= text.size() || !is_ident_char(text[e]));
}

}  // namespace

bool split_conditional(std::string_view text, Language lang, std::string_view& first,
                       std::string_view& second) {
    if (lang == Language::python) {
        std::size_t if_at = std::string_view::npos;
        std::size_t else_at = std::string_view::npos;
        top_level(text, lang, [&](std::size_t i) {
            if (if_at == std::string_view::npos && word_at(text, i, "if")) {
                if_at = i;
            } else if (if_at != std::string_view::npos && word_at(text, i, "else")) {
                else_at = i;
                return false;
            } else if (word_at(text, i, "lambda") || word_at(text, i, "for")) {
                return false;  // a lambda or a comprehension owns its own `if`
            }
            return true;
        });
        if (if_at == std::string_view::npos || else_at == std::string_view::npos || if_at == 0) {
            return false;
        }
        first = trim(text.substr(0, if_at));
        second = trim(text.substr(else_at + 4));
        return !first.empty() && !second.empty();
    }
    std::size_t q_at = std::string_view::npos;
    std::size_t colon_at = std::string_view::npos;
    int nested = 0;
    top_level(text, lang, [&](std::size_t i) {
        const char c = text[i];
        const char next = i + 1 < text.size() ? text[i + 1] : '\0';
        const char prev = i > 0 ? text[i - 1] : '\0';
        if (c == '?' && next != '.' && next != '?' && prev != '?') {
            if (q_at == std::string_view::npos) {
                q_at = i;
            } else {
                ++nested;
            }
        } else if (c == ':' && next != ':' && prev != ':' && q_at != std::string_view::npos) {
            if (nested == 0) {
                colon_at = i;
                return false;
            }
            --nested;
        } else if (c == ',' || c == ';' || (c == '=' && next == '>')) {
            return q_at == std::string_view::npos ? false : true;
        }
        return true;
    });
    if (q_at == std::string_view::npos || colon_at == std::string_view::npos) {
        return false;
    }
    first = trim(text.substr(q_at + 1, colon_at - q_at - 1));
    second = trim(text.substr(colon_at + 1));
    return !first.empty() && !second.empty();
}

bool is_constant_name(std::string_view name) {
    static const std::unordered_set<std::string_view> k{
        "True", "False", "None", "true", "false", "null", "undefined", "nullptr", "NULL",
        "NaN", "Infinity", "nil", "Ellipsis", "__name__", "__file__"};
    return k.count(name) != 0;
}

bool is_constant_case(std::string_view name) {
    if (name.size() < 2) {
        return false;
    }
    bool letter = false;
    for (char c : name) {
        if (std::isupper(static_cast<unsigned char>(c)) != 0) {
            letter = true;
        } else if (std::isdigit(static_cast<unsigned char>(c)) == 0 && c != '_') {
            return false;
        }
    }
    return letter;
}

std::vector<std::string> name_words(std::string_view name) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&]() {
        if (!cur.empty()) {
            out.push_back(lower(cur));
            cur.clear();
        }
    };
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
            flush();
            continue;
        }
        const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
        if (upper && !cur.empty()) {
            const char last = cur.back();
            const bool last_lower = std::islower(static_cast<unsigned char>(last)) != 0 ||
                                    std::isdigit(static_cast<unsigned char>(last)) != 0;
            const bool next_lower =
                i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1])) != 0;
            if (last_lower || (next_lower && std::isupper(static_cast<unsigned char>(last)) != 0)) {
                flush();
            }
        }
        cur.push_back(c);
    }
    flush();
    return out;
}

bool name_has_word(std::string_view name, std::initializer_list<std::string_view> words) {
    const std::vector<std::string> parts = name_words(name);
    for (const std::string& p : parts) {
        for (std::string_view w : words) {
            if (p == w) {
                return true;
            }
        }
    }
    // compound words written without separators: "apikey", "passwd", "secretkey"
    const std::string joined = lower(name);
    for (std::string_view w : words) {
        if (w.size() >= 6 && joined.find(w) != std::string::npos) {
            return true;
        }
    }
    return false;
}

bool decode_string_literal(std::string_view text, std::string& out) {
    out.clear();
    std::size_t i = 0;
    while (i < text.size() && i < 3 && std::isalpha(static_cast<unsigned char>(text[i])) != 0) {
        ++i;
    }
    if (i >= text.size()) {
        return false;
    }
    const char q = text[i];
    if (q != '"' && q != '\'' && q != '`') {
        return false;
    }
    const std::string prefix = lower(text.substr(0, i));
    if (prefix.find('f') != std::string::npos) {
        return false;  // an f-string is not a constant
    }
    const bool raw = prefix.find('r') != std::string::npos;
    std::size_t open = 1;
    if (text.size() >= i + 6 && text[i + 1] == q && text[i + 2] == q) {
        open = 3;
    }
    if (text.size() < i + 2 * open) {
        return false;
    }
    const std::string_view body = text.substr(i + open, text.size() - i - 2 * open);
    if (text.substr(text.size() - open) != std::string(open, q)) {
        return false;
    }
    for (std::size_t k = 0; k < body.size(); ++k) {
        const char c = body[k];
        if (c == q && open == 1) {
            return false;  // two literals, or not a literal at all
        }
        if (q == '`' && c == '$' && k + 1 < body.size() && body[k + 1] == '{') {
            return false;  // template literal with a substitution
        }
        if (c == '\\' && !raw && k + 1 < body.size()) {
            const char e = body[++k];
            switch (e) {
            case 'n': out.push_back('\n'); break;
            case 't': out.push_back('\t'); break;
            case 'r': out.push_back('\r'); break;
            case '0': out.push_back('\0'); break;
            default: out.push_back(e); break;
            }
            continue;
        }
        out.push_back(c);
    }
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool looks_like_sql(std::string_view text) {
    const std::string t = lower(text);
    if (has_word(t, "select") && has_word(t, "from")) {
        return true;
    }
    if (has_word(t, "insert") && has_word(t, "into")) {
        return true;
    }
    if (has_word(t, "update") && has_word(t, "set")) {
        return true;
    }
    if (has_word(t, "delete") && has_word(t, "from")) {
        return true;
    }
    if (has_word(t, "where") || has_word(t, "order by") || has_word(t, "values")) {
        return has_word(t, "where") || has_word(t, "into");
    }
    for (std::string_view verb : {"create", "drop", "alter", "truncate"}) {
        if (!has_word(t, verb)) {
            continue;
        }
        for (std::string_view object : {"table", "index", "view", "database", "schema"}) {
            if (has_word(t, object)) {
                return true;
            }
        }
    }
    return false;
}

FormatInfo parse_format(std::string_view f) {
    FormatInfo info;
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') {
            continue;
        }
        ++i;
        if (i < f.size() && f[i] == '%') {
            continue;
        }
        // flags, width, precision, length
        while (i < f.size() && std::string_view("-+ #0'").find(f[i]) != std::string_view::npos) {
            ++i;
        }
        while (i < f.size() && (std::isdigit(static_cast<unsigned char>(f[i])) != 0 || f[i] == '*' ||
                                f[i] == '$')) {
            ++i;
        }
        bool precision = false;
        if (i < f.size() && f[i] == '.') {
            precision = true;
            ++i;
            while (i < f.size() && (std::isdigit(static_cast<unsigned char>(f[i])) != 0 || f[i] == '*')) {
                ++i;
            }
        }
        while (i < f.size() && std::string_view("hlLjztI").find(f[i]) != std::string_view::npos) {
            ++i;
        }
        if (i >= f.size()) {
            break;
        }
        const char conv = f[i];
        ++info.conversions;
        if (conv == 's' || conv == 'S' || conv == '[' || conv == 'z') {
            info.string_conversion = true;
            info.sqlite_quoted_only = false;
            if (!precision) {
                info.unbounded_string = true;
            }
        } else if (conv == 'q' || conv == 'Q' || conv == 'w') {
            info.string_conversion = true;
        }
    }
    return info;
}

bool scanf_has_unbounded_string(std::string_view f) {
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') {
            continue;
        }
        ++i;
        if (i < f.size() && f[i] == '%') {
            continue;
        }
        if (i < f.size() && f[i] == '*') {
            ++i;
        }
        bool width = false;
        while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])) != 0) {
            width = true;
            ++i;
        }
        while (i < f.size() && std::string_view("hlLjztm").find(f[i]) != std::string_view::npos) {
            ++i;
        }
        if (i < f.size() && (f[i] == 's' || f[i] == '[' || f[i] == 'S') && !width) {
            return true;
        }
    }
    return false;
}

double shannon_entropy(std::string_view s) {
    if (s.empty()) {
        return 0.0;
    }
    std::array<std::uint32_t, 256> counts{};
    for (unsigned char c : s) {
        ++counts[c];
    }
    double h = 0.0;
    const double n = static_cast<double>(s.size());
    for (std::uint32_t c : counts) {
        if (c == 0) {
            continue;
        }
        const double p = static_cast<double>(c) / n;
        h -= p * std::log2(p);
    }
    return h;
}

bool looks_like_placeholder(std::string_view value) {
    const std::string_view v = trim(value);
    if (v.size() < 4) {
        return true;
    }
    const std::string l = lower(v);
    static const std::array<std::string_view, 36> markers = {
        "changeme", "change_me", "change-me", "change it", "example", "sample", "dummy",
        "placeholder", "your", "xxx", "***", "...", "redacted", "fake", "todo", "fixme",
        "replace", "insert", "<", ">", "${", "{{", "%(", "%s", "{}", "process.env",
        "os.environ", "getenv", "secret_here", "_here", "test", "mock", "default", "none",
        "null", "undefined"};
    for (std::string_view m : markers) {
        if (l.find(m) != std::string::npos) {
            return true;
        }
    }
    if (std::all_of(v.begin(), v.end(), [&](char c) { return c == v.front(); })) {
        return true;
    }
    if (std::any_of(v.begin(), v.end(), [](char c) { return is_space(c); })) {
        return true;  // prompts, messages, labels
    }
    if (v.front() == '$' || v.front() == '%' || v.front() == '/' || v.substr(0, 2) == "./") {
        return true;
    }
    if (l.find("://") != std::string::npos && l.find('@') == std::string::npos) {
        return true;  // a URL without credentials
    }
    // a word or a dotted / dashed name ("user_password", "auth.token", "X-Api-Key")
    bool only_letters = true;
    for (char c : v) {
        if (std::isalpha(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '-' && c != '.') {
            only_letters = false;
            break;
        }
    }
    return only_letters;
}

Severity raise(Severity s) {
    switch (s) {
    case Severity::info: return Severity::minor;
    case Severity::minor: return Severity::major;
    case Severity::major: return Severity::critical;
    case Severity::critical:
    case Severity::blocker: return Severity::blocker;
    }
    return s;
}

std::string_view strip_node_prefix(std::string_view resolved) {
    if (resolved.substr(0, 5) == "node:") {
        resolved.remove_prefix(5);
    }
    return resolved;
}

std::string canonical_callee(const CallSite& call) {
    std::string_view r = call.resolved.empty() ? std::string_view(call.callee)
                                               : std::string_view(call.resolved);
    r = strip_node_prefix(r);
    if (r.substr(0, 2) == "::") {
        r.remove_prefix(2);
    }
    if (r.substr(0, 5) == "std::") {
        r.remove_prefix(5);
    }
    return std::string(r);
}

const Argument* keyword_arg(const CallSite& call, std::string_view keyword) {
    for (const Argument& a : call.args) {
        if (a.keyword == keyword) {
            return &a;
        }
    }
    return nullptr;
}

const Argument* positional_arg(const CallSite& call, std::size_t i) {
    std::size_t n = 0;
    for (const Argument& a : call.args) {
        if (!a.keyword.empty()) {
            continue;
        }
        if (n == i) {
            return &a;
        }
        ++n;
    }
    return nullptr;
}

std::string_view arg_value_text(const Argument& arg) {
    std::string_view t = trim(arg.text);
    if (!arg.keyword.empty() && t.substr(0, arg.keyword.size()) == arg.keyword) {
        std::string_view rest = trim(t.substr(arg.keyword.size()));
        if (!rest.empty() && rest.front() == '=') {
            t = trim(rest.substr(1));
        }
    }
    return t;
}

bool is_literal_kind(ArgKind kind) {
    return kind == ArgKind::string_literal || kind == ArgKind::number_literal ||
           kind == ArgKind::bool_literal || kind == ArgKind::null_literal;
}

Range range_of_bytes(const FileModel& file, std::uint32_t start_byte, std::uint32_t end_byte) {
    const std::string_view s(file.source);
    start_byte = std::min<std::uint32_t>(start_byte, static_cast<std::uint32_t>(s.size()));
    end_byte = std::clamp<std::uint32_t>(end_byte, start_byte, static_cast<std::uint32_t>(s.size()));
    Range r;
    r.start_byte = start_byte;
    r.end_byte = end_byte;
    // The line of `b`: the token stream already carries the line of every token's start, so
    // only the newlines after the last token starting at or before `b` are counted (counting
    // from the top of the file made this linear per call, quadratic per file).
    const auto lines_before = [&](std::uint32_t b) {
        const auto it = std::upper_bound(file.tokens.begin(), file.tokens.end(), b,
                                         [](std::uint32_t x, const Token& t) { return x < t.start_byte; });
        std::uint32_t from = 0;
        std::uint32_t line = 0;
        if (it != file.tokens.begin() && std::prev(it)->start_byte <= b) {
            from = std::prev(it)->start_byte;
            line = std::prev(it)->line - 1;
        }
        return line + static_cast<std::uint32_t>(std::count(s.begin() + from, s.begin() + b, '\n'));
    };
    const auto column = [&](std::uint32_t b) {
        const std::size_t nl = b == 0 ? std::string_view::npos : s.rfind('\n', b - 1);
        return static_cast<std::uint32_t>(nl == std::string_view::npos ? b + 1 : b - nl);
    };
    r.start_line = lines_before(start_byte) + 1;
    r.end_line = r.start_line + static_cast<std::uint32_t>(
                                    std::count(s.begin() + start_byte, s.begin() + end_byte, '\n'));
    r.start_column = column(start_byte);
    r.end_column = column(end_byte);
    return r;
}

}  // namespace cq::security
