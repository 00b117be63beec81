#include "history/model_codec.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace cq::history {

namespace {

constexpr char k_model_magic[4] = {'c', 'q', 'M', static_cast<char>(k_codec_version)};
constexpr char k_findings_magic[4] = {'c', 'q', 'F', static_cast<char>(k_codec_version)};

// Deep models are bounded by the data, not the C++ stack: control trees are written and read
// with explicit stacks.
class Writer {
public:
    void u(std::uint64_t v) {
        while (v >= 0x80) {
            m_out.push_back(static_cast<char>((v & 0x7f) | 0x80));
            v >>= 7;
        }
        m_out.push_back(static_cast<char>(v));
    }
    void s(std::int64_t v) { u((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
    void b(bool v) { u(v ? 1 : 0); }
    void str(std::string_view v) {
        u(v.size());
        m_out.append(v);
    }
    void raw(const char* p, std::size_t n) { m_out.append(p, n); }
    void range(const Range& r) {
        u(r.start_line);
        u(r.start_column);
        u(r.end_line);
        u(r.end_column);
        u(r.start_byte);
        u(r.end_byte);
    }
    void strings(const std::vector<std::string>& v) {
        u(v.size());
        for (const auto& x : v) {
            str(x);
        }
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

struct Malformed : std::runtime_error {
    Malformed() : std::runtime_error("malformed cache entry") {}
};

class Reader {
public:
    explicit Reader(std::string_view in) : m_in(in) {}
    std::uint64_t u() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_in.size()) {
                throw Malformed();
            }
            const auto byte = static_cast<unsigned char>(m_in[m_pos++]);
            v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) {
                return v;
            }
        }
        throw Malformed();
    }
    std::int64_t s() {
        const std::uint64_t z = u();
        return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
    }
    template <typename T>
    T num() {
        const std::uint64_t v = u();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
            throw Malformed();
        }
        return static_cast<T>(v);
    }
    std::int32_t i32() {
        const std::int64_t v = s();
        if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) {
            throw Malformed();
        }
        return static_cast<std::int32_t>(v);
    }
    bool b() { return u() != 0; }
    template <typename E>
    E enm(unsigned max) {
        const auto v = num<std::uint8_t>();
        if (v > max) {
            throw Malformed();
        }
        return static_cast<E>(v);
    }
    std::string str() {
        const std::uint64_t n = u();
        if (n > m_in.size() - m_pos) {
            throw Malformed();
        }
        std::string out(m_in.substr(m_pos, n));
        m_pos += n;
        return out;
    }
    // A count of elements each taking at least one byte: bounded by what is left.
    std::size_t count() {
        const std::uint64_t n = u();
        if (n > m_in.size() - m_pos) {
            throw Malformed();
        }
        return static_cast<std::size_t>(n);
    }
    void expect(const char (&magic)[4]) {
        if (m_in.size() < 4 || m_in.substr(0, 4) != std::string_view(magic, 4)) {
            throw Malformed();
        }
        m_pos = 4;
    }
    Range range() {
        Range r;
        r.start_line = num<std::uint32_t>();
        r.start_column = num<std::uint32_t>();
        r.end_line = num<std::uint32_t>();
        r.end_column = num<std::uint32_t>();
        r.start_byte = num<std::uint32_t>();
        r.end_byte = num<std::uint32_t>();
        return r;
    }
    std::vector<std::string> strings() {
        std::vector<std::string> v(count());
        for (auto& x : v) {
            x = str();
        }
        return v;
    }
    bool at_end() const { return m_pos == m_in.size(); }

private:
    std::string_view m_in;
    std::size_t m_pos = 0;
};

template <typename E>
std::uint64_t e(E v) {
    return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<E>>(v));
}

// Control trees in pre-order, each node followed by its child count.
void write_control(Writer& w, const std::vector<ControlNode>& roots) {
    w.u(roots.size());
    std::vector<std::pair<const std::vector<ControlNode>*, std::size_t>> stack{{&roots, 0}};
    while (!stack.empty()) {
        auto& [list, index] = stack.back();
        if (index == list->size()) {
            stack.pop_back();
            continue;
        }
        const ControlNode& n = (*list)[index++];
        w.u(e(n.kind));
        w.u(n.flags);
        w.range(n.range);
        w.u(n.operators);
        w.u(n.sequences);
        w.s(n.function);
        w.u(n.children.size());
        if (!n.children.empty()) {
            stack.push_back({&n.children, 0});
        }
    }
}

void read_control(Reader& r, std::vector<ControlNode>& roots) {
    roots.resize(r.count());
    std::vector<std::pair<std::vector<ControlNode>*, std::size_t>> stack{{&roots, 0}};
    while (!stack.empty()) {
        auto& [list, index] = stack.back();
        if (index == list->size()) {
            stack.pop_back();
            continue;
        }
        ControlNode& n = (*list)[index++];
        n.kind = r.enm<ControlKind>(static_cast<unsigned>(ControlKind::recursion));
        n.flags = r.num<std::uint32_t>();
        n.range = r.range();
        n.operators = r.num<std::uint16_t>();
        n.sequences = r.num<std::uint16_t>();
        n.function = r.i32();
        n.children.resize(r.count());
        if (!n.children.empty()) {
            stack.push_back({&n.children, 0});
        }
    }
}

void write_function(Writer& w, const Function& f) {
    w.str(f.name);
    w.str(f.qualified_name);
    w.str(f.class_name);
    w.range(f.range);
    w.range(f.name_range);
    w.range(f.body_range);
    w.u(f.params.size());
    for (const Parameter& p : f.params) {
        w.str(p.name);
        w.range(p.range);
        w.b(p.has_default);
        w.b(p.variadic);
    }
    w.strings(f.decorators);
    w.s(f.parent);
    w.b(f.is_async);
    w.b(f.is_generator);
    w.b(f.is_method);
    w.b(f.is_lambda);
    w.b(f.is_exported);
    write_control(w, f.control);
    w.u(f.cyclomatic);
    w.u(f.cognitive);
    w.u(f.nloc);
    w.u(f.max_nesting);
    w.u(f.cognitive_increments.size());
    for (const ComplexityIncrement& c : f.cognitive_increments) {
        w.range(c.range);
        w.u(c.amount);
        w.u(c.nesting);
        w.u(e(c.kind));
    }
}

void read_function(Reader& r, Function& f) {
    f.name = r.str();
    f.qualified_name = r.str();
    f.class_name = r.str();
    f.range = r.range();
    f.name_range = r.range();
    f.body_range = r.range();
    f.params.resize(r.count());
    for (Parameter& p : f.params) {
        p.name = r.str();
        p.range = r.range();
        p.has_default = r.b();
        p.variadic = r.b();
    }
    f.decorators = r.strings();
    f.parent = r.i32();
    f.is_async = r.b();
    f.is_generator = r.b();
    f.is_method = r.b();
    f.is_lambda = r.b();
    f.is_exported = r.b();
    read_control(r, f.control);
    f.cyclomatic = r.num<std::uint32_t>();
    f.cognitive = r.num<std::uint32_t>();
    f.nloc = r.num<std::uint32_t>();
    f.max_nesting = r.num<std::uint32_t>();
    f.param_count = static_cast<std::uint32_t>(f.params.size());  // derived, not stored
    f.cognitive_increments.resize(r.count());
    for (ComplexityIncrement& c : f.cognitive_increments) {
        c.range = r.range();
        c.amount = r.num<std::uint16_t>();
        c.nesting = r.num<std::uint16_t>();
        c.kind = r.enm<ControlKind>(static_cast<unsigned>(ControlKind::recursion));
    }
}

void write_argument(Writer& w, const Argument& a) {
    w.u(e(a.kind));
    w.str(a.keyword);
    w.str(a.text);
    w.str(a.value);
    w.s(a.function);
    w.strings(a.object_keys);
    w.range(a.range);
}

void read_argument(Reader& r, Argument& a) {
    a.kind = r.enm<ArgKind>(static_cast<unsigned>(ArgKind::other));
    a.keyword = r.str();
    a.text = r.str();
    a.value = r.str();
    a.function = r.i32();
    a.object_keys = r.strings();
    a.range = r.range();
}

void write_finding(Writer& w, const Finding& f) {
    w.str(f.rule);
    w.u(e(f.severity));
    w.str(f.path);
    w.range(f.range);
    w.str(f.message);
    w.str(f.function);
    w.u(f.secondary.size());
    for (const SecondaryLocation& s : f.secondary) {
        w.str(s.path);
        w.range(s.range);
        w.str(s.message);
    }
    w.str(f.anchor);
}

void read_finding(Reader& r, Finding& f) {
    f.rule = r.str();
    f.severity = r.enm<Severity>(static_cast<unsigned>(Severity::blocker));
    f.path = r.str();
    f.range = r.range();
    f.message = r.str();
    f.function = r.str();
    f.secondary.resize(r.count());
    for (SecondaryLocation& s : f.secondary) {
        s.path = r.str();
        s.range = r.range();
        s.message = r.str();
    }
    f.anchor = r.str();
}

}  // namespace

std::string encode_model(const FileModel& m) {
    Writer w;
    w.raw(k_model_magic, 4);
    w.str(m.path);
    w.u(e(m.language));
    w.str(m.front_end);
    w.u(m.lines);
    w.u(m.ncloc);
    w.u(m.functions.size());
    for (const Function& f : m.functions) {
        write_function(w, f);
    }
    w.u(m.calls.size());
    for (const CallSite& c : m.calls) {
        w.str(c.callee);
        w.str(c.resolved);
        w.str(c.name);
        w.str(c.receiver);
        w.u(c.args.size());
        for (const Argument& a : c.args) {
            write_argument(w, a);
        }
        w.range(c.range);
        w.range(c.callee_range);
        w.s(c.function);
        w.s(c.loop);
        w.u(c.loop_depth);
        w.b(c.is_new);
        w.b(c.awaited);
        w.b(c.in_async);
        w.b(c.in_handler);
        w.b(c.in_loop_condition);
    }
    w.u(m.loops.size());
    for (const Loop& l : m.loops) {
        w.u(e(l.kind));
        w.range(l.range);
        w.range(l.header_range);
        w.range(l.body_range);
        w.str(l.target);
        w.strings(l.variables);
        w.str(l.condition);
        w.s(l.function);
        w.s(l.parent);
        w.u(l.depth);
    }
    w.u(m.awaits.size());
    for (const Await& a : m.awaits) {
        w.range(a.range);
        w.s(a.function);
        w.s(a.loop);
        w.s(a.call);
        w.b(a.in_loop_condition);
    }
    w.u(m.assignments.size());
    for (const Assignment& a : m.assignments) {
        w.str(a.target);
        w.str(a.value);
        w.u(e(a.value_kind));
        w.range(a.range);
        w.s(a.function);
        w.s(a.loop);
        w.b(a.is_member);
        w.b(a.is_declaration);
        w.b(a.is_augmented);
    }
    w.u(m.strings.size());
    for (const StringLiteral& s : m.strings) {
        w.str(s.value);
        w.range(s.range);
        w.s(s.function);
        w.b(s.is_template);
    }
    w.u(m.imports.size());
    for (const Import& i : m.imports) {
        w.str(i.module);
        w.str(i.name);
        w.str(i.alias);
        w.range(i.range);
    }
    w.u(m.tokens.size());
    std::uint32_t previous = 0;
    for (const Token& t : m.tokens) {
        // Tokens are in source order: store the start as a delta, the end as a length.
        w.u(e(t.kind));
        w.u(t.norm_hash);
        w.u(t.exact_hash);
        w.u(t.line);
        w.s(static_cast<std::int64_t>(t.start_byte) - static_cast<std::int64_t>(previous));
        w.s(static_cast<std::int64_t>(t.end_byte) - static_cast<std::int64_t>(t.start_byte));
        previous = t.start_byte;
    }
    w.u(m.comment_lines.size());
    for (std::uint32_t l : m.comment_lines) {
        w.u(l);
    }
    w.u(m.diagnostics.size());
    for (const Diagnostic& d : m.diagnostics) {
        w.u(e(d.level));
        w.u(d.line);
        w.u(d.column);
        w.str(d.message);
    }
    w.b(m.syntactic_only);
    return w.take();
}

std::unique_ptr<FileModel> decode_model(std::string_view bytes, std::string source) {
    try {
        Reader r(bytes);
        r.expect(k_model_magic);
        auto m = std::make_unique<FileModel>();
        m->path = r.str();
        m->language = r.enm<Language>(static_cast<unsigned>(Language::cpp));
        m->front_end = r.str();
        m->lines = r.num<std::uint32_t>();
        m->ncloc = r.num<std::uint32_t>();
        m->functions.resize(r.count());
        for (Function& f : m->functions) {
            read_function(r, f);
        }
        m->calls.resize(r.count());
        for (CallSite& c : m->calls) {
            c.callee = r.str();
            c.resolved = r.str();
            c.name = r.str();
            c.receiver = r.str();
            c.args.resize(r.count());
            for (Argument& a : c.args) {
                read_argument(r, a);
            }
            c.range = r.range();
            c.callee_range = r.range();
            c.function = r.i32();
            c.loop = r.i32();
            c.loop_depth = r.num<std::uint16_t>();
            c.is_new = r.b();
            c.awaited = r.b();
            c.in_async = r.b();
            c.in_handler = r.b();
            c.in_loop_condition = r.b();
        }
        m->loops.resize(r.count());
        for (Loop& l : m->loops) {
            l.kind = r.enm<LoopKind>(static_cast<unsigned>(LoopKind::comprehension));
            l.range = r.range();
            l.header_range = r.range();
            l.body_range = r.range();
            l.target = r.str();
            l.variables = r.strings();
            l.condition = r.str();
            l.function = r.i32();
            l.parent = r.i32();
            l.depth = r.num<std::uint16_t>();
        }
        m->awaits.resize(r.count());
        for (Await& a : m->awaits) {
            a.range = r.range();
            a.function = r.i32();
            a.loop = r.i32();
            a.call = r.i32();
            a.in_loop_condition = r.b();
        }
        m->assignments.resize(r.count());
        for (Assignment& a : m->assignments) {
            a.target = r.str();
            a.value = r.str();
            a.value_kind = r.enm<ArgKind>(static_cast<unsigned>(ArgKind::other));
            a.range = r.range();
            a.function = r.i32();
            a.loop = r.i32();
            a.is_member = r.b();
            a.is_declaration = r.b();
            a.is_augmented = r.b();
        }
        m->strings.resize(r.count());
        for (StringLiteral& s : m->strings) {
            s.value = r.str();
            s.range = r.range();
            s.function = r.i32();
            s.is_template = r.b();
        }
        m->imports.resize(r.count());
        for (Import& i : m->imports) {
            i.module = r.str();
            i.name = r.str();
            i.alias = r.str();
            i.range = r.range();
        }
        m->tokens.resize(r.count());
        std::int64_t previous = 0;
        for (Token& t : m->tokens) {
            t.kind = r.enm<TokenKind>(static_cast<unsigned>(TokenKind::op));
            t.norm_hash = r.num<std::uint32_t>();
            t.exact_hash = r.num<std::uint32_t>();
            t.line = r.num<std::uint32_t>();
            const std::int64_t start = previous + r.s();
            const std::int64_t end = start + r.s();
            if (start < 0 || end < start || end > std::numeric_limits<std::uint32_t>::max()) {
                throw Malformed();
            }
            t.start_byte = static_cast<std::uint32_t>(start);
            t.end_byte = static_cast<std::uint32_t>(end);
            previous = start;
        }
        m->comment_lines.resize(r.count());
        for (std::uint32_t& l : m->comment_lines) {
            l = r.num<std::uint32_t>();
        }
        m->diagnostics.resize(r.count());
        for (Diagnostic& d : m->diagnostics) {
            d.level = r.enm<DiagnosticLevel>(static_cast<unsigned>(DiagnosticLevel::error));
            d.line = r.num<std::uint32_t>();
            d.column = r.num<std::uint32_t>();
            d.message = r.str();
        }
        m->syntactic_only = r.b();
        if (!r.at_end()) {
            return nullptr;
        }
        m->source = std::move(source);
        return m;
    } catch (const Malformed&) {
        return nullptr;
    }
}

std::string encode_findings(const std::vector<Finding>& findings) {
    Writer w;
    w.raw(k_findings_magic, 4);
    w.u(findings.size());
    for (const Finding& f : findings) {
        write_finding(w, f);
    }
    return w.take();
}

bool decode_findings(std::string_view bytes, std::vector<Finding>& out) {
    try {
        Reader r(bytes);
        r.expect(k_findings_magic);
        std::vector<Finding> findings(r.count());
        for (Finding& f : findings) {
            read_finding(r, f);
        }
        if (!r.at_end()) {
            return false;
        }
        out = std::move(findings);
        return true;
    } catch (const Malformed&) {
        return false;
    }
}

}  // namespace cq::history
