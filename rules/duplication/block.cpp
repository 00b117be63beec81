// duplication/block: blocks of code repeated across the project (Type-1 and Type-2 token
// clones). The detection itself lives in rules/support/clones.hpp; this file turns its groups
// into one finding per occurrence.
#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/clones.hpp"

namespace cq {
namespace {

constexpr long long k_default_min_tokens = 100;
constexpr long long k_default_min_lines = 10;

const RuleMeta& block_meta() {
    static const RuleMeta meta{
        .id = "duplication/block",
        .title = "Blocks of code should not be duplicated",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "DISTINCT",
        .impacts = {{Quality::maintainability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {{"min_tokens", std::to_string(k_default_min_tokens),
                     "Least number of tokens a duplicated block must have."},
                    {"min_lines", std::to_string(k_default_min_lines),
                     "Least number of lines a duplicated block must span."}},
        .effort_minutes = 15,
        .doc = R"md(## What it finds
Blocks of code that occur more than once in the scanned files of one language, as exact copies
(Type-1) or as copies that differ only in identifier names and literal values (Type-2: renamed
variables, other strings or numbers). A block must be at least `min_tokens` tokens (100 by
default) and span at least `min_lines` lines (10), as SonarQube's copy-paste detection does;
comments and whitespace never count, and runs of `import` / `#include` / `require` statements are
left out, since every file starts with similar ones.

Matches are maximal: overlapping duplicated windows merge into one block, and a block is
reported on whole lines. They are grouped: a block that occurs in four places is one group with
four occurrences, and each occurrence gets one finding whose secondary locations are the other
three. Code that repeats itself with a short period (a long run of statements of the same shape,
such as a registration table) is one block found twice, shifted by one period, as jscpd and
SonarQube report it: a loop over a table usually says it better. The duplicated lines
and the duplicated-lines density (duplicated lines / lines x 100) appear per file and in total
in the JSON report's `duplication` section.

When duplication/block is the only rule selected (`--rules duplication/block`), cq does not
parse: it lexes each file (the same token stream a full scan reads, so the same blocks are
found) and the report lists no functions for those files.

How it works: a rolling hash over every window of `min_tokens` normalized tokens, a table of
the first window seen with each hash, then duplicated windows merged per file and joined across
files with union-find. Time grows linearly with the amount of code; memory is about 40 bytes per
token of one language at a time.

Known limits: a region that repeats two different blocks (the tail of one and the head of
another, back to back) joins the two groups into one; clones that differ by inserted or deleted
statements (Type-3) are not detected.

## Why it matters
Duplicated code multiplies the cost of every change and every fix: a bug fixed in one copy
stays in the others. Duplicated-lines density is one of the default quality-gate conditions.

## Example
```python
def export_orders(rows):
    out = []
    for r in rows:
        if r.status != "paid":
            continue
        out.append({"id": r.id, "total": r.total, "currency": r.currency})
    return json.dumps(out)

def export_refunds(rows):           # same tokens, other names: a Type-2 clone
    result = []
    for x in rows:
        if x.status != "refunded":
            continue
        result.append({"id": x.id, "total": x.amount, "currency": x.currency})
    return json.dumps(result)
```

## Instead
Extract the shared part into one function and pass what differs as parameters (`export(rows,
status, amount_field)`), or move it to a module both callers import.

## Options
- `min_tokens` (default 100): the least number of tokens a duplicated block must have.
- `min_lines` (default 10): the least number of lines a duplicated block must span.
)md",
        .aliases = {},
    };
    return meta;
}

// Byte offsets of line starts, built once per file that has a finding.
class LineIndex {
public:
    explicit LineIndex(const std::string& source) {
        m_starts.push_back(0);
        for (std::size_t i = 0; i < source.size(); ++i) {
            if (source[i] == '\n') {
                m_starts.push_back(static_cast<std::uint32_t>(i + 1));
            }
        }
    }
    Range range(std::uint32_t start_byte, std::uint32_t end_byte) const {
        Range r;
        r.start_byte = start_byte;
        r.end_byte = end_byte;
        r.start_line = line_of(start_byte);
        r.end_line = line_of(end_byte == start_byte ? end_byte : end_byte - 1);
        r.start_column = start_byte - m_starts[r.start_line - 1] + 1;
        r.end_column = end_byte - m_starts[r.end_line - 1] + 1;
        return r;
    }

private:
    std::uint32_t line_of(std::uint32_t byte) const {
        auto it = std::upper_bound(m_starts.begin(), m_starts.end(), byte);
        return static_cast<std::uint32_t>(it - m_starts.begin());
    }
    std::vector<std::uint32_t> m_starts;
};

std::uint32_t positive_option(const RuleContext& ctx, const std::string& name, long long fallback) {
    const long long v = ctx.option_int(name, fallback);
    if (v < 1 || v > 1000000) {
        throw std::invalid_argument("option '" + name + "' must be between 1 and 1000000, got " +
                                    std::to_string(v));
    }
    return static_cast<std::uint32_t>(v);
}

class DuplicatedBlockRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return block_meta(); }
    bool reads_tokens_only() const override { return true; }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        clones::Options options;
        options.min_tokens = positive_option(ctx, "min_tokens", k_default_min_tokens);
        options.min_lines = positive_option(ctx, "min_lines", k_default_min_lines);
        const std::vector<clones::Group> groups = clones::find_clones(project.files, options);
        if (groups.empty()) {
            return;
        }
        std::unordered_map<std::size_t, LineIndex> lines;
        const auto range_of = [&](const clones::Occurrence& o) {
            const FileModel& f = *project.files[o.file];
            auto it = lines.find(o.file);
            if (it == lines.end()) {
                it = lines.emplace(o.file, LineIndex(f.source)).first;
            }
            return it->second.range(f.tokens[o.first_token].start_byte,
                                    f.tokens[o.last_token].end_byte);
        };
        for (const clones::Group& g : groups) {
            std::vector<Range> ranges;
            ranges.reserve(g.occurrences.size());
            for (const clones::Occurrence& o : g.occurrences) {
                ranges.push_back(range_of(o));
            }
            for (std::size_t i = 0; i < g.occurrences.size(); ++i) {
                const clones::Occurrence& o = g.occurrences[i];
                const FileModel& f = *project.files[o.file];
                const std::uint32_t nlines = o.end_line - o.start_line + 1;
                std::string message = "Duplicated block of " + std::to_string(nlines) + " lines (" +
                                      std::to_string(o.tokens) + " tokens, " +
                                      (g.exact ? "exact copy" : "same code with other names or literals") +
                                      "), found in " + std::to_string(g.occurrences.size()) +
                                      " places: " + places(project, g, i, ranges) +
                                      "; extract it into one shared function.";
                Finding finding = make_finding(*this, ctx, f, ranges[i], std::move(message));
                // A block belongs to no function (it may span several), and a tokens-only scan
                // knows none: its fingerprint must not depend on which front end ran.
                finding.function.clear();
                for (std::size_t j = 0; j < g.occurrences.size(); ++j) {
                    if (j == i) {
                        continue;
                    }
                    const clones::Occurrence& other = g.occurrences[j];
                    finding.secondary.push_back(SecondaryLocation{
                        project.files[other.file]->path, ranges[j],
                        "duplicate (" + std::to_string(other.end_line - other.start_line + 1) +
                            " lines)"});
                }
                char anchor[17];
                std::snprintf(anchor, sizeof anchor, "%016llx",
                              static_cast<unsigned long long>(o.anchor));
                finding.anchor = anchor;
                out.push_back(std::move(finding));
            }
        }
    }

private:
    // "also at b.py:10, c.py:40 and 2 more"
    static std::string places(const ProjectModel& project, const clones::Group& g, std::size_t self,
                              const std::vector<Range>& ranges) {
        std::string s = "also at ";
        std::size_t listed = 0;
        for (std::size_t j = 0; j < g.occurrences.size(); ++j) {
            if (j == self) {
                continue;
            }
            if (listed == 3) {
                s += " and " + std::to_string(g.occurrences.size() - 1 - listed) + " more";
                break;
            }
            if (listed > 0) {
                s += ", ";
            }
            s += project.files[g.occurrences[j].file]->path + ":" +
                 std::to_string(ranges[j].start_line);
            ++listed;
        }
        return s;
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::DuplicatedBlockRule);
