#include "rules/support/clones.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace cq::clones {
namespace {

constexpr std::uint32_t k_none = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t k_base = 0x100000001b3ULL;

std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::string_view token_text(const FileModel& f, const Token& t) {
    if (t.end_byte > f.source.size() || t.start_byte > t.end_byte) {
        return {};
    }
    return std::string_view(f.source).substr(t.start_byte, t.end_byte - t.start_byte);
}

// Open addressing: window hash -> first window with it. Keys are already mixed.
class FirstSeen {
public:
    explicit FirstSeen(std::size_t expected) {
        std::size_t cap = 16;
        while (cap < expected + expected / 2 + 1) {
            cap <<= 1;
        }
        m_keys.assign(cap, 0);
        m_vals.assign(cap, k_none);
        m_mask = cap - 1;
    }

    // The first window recorded with `key`, recording `window` if there was none.
    std::uint32_t first(std::uint64_t key, std::uint32_t window, std::uint64_t& probes) {
        std::size_t slot = static_cast<std::size_t>(key) & m_mask;
        for (;;) {
            ++probes;
            if (m_vals[slot] == k_none) {
                m_keys[slot] = key;
                m_vals[slot] = window;
                return window;
            }
            if (m_keys[slot] == key) {
                return m_vals[slot];
            }
            slot = (slot + 1) & m_mask;
        }
    }

private:
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_vals;
    std::size_t m_mask = 0;
};

class UnionFind {
public:
    std::uint32_t add() {
        m_parent.push_back(static_cast<std::uint32_t>(m_parent.size()));
        return m_parent.back();
    }
    std::uint32_t find(std::uint32_t x) {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a != b) {
            // the smaller id stays the root so that groups keep a stable first region
            if (b < a) {
                std::swap(a, b);
            }
            m_parent[b] = a;
        }
    }

private:
    std::vector<std::uint32_t> m_parent;
};

struct Region {
    std::uint32_t file = 0;   // index into the language's file list
    std::uint32_t begin = 0;  // [begin, end) in the language's sequence
    std::uint32_t end = 0;
};

// One language's token streams, concatenated.
struct Corpus {
    std::vector<std::size_t> file_index;  // into find_clones' `files`
    std::vector<std::uint32_t> file_begin;  // offsets into seq; one extra at the end
    std::vector<std::uint32_t> seq;         // normalized values
    std::vector<std::uint32_t> tok;         // token index in its file
};

Corpus build_corpus(const std::vector<const FileModel*>& files, Language lang) {
    Corpus c;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const FileModel* f = files[i];
        if (f == nullptr || f->language != lang || f->tokens.empty()) {
            continue;
        }
        const std::vector<bool> skip = import_mask(*f);
        c.file_index.push_back(i);
        c.file_begin.push_back(static_cast<std::uint32_t>(c.seq.size()));
        for (std::size_t t = 0; t < f->tokens.size(); ++t) {
            if (skip[t]) {
                continue;
            }
            c.seq.push_back(f->tokens[t].norm_hash);
            c.tok.push_back(static_cast<std::uint32_t>(t));
        }
    }
    if (c.seq.size() >= k_none) {
        throw std::length_error("duplication: more than 4 billion tokens in one language");
    }
    c.file_begin.push_back(static_cast<std::uint32_t>(c.seq.size()));
    return c;
}

// Trims a region to whole lines: a match that starts or ends in the middle of a line (the tail
// of one statement, the head of the next) is reported from the next full line to the last full
// line, when at least one line is left.
Region whole_lines(const FileModel& f, const Corpus& c, Region r) {
    const auto line = [&](std::uint32_t s) { return f.tokens[c.tok[s]].line; };
    const auto shares_line_before = [&](std::uint32_t s) {
        const std::uint32_t t = c.tok[s];
        return t > 0 && f.tokens[t - 1].line == f.tokens[t].line;
    };
    const auto shares_line_after = [&](std::uint32_t s) {
        const std::uint32_t t = c.tok[s];
        return t + 1 < f.tokens.size() && f.tokens[t + 1].line == f.tokens[t].line;
    };
    Region out = r;
    if (shares_line_before(out.begin)) {
        const std::uint32_t first_line = line(out.begin);
        while (out.begin < out.end && line(out.begin) == first_line) {
            ++out.begin;
        }
    }
    if (out.begin < out.end && shares_line_after(out.end - 1)) {
        const std::uint32_t last_line = line(out.end - 1);
        while (out.end > out.begin && line(out.end - 1) == last_line) {
            --out.end;
        }
    }
    return out.begin < out.end ? out : r;
}

Occurrence make_occurrence(const std::vector<const FileModel*>& files, const Corpus& c,
                           const Region& whole) {
    const FileModel& f = *files[c.file_index[whole.file]];
    const Region r = whole_lines(f, c, whole);
    Occurrence o;
    o.file = c.file_index[r.file];
    o.first_token = c.tok[r.begin];
    o.last_token = c.tok[r.end - 1];
    o.tokens = r.end - r.begin;
    const Token& first = f.tokens[o.first_token];
    const Token& last = f.tokens[o.last_token];
    o.start_line = first.line;
    const std::string_view last_text = token_text(f, last);
    o.end_line = last.line + static_cast<std::uint32_t>(
                                 std::count(last_text.begin(), last_text.end(), '\n'));
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::uint32_t i = r.begin; i < r.end; ++i) {
        h = mix64(h ^ c.seq[i]);
    }
    o.anchor = h;
    return o;
}

bool same_exact_tokens(const std::vector<const FileModel*>& files, const Occurrence& a,
                       const Occurrence& b) {
    if (a.tokens != b.tokens || a.last_token - a.first_token != b.last_token - b.first_token) {
        return false;
    }
    const FileModel& fa = *files[a.file];
    const FileModel& fb = *files[b.file];
    for (std::uint32_t i = 0; i <= a.last_token - a.first_token; ++i) {
        if (fa.tokens[a.first_token + i].exact_hash != fb.tokens[b.first_token + i].exact_hash) {
            return false;
        }
    }
    return true;
}

void detect_language(const std::vector<const FileModel*>& files, Language lang,
                     const Options& options, std::vector<Group>& out, Stats& stats) {
    Corpus c = build_corpus(files, lang);
    const std::uint32_t k = std::max<std::uint32_t>(options.min_tokens, 1);
    const std::size_t nfiles = c.file_index.size();
    stats.tokens += c.seq.size();
    std::size_t windows = 0;
    for (std::size_t fi = 0; fi < nfiles; ++fi) {
        const std::uint32_t len = c.file_begin[fi + 1] - c.file_begin[fi];
        windows += len >= k ? len - k + 1 : 0;
    }
    if (windows < 2) {
        return;
    }
    stats.windows += windows;

    // Pass 1: representatives. rep[w] is the first window with w's hash. Most windows are
    // unique, so a first sweep marks, in a bitset indexed by the hash's top bits, the hashes seen
    // twice; only the windows whose bit is marked (every copy, the first included, and a few
    // unique windows sharing a bit) go into the exact table, which is then a fraction of the
    // windows (on the Python standard library, 96 MiB fewer for the table). A window left out
    // is unique: its representative is itself, as the table would have said.
    std::vector<std::uint32_t> rep(c.seq.size(), k_none);
    std::vector<std::uint8_t> pointed(c.seq.size(), 0);
    {
        std::uint64_t top = 1;  // k_base^(k-1)
        for (std::uint32_t i = 1; i < k; ++i) {
            top *= k_base;
        }
        // Calls fn(window, mixed hash) for every window of every file long enough.
        auto each_window = [&](auto&& fn) {
            for (std::size_t fi = 0; fi < nfiles; ++fi) {
                const std::uint32_t b = c.file_begin[fi];
                const std::uint32_t e = c.file_begin[fi + 1];
                if (e - b < k) {
                    continue;
                }
                std::uint64_t h = 0;
                for (std::uint32_t i = b; i < b + k; ++i) {
                    h = h * k_base + mix64(c.seq[i]);
                }
                for (std::uint32_t w = b;; ++w) {
                    fn(w, mix64(h));
                    if (w + k >= e) {
                        break;
                    }
                    h = (h - mix64(c.seq[w]) * top) * k_base + mix64(c.seq[w + k]);
                }
            }
        };
        unsigned bits = 6;  // at least 16 bits of bitset per window: few unique windows collide
        while (bits < 40 && (std::uint64_t{1} << bits) < 16 * static_cast<std::uint64_t>(windows)) {
            ++bits;
        }
        const unsigned shift = 64 - bits;  // the table indexes by the low bits
        std::vector<std::uint64_t> seen((std::size_t{1} << bits) / 64, 0);
        std::vector<std::uint64_t> twice(seen.size(), 0);
        std::size_t candidates = 0;
        each_window([&](std::uint32_t, std::uint64_t key) {
            const std::uint64_t bit = key >> shift;
            const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
            std::uint64_t& s = seen[bit >> 6];
            std::uint64_t& t = twice[bit >> 6];
            if ((s & mask) == 0) {
                s |= mask;
            } else if ((t & mask) == 0) {
                t |= mask;
                candidates += 2;
            } else {
                ++candidates;
            }
        });
        seen = {};
        FirstSeen table(candidates);
        each_window([&](std::uint32_t w, std::uint64_t key) {
            const std::uint64_t bit = key >> shift;
            if ((twice[bit >> 6] & (std::uint64_t{1} << (bit & 63))) == 0) {
                rep[w] = w;
                return;
            }
            const std::uint32_t first = table.first(key, w, stats.probes);
            rep[w] = first;
            if (first != w) {
                pointed[first] = 1;
            }
        });
    }

    // Pass 2: maximal regions per file, and their union with the representatives' regions.
    // A run is a stretch of consecutive duplicated windows that follow consecutive
    // representatives (or are representatives themselves). Overlapping runs merge into one
    // region, except when a run's representative lies in the region it would join and the two
    // overlap by at most half a window: the block then repeats right after itself (its copies
    // share a few boundary tokens) and the two copies stay two occurrences.
    // rep[] is overwritten in place with each duplicated window's region id once read: a
    // representative always comes earlier in the sequence, so its slot holds a region by then.
    std::vector<Region> regions;
    std::vector<std::uint32_t> self_offset;  // per region: distance at which it repeats itself
    UnionFind uf;
    for (std::size_t fi = 0; fi < nfiles; ++fi) {
        const std::uint32_t b = c.file_begin[fi];
        const std::uint32_t e = c.file_begin[fi + 1];
        if (e - b < k) {
            continue;
        }
        std::uint32_t current = k_none;
        std::uint32_t prev_w = k_none;
        std::uint32_t prev_r = k_none;
        for (std::uint32_t w = b; w + k <= e; ++w) {
            const std::uint32_t r = rep[w];
            const bool duplicated = r != w || pointed[w] != 0;
            if (!duplicated) {
                continue;
            }
            const bool continues =
                current != k_none && prev_w + 1 == w &&
                ((r == w && prev_r == prev_w) || (r != w && prev_r != prev_w && r == prev_r + 1));
            bool join = continues;
            if (!join && current != k_none && w < regions[current].end) {
                // Overlapping: one region, unless this run copies the region it would join and
                // only a few boundary tokens overlap (a block repeated right after itself).
                // Code that repeats with a short period (a run of similar statements) overlaps
                // by most of a window and stays one region.
                const Region& cur = regions[current];
                const bool self_link = r != w && r >= cur.begin && r < cur.end;
                join = !self_link || cur.end - w > k / 2;
            }
            if (join) {
                regions[current].end = std::max(regions[current].end, w + k);
            } else {
                current = static_cast<std::uint32_t>(regions.size());
                regions.push_back(Region{static_cast<std::uint32_t>(fi), w, w + k});
                self_offset.push_back(0);
                uf.add();
            }
            if (r != w) {
                if (rep[r] == current && self_offset[current] == 0) {
                    self_offset[current] = w - r;  // the region repeats itself at this distance
                }
                uf.unite(current, rep[r]);
                ++stats.unions;
            }
            rep[w] = current;
            prev_w = w;
            prev_r = r;
        }
    }
    stats.regions += regions.size();
    rep = {};
    pointed = {};

    // Components of at least two regions that are long enough become groups. A region that
    // only repeats itself (code with a short period: a run of similar statements) becomes two
    // overlapping occurrences, itself and itself shifted by the period, as jscpd and
    // SonarQube's CPD report it.
    std::vector<std::vector<std::uint32_t>> members(regions.size());
    for (std::uint32_t r = 0; r < regions.size(); ++r) {
        members[uf.find(r)].push_back(r);
    }
    for (std::uint32_t root = 0; root < regions.size(); ++root) {
        std::vector<Region> parts;
        if (members[root].size() >= 2) {
            for (std::uint32_t r : members[root]) {
                parts.push_back(regions[r]);
            }
        } else if (members[root].size() == 1 && self_offset[root] != 0) {
            const Region& whole = regions[root];
            const std::uint32_t p = self_offset[root];
            parts.push_back(Region{whole.file, whole.begin, whole.end - p});
            parts.push_back(Region{whole.file, whole.begin + p, whole.end});
        } else {
            continue;
        }
        Group g;
        for (const Region& part : parts) {
            Occurrence o = make_occurrence(files, c, part);
            if (o.end_line + 1 < o.start_line + options.min_lines) {
                continue;
            }
            g.occurrences.push_back(o);
        }
        if (g.occurrences.size() < 2) {
            continue;
        }
        std::sort(g.occurrences.begin(), g.occurrences.end(),
                  [](const Occurrence& a, const Occurrence& b) {
                      return a.file != b.file ? a.file < b.file : a.first_token < b.first_token;
                  });
        g.exact = std::all_of(g.occurrences.begin() + 1, g.occurrences.end(),
                              [&](const Occurrence& o) {
                                  return same_exact_tokens(files, g.occurrences.front(), o);
                              });
        out.push_back(std::move(g));
    }
}

// ---- import runs -------------------------------------------------------------------------------

bool starts_line(const FileModel& f, std::size_t t) {
    return t == 0 || f.tokens[t - 1].line < f.tokens[t].line;
}

// The end of the statement starting at token t: one past a depth-0 `;` (when `semicolon_ends`),
// or the first token of a new line at depth 0 (with `semicolon_ends`, not after a comma).
std::size_t statement_end(const FileModel& f, std::size_t t, bool semicolon_ends) {
    int depth = 0;
    std::uint32_t line = f.tokens[t].line;
    std::size_t j = t;
    for (; j < f.tokens.size(); ++j) {
        const std::string_view s = token_text(f, f.tokens[j]);
        // A new line ends it, unless the statement goes on after a comma (`var a = x,\n b = y`).
        if (j > t && depth == 0 && f.tokens[j].line != line &&
            !(semicolon_ends && token_text(f, f.tokens[j - 1]) == ",")) {
            break;
        }
        if (s == "(" || s == "[" || s == "{") {
            ++depth;
        } else if ((s == ")" || s == "]" || s == "}") && depth > 0) {
            --depth;
        }
        line = f.tokens[j].line;
        if (semicolon_ends && depth == 0 && s == ";") {
            return j + 1;
        }
    }
    return j;
}

void mark_lexical_imports(const FileModel& f, std::vector<bool>& mask) {
    const auto& toks = f.tokens;
    for (std::size_t t = 0; t < toks.size(); ++t) {
        if (!starts_line(f, t) || mask[t]) {
            continue;
        }
        const std::string_view s = token_text(f, toks[t]);
        const std::string_view next = t + 1 < toks.size() ? token_text(f, toks[t + 1]) : "";
        std::size_t end = t;
        if (f.language == Language::python) {
            if (s == "import" || s == "from") {
                end = statement_end(f, t, false);
            }
        } else if (is_js_family(f.language)) {
            if (s == "import" && next != "(" && next != ".") {
                end = statement_end(f, t, true);
            } else if (s == "export" || s == "const" || s == "let" || s == "var") {
                const std::size_t e = statement_end(f, t, true);
                bool from = false;
                // Declarators (split at depth-0 commas) that each call require(...).
                std::size_t declarators = 1;
                std::size_t requiring = 0;
                bool this_requires = false;
                int depth = 0;
                for (std::size_t j = t + 1; j < e; ++j) {
                    const std::string_view x = token_text(f, toks[j]);
                    from = from || (s == "export" && x == "from");
                    if (x == "(" || x == "[" || x == "{") {
                        ++depth;
                    } else if ((x == ")" || x == "]" || x == "}") && depth > 0) {
                        --depth;
                    } else if (x == "," && depth == 0) {
                        requiring += this_requires ? 1 : 0;
                        this_requires = false;
                        ++declarators;
                    }
                    this_requires = this_requires ||
                                    (x == "require" && j + 1 < e && token_text(f, toks[j + 1]) == "(");
                }
                requiring += this_requires ? 1 : 0;
                if (from || (s != "export" && requiring == declarators)) {
                    end = e;
                }
            }
        } else {
            if (s == "#include" || s == "#import" ||
                (s == "#" && (next == "include" || next == "import"))) {
                end = t;
                while (end < toks.size() && toks[end].line == toks[t].line) {
                    ++end;
                }
            } else if (f.language == Language::cpp && (s == "using" || s == "import")) {
                const std::size_t e = statement_end(f, t, true);
                bool alias = false;
                for (std::size_t j = t + 1; j < e; ++j) {
                    alias = alias || token_text(f, toks[j]) == "=";
                }
                if (!alias) {
                    end = e;
                }
            }
        }
        for (std::size_t j = t; j < end; ++j) {
            mask[j] = true;
        }
        if (end > t) {
            t = end - 1;
        }
    }
}

// JS/TS: every `require("module")` call, wherever it stands (a table of requires).
void mark_require_calls(const FileModel& f, std::vector<bool>& mask) {
    const auto& toks = f.tokens;
    for (std::size_t t = 0; t + 3 < toks.size(); ++t) {
        if (toks[t + 2].kind == TokenKind::literal && token_text(f, toks[t]) == "require" &&
            token_text(f, toks[t + 1]) == "(" && token_text(f, toks[t + 3]) == ")") {
            mask[t] = mask[t + 1] = mask[t + 2] = mask[t + 3] = true;
            t += 3;
        }
    }
}

}  // namespace

// Lexical only, so that a tokens-only scan (no FileModel::imports) masks exactly what a full
// scan masks and both find the same blocks.
std::vector<bool> import_mask(const FileModel& file) {
    std::vector<bool> mask(file.tokens.size(), false);
    mark_lexical_imports(file, mask);
    if (is_js_family(file.language)) {
        mark_require_calls(file, mask);
    }
    return mask;
}

std::vector<Group> find_clones(const std::vector<const FileModel*>& files, const Options& options,
                               Stats* stats) {
    Stats local;
    std::vector<Group> out;
    for (Language lang : {Language::python, Language::javascript, Language::typescript,
                          Language::c, Language::cpp}) {
        detect_language(files, lang, options, out, local);
    }
    std::sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
        const Occurrence& x = a.occurrences.front();
        const Occurrence& y = b.occurrences.front();
        return x.file != y.file ? x.file < y.file : x.first_token < y.first_token;
    });
    if (stats != nullptr) {
        *stats = local;
    }
    return out;
}

}  // namespace cq::clones
