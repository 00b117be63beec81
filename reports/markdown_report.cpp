// The summary a pull-request comment or a CI job summary shows: totals, issues by severity and
// category, complexity hot spots, and the first issues. Short on purpose (a PR comment is
// limited to 65,536 characters): at most k_max_rows issues, messages cut at k_max_message.
#include <algorithm>
#include <cstdio>
#include <map>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace cq {

namespace {

constexpr std::size_t k_max_rows = 50;
constexpr std::size_t k_max_message = 200;
constexpr std::size_t k_hot_spots = 5;

// Backslash-escapes CommonMark's ASCII punctuation that could start markup, and flattens
// line breaks, so that any text is safe inside a table cell.
std::string md(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
        case '|': case '#': case '!': case '~': case '&':
            out += '\\';
            out += c;
            break;
        case '\n': case '\r': case '\t':
            out += ' ';
            break;
        default: out += c;
        }
    }
    return out;
}

// A code span for a table cell: GFM still splits cells on '|' inside it, so that is escaped,
// and a backtick would close it.
std::string code(std::string_view text) {
    std::string out = "`";
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '`') {
            out += '\'';
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + "`";
}

std::string cut(const std::string& text, std::size_t max) {
    if (text.size() <= max) {
        return text;
    }
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0u) == 0x80u) {
        --n;  // do not split a UTF-8 character
    }
    return text.substr(0, n) + "...";
}

// 1234567 -> "1,234,567". Built front to back: GCC 12 warns (-Wrestrict, a false positive)
// on the inlined copies of inserting into the middle of a string.
std::string with_commas(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", v);
    return buf;
}

}  // namespace

void write_markdown(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    const auto findings = report_support::selected_findings(scan, ctx);
    const auto by_sev = report_support::count_by_severity(findings);
    const auto dup = report_support::duplication_summary(scan);
    out << "## cq: " << findings.size() << (findings.size() == 1 ? " issue" : " issues") << "\n\n";
    out << scan.files.size() << " files, " << with_commas(total_ncloc(scan)) << " lines of code, duplication "
        << percent(dup.density);
    if (ctx.include) {
        out << " (issues: new code only)";
    }
    out << ".\n\n";
    if (findings.empty()) {
        out << "No issues.\n";
    } else {
        out << "| severity | issues |\n|---|---:|\n";
        for (int s = 4; s >= 0; --s) {
            const auto n = by_sev[static_cast<std::size_t>(s)];
            if (n > 0) {
                out << "| " << severity_name(static_cast<Severity>(s)) << " | " << n << " |\n";
            }
        }
        std::map<std::string, std::size_t> by_cat;
        for (const Finding* f : findings) {
            by_cat[rule_category(f->rule)] += 1;
        }
        out << "\n| category | issues |\n|---|---:|\n";
        for (const auto& [cat, n] : by_cat) {
            out << "| " << md(cat) << " | " << n << " |\n";
        }
    }
    // Complexity hot spots: the functions hardest to follow.
    std::vector<std::pair<const FileModel*, const Function*>> fns;
    for (const auto& f : scan.files) {
        for (const auto& fn : f->functions) {
            if (fn.cognitive > 0) {
                fns.push_back({f.get(), &fn});
            }
        }
    }
    std::stable_sort(fns.begin(), fns.end(), [](const auto& a, const auto& b) {
        return a.second->cognitive > b.second->cognitive;
    });
    if (!fns.empty()) {
        out << "\n### Complexity hot spots\n\n| function | location | cognitive | cyclomatic |\n|---|---|---:|---:|\n";
        for (std::size_t i = 0; i < fns.size() && i < k_hot_spots; ++i) {
            const auto& [file, fn] = fns[i];
            out << "| " << md(fn->qualified_name.empty() ? fn->name : fn->qualified_name) << " | "
                << md(file->path) << ":" << fn->range.start_line << " | " << fn->cognitive << " | "
                << fn->cyclomatic << " |\n";
        }
    }
    if (!findings.empty()) {
        out << "\n### Issues\n\n<details" << (findings.size() <= 10 ? " open" : "") << ">\n<summary>"
            << findings.size() << (findings.size() == 1 ? " issue" : " issues")
            << "</summary>\n\n| severity | rule | location | message |\n|---|---|---|---|\n";
        for (std::size_t i = 0; i < findings.size() && i < k_max_rows; ++i) {
            const Finding& f = *findings[i];
            out << "| " << severity_name(f.severity) << " | " << code(f.rule) << " | " << md(f.path) << ":"
                << f.range.start_line << " | " << md(cut(f.message, k_max_message)) << " |\n";
        }
        if (findings.size() > k_max_rows) {
            out << "\n... and " << (findings.size() - k_max_rows)
                << " more; the full list is in the HTML, SARIF or JSON report.\n";
        }
        out << "\n</details>\n";
    }
}

}  // namespace cq
