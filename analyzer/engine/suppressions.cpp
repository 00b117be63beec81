#include "analyzer/engine/suppressions.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "rules/registry.hpp"

namespace cq {

namespace {

struct Lines {
    std::vector<std::uint32_t> starts;  // byte offset of each line (0-based index = line - 1)
    std::uint32_t size = 0;

    explicit Lines(std::string_view s) : size(static_cast<std::uint32_t>(s.size())) {
        starts.push_back(0);
        for (std::uint32_t i = 0; i < size; ++i) {
            if (s[i] == '\n') {
                starts.push_back(i + 1);
            }
        }
    }
    std::uint32_t count() const { return static_cast<std::uint32_t>(starts.size()); }
    std::uint32_t begin(std::uint32_t line) const { return starts[line - 1]; }
    std::uint32_t end(std::uint32_t line) const {  // exclusive, without the '\n'
        return line < count() ? starts[line] - 1 : size;
    }
};

// Whether byte `b` lies inside a token (tokens are sorted and do not overlap).
bool in_token(const FileModel& file, std::uint32_t b) {
    auto it = std::upper_bound(file.tokens.begin(), file.tokens.end(), b,
                               [](std::uint32_t v, const Token& t) { return v < t.start_byte; });
    if (it == file.tokens.begin()) {
        return false;
    }
    --it;
    return b < it->end_byte;
}

// Whether byte `b` lies inside a string literal (strings may nest: template substitutions).
bool in_string(const FileModel& file, std::uint32_t b) {
    auto it = std::upper_bound(file.strings.begin(), file.strings.end(), b,
                               [](std::uint32_t v, const StringLiteral& s) { return v < s.range.start_byte; });
    int budget = 64;
    while (it != file.strings.begin() && budget-- > 0) {
        --it;
        if (b < it->range.end_byte) {
            return true;
        }
    }
    return false;
}

// Whether line `line` holds code (any part of a token).
bool has_code(const FileModel& file, const Lines& lines, std::uint32_t line) {
    const std::uint32_t b = lines.begin(line);
    const std::uint32_t e = lines.end(line);
    auto it = std::lower_bound(file.tokens.begin(), file.tokens.end(), b,
                               [](const Token& t, std::uint32_t v) { return t.start_byte < v; });
    if (it != file.tokens.end() && it->start_byte < e) {
        return true;
    }
    return it != file.tokens.begin() && std::prev(it)->end_byte > b;
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; });
}

std::string trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) {
        ++b;
    }
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) {
        --e;
    }
    return std::string(s.substr(b, e - b));
}

Range range_of(const Lines& lines, std::uint32_t line, std::uint32_t b, std::uint32_t e) {
    Range r;
    r.start_line = r.end_line = line;
    r.start_byte = b;
    r.end_byte = e;
    r.start_column = b - lines.begin(line) + 1;
    r.end_column = e - lines.begin(line) + 1;
    return r;
}

}  // namespace

std::vector<SuppressionDirective> find_suppressions(const FileModel& file) {
    std::vector<SuppressionDirective> out;
    if (file.comment_lines.empty()) {
        return out;
    }
    const std::string_view src = file.source;
    const Lines lines(src);
    for (const std::uint32_t line : file.comment_lines) {
        if (line == 0 || line > lines.count()) {
            continue;
        }
        const std::uint32_t lb = lines.begin(line);
        const std::uint32_t le = lines.end(line);
        std::size_t pos = lb;
        while (true) {
            // search this line only: a search to the end of the file per comment line
            // made big, comment-heavy files (sqlite3.c) quadratic
            pos = src.substr(0, le).find("cq:", pos);
            if (pos == std::string_view::npos) {
                break;
            }
            const auto at = static_cast<std::uint32_t>(pos);
            pos += 3;
            // `cq:` inside a longer word ("acq:") is not ours
            if (at > lb && (std::isalnum(static_cast<unsigned char>(src[at - 1])) != 0 || src[at - 1] == '_')) {
                continue;
            }
            if (in_token(file, at) || in_string(file, at)) {
                continue;
            }
            std::size_t p = pos;
            while (p < le && (src[p] == ' ' || src[p] == '\t')) {
                ++p;
            }
            SuppressionDirective d;
            std::string_view rest = src.substr(p, le - p);
            if (rest.rfind("ignore-file", 0) == 0) {
                d.whole_file = true;
                p += 11;
            } else if (rest.rfind("ignore", 0) == 0) {
                p += 6;
            } else {
                continue;  // another cq: note ("cq: this is slow"), not a directive
            }
            std::size_t end = p;
            if (p < le && src[p] == '[') {
                const std::size_t close = src.find(']', p);
                if (close == std::string_view::npos || close >= le) {
                    d.problems.push_back("missing ']'");
                    end = le;
                } else {
                    std::string_view list = src.substr(p + 1, close - p - 1);
                    std::size_t s = 0;
                    while (s <= list.size()) {
                        std::size_t comma = list.find(',', s);
                        if (comma == std::string_view::npos) {
                            comma = list.size();
                        }
                        std::string id = trim(list.substr(s, comma - s));
                        if (!id.empty()) {
                            d.ids.push_back(std::move(id));
                        }
                        s = comma + 1;
                    }
                    if (d.ids.empty()) {
                        d.problems.push_back("no rule id between '[' and ']'");
                    }
                    end = close + 1;
                }
            } else if (p < le && (std::isalnum(static_cast<unsigned char>(src[p])) != 0 || src[p] == '-' || src[p] == '_')) {
                continue;  // "cq: ignored ..." prose
            } else {
                d.problems.push_back("expected [rule-id, ...] after '" +
                                     std::string(d.whole_file ? "cq: ignore-file" : "cq: ignore") + "'");
            }
            d.line = line;
            d.range = range_of(lines, line, at, static_cast<std::uint32_t>(end));
            if (has_code(file, lines, line)) {
                d.target_line = line;
            } else {
                // alone on its line: covers the next line with code, across comment-only lines
                d.target_line = line;
                for (std::uint32_t n = line + 1; n <= lines.count(); ++n) {
                    if (has_code(file, lines, n)) {
                        d.target_line = n;
                        break;
                    }
                    if (is_blank(src.substr(lines.begin(n), lines.end(n) - lines.begin(n)))) {
                        break;
                    }
                }
            }
            out.push_back(std::move(d));
        }
    }
    return out;
}

bool suppression_id_matches(const std::string& id, const RuleMeta& meta) {
    if (id == meta.id || std::find(meta.aliases.begin(), meta.aliases.end(), id) != meta.aliases.end()) {
        return true;
    }
    const std::string cat = meta.id.substr(0, meta.id.find('/'));
    return id == cat || id == cat + "/" || id == cat + "/*";
}

void apply_suppressions(const std::vector<const FileModel*>& files, const std::vector<ActiveRuleInfo>& active,
                        const Rule* unused_rule, const RuleContext* unused_ctx, std::vector<Finding>& findings,
                        std::vector<Finding>& suppressed, std::vector<Finding>& unused_findings) {
    struct FileDirectives {
        const FileModel* file = nullptr;
        std::vector<SuppressionDirective> directives;
        std::vector<std::vector<bool>> used;  // [directive][id]
    };
    std::map<std::string, FileDirectives> by_path;
    for (const FileModel* f : files) {
        auto directives = find_suppressions(*f);
        if (directives.empty()) {
            continue;
        }
        FileDirectives& fd = by_path[f->path];
        fd.file = f;
        fd.directives = std::move(directives);
        for (const auto& d : fd.directives) {
            fd.used.emplace_back(d.ids.size(), false);
        }
    }
    if (by_path.empty()) {
        return;
    }
    const Registry& registry = Registry::instance();
    std::vector<Finding> kept;
    kept.reserve(findings.size());
    for (Finding& f : findings) {
        auto it = by_path.find(f.path);
        bool hit = false;
        if (it != by_path.end()) {
            const Rule* rule = registry.find(f.rule);
            FileDirectives& fd = it->second;
            for (std::size_t d = 0; d < fd.directives.size(); ++d) {
                const SuppressionDirective& dir = fd.directives[d];
                if (!dir.whole_file && f.range.start_line != dir.target_line && f.range.start_line != dir.line) {
                    continue;
                }
                for (std::size_t i = 0; i < dir.ids.size(); ++i) {
                    const bool match = rule != nullptr ? suppression_id_matches(dir.ids[i], rule->meta())
                                                       : dir.ids[i] == f.rule;
                    if (match) {
                        fd.used[d][i] = true;
                        hit = true;
                    }
                }
            }
        }
        if (hit) {
            suppressed.push_back(std::move(f));
        } else {
            kept.push_back(std::move(f));
        }
    }
    findings = std::move(kept);
    if (unused_rule == nullptr || unused_ctx == nullptr) {
        return;
    }
    const std::vector<const Rule*> all = registry.rules();
    // `cq: ignore[cq/unused-suppression]` (or `[cq]`) on a line keeps this rule quiet there.
    auto silenced = [&](const FileDirectives& fd, std::uint32_t line) {
        return std::any_of(fd.directives.begin(), fd.directives.end(), [&](const SuppressionDirective& o) {
            if (!o.whole_file && o.line != line && o.target_line != line) {
                return false;
            }
            return std::any_of(o.ids.begin(), o.ids.end(), [&](const std::string& oid) {
                return oid == k_unused_suppression_rule || oid == "cq" || oid == "cq/" || oid == "cq/*";
            });
        });
    };
    for (auto& [path, fd] : by_path) {

        const std::uint32_t bit = language_bit(fd.file->language);
        for (std::size_t d = 0; d < fd.directives.size(); ++d) {
            const SuppressionDirective& dir = fd.directives[d];
            if (silenced(fd, dir.line)) {
                continue;
            }
            for (const std::string& problem : dir.problems) {
                unused_findings.push_back(make_finding(*unused_rule, *unused_ctx, *fd.file, dir.range,
                                                       "Malformed suppression: " + problem));
            }
            for (std::size_t i = 0; i < dir.ids.size(); ++i) {
                if (fd.used[d][i]) {
                    continue;
                }
                const std::string& id = dir.ids[i];
                bool known = false;
                bool applicable = false;
                bool all_ran = true;
                bool names_self = false;
                for (const Rule* r : all) {
                    if (!suppression_id_matches(id, r->meta())) {
                        continue;
                    }
                    known = true;
                    names_self = names_self || r->meta().id == k_unused_suppression_rule;
                    if ((r->meta().languages & bit) == 0) {
                        continue;
                    }
                    applicable = true;
                    const bool ran = std::any_of(active.begin(), active.end(),
                                                 [&](const ActiveRuleInfo& a) { return a.meta == &r->meta(); });
                    all_ran = all_ran && ran;
                }
                if (names_self) {
                    continue;  // `ignore[cq/unused-suppression]` only ever silences this rule
                }
                std::string message;
                if (!known) {
                    message = "Suppression of '" + id + "' names no rule or category (see `cq rules`)";
                } else if (!applicable) {
                    message = "Suppression of '" + id + "' has no effect: no such rule checks " +
                              std::string(language_name(fd.file->language)) + " files";
                } else if (all_ran) {
                    message = std::string("Suppression of '") + id + "' suppresses nothing " +
                              (dir.whole_file ? "in this file" : "on this line") + "; remove it";
                } else {
                    continue;  // a rule it names did not run: nothing can be concluded
                }
                unused_findings.push_back(make_finding(*unused_rule, *unused_ctx, *fd.file, dir.range, message));
            }
        }
    }
}

}  // namespace cq
