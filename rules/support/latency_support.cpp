#include "rules/support/latency_support.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "analyzer/model/glob.hpp"

namespace cq::latency {

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------
std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool icontains(std::string_view haystack, std::string_view needle) {
    return to_lower(haystack).find(to_lower(needle)) != std::string::npos;
}

bool is_ident_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
        s.remove_suffix(1);
    }
    return s;
}

bool contains_word(std::string_view text, std::string_view word) {
    if (word.empty()) {
        return false;
    }
    std::size_t pos = 0;
    while ((pos = text.find(word, pos)) != std::string_view::npos) {
        const bool left_ok = pos == 0 || !is_ident_char(text[pos - 1]);
        const std::size_t end = pos + word.size();
        const bool right_ok = end >= text.size() || !is_ident_char(text[end]);
        if (left_ok && right_ok) {
            return true;
        }
        pos = end;
    }
    return false;
}

namespace {

bool is_skipped_keyword(std::string_view w) {
    static const std::vector<std::string_view> k_words = {
        "true",  "false", "null",   "undefined", "None",  "True",   "False", "nullptr",
        "NULL",  "in",    "of",     "not",       "and",   "or",     "is",    "if",
        "else",  "typeof", "void",  "delete",    "instanceof", "as", "for",  "return",
        "sizeof", "const", "let",   "var",       "auto",  "static_cast", "reinterpret_cast",
        "const_cast", "dynamic_cast", "std", "NaN", "Infinity"};
    return std::find(k_words.begin(), k_words.end(), w) != k_words.end();
}

// Skips a string literal starting at `i` (a quote); returns the index after it. Sets
// `interpolated` for f-strings (prefix given) and template literals with substitutions.
std::size_t skip_string(std::string_view s, std::size_t i, bool fstring, bool& interpolated) {
    const char q = s[i];
    const bool triple = i + 2 < s.size() && s[i + 1] == q && s[i + 2] == q && q != '`';
    std::size_t j = i + (triple ? 3 : 1);
    while (j < s.size()) {
        const char c = s[j];
        if (c == '\\') {
            j += 2;
            continue;
        }
        if (q == '`' && c == '$' && j + 1 < s.size() && s[j + 1] == '{') {
            interpolated = true;
        }
        if (fstring && c == '{') {
            if (j + 1 < s.size() && s[j + 1] == '{') {
                j += 2;
                continue;
            }
            interpolated = true;
        }
        if (c == q) {
            if (!triple) {
                return j + 1;
            }
            if (j + 2 < s.size() && s[j + 1] == q && s[j + 2] == q) {
                return j + 3;
            }
        }
        ++j;
    }
    return s.size();
}

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) {
        ++i;
    }
    return i;
}

}  // namespace

ExprRefs expression_refs(std::string_view expr) {
    ExprRefs out;
    std::vector<char> brackets;  // open brackets, to tell object keys and kwargs apart
    std::size_t i = 0;
    while (i < expr.size()) {
        const char c = expr[i];
        if (c == '"' || c == '\'' || c == '`') {
            i = skip_string(expr, i, false, out.has_interpolation);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            brackets.push_back(c);
            ++i;
            continue;
        }
        if (c == ')' || c == ']' || c == '}') {
            if (!brackets.empty()) {
                brackets.pop_back();
            }
            ++i;
            continue;
        }
        if (c == '=' && i + 1 < expr.size() && expr[i + 1] == '>') {
            out.has_call = true;  // an inline arrow function: treat as not constant
            i += 2;
            continue;
        }
        if (!(std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$')) {
            ++i;
            continue;
        }
        // An identifier. A string prefix (f"", r'', b"", rb"") is part of the literal.
        std::size_t j = i;
        while (j < expr.size() && is_ident_char(expr[j])) {
            ++j;
        }
        const std::string_view word = expr.substr(i, j - i);
        if (j < expr.size() && (expr[j] == '"' || expr[j] == '\'') && word.size() <= 3) {
            const std::string lw = to_lower(word);
            if (lw.find_first_not_of("rbfu") == std::string::npos) {
                i = skip_string(expr, j, lw.find('f') != std::string::npos,
                                out.has_interpolation);
                continue;
            }
        }
        // Member of something before: part of the previous path.
        std::size_t back = i;
        while (back > 0 && std::isspace(static_cast<unsigned char>(expr[back - 1])) != 0) {
            --back;
        }
        const bool is_member = back > 0 && (expr[back - 1] == '.' || (back > 1 && expr[back - 1] == '>' &&
                                                                      expr[back - 2] == '-'));
        if (is_member && !(back > 2 && expr[back - 2] == '.' && expr[back - 3] == '.')) {
            i = j;
            continue;
        }
        if (word == "await" || word == "yield") {
            out.has_await = true;
            i = j;
            continue;
        }
        if (word == "new" || word == "lambda" || word == "function") {
            out.has_call = true;
            i = j;
            continue;
        }
        // Collect the dotted path.
        std::string path(word);
        std::size_t k = j;
        while (true) {
            std::size_t m = skip_space(expr, k);
            std::size_t after_sep = 0;
            if (m < expr.size() && expr[m] == '.' && !(m + 1 < expr.size() && expr[m + 1] == '.')) {
                after_sep = m + 1;
            } else if (m + 1 < expr.size() && expr[m] == '?' && expr[m + 1] == '.') {
                after_sep = m + 2;
            } else if (m + 1 < expr.size() && expr[m] == '-' && expr[m + 1] == '>') {
                after_sep = m + 2;
            } else if (m + 1 < expr.size() && expr[m] == ':' && expr[m + 1] == ':') {
                after_sep = m + 2;
            }
            if (after_sep == 0) {
                break;
            }
            std::size_t n = skip_space(expr, after_sep);
            std::size_t e = n;
            while (e < expr.size() && is_ident_char(expr[e])) {
                ++e;
            }
            if (e == n) {
                break;
            }
            path += ".";
            path += expr.substr(n, e - n);
            k = e;
        }
        const std::size_t next = skip_space(expr, k);
        const char nc = next < expr.size() ? expr[next] : '\0';
        const char nc2 = next + 1 < expr.size() ? expr[next + 1] : '\0';
        const char open = brackets.empty() ? '\0' : brackets.back();
        if (nc == '(') {
            out.has_call = true;
            const std::size_t dot = path.rfind('.');
            if (dot != std::string::npos) {
                out.receivers.push_back(path.substr(0, dot));
            }
        } else if (nc == ':' && nc2 != ':' && open == '{') {
            // object key: `{ key: value }`
        } else if (nc == '=' && nc2 != '=' && open == '(') {
            // keyword argument name
        } else if (!is_skipped_keyword(word)) {
            out.paths.push_back(path);
        }
        i = k;
    }
    std::sort(out.paths.begin(), out.paths.end());
    out.paths.erase(std::unique(out.paths.begin(), out.paths.end()), out.paths.end());
    return out;
}

std::vector<std::string> assigned_names(std::string_view target) {
    std::vector<std::string> out;
    std::string_view t = trim(target);
    if (t.empty()) {
        return out;
    }
    // Destructuring: { a, b: c } / [a, b]
    const std::size_t brace = t.find_first_of("{[");
    if (brace != std::string_view::npos && (t[brace] == '{' || brace == 0 ||
                                             t.substr(0, brace).find_first_not_of(" ") ==
                                                 std::string_view::npos ||
                                             contains_word(t.substr(0, brace), "const") ||
                                             contains_word(t.substr(0, brace), "let") ||
                                             contains_word(t.substr(0, brace), "var"))) {
        if (t[brace] == '[' && brace > 0 && is_ident_char(t[brace - 1])) {
            // x[i]: a subscript write to x
            std::string_view base = t.substr(0, brace);
            const std::size_t sp = base.find_last_of(" \t*&");
            out.emplace_back(trim(sp == std::string_view::npos ? base : base.substr(sp + 1)));
            return out;
        }
        std::string_view inner = t.substr(brace + 1);
        std::size_t i = 0;
        while (i < inner.size()) {
            if (!is_ident_char(inner[i])) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < inner.size() && is_ident_char(inner[j])) {
                ++j;
            }
            std::size_t n = skip_space(inner, j);
            if (n < inner.size() && inner[n] == ':') {
                i = n + 1;  // the key; the bound name follows
                continue;
            }
            out.emplace_back(inner.substr(i, j - i));
            i = j;
        }
        return out;
    }
    // Python tuple targets: a, b = ...
    if (t.find(',') != std::string_view::npos) {
        std::size_t start = 0;
        while (start <= t.size()) {
            std::size_t comma = t.find(',', start);
            if (comma == std::string_view::npos) {
                comma = t.size();
            }
            for (const std::string& n : assigned_names(t.substr(start, comma - start))) {
                out.push_back(n);
            }
            start = comma + 1;
        }
        return out;
    }
    // Subscript writes: x[i] = ... writes x.
    const std::size_t sub = t.find('[');
    if (sub != std::string_view::npos) {
        t = trim(t.substr(0, sub));
    }
    // Declarations: the last word ("const y", "char* sql", "std::string s").
    const std::size_t sp = t.find_last_of(" \t*&");
    if (sp != std::string_view::npos) {
        t = t.substr(sp + 1);
    }
    // Member writes keep their path, with -> normalised to '.'.
    std::string path;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '-' && i + 1 < t.size() && t[i + 1] == '>') {
            path += '.';
            ++i;
        } else if (t[i] == '?' && i + 1 < t.size() && t[i + 1] == '.') {
            path += '.';
            ++i;
        } else if (!std::isspace(static_cast<unsigned char>(t[i]))) {
            path += t[i];
        }
    }
    if (!path.empty() && (std::isalpha(static_cast<unsigned char>(path[0])) != 0 || path[0] == '_' ||
                          path[0] == '$')) {
        out.push_back(path);
    }
    return out;
}

bool paths_overlap(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) {
        std::swap(a, b);
    }
    return starts_with(b, a) && (b.size() == a.size() || b[a.size()] == '.');
}

std::string_view strip_prefix_keywords(std::string_view expr) {
    std::string_view t = trim(expr);
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::string_view kw : {"await", "yield", "new"}) {
            if (starts_with(t, kw) && t.size() > kw.size() && !is_ident_char(t[kw.size()])) {
                t = trim(t.substr(kw.size()));
                changed = true;
            }
        }
        if (t.size() >= 2 && t.front() == '(' && t.back() == ')') {
            // only strip when the parentheses wrap the whole expression
            int depth = 0;
            bool wraps = true;
            for (std::size_t i = 0; i < t.size(); ++i) {
                if (t[i] == '(') {
                    ++depth;
                } else if (t[i] == ')') {
                    --depth;
                    if (depth == 0 && i + 1 < t.size()) {
                        wraps = false;
                        break;
                    }
                }
            }
            if (wraps) {
                t = trim(t.substr(1, t.size() - 2));
                changed = true;
            }
        }
    }
    return t;
}

// ---------------------------------------------------------------------------------------------
// Lines and comments
// ---------------------------------------------------------------------------------------------
LineIndex::LineIndex(std::string_view source) : m_source(source) {
    m_starts.push_back(0);
    const char* const begin = source.data();
    const char* const end = begin + source.size();
    for (const char* p = begin; p < end;) {
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (nl == nullptr) {
            break;
        }
        m_starts.push_back(static_cast<std::uint32_t>(nl - begin + 1));
        p = nl + 1;
    }
}

std::uint32_t LineIndex::line_of(std::uint32_t byte) const {
    return static_cast<std::uint32_t>(
        std::upper_bound(m_starts.begin(), m_starts.end(), byte) - m_starts.begin());
}

std::string_view LineIndex::line(std::uint32_t line_no) const {
    if (line_no == 0 || line_no > m_starts.size()) {
        return {};
    }
    const std::size_t start = m_starts[line_no - 1];
    std::size_t end = line_no < m_starts.size() ? m_starts[line_no] : m_source.size();
    while (end > start && (m_source[end - 1] == '\n' || m_source[end - 1] == '\r')) {
        --end;
    }
    return m_source.substr(start, end - start);
}

namespace {

// The comment part of a line: from the first `#` or `//` or `/*` outside a string, or the whole
// line when it is a continuation of a block comment.
std::string_view comment_part(std::string_view line) {
    bool dummy = false;
    std::size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        if (c == '"' || c == '\'' || c == '`') {
            i = skip_string(line, i, false, dummy);
            continue;
        }
        if (c == '#') {
            return line.substr(i);
        }
        if (c == '/' && i + 1 < line.size() && (line[i + 1] == '/' || line[i + 1] == '*')) {
            return line.substr(i);
        }
        ++i;
    }
    const std::string_view t = trim(line);
    if (starts_with(t, "*")) {
        return t;
    }
    return {};
}

}  // namespace

bool comment_mentions(const FileModel& file, const LineIndex& lines, std::uint32_t line,
                      const std::vector<std::string_view>& words) {
    for (std::uint32_t l : {line, line - 1}) {
        if (l == 0 || !std::binary_search(file.comment_lines.begin(), file.comment_lines.end(), l)) {
            continue;
        }
        const std::string text = to_lower(comment_part(lines.line(l)));
        for (std::string_view w : words) {
            if (text.find(w) != std::string::npos) {
                return true;
            }
        }
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------
namespace {

struct Dur {
    double value = 0;
    bool has_unit = false;  // already in seconds (chrono)
};

class DurationParser {
public:
    DurationParser(const FileModel& file, std::string_view text, int depth)
        : m_file(file), m_text(text), m_depth(depth) {}

    std::optional<Dur> parse() {
        auto v = expr();
        skip();
        if (!v || m_pos != m_text.size()) {
            return std::nullopt;
        }
        return v;
    }

private:
    void skip() { m_pos = skip_space(m_text, m_pos); }
    bool eat(std::string_view tok) {
        skip();
        if (m_text.substr(m_pos, tok.size()) == tok) {
            m_pos += tok.size();
            return true;
        }
        return false;
    }
    char peek() {
        skip();
        return m_pos < m_text.size() ? m_text[m_pos] : '\0';
    }

    std::optional<Dur> expr() {
        auto left = term();
        while (left) {
            const char c = peek();
            if (c != '+' && c != '-') {
                break;
            }
            ++m_pos;
            auto right = term();
            if (!right) {
                return std::nullopt;
            }
            left->value = c == '+' ? left->value + right->value : left->value - right->value;
            left->has_unit = left->has_unit || right->has_unit;
        }
        return left;
    }

    std::optional<Dur> term() {
        auto left = power();
        while (left) {
            skip();
            if (m_text.substr(m_pos, 2) == "**") {
                break;
            }
            const char c = peek();
            if (c != '*' && c != '/') {
                break;
            }
            ++m_pos;
            if (c == '/' && peek() == '/') {
                ++m_pos;  // Python floor division
            }
            auto right = power();
            if (!right) {
                return std::nullopt;
            }
            if (c == '*') {
                left->value *= right->value;
            } else {
                if (right->value == 0) {
                    return std::nullopt;
                }
                left->value /= right->value;
            }
            left->has_unit = left->has_unit || right->has_unit;
        }
        return left;
    }

    std::optional<Dur> power() {
        auto base = unary();
        if (base && eat("**")) {
            auto exp = unary();
            if (!exp) {
                return std::nullopt;
            }
            base->value = std::pow(base->value, exp->value);
        }
        return base;
    }

    std::optional<Dur> unary() {
        if (peek() == '-') {
            ++m_pos;
            auto v = unary();
            if (v) {
                v->value = -v->value;
            }
            return v;
        }
        if (peek() == '+') {
            ++m_pos;
        }
        return primary();
    }

    static std::optional<double> unit_scale(std::string_view name) {
        if (name == "nanoseconds" || name == "ns") {
            return 1e-9;
        }
        if (name == "microseconds" || name == "us") {
            return 1e-6;
        }
        if (name == "milliseconds" || name == "ms") {
            return 1e-3;
        }
        if (name == "seconds" || name == "s") {
            return 1.0;
        }
        if (name == "minutes" || name == "min") {
            return 60.0;
        }
        if (name == "hours" || name == "h") {
            return 3600.0;
        }
        return std::nullopt;
    }

    std::optional<Dur> primary() {
        const char c = peek();
        if (c == '(') {
            ++m_pos;
            auto v = expr();
            if (!v || !eat(")")) {
                return std::nullopt;
            }
            return v;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.') {
            return number();
        }
        if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') {
            // qualified name: std::chrono::milliseconds, chrono::seconds, NAME
            std::string name;
            std::string last;
            while (true) {
                skip();
                const std::size_t s = m_pos;
                while (m_pos < m_text.size() && is_ident_char(m_text[m_pos])) {
                    ++m_pos;
                }
                if (m_pos == s) {
                    return std::nullopt;
                }
                last = std::string(m_text.substr(s, m_pos - s));
                name += last;
                if (m_text.substr(m_pos, 2) == "::") {
                    m_pos += 2;
                    name += "::";
                    continue;
                }
                break;
            }
            if (const auto scale = last.size() > 3 ? unit_scale(last) : std::nullopt) {
                if (peek() == '(' || peek() == '{') {
                    const char close = peek() == '(' ? ')' : '}';
                    ++m_pos;
                    auto v = expr();
                    if (!v || !eat(std::string_view(&close, 1))) {
                        return std::nullopt;
                    }
                    return Dur{v->value * *scale, true};
                }
            }
            if (name.find("::") != std::string::npos) {
                return std::nullopt;
            }
            return constant(name);
        }
        return std::nullopt;
    }

    std::optional<Dur> number() {
        skip();
        std::string digits;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.') {
                digits += c;
            } else if ((c == '_' || c == '\'') && !digits.empty()) {
                // digit separator
            } else if ((c == 'e' || c == 'E') && !digits.empty() && m_pos + 1 < m_text.size() &&
                       (std::isdigit(static_cast<unsigned char>(m_text[m_pos + 1])) != 0 ||
                        m_text[m_pos + 1] == '-' || m_text[m_pos + 1] == '+')) {
                digits += c;
                ++m_pos;
                digits += m_text[m_pos];
            } else {
                break;
            }
            ++m_pos;
        }
        if (digits.empty()) {
            return std::nullopt;
        }
        double v = 0;
        try {
            v = std::stod(digits);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        // suffixes: C++ chrono literals, integer / float suffixes, JS bigint
        const std::size_t s = m_pos;
        while (m_pos < m_text.size() && std::isalpha(static_cast<unsigned char>(m_text[m_pos])) != 0) {
            ++m_pos;
        }
        const std::string_view suffix = m_text.substr(s, m_pos - s);
        if (suffix.empty()) {
            return Dur{v, false};
        }
        if (const auto scale = unit_scale(suffix)) {
            return Dur{v * *scale, true};
        }
        const std::string ls = to_lower(suffix);
        if (ls.find_first_not_of("ulfn") == std::string::npos) {
            return Dur{v, false};
        }
        return std::nullopt;
    }

    std::optional<Dur> constant(const std::string& name) {
        if (m_depth > 3) {
            return std::nullopt;
        }
        // Exactly one binding of the name in the whole file, at module / namespace level.
        const Assignment* found = nullptr;
        for (const Assignment& a : m_file.assignments) {
            const auto names = assigned_names(a.target);
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                continue;
            }
            if (found != nullptr || a.function >= 0 || a.is_augmented) {
                return std::nullopt;
            }
            found = &a;
        }
        if (found == nullptr) {
            return std::nullopt;
        }
        DurationParser inner(m_file, trim(found->value), m_depth + 1);
        return inner.parse();
    }

    const FileModel& m_file;
    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

}  // namespace

std::optional<double> constant_seconds(const FileModel& file, std::string_view expr,
                                       double unit_seconds) {
    std::string_view t = trim(expr);
    // Python keyword argument: seconds=3
    const std::size_t eq = t.find('=');
    if (eq != std::string_view::npos && eq > 0 && is_ident_char(t[eq - 1]) &&
        (eq + 1 >= t.size() || t[eq + 1] != '=')) {
        bool ident = true;
        for (std::size_t i = 0; i < eq; ++i) {
            ident = ident && (is_ident_char(t[i]) || std::isspace(static_cast<unsigned char>(t[i])));
        }
        if (ident) {
            t = trim(t.substr(eq + 1));
        }
    }
    DurationParser p(file, t, 0);
    auto d = p.parse();
    if (!d) {
        return std::nullopt;
    }
    return d->has_unit ? d->value : d->value * unit_seconds;
}

std::string format_seconds(double seconds) {
    char buf[64];
    auto fmt = [&](double v, const char* unit) {
        if (std::fabs(v - std::round(v)) < 1e-9) {
            std::snprintf(buf, sizeof buf, "%.0f %s", v, unit);
        } else {
            std::snprintf(buf, sizeof buf, "%g %s", v, unit);
        }
        return std::string(buf);
    };
    if (seconds >= 1.0 || seconds == 0.0) {
        return fmt(seconds, "s");
    }
    if (seconds >= 1e-3) {
        return fmt(seconds * 1e3, "ms");
    }
    return fmt(seconds * 1e6, "us");
}

// ---------------------------------------------------------------------------------------------
// Model access
// ---------------------------------------------------------------------------------------------
const Function* function_ptr(const FileModel& file, std::int32_t index) {
    if (index < 0 || static_cast<std::size_t>(index) >= file.functions.size()) {
        return nullptr;
    }
    return &file.functions[static_cast<std::size_t>(index)];
}

const Loop* loop_ptr(const FileModel& file, std::int32_t index) {
    if (index < 0 || static_cast<std::size_t>(index) >= file.loops.size()) {
        return nullptr;
    }
    return &file.loops[static_cast<std::size_t>(index)];
}

namespace {

bool is_anonymous_name(std::string_view name) {
    return name.empty() || name == "<lambda>" || name == "<anonymous>" || name == "<arrow>";
}

}  // namespace

const Assignment* binding_assignment(const FileModel& file, std::int32_t index) {
    const Function* fn = function_ptr(file, index);
    if (fn == nullptr) {
        return nullptr;
    }
    const Assignment* best = nullptr;
    const Function* parent = function_ptr(file, fn->parent);
    Range before = fn->range;
    before.start_byte = parent != nullptr ? parent->range.start_byte : 0;
    before.end_byte = fn->range.start_byte + 1;
    const auto [lo, hi] = starting_in(file.assignments, before);
    for (std::size_t i = lo; i < hi; ++i) {
        const Assignment& a = file.assignments[i];
        if (a.function != fn->parent || !a.range.contains(fn->range)) {
            continue;
        }
        // The function must be the value itself, not something nested in a call in the value.
        const std::string_view value = strip_prefix_keywords(a.value);
        const bool looks_function = a.value_kind == ArgKind::function ||
                                    starts_with(value, "async") || starts_with(value, "function") ||
                                    starts_with(value, "(") || starts_with(value, "lambda") ||
                                    value.find("=>") != std::string_view::npos;
        if (!looks_function) {
            continue;
        }
        if (best == nullptr || best->range.contains(a.range)) {
            best = &a;
        }
    }
    return best;
}

std::string bound_name(const FileModel& file, std::int32_t index) {
    const Function* fn = function_ptr(file, index);
    if (fn == nullptr) {
        return {};
    }
    if (!is_anonymous_name(fn->name)) {
        return fn->name;
    }
    if (const Assignment* a = binding_assignment(file, index)) {
        const auto names = assigned_names(a->target);
        if (!names.empty()) {
            const std::string& path = names.back();
            const std::size_t dot = path.rfind('.');
            return dot == std::string::npos ? path : path.substr(dot + 1);
        }
    }
    return {};
}

std::string function_label(const FileModel& file, std::int32_t index) {
    const Function* fn = function_ptr(file, index);
    if (fn == nullptr) {
        return "<module>";
    }
    if (!is_anonymous_name(fn->name)) {
        return fn->qualified_name.empty() ? fn->name : fn->qualified_name;
    }
    if (const Assignment* a = binding_assignment(file, index)) {
        const auto names = assigned_names(a->target);
        if (!names.empty()) {
            return names.back();
        }
    }
    // A callback: name it by the call it is passed to.
    const std::int32_t outer = enclosing_call(file, fn->parent, fn->range);
    if (outer >= 0) {
        return "callback of " + file.calls[static_cast<std::size_t>(outer)].callee + "()";
    }
    return "<anonymous>";
}

std::vector<std::int32_t> loop_chain(const FileModel& file, std::int32_t innermost) {
    std::vector<std::int32_t> out;
    std::int32_t l = innermost;
    while (const Loop* loop = loop_ptr(file, l)) {
        out.push_back(l);
        if (out.size() > file.loops.size()) {
            break;  // malformed parent links
        }
        l = loop->parent;
    }
    return out;
}

bool is_looped(const Loop& loop, const Range& r, bool in_loop_condition) {
    if (in_loop_condition && loop.kind != LoopKind::for_each && loop.kind != LoopKind::for_await &&
        loop.kind != LoopKind::comprehension) {
        return true;
    }
    if (loop.body_range.end_byte > loop.body_range.start_byte && loop.body_range.contains(r)) {
        return true;
    }
    if (!loop.range.contains(r)) {
        return false;
    }
    const bool header_known = loop.header_range.end_byte > loop.header_range.start_byte;
    if (header_known && loop.header_range.contains(r)) {
        return false;
    }
    // A comprehension's clauses run left to right: an earlier clause's iterable is evaluated
    // before this clause iterates (the first one once), a later clause or an `if` on every turn.
    if (loop.kind == LoopKind::comprehension && header_known) {
        return r.start_byte >= loop.header_range.end_byte;
    }
    // Comprehension elements come before their `for` clause; a body the front end did not
    // delimit falls back to "in the loop but not in its header".
    return loop.kind == LoopKind::comprehension ||
           !(loop.body_range.end_byte > loop.body_range.start_byte);
}

std::int32_t looped_by(const FileModel& file, std::int32_t fn, const Range& r) {
    // Loops are ordered by start; the innermost loop of `fn` holding `r` is the first one that
    // holds it when walking back from the last loop starting at or before `r`.
    const auto& loops = file.loops;
    std::size_t hi = static_cast<std::size_t>(
        std::upper_bound(loops.begin(), loops.end(), r.start_byte,
                         [](std::uint32_t b, const Loop& l) { return b < l.range.start_byte; }) -
        loops.begin());
    const Function* f = function_ptr(file, fn);
    const std::uint32_t floor = f != nullptr ? f->range.start_byte : 0;
    std::int32_t innermost = -1;
    while (hi > 0) {
        --hi;
        const Loop& l = loops[hi];
        if (l.range.start_byte < floor) {
            break;
        }
        if (l.function == fn && l.range.contains(r)) {
            innermost = static_cast<std::int32_t>(hi);
            break;
        }
    }
    for (std::int32_t l : loop_chain(file, innermost)) {
        if (is_looped(file.loops[static_cast<std::size_t>(l)], r, false)) {
            return l;
        }
    }
    return -1;
}

namespace {

// The three clauses of a C-style for header: init; condition; update.
std::vector<std::string_view> for_clauses(const FileModel& file, const Loop& loop) {
    std::vector<std::string_view> out;
    const std::string_view header = file.text(loop.header_range);
    const std::size_t open = header.find('(');
    if (open == std::string_view::npos) {
        return out;
    }
    int depth = 0;
    std::size_t start = open + 1;
    for (std::size_t i = open; i < header.size(); ++i) {
        const char c = header[i];
        if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            --depth;
            if (depth == 0) {
                out.push_back(trim(header.substr(start, i - start)));
                break;
            }
        } else if (c == ';' && depth == 1) {
            out.push_back(trim(header.substr(start, i - start)));
            start = i + 1;
        }
    }
    return out;
}

bool constant_true(std::string_view cond) {
    const std::string_view c = trim(cond);
    return c.empty() || c == "true" || c == "True" || c == "1" || c == "(true)" || c == "(1)" ||
           c == "(True)";
}

}  // namespace

bool is_open_loop(const FileModel& file, const Loop& loop) {
    switch (loop.kind) {
    case LoopKind::while_:
    case LoopKind::do_while:
        return true;
    case LoopKind::for_: {
        const auto clauses = for_clauses(file, loop);
        if (clauses.size() == 3) {
            return constant_true(clauses[1]);
        }
        return constant_true(loop.condition);
    }
    default:
        return false;
    }
}

namespace {

// A loop over chunks, batches or pages: each turn already handles many items, so what it does
// per turn is the batched form. `for batch in batches`, `for page in paginator.paginate()`,
// `for start in range(0, n, 100)` (a `for (;;)` with `i += size` is handled by its update).
bool is_chunk_loop(const Loop& loop) {
    auto chunky = [](std::string_view s) {
        const std::string t = to_lower(s);
        for (std::string_view w : {"chunk", "batch", "page", "slice", "bulk"}) {
            if (t.find(w) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    // The variable, not the iterable: `for batch in batches` turns per chunk, while
    // `for message in batch` turns per item of one.
    for (const std::string& v : loop.variables) {
        if (chunky(v)) {
            return true;
        }
    }
    // range(start, stop, step) with a step other than 1
    const std::string_view t = trim(loop.target);
    if (starts_with(t, "range(")) {
        int depth = 0;
        int commas = 0;
        std::size_t last = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '(' || t[i] == '[') {
                ++depth;
            } else if (t[i] == ')' || t[i] == ']') {
                --depth;
            } else if (t[i] == ',' && depth == 1) {
                ++commas;
                last = i;
            }
        }
        if (commas == 2) {
            const std::string_view step = trim(t.substr(last + 1, t.size() - last - 2));
            return step != "1";
        }
    }
    return false;
}

}  // namespace

namespace {

// `[...]` / `(...)` holding only literals: ['preinstall', 'install', 'postinstall'].
// The text without its comments (`// ...`, `/* ... */`, `# ...`), strings kept as they are.
std::string without_comments(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    char quote = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            out += c;
            if (c == '\\' && i + 1 < text.size()) {
                out += text[++i];
            } else if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') {
            quote = c;
            out += c;
            continue;
        }
        const bool line_comment = c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/');
        if (line_comment) {
            while (i < text.size() && text[i] != '\n') {
                ++i;
            }
            out += '\n';
            continue;
        }
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const std::size_t end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 1;
            out += ' ';
            continue;
        }
        out += c;
    }
    return out;
}

bool literal_list(std::string_view text) {
    const std::string stripped = without_comments(text);
    const std::string_view t = trim(stripped);
    if (t.size() < 2 || !((t.front() == '[' && t.back() == ']') || (t.front() == '(' && t.back() == ')'))) {
        return false;
    }
    const ExprRefs refs = expression_refs(t);
    return refs.paths.empty() && !refs.has_call && !refs.has_interpolation && !refs.has_await &&
           t.find("...") == std::string_view::npos;
}

// A loop over a fixed list of steps written in the code (lifecycle events, table names): the
// order is the point and the count is small; they are steps, not data items.
bool iterates_literal_steps(const FileModel& file, const Loop& loop,
                            const AssignmentsByFunction* by_function) {
    const std::string_view target = trim(loop.target);
    if (literal_list(target)) {
        return true;
    }
    if (target.empty() || !std::all_of(target.begin(), target.end(), is_ident_char)) {
        return false;
    }
    // The last assignment of the target before the loop, in its function or at module level.
    const auto binds = [&](const Assignment& a) {
        if (a.range.start_byte > loop.range.start_byte) {
            return false;
        }
        // Cheap test first: a name assigned_names() finds is a piece of the target's text,
        // unless whitespace other than blanks was dropped from inside it.
        if (a.target.find(target) == std::string::npos &&
            a.target.find_first_of("\n\r\v\f") == std::string::npos) {
            return false;
        }
        const auto names = assigned_names(a.target);
        return std::find(names.begin(), names.end(), std::string(target)) != names.end();
    };
    const Assignment* bound = nullptr;
    if (by_function != nullptr && by_function->size() == file.functions.size() + 1 &&
        loop.function >= -1 && loop.function < static_cast<std::int32_t>(file.functions.size())) {
        // The later (in file order) of the last match in the function and the last at module
        // level: what the scan below finds.
        std::int64_t last = -1;
        for (const auto* list : {&(*by_function)[static_cast<std::size_t>(loop.function + 1)],
                                 &(*by_function)[0]}) {
            for (auto it = list->rbegin(); it != list->rend(); ++it) {
                if (static_cast<std::int64_t>(*it) <= last) {
                    break;
                }
                if (binds(file.assignments[*it])) {
                    last = *it;
                    break;
                }
            }
        }
        if (last >= 0) {
            bound = &file.assignments[static_cast<std::size_t>(last)];
        }
    } else {
        for (const Assignment& a : file.assignments) {
            if ((a.function == loop.function || a.function == -1) && binds(a)) {
                bound = &a;
            }
        }
    }
    if (bound == nullptr || bound->is_augmented) {
        return false;
    }
    // The model keeps the first 200 bytes of a value: read a longer list from the source.
    std::string_view value = bound->value;
    if (value.size() >= 200) {
        const std::string_view full = file.text(bound->range);
        const std::size_t eq = full.find('=');
        value = eq == std::string_view::npos ? std::string_view{} : full.substr(eq + 1);
    }
    return literal_list(value);
}

}  // namespace

AssignmentsByFunction assignments_by_function(const FileModel& file) {
    AssignmentsByFunction out(file.functions.size() + 1);
    for (std::size_t i = 0; i < file.assignments.size(); ++i) {
        const std::int32_t fn = file.assignments[i].function;
        if (fn >= -1 && fn < static_cast<std::int32_t>(file.functions.size())) {
            out[static_cast<std::size_t>(fn + 1)].push_back(static_cast<std::uint32_t>(i));
        }
    }
    return out;
}

bool is_item_loop(const FileModel& file, const Loop& loop, const AssignmentsByFunction* by_function) {
    if (is_chunk_loop(loop) || iterates_literal_steps(file, loop, by_function)) {
        return false;
    }
    switch (loop.kind) {
    case LoopKind::for_each:
    case LoopKind::for_await:
    case LoopKind::comprehension:
        return true;
    case LoopKind::for_: {
        const auto clauses = for_clauses(file, loop);
        if (clauses.size() != 3) {
            return !constant_true(loop.condition);
        }
        if (constant_true(clauses[1])) {
            return false;
        }
        const std::string_view update = clauses[2];
        // A counter by one: i++, ++i, i--, i += 1, i -= 1, i = i + 1. A larger stride walks
        // chunks (`i += batchSize`).
        if (update.find("++") != std::string_view::npos || update.find("--") != std::string_view::npos) {
            return true;
        }
        for (std::string_view op : {"+=", "-="}) {
            const std::size_t at = update.find(op);
            if (at != std::string_view::npos) {
                return trim(update.substr(at + 2)) == "1";
            }
        }
        const std::size_t eq = update.find('=');
        if (eq != std::string_view::npos) {
            const std::string_view rhs = trim(update.substr(eq + 1));
            return ends_with(rhs, "+ 1") || ends_with(rhs, "- 1") || ends_with(rhs, "+1") ||
                   ends_with(rhs, "-1");
        }
        return false;
    }
    case LoopKind::while_:
    case LoopKind::do_while: {
        // while (i < items.length) / while i < len(items): an index over a known collection
        const std::string_view c = loop.condition;
        const std::size_t lt = c.find('<');
        if (lt == std::string_view::npos) {
            return false;
        }
        const std::string_view rhs = c.substr(lt + 1);
        return rhs.find("len(") != std::string_view::npos ||
               rhs.find(".length") != std::string_view::npos ||
               rhs.find(".size()") != std::string_view::npos;
    }
    }
    return false;
}

namespace {

bool mentions_retry(std::string_view text) {
    const std::string t = to_lower(text);
    for (std::string_view w : {"attempt", "retr", "tries", "backoff", "back_off"}) {
        if (t.find(w) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Calls `visit(pos, word)` for every identifier-like word of `text` outside strings and comments.
template <typename Visit>
void scan_words(std::string_view text, Language lang, Visit visit) {
    bool dummy = false;
    std::size_t i = 0;
    const bool hash_comments = lang == Language::python;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"' || c == '\'' || c == '`') {
            i = skip_string(text, i, false, dummy);
            continue;
        }
        if (hash_comments && c == '#') {
            const std::size_t nl = text.find('\n', i);
            i = nl == std::string_view::npos ? text.size() : nl;
            continue;
        }
        if (!hash_comments && c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            const std::size_t nl = text.find('\n', i);
            i = nl == std::string_view::npos ? text.size() : nl;
            continue;
        }
        if (!hash_comments && c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const std::size_t end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 2;
            continue;
        }
        if (is_ident_char(c)) {
            std::size_t j = i;
            while (j < text.size() && is_ident_char(text[j])) {
                ++j;
            }
            visit(i, text.substr(i, j - i));
            i = j;
            continue;
        }
        ++i;
    }
}

}  // namespace

bool loop_has_early_exit(const FileModel& file, const Loop& loop) {
    Range body = loop.body_range;
    if (body.end_byte <= body.start_byte) {
        body = loop.range;
    }
    const std::string_view text = file.text(body);
    // Spans that do not count: nested functions (their returns are theirs) and, for `break`,
    // nested loops.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> fn_spans;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> loop_spans;
    const auto [f_lo, f_hi] = starting_in(file.functions, body);
    for (std::size_t i = f_lo; i < f_hi; ++i) {
        const Function& f = file.functions[i];
        if (body.contains(f.range)) {
            fn_spans.emplace_back(f.range.start_byte, f.range.end_byte);
        }
    }
    const auto [l_lo, l_hi] = starting_in(file.loops, body);
    for (std::size_t i = l_lo; i < l_hi; ++i) {
        const Loop& l = file.loops[i];
        if (&l != &loop && body.contains(l.range)) {
            loop_spans.emplace_back(l.range.start_byte, l.range.end_byte);
        }
    }
    auto inside = [](const auto& spans, std::uint32_t b) {
        return std::any_of(spans.begin(), spans.end(),
                           [b](const auto& s) { return s.first <= b && b < s.second; });
    };
    bool found = false;
    scan_words(text, file.language, [&](std::size_t pos, std::string_view w) {
        if (found || (w != "return" && w != "break")) {
            return;
        }
        const auto b = static_cast<std::uint32_t>(body.start_byte + pos);
        if (inside(fn_spans, b)) {
            return;
        }
        if (w == "break" && inside(loop_spans, b)) {
            return;
        }
        found = true;
    });
    return found;
}

bool is_retry_loop(const FileModel& file, const Loop& loop) {
    for (const std::string& v : loop.variables) {
        if (mentions_retry(v)) {
            return true;
        }
    }
    if (mentions_retry(loop.condition) || mentions_retry(loop.target)) {
        return true;
    }
    if (loop.kind == LoopKind::for_ && mentions_retry(file.text(loop.header_range))) {
        return true;
    }
    return has_catch_in(file, loop.function, loop.range) && loop_has_early_exit(file, loop);
}

namespace {

bool catch_in_nodes(const std::vector<ControlNode>& nodes, const Range& r, std::uint32_t before) {
    // Iterative: control trees of generated code can be very deep.
    std::vector<const std::vector<ControlNode>*> stack{&nodes};
    while (!stack.empty()) {
        const std::vector<ControlNode>* level = stack.back();
        stack.pop_back();
        for (const ControlNode& n : *level) {
            if (n.kind == ControlKind::catch_ && r.contains(n.range) && n.range.start_byte < before) {
                return true;
            }
            if (!n.children.empty()) {
                stack.push_back(&n.children);
            }
        }
    }
    return false;
}

}  // namespace

bool has_catch_in(const FileModel& file, std::int32_t fn, const Range& r,
                  std::uint32_t before_byte) {
    const Function* f = function_ptr(file, fn);
    if (f == nullptr) {
        return false;
    }
    return catch_in_nodes(f->control, r, before_byte);
}

namespace {

// Index of the first call starting at or after `byte` (calls are ordered by start).
std::size_t first_call_from(const FileModel& file, std::uint32_t byte) {
    return static_cast<std::size_t>(
        std::lower_bound(file.calls.begin(), file.calls.end(), byte,
                         [](const CallSite& c, std::uint32_t b) { return c.range.start_byte < b; }) -
        file.calls.begin());
}

}  // namespace

std::int32_t enclosing_call(const FileModel& file, std::int32_t fn, const Range& r) {
    const Function* f = function_ptr(file, fn);
    const std::uint32_t floor = f != nullptr ? f->range.start_byte : 0;
    std::int32_t best = -1;
    // Calls that contain `r` start at or before it: walk back from there.
    std::size_t i = first_call_from(file, r.start_byte + 1);
    while (i > 0) {
        --i;
        const CallSite& c = file.calls[i];
        if (c.range.start_byte < floor) {
            break;
        }
        if (best >= 0 && c.range.start_byte < file.calls[static_cast<std::size_t>(best)].range.start_byte) {
            break;  // whatever starts further back and holds `r` also holds `best`
        }
        if (c.function != fn || !c.range.contains(r) || c.callee_range.contains(r)) {
            continue;
        }
        if (c.range.start_byte == r.start_byte && c.range.end_byte == r.end_byte) {
            continue;  // the call itself
        }
        if (best < 0 || file.calls[static_cast<std::size_t>(best)].range.contains(c.range)) {
            best = static_cast<std::int32_t>(i);
        }
    }
    return best;
}

std::vector<std::int32_t> calls_in(const FileModel& file, std::int32_t fn, const Range& r) {
    std::vector<std::int32_t> out;
    for (std::size_t i = first_call_from(file, r.start_byte); i < file.calls.size(); ++i) {
        const CallSite& c = file.calls[i];
        if (c.range.start_byte >= r.end_byte) {
            break;
        }
        if (c.function == fn && r.contains(c.range)) {
            out.push_back(static_cast<std::int32_t>(i));
        }
    }
    return out;
}

std::int32_t outermost_call_in(const FileModel& file, std::int32_t fn, const Range& r) {
    std::int32_t best = -1;
    for (std::size_t i = first_call_from(file, r.start_byte); i < file.calls.size(); ++i) {
        const CallSite& c = file.calls[i];
        if (c.range.start_byte >= r.end_byte) {
            break;
        }
        if (c.function != fn || !r.contains(c.range)) {
            continue;
        }
        if (best < 0) {
            best = static_cast<std::int32_t>(i);
            continue;
        }
        const CallSite& b = file.calls[static_cast<std::size_t>(best)];
        if (c.range.start_byte > b.range.start_byte) {
            break;  // later calls start after the outermost one
        }
        if (c.range.end_byte > b.range.end_byte) {
            best = static_cast<std::int32_t>(i);
        }
    }
    return best;
}

namespace {

std::size_t indentation(std::string_view line) {
    std::size_t n = 0;
    for (char c : line) {
        if (c == ' ') {
            ++n;
        } else if (c == '\t') {
            n += 8;
        } else {
            break;
        }
    }
    return n;
}

bool is_if_header(std::string_view t) {
    t = trim(t);
    if (starts_with(t, "}")) {
        t = trim(t.substr(1));
    }
    return (starts_with(t, "if") && (t.size() == 2 || !is_ident_char(t[2]))) ||
           (starts_with(t, "elif") && (t.size() == 4 || !is_ident_char(t[4]))) ||
           starts_with(t, "else");
}

}  // namespace

std::vector<std::string> enclosing_conditions(const FileModel& file, const LineIndex& lines,
                                              std::uint32_t byte) {
    std::vector<std::string> out;
    const std::int32_t fn = file.function_at(byte);
    const Function* f = function_ptr(file, fn);
    const std::uint32_t fn_start = f != nullptr ? f->range.start_byte : 0;
    const std::uint32_t line_no = lines.line_of(byte);
    const std::string_view own = lines.line(line_no);
    if (is_if_header(own)) {
        out.emplace_back(trim(own));
    }
    if (file.language == Language::python) {
        std::size_t indent = indentation(own);
        for (std::uint32_t l = line_no; l > 1;) {
            --l;
            const std::string_view text = lines.line(l);
            const std::string_view t = trim(text);
            if (t.empty() || starts_with(t, "#")) {
                continue;
            }
            const std::size_t ind = indentation(text);
            if (ind >= indent) {
                continue;
            }
            indent = ind;
            if (starts_with(t, "def ") || starts_with(t, "async def ") || starts_with(t, "class ")) {
                break;
            }
            if (is_if_header(t)) {
                out.emplace_back(t);
            }
            if (indent == 0) {
                break;
            }
        }
        return out;
    }
    // Brace languages: the open braces between the function start and `byte`.
    const std::string_view src(file.source);
    std::vector<std::size_t> open;
    bool dummy = false;
    std::size_t i = fn_start;
    const std::size_t end = std::min<std::size_t>(byte, src.size());
    while (i < end) {
        const char c = src[i];
        if (c == '"' || c == '\'' || c == '`') {
            i = skip_string(src, i, false, dummy);
            continue;
        }
        if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
            const std::size_t nl = src.find('\n', i);
            i = nl == std::string_view::npos ? src.size() : nl;
            continue;
        }
        if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
            const std::size_t e = src.find("*/", i + 2);
            i = e == std::string_view::npos ? src.size() : e + 2;
            continue;
        }
        if (c == '{') {
            open.push_back(i);
        } else if (c == '}' && !open.empty()) {
            open.pop_back();
        }
        ++i;
    }
    for (auto it = open.rbegin(); it != open.rend(); ++it) {
        // Header: back to the previous statement boundary.
        std::size_t s = *it;
        while (s > fn_start && src[s - 1] != ';' && src[s - 1] != '{' && src[s - 1] != '}') {
            --s;
        }
        std::string_view header = trim(src.substr(s, *it - s));
        if (s > 0 && src[s - 1] == '}') {
            // `} else {` / `} else if (...) {`
            header = trim(src.substr(s, *it - s));
        }
        if (is_if_header(header)) {
            out.emplace_back(header);
        }
    }
    // A brace-less `if (...)\n    stmt;` on the line before.
    if (line_no > 1) {
        const std::string_view prev = trim(lines.line(line_no - 1));
        if (is_if_header(prev) && !ends_with(prev, "{") && !ends_with(prev, ";") &&
            !ends_with(prev, "}")) {
            out.emplace_back(prev);
        }
    }
    return out;
}

bool followed_by_continue(const FileModel& file, const Range& r) {
    const std::string_view src(file.source);
    std::size_t i = r.end_byte;
    if (file.language == Language::python) {
        // Same line `; continue`, else the next non-blank, non-comment line.
        const std::size_t nl = src.find('\n', i);
        const std::string_view rest = src.substr(i, (nl == std::string_view::npos ? src.size() : nl) - i);
        const std::string_view t = trim(rest);
        if (starts_with(t, ";")) {
            return starts_with(trim(t.substr(1)), "continue");
        }
        i = nl == std::string_view::npos ? src.size() : nl + 1;
        while (i < src.size()) {
            const std::size_t e = src.find('\n', i);
            const std::string_view line =
                trim(src.substr(i, (e == std::string_view::npos ? src.size() : e) - i));
            if (!line.empty() && !starts_with(line, "#")) {
                return starts_with(line, "continue") &&
                       (line.size() == 8 || !is_ident_char(line[8]));
            }
            if (e == std::string_view::npos) {
                break;
            }
            i = e + 1;
        }
        return false;
    }
    // Brace languages: `;` then `continue`.
    auto skip_ws_comments = [&](std::size_t p) {
        while (p < src.size()) {
            if (std::isspace(static_cast<unsigned char>(src[p])) != 0) {
                ++p;
            } else if (src.substr(p, 2) == "//") {
                const std::size_t nl = src.find('\n', p);
                p = nl == std::string_view::npos ? src.size() : nl;
            } else if (src.substr(p, 2) == "/*") {
                const std::size_t e = src.find("*/", p + 2);
                p = e == std::string_view::npos ? src.size() : e + 2;
            } else {
                break;
            }
        }
        return p;
    };
    i = skip_ws_comments(i);
    if (i < src.size() && src[i] == ';') {
        i = skip_ws_comments(i + 1);
    }
    return src.substr(i, 8) == "continue" && (i + 8 >= src.size() || !is_ident_char(src[i + 8]));
}

bool is_returned(const FileModel& file, const Range& r) {
    const std::string_view src(file.source);
    std::size_t i = std::min<std::size_t>(r.start_byte, src.size());
    auto back_ws = [&]() {
        while (i > 0 && std::isspace(static_cast<unsigned char>(src[i - 1])) != 0) {
            --i;
        }
    };
    back_ws();
    auto word_before = [&](std::string_view w) {
        if (i >= w.size() && src.substr(i - w.size(), w.size()) == w &&
            (i == w.size() || !is_ident_char(src[i - w.size() - 1]))) {
            i -= w.size();
            return true;
        }
        return false;
    };
    if (word_before("await")) {
        back_ws();
    }
    if (word_before("return")) {
        return true;
    }
    return i >= 2 && src.substr(i - 2, 2) == "=>";
}

bool is_test_file(const RuleContext& ctx, std::string_view path) {
    if (is_test_path(path)) {
        return true;
    }
    const std::string p(path);
    for (const std::string& glob : ctx.option_list("test-paths", {})) {
        if (glob_match(glob, p)) {
            return true;
        }
    }
    return false;
}

RuleOption test_paths_option() {
    return {"test-paths", "",
            "Comma-separated globs of test files, besides the usual names (test_*.py, *.spec.ts, "
            "tests/ ...); `paths.tests` in .cq.yaml fills it."};
}

bool is_test_path(std::string_view path) {
    const std::string p = to_lower(path);
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= p.size()) {
        std::size_t slash = p.find('/', start);
        if (slash == std::string::npos) {
            slash = p.size();
        }
        segments.push_back(p.substr(start, slash - start));
        start = slash + 1;
    }
    if (segments.empty()) {
        return false;
    }
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
        const std::string& s = segments[i];
        if (s == "tests" || s == "test" || s == "__tests__" || s == "spec" || s == "__mocks__") {
            return true;
        }
    }
    const std::string& name = segments.back();
    const std::size_t dot = name.find('.');
    const std::string stem = name.substr(0, dot);
    const std::string ext = dot == std::string::npos ? "" : name.substr(dot);
    if (name == "conftest.py") {
        return true;
    }
    if (starts_with(name, "test_") || ends_with(stem, "_test") || ends_with(stem, "_tests")) {
        return true;
    }
    return name.find(".test.") != std::string::npos || name.find(".spec.") != std::string::npos;
}

bool option_bool(const RuleContext& ctx, const std::string& name, bool fallback) {
    const std::string v = to_lower(trim(ctx.option_string(name, fallback ? "true" : "false")));
    if (v == "true" || v == "1" || v == "yes" || v == "on") {
        return true;
    }
    if (v == "false" || v == "0" || v == "no" || v == "off") {
        return false;
    }
    throw std::invalid_argument("option '" + name + "' must be true or false, got '" + v + "'");
}

SecondaryLocation secondary(const FileModel& file, const Range& r, std::string message) {
    return SecondaryLocation{file.path, r, std::move(message)};
}

}  // namespace cq::latency
