#include "analyzer/treesitter/query_rules.hpp"

#include <tree_sitter/api.h>

#include <time.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cstring>

#include "analyzer/treesitter/language_spec.hpp"

namespace cq::treesitter {

namespace {

constexpr int k_max_query_depth = 100;

std::uint64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

// The same guard the front end uses (treesitter_frontend.cpp): a parse whose error recovery
// falls far behind its byte budget is abandoned before Debian's tree-sitter 0.20.7 can build an
// ERROR node with more than 65535 children (tree-sitter issues 2156, 2231).
class GuardedInput {
public:
    GuardedInput(std::string_view src, std::size_t* cancel) : m_src(src), m_cancel(cancel), m_start(thread_cpu_ns()) {}

    TSInput input() {
        TSInput in{};
        in.payload = this;
        in.read = &GuardedInput::read;
        in.encoding = TSInputEncodingUTF8;
        return in;
    }

private:
    static constexpr std::uint32_t k_chunk = 16 * 1024;
    static constexpr std::uint64_t k_base_ns = 200'000'000;
    static constexpr std::uint64_t k_ns_per_byte = 2'500;

    static const char* read(void* payload, std::uint32_t byte, TSPoint, std::uint32_t* bytes_read) {
        auto* self = static_cast<GuardedInput*>(payload);
        const std::string_view src = self->m_src;
        if (byte >= src.size()) {
            *bytes_read = 0;
            return "";
        }
        if (byte > self->m_furthest) {
            self->m_furthest = byte;
        }
        if (thread_cpu_ns() - self->m_start > k_base_ns + k_ns_per_byte * self->m_furthest) {
            *self->m_cancel = 1;
        }
        std::uint32_t n = static_cast<std::uint32_t>(src.size()) - byte;
        if (n > k_chunk) {
            n = k_chunk;
            while (n > 1 && (static_cast<unsigned char>(src[byte + n]) & 0xC0) == 0x80) {
                --n;
            }
        }
        *bytes_read = n;
        return src.data() + byte;
    }

    std::string_view m_src;
    std::size_t* m_cancel;
    std::uint64_t m_start;
    std::uint32_t m_furthest = 0;
};

std::uint64_t fnv(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// One parser and the last tree per grammar, per thread.
struct ThreadParses {
    struct Slot {
        TSParser* parser = nullptr;
        TSTree* tree = nullptr;
        std::uint64_t hash = 0;
        std::size_t size = 0;
        bool failed = false;  // the last parse of (hash, size) did not finish
    };
    std::array<Slot, 6> slots{};
    ThreadParses() = default;
    ThreadParses(const ThreadParses&) = delete;
    ThreadParses& operator=(const ThreadParses&) = delete;
    ~ThreadParses() {
        for (Slot& s : slots) {
            if (s.tree != nullptr) {
                ts_tree_delete(s.tree);
            }
            if (s.parser != nullptr) {
                ts_parser_delete(s.parser);
            }
        }
    }
};

std::size_t slot_of(Language lang, Dialect dialect) {
    switch (lang) {
    case Language::python: return 0;
    case Language::javascript: return 1;
    case Language::typescript: return dialect == Dialect::tsx ? 3 : 2;
    case Language::c: return 4;
    case Language::cpp: return 5;
    }
    return 0;
}

// The tree of `source` for this grammar on this thread, or null when it cannot be parsed.
const TSTree* parse_cached(const TSLanguage* ts, Language lang, Dialect dialect, std::string_view source) {
    thread_local ThreadParses parses;
    ThreadParses::Slot& slot = parses.slots[slot_of(lang, dialect)];
    if (source.size() >= (std::size_t{1} << 31)) {
        return nullptr;
    }
    const std::uint64_t h = fnv(source);
    if (slot.size == source.size() && slot.hash == h && (slot.tree != nullptr || slot.failed)) {
        return slot.tree;
    }
    if (slot.tree != nullptr) {
        ts_tree_delete(slot.tree);
        slot.tree = nullptr;
    }
    slot.hash = h;
    slot.size = source.size();
    slot.failed = true;
    if (slot.parser == nullptr) {
        slot.parser = ts_parser_new();
        if (slot.parser == nullptr || !ts_parser_set_language(slot.parser, ts)) {
            return nullptr;
        }
    }
    ts_parser_reset(slot.parser);
    ts_parser_set_timeout_micros(slot.parser, 2'000'000u + static_cast<std::uint64_t>(source.size()) * 5u);
    std::size_t cancel = 0;
    ts_parser_set_cancellation_flag(slot.parser, &cancel);
    GuardedInput in(source, &cancel);
    slot.tree = ts_parser_parse(slot.parser, nullptr, in.input());
    ts_parser_set_cancellation_flag(slot.parser, nullptr);
    if (slot.tree == nullptr) {
        ts_parser_reset(slot.parser);
        return nullptr;
    }
    slot.failed = false;
    return slot.tree;
}

Range node_range(TSNode n) {
    Range r;
    const TSPoint s = ts_node_start_point(n);
    const TSPoint e = ts_node_end_point(n);
    r.start_line = s.row + 1;
    r.start_column = s.column + 1;
    r.end_line = e.row + 1;
    r.end_column = e.column + 1;
    r.start_byte = ts_node_start_byte(n);
    r.end_byte = ts_node_end_byte(n);
    return r;
}

const char* error_kind(TSQueryError e) {
    switch (e) {
    case TSQueryErrorNone: return "none";
    case TSQueryErrorSyntax: return "syntax";
    case TSQueryErrorNodeType: return "node type";
    case TSQueryErrorField: return "field";
    case TSQueryErrorCapture: return "capture";
    case TSQueryErrorStructure: return "structure";
    case TSQueryErrorLanguage: return "language";
    }
    return "unknown";
}

void locate(std::string_view text, std::uint32_t offset, QueryError& err) {
    err.offset = offset;
    err.line = 1;
    err.column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++err.line;
            err.column = 1;
        } else {
            ++err.column;
        }
    }
}

// The identifier-like word at `offset` (what tree-sitter complains about), for the message.
std::string word_at(std::string_view text, std::uint32_t offset) {
    std::size_t e = offset;
    while (e < text.size() && e - offset < 60 &&
           (std::isalnum(static_cast<unsigned char>(text[e])) != 0 || text[e] == '_' || text[e] == '-' ||
            text[e] == '.' || text[e] == '@' || text[e] == '?' || text[e] == '!')) {
        ++e;
    }
    return std::string(text.substr(offset < text.size() ? offset : text.size(), e - offset));
}

// The offset of the first field prefix (`name:`) whose name `ts` does not know, or npos.
// tree-sitter 0.20.7's ts_query_new leaks the capture list of the sub-pattern when it rejects
// such a field (fixed upstream later); cq reports the same error without asking it. Outside
// strings and comments an identifier followed by ':' is a field prefix or a syntax error, so
// reporting a field error for it never rejects a query that would compile.
std::size_t unknown_field(const TSLanguage* ts, std::string_view q) {
    // tree-sitter's identifier: [alnum_-] then [alnum_-.?!]; a non-ASCII byte outside a string
    // is a syntax error there, so counting it in cannot turn a valid query into an error.
    const auto ident_start = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0 ||
               c == '_' || c == '-';
    };
    const auto ident = [&](char c) { return ident_start(c) || c == '.' || c == '?' || c == '!'; };
    std::size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        if (c == ';') {
            while (i < q.size() && q[i] != '\n') {
                ++i;
            }
        } else if (c == '"') {
            for (++i; i < q.size() && q[i] != '"'; ++i) {
                if (q[i] == '\\') {
                    ++i;
                }
            }
            ++i;
        } else if (c == '@' || c == '#') {
            for (++i; i < q.size() && ident(q[i]); ++i) {
            }
        } else if (c == '_') {
            ++i;  // the wildcard, a token of its own in tree-sitter
        } else if (ident_start(c)) {
            const std::size_t start = i;
            while (i < q.size() && ident(q[i])) {
                ++i;
            }
            std::size_t j = i;
            while (j < q.size() && (std::isspace(static_cast<unsigned char>(q[j])) != 0 || q[j] == ';')) {
                if (q[j] == ';') {
                    while (j < q.size() && q[j] != '\n') {
                        ++j;
                    }
                } else {
                    ++j;
                }
            }
            if (j < q.size() && q[j] == ':' &&
                ts_language_field_id_for_name(ts, q.data() + start, static_cast<std::uint32_t>(i - start)) == 0) {
                return start;
            }
        } else {
            ++i;
        }
    }
    return std::string_view::npos;
}

// Finds what Debian's tree-sitter 0.20.7 cannot compile safely: a quantifier on a pattern
// that can already match nothing (`(x)**`, `(x)?*`, `((x)?)+`, `((x)* @c)*`) makes ts_query_new
// loop forever or read out of bounds (found by the custom-rule fuzzer), and a chain of field
// prefixes (`f: f: f: ...`) recurses once per prefix there. Such a quantifier adds nothing, so
// cq rejects the query. The walk follows tree-sitter's grammar for queries only as far as it
// needs; anything it does not understand is left for ts_query_new to report.
class QuantifierCheck {
public:
    explicit QuantifierCheck(std::string_view q) : m_q(q) {}

    // The offset of the first unsafe quantifier or field chain, or npos.
    std::size_t find() {
        while (m_ok && m_bad == std::string_view::npos) {
            skip_space();
            if (m_i >= m_q.size() || !pattern(0)) {
                break;
            }
        }
        return m_bad;
    }

    bool too_deep() const { return m_too_deep; }

private:
    static bool ident_char(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0 ||
               c == '_' || c == '-' || c == '.' || c == '?' || c == '!';
    }
    static bool ident_start(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0 ||
               c == '_' || c == '-';
    }
    char peek() const { return m_i < m_q.size() ? m_q[m_i] : '\0'; }
    void skip_space() {
        while (m_i < m_q.size()) {
            if (std::isspace(static_cast<unsigned char>(m_q[m_i])) != 0) {
                ++m_i;
            } else if (m_q[m_i] == ';') {
                while (m_i < m_q.size() && m_q[m_i] != '\n') {
                    ++m_i;
                }
            } else {
                break;
            }
        }
    }
    void skip_ident() {
        while (m_i < m_q.size() && ident_char(m_q[m_i])) {
            ++m_i;
        }
    }
    void skip_string() {
        for (++m_i; m_i < m_q.size() && m_q[m_i] != '"'; ++m_i) {
            if (m_q[m_i] == '\\') {
                ++m_i;
            }
        }
        ++m_i;
    }
    bool fail() {
        m_ok = false;
        return false;
    }

    // One pattern with its suffixes; sets m_nullable. Returns false at a closing bracket, the
    // end, or anything unexpected (then m_ok is false).
    bool pattern(int depth) {
        // field prefixes, each a level of recursion in tree-sitter
        for (;;) {
            skip_space();
            if (!ident_start(peek()) || peek() == '_') {  // '_' is always the one-character wildcard
                break;
            }
            const std::size_t start = m_i;
            skip_ident();
            const std::size_t end = m_i;
            skip_space();
            if (peek() != ':') {
                m_i = end;  // a bare identifier: tree-sitter reports it
                m_nullable = false;
                return suffixes();
            }
            ++m_i;
            if (++depth > k_max_query_depth) {
                m_too_deep = true;
                m_bad = start;
                return false;
            }
        }
        const char c = peek();
        if (c == '_' || c == '*') {  // wildcards, '*' in tree-sitter's older syntax
            ++m_i;
            m_nullable = false;
        } else if (c == '"') {
            skip_string();
            m_nullable = false;
        } else if (c == '[') {
            ++m_i;
            while (pattern(depth + 1)) {
            }
            if (!m_ok || peek() != ']') {
                return fail();
            }
            ++m_i;
            m_nullable = false;  // tree-sitter copes with an alternation that has an empty branch
        } else if (c == '(') {
            ++m_i;
            skip_space();
            const char first = peek();
            if (first == '#') {  // a predicate: not a pattern
                while (m_i < m_q.size() && m_q[m_i] != ')') {
                    if (m_q[m_i] == '"') {
                        skip_string();
                    } else {
                        ++m_i;
                    }
                }
                if (peek() != ')') {
                    return fail();
                }
                ++m_i;
                m_nullable = true;
                return true;
            }
            const bool group = first == '(' || first == '[' || first == '"';
            if (!group) {
                skip_ident();  // the node type
            }
            bool all_nullable = true;
            while (pattern(depth + 1)) {
                all_nullable = all_nullable && m_nullable;
            }
            if (!m_ok || peek() != ')') {
                return fail();
            }
            ++m_i;
            m_nullable = group && all_nullable;
        } else if (c == '.' || c == '!' || c == '@') {  // an anchor, a negated field, a stray capture
            ++m_i;
            skip_ident();
            m_nullable = true;
            return true;
        } else {
            if (c != ')' && c != ']') {
                m_ok = false;
            }
            return false;
        }
        return suffixes();
    }

    bool suffixes() {
        for (;;) {
            skip_space();
            const char c = peek();
            if (c == '*' || c == '?' || c == '+') {
                if (m_nullable) {
                    m_bad = m_i;
                    return false;
                }
                m_nullable = c != '+';
                ++m_i;
            } else if (c == '@') {
                ++m_i;
                skip_ident();
            } else {
                return true;
            }
        }
    }

    std::string_view m_q;
    std::size_t m_i = 0;
    std::size_t m_bad = std::string_view::npos;
    bool m_ok = true;
    bool m_nullable = false;
    bool m_too_deep = false;
};

}  // namespace

// A predicate the runner evaluates: #eq? / #not-eq? between a capture and a string or capture.
struct Predicate {
    bool negate = false;
    std::uint32_t capture = 0;
    bool other_is_capture = false;
    std::uint32_t other_capture = 0;
    std::string value;
};

struct CompiledQuery::Impl {
    TSQuery* query = nullptr;
    const TSLanguage* language = nullptr;
    std::vector<std::vector<Predicate>> predicates;  // per pattern
    ~Impl() {
        if (query != nullptr) {
            ts_query_delete(query);
        }
    }
};

CompiledQuery::CompiledQuery(std::unique_ptr<Impl> impl, Language lang, Dialect dialect)
    : m_impl(std::move(impl)), m_language(lang), m_dialect(dialect) {}

CompiledQuery::~CompiledQuery() = default;

std::unique_ptr<CompiledQuery> CompiledQuery::compile(Language lang, Dialect dialect, std::string_view query,
                                                      QueryError& error) {
    const Dialect effective = lang == Language::typescript ? dialect : Dialect::standard;
    const LanguageSpec& spec = spec_for(lang, effective);
    if (spec.ts == nullptr) {
        error.kind = "language";
        error.message = "the tree-sitter grammar for " + std::string(language_name(lang)) + " is not available";
        return nullptr;
    }
    if (query.size() > (std::size_t{1} << 20)) {
        error.kind = "syntax";
        error.message = "query longer than 1 MiB";
        return nullptr;
    }
    // tree-sitter 0.20.7 parses nested patterns recursively: bound the nesting first
    {
        int depth = 0;
        bool in_string = false;
        bool in_comment = false;
        for (std::size_t i = 0; i < query.size(); ++i) {
            const char c = query[i];
            if (in_comment) {
                in_comment = c != '\n';
            } else if (in_string) {
                if (c == '\\') {
                    ++i;
                } else if (c == '"') {
                    in_string = false;
                }
            } else if (c == ';') {
                in_comment = true;
            } else if (c == '"') {
                in_string = true;
            } else if (c == '(' || c == '[') {
                if (++depth > k_max_query_depth) {
                    error.kind = "structure";
                    locate(query, static_cast<std::uint32_t>(i), error);
                    error.message = "patterns nested more than " + std::to_string(k_max_query_depth) + " deep at " +
                                    std::to_string(error.line) + ":" + std::to_string(error.column);
                    return nullptr;
                }
            } else if ((c == ')' || c == ']') && depth > 0) {
                --depth;
            }
        }
    }
    {
        QuantifierCheck check(query);
        if (const std::size_t at = check.find(); at != std::string_view::npos) {
            error.kind = "structure";
            locate(query, static_cast<std::uint32_t>(at), error);
            const std::string where = std::to_string(error.line) + ":" + std::to_string(error.column);
            error.message = check.too_deep()
                                ? "patterns nested more than " + std::to_string(k_max_query_depth) + " deep at " + where
                                : "quantifier '" + std::string(1, query[at]) +
                                      "' on a pattern that can already match nothing at " + where +
                                      " (tree-sitter 0.20.7 cannot compile it; one quantifier is enough)";
            return nullptr;
        }
    }
    auto impl = std::make_unique<Impl>();
    impl->language = spec.ts;
    std::uint32_t offset = 0;
    TSQueryError kind = TSQueryErrorNone;
    if (const std::size_t at = unknown_field(spec.ts, query); at != std::string_view::npos) {
        offset = static_cast<std::uint32_t>(at);
        kind = TSQueryErrorField;
    } else {
        impl->query = ts_query_new(spec.ts, query.data(), static_cast<std::uint32_t>(query.size()), &offset, &kind);
    }
    if (impl->query == nullptr) {
        error.kind = error_kind(kind);
        locate(query, offset, error);
        const std::string word = word_at(query, offset);
        std::string what;
        switch (kind) {
        case TSQueryErrorNodeType: what = "invalid node type '" + word + "'"; break;
        case TSQueryErrorField: what = "invalid field '" + word + "'"; break;
        case TSQueryErrorCapture: what = "invalid capture '" + word + "'"; break;
        case TSQueryErrorStructure: what = "impossible pattern structure"; break;
        case TSQueryErrorLanguage: what = "grammar version not supported by the tree-sitter library"; break;
        default: what = offset >= query.size() ? "syntax error (unexpected end of query)" : "syntax error"; break;
        }
        error.message = what + " for " + std::string(language_name(lang)) + " at " + std::to_string(error.line) +
                        ":" + std::to_string(error.column);
        return nullptr;
    }
    std::vector<std::string> names;
    const std::uint32_t ncap = ts_query_capture_count(impl->query);
    for (std::uint32_t i = 0; i < ncap; ++i) {
        std::uint32_t len = 0;
        const char* name = ts_query_capture_name_for_id(impl->query, i, &len);
        names.emplace_back(name, len);
    }
    const std::uint32_t npat = ts_query_pattern_count(impl->query);
    impl->predicates.resize(npat);
    for (std::uint32_t p = 0; p < npat; ++p) {
        std::uint32_t nsteps = 0;
        const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(impl->query, p, &nsteps);
        std::uint32_t i = 0;
        while (i < nsteps) {
            std::uint32_t end = i;
            while (end < nsteps && steps[end].type != TSQueryPredicateStepTypeDone) {
                ++end;
            }
            auto fail = [&](const std::string& why) {
                error.kind = "predicate";
                locate(query, ts_query_start_byte_for_pattern(impl->query, p), error);
                error.message = why + " in the pattern at " + std::to_string(error.line) + ":" +
                                std::to_string(error.column);
            };
            if (end == i || steps[i].type != TSQueryPredicateStepTypeString) {
                fail("malformed predicate");
                return nullptr;
            }
            std::uint32_t len = 0;
            const char* op = ts_query_string_value_for_id(impl->query, steps[i].value_id, &len);
            const std::string name(op, len);
            if (name != "eq?" && name != "not-eq?") {
                fail("predicate #" + name + " is not supported (cq evaluates #eq? and #not-eq?; use the rule's "
                     "`constraints` for regular expressions)");
                return nullptr;
            }
            if (end - i != 3 || steps[i + 1].type != TSQueryPredicateStepTypeCapture) {
                fail("#" + name + " takes a capture and a string or capture");
                return nullptr;
            }
            Predicate pred;
            pred.negate = name == "not-eq?";
            pred.capture = steps[i + 1].value_id;
            if (steps[i + 2].type == TSQueryPredicateStepTypeCapture) {
                pred.other_is_capture = true;
                pred.other_capture = steps[i + 2].value_id;
            } else {
                const char* v = ts_query_string_value_for_id(impl->query, steps[i + 2].value_id, &len);
                pred.value.assign(v, len);
            }
            impl->predicates[p].push_back(std::move(pred));
            i = end + 1;
        }
    }
    std::unique_ptr<CompiledQuery> out(new CompiledQuery(std::move(impl), lang, effective));
    out->m_capture_names = std::move(names);
    return out;
}

std::vector<QueryMatch> CompiledQuery::run(std::string_view source, std::size_t max_matches, bool* truncated) const {
    std::vector<QueryMatch> out;
    if (truncated != nullptr) {
        *truncated = false;
    }
    const TSTree* tree = parse_cached(m_impl->language, m_language, m_dialect, source);
    if (tree == nullptr) {
        return out;
    }
    TSQueryCursor* cursor = ts_query_cursor_new();
    if (cursor == nullptr) {
        return out;
    }
    ts_query_cursor_set_match_limit(cursor, 1024);
    ts_query_cursor_exec(cursor, m_impl->query, ts_tree_root_node(tree));
    auto text_of = [&](TSNode n) {
        const std::uint32_t b = ts_node_start_byte(n);
        const std::uint32_t e = ts_node_end_byte(n);
        if (b > e || e > source.size()) {
            return std::string_view();
        }
        return source.substr(b, e - b);
    };
    TSQueryMatch m;
    while (ts_query_cursor_next_match(cursor, &m)) {
        bool ok = true;
        for (const Predicate& p : m_impl->predicates[m.pattern_index]) {
            std::string_view lhs;
            std::string_view rhs = p.value;
            bool have_lhs = false;
            bool have_rhs = !p.other_is_capture;
            for (std::uint16_t c = 0; c < m.capture_count; ++c) {
                if (m.captures[c].index == p.capture && !have_lhs) {
                    lhs = text_of(m.captures[c].node);
                    have_lhs = true;
                }
                if (p.other_is_capture && m.captures[c].index == p.other_capture && !have_rhs) {
                    rhs = text_of(m.captures[c].node);
                    have_rhs = true;
                }
            }
            if (!have_lhs || !have_rhs) {
                continue;  // an optional capture that did not match: nothing to compare
            }
            if ((lhs == rhs) == p.negate) {
                ok = false;
                break;
            }
        }
        if (!ok) {
            continue;
        }
        if (out.size() >= max_matches) {
            if (truncated != nullptr) {
                *truncated = true;
            }
            break;
        }
        QueryMatch qm;
        qm.pattern = m.pattern_index;
        for (std::uint16_t c = 0; c < m.capture_count; ++c) {
            qm.captures.push_back({m_capture_names[m.captures[c].index], node_range(m.captures[c].node)});
        }
        out.push_back(std::move(qm));
    }
    ts_query_cursor_delete(cursor);
    return out;
}

}  // namespace cq::treesitter
