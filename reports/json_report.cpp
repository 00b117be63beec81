#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

#include "reports/report.hpp"

namespace cq {

std::uint64_t total_lines(const ScanResult& scan) {
    std::uint64_t n = 0;
    for (const auto& f : scan.files) {
        n += f->lines;
    }
    return n;
}

std::uint64_t total_ncloc(const ScanResult& scan) {
    std::uint64_t n = 0;
    for (const auto& f : scan.files) {
        n += f->ncloc;
    }
    return n;
}

namespace {

nlohmann::ordered_json function_json(const Function& fn) {
    return {{"name", fn.name},
            {"qualified_name", fn.qualified_name},
            {"line", fn.range.start_line},
            {"end_line", fn.range.end_line},
            {"cyclomatic", fn.cyclomatic},
            {"cognitive", fn.cognitive},
            {"nloc", fn.nloc},
            {"params", fn.parameter_count()},
            {"max_nesting", fn.max_nesting},
            {"async", fn.is_async}};
}

nlohmann::ordered_json issue_json(const Finding& f) {
    nlohmann::ordered_json secondary = nlohmann::ordered_json::array();
    for (const auto& s : f.secondary) {
        secondary.push_back({{"path", s.path},
                             {"line", s.range.start_line},
                             {"column", s.range.start_column},
                             {"end_line", s.range.end_line},
                             {"end_column", s.range.end_column},
                             {"message", s.message}});
    }
    return {{"rule", f.rule},
            {"severity", std::string(severity_name(f.severity))},
            {"path", f.path},
            {"line", f.range.start_line},
            {"column", f.range.start_column},
            {"end_line", f.range.end_line},
            {"end_column", f.range.end_column},
            {"message", f.message},
            {"function", f.function},
            {"fingerprint", f.fingerprint},
            {"secondary", secondary}};
}

// The `duplication` section, from the duplication/* findings (one per occurrence of a block,
// the other occurrences as secondary locations):
//   duplicated_lines, density  over the whole scan (density in percent of all lines);
//   blocks  one entry per occurrence: path, line, end_line, and `group`, a number shared by the
//           occurrences of one duplicated block (groups numbered from 1 in report order);
//   files   the files that have duplicated lines: path, lines, duplicated_lines, density.
nlohmann::ordered_json duplication_json(const ScanResult& scan) {
    // path -> the line ranges of its duplicated blocks (merged below: blocks overlap)
    std::map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>> dup_ranges;
    std::map<std::vector<std::pair<std::string, std::uint32_t>>, int> group_ids;
    nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
    for (const auto& f : scan.findings) {
        if (f.rule.rfind("duplication/", 0) != 0) {
            continue;
        }
        if (f.range.end_line >= f.range.start_line) {
            dup_ranges[f.path].emplace_back(f.range.start_line, f.range.end_line);
        } else {
            dup_ranges[f.path];  // listed, with no line
        }
        std::vector<std::pair<std::string, std::uint32_t>> where{{f.path, f.range.start_line}};
        for (const auto& s : f.secondary) {
            where.emplace_back(s.path, s.range.start_line);
        }
        std::sort(where.begin(), where.end());
        const int group = group_ids.emplace(where, static_cast<int>(group_ids.size()) + 1).first->second;
        blocks.push_back({{"path", f.path},
                          {"line", f.range.start_line},
                          {"end_line", f.range.end_line},
                          {"group", group}});
    }
    std::map<std::string, std::uint32_t> file_lines;
    for (const auto& f : scan.files) {
        file_lines[f->path] = f->lines;
    }
    std::uint64_t total = 0;
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (auto& [path, ranges] : dup_ranges) {
        // distinct lines covered by the (inclusive) ranges
        std::sort(ranges.begin(), ranges.end());
        std::uint64_t covered = 0;
        std::uint64_t next = 0;  // first line not yet counted
        for (const auto& [first, last] : ranges) {
            const std::uint64_t from = std::max<std::uint64_t>(first, next);
            if (last >= from) {
                covered += last - from + 1;
                next = std::uint64_t{last} + 1;
            }
        }
        total += covered;
        auto it = file_lines.find(path);
        const std::uint32_t n = it == file_lines.end() ? 0 : it->second;
        files.push_back({{"path", path},
                         {"lines", n},
                         {"duplicated_lines", covered},
                         {"density", n == 0 ? 0.0
                                            : 100.0 * static_cast<double>(covered) /
                                                  static_cast<double>(n)}});
    }
    const std::uint64_t lines = total_lines(scan);
    const double density =
        lines == 0 ? 0.0 : 100.0 * static_cast<double>(total) / static_cast<double>(lines);
    return {{"duplicated_lines", total}, {"density", density}, {"blocks", blocks}, {"files", files}};
}

}  // namespace

namespace {

nlohmann::ordered_json file_json(const FileModel& f) {
    nlohmann::ordered_json fns = nlohmann::ordered_json::array();
    for (const auto& fn : f.functions) {
        fns.push_back(function_json(fn));
    }
    nlohmann::ordered_json diags = nlohmann::ordered_json::array();
    for (const auto& d : f.diagnostics) {
        diags.push_back({{"level", d.level == DiagnosticLevel::error     ? "error"
                                   : d.level == DiagnosticLevel::warning ? "warning"
                                                                         : "note"},
                         {"line", d.line},
                         {"message", d.message}});
    }
    return {{"path", f.path},
            {"language", std::string(language_name(f.language))},
            {"front_end", f.front_end},
            {"lines", f.lines},
            {"ncloc", f.ncloc},
            {"functions", fns},
            {"diagnostics", diags}};
}

// The document without its two big arrays ("files" and "issues"), which hold `files_mark` and
// `issues_mark` instead; `with_arrays` fills them (to_json).
nlohmann::ordered_json skeleton(const ScanResult& scan, const std::string& version, bool show_suppressed,
                                nlohmann::ordered_json files, nlohmann::ordered_json issues) {
    nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
    for (const auto& s : scan.skipped) {
        skipped.push_back({{"path", s.path}, {"reason", s.reason}});
    }
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    for (const auto& e : scan.internal_errors) {
        errors.push_back({{"path", e.path}, {"rule", e.rule}, {"message", e.message}});
    }
    const nlohmann::ordered_json duplication = duplication_json(scan);
    const std::uint64_t lines = total_lines(scan);
    nlohmann::ordered_json summary = {{"files", scan.files.size()},
                                      {"lines", lines},
                                      {"ncloc", total_ncloc(scan)},
                                      {"issues", scan.findings.size()},
                                      {"duration_ms", scan.duration_ms}};
    // Present only when there is something to count, so documents of scans without
    // suppressions or a baseline keep their shape.
    if (!scan.suppressed.empty() || show_suppressed) {
        summary["suppressed"] = scan.suppressed.size();
    }
    if (scan.baselined > 0) {
        summary["baselined"] = scan.baselined;
    }
    nlohmann::ordered_json doc = {{"tool", {{"name", "cq"}, {"version", version}}},
                                  {"summary", summary},
                                  {"files", std::move(files)},
                                  {"duplication", duplication},
                                  {"issues", std::move(issues)}};
    if (show_suppressed) {
        nlohmann::ordered_json suppressed = nlohmann::ordered_json::array();
        for (const auto& f : scan.suppressed) {
            suppressed.push_back(issue_json(f));
        }
        doc["suppressed"] = suppressed;
    }
    doc["skipped"] = skipped;
    doc["internal_errors"] = errors;
    return doc;
}

std::string dump(const nlohmann::ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Appends `s` as a JSON string, exactly as dump() writes it. Printable ASCII without quotes or
// backslashes (nearly every path, name and message) needs no escaping and is copied as is;
// anything else goes through nlohmann's escaping (control characters, invalid UTF-8).
void append_quoted(std::string& out, std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (plain) {
        out += '"';
        out.append(s);
        out += '"';
        return;
    }
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

// One JSON object written by hand exactly as nlohmann's dump(2) writes it at that depth: `{`,
// each member on its own line `indent` spaces in, `}` two spaces less.
class ObjectWriter {
public:
    ObjectWriter(std::string& out, std::size_t indent) : m_out(out), m_indent(indent) { m_out += '{'; }

    void str(std::string_view k, std::string_view v) { append_quoted(key(k), v); }
    void raw(std::string_view k, std::string_view json) { key(k) += json; }
    void num(std::string_view k, std::uint64_t v) { key(k) += std::to_string(v); }
    void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }

    // An array member whose elements are objects; `element(writer, item)` writes one's members.
    template <typename T, typename F>
    void objects(std::string_view k, const std::vector<T>& items, F element) {
        std::string& out = key(k);
        if (items.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
            out += i == 0 ? "\n" : ",\n";
            out.append(m_indent + 2, ' ');
            ObjectWriter child(out, m_indent + 4);
            element(child, items[i]);
            child.close();
        }
        out += '\n';
        out.append(m_indent, ' ');
        out += ']';
    }

    void close() {
        m_out += '\n';
        m_out.append(m_indent - 2, ' ');
        m_out += '}';
    }

private:
    std::string& key(std::string_view k) {
        m_out += m_first ? "\n" : ",\n";
        m_first = false;
        m_out.append(m_indent, ' ');
        m_out += '"';
        m_out += k;
        m_out += "\": ";
        return m_out;
    }

    std::string& m_out;
    std::size_t m_indent;
    bool m_first = true;
};

// One element of the "files" array, as dump(2) of file_json() at that depth would write it
// (tested against to_json on every golden): building an nlohmann object per function cost 10%
// of a whole scan of typescript's lib.
void append_file(std::string& out, const FileModel& f) {
    ObjectWriter w(out, 6);
    w.str("path", f.path);
    w.str("language", language_name(f.language));
    w.str("front_end", f.front_end);
    w.num("lines", f.lines);
    w.num("ncloc", f.ncloc);
    w.objects("functions", f.functions, [](ObjectWriter& o, const Function& fn) {
        o.str("name", fn.name);
        o.str("qualified_name", fn.qualified_name);
        o.num("line", fn.range.start_line);
        o.num("end_line", fn.range.end_line);
        o.num("cyclomatic", fn.cyclomatic);
        o.num("cognitive", fn.cognitive);
        o.num("nloc", fn.nloc);
        o.num("params", fn.parameter_count());
        o.num("max_nesting", fn.max_nesting);
        o.boolean("async", fn.is_async);
    });
    w.objects("diagnostics", f.diagnostics, [](ObjectWriter& o, const Diagnostic& d) {
        o.raw("level", d.level == DiagnosticLevel::error     ? "\"error\""
                       : d.level == DiagnosticLevel::warning ? "\"warning\""
                                                             : "\"note\"");
        o.num("line", d.line);
        o.str("message", d.message);
    });
    w.close();
}

// One element of the "issues" array, as dump(2) of issue_json() at that depth would write it
// (tested against to_json on every golden): the nlohmann object per issue and its dump were 5%
// of a whole scan of typescript's lib.
void append_issue(std::string& out, const Finding& f) {
    ObjectWriter w(out, 6);
    w.str("rule", f.rule);
    w.str("severity", severity_name(f.severity));
    w.str("path", f.path);
    w.num("line", f.range.start_line);
    w.num("column", f.range.start_column);
    w.num("end_line", f.range.end_line);
    w.num("end_column", f.range.end_column);
    w.str("message", f.message);
    w.str("function", f.function);
    w.str("fingerprint", f.fingerprint);
    w.objects("secondary", f.secondary, [](ObjectWriter& o, const SecondaryLocation& s) {
        o.str("path", s.path);
        o.num("line", s.range.start_line);
        o.num("column", s.range.start_column);
        o.num("end_line", s.range.end_line);
        o.num("end_column", s.range.end_column);
        o.str("message", s.message);
    });
    w.close();
}

// Writes `elements` as the members of an array nested one level in the document, exactly as
// dump(2) of the whole document would: one element at a time, so the document of a big scan
// never exists in memory at once. `append` writes one element at that depth.
template <typename Range, typename Append>
void write_array(std::ostream& out, const Range& elements, Append append) {
    if (elements.empty()) {
        out << "[]";
        return;
    }
    out << "[\n";
    std::string buf;
    bool first = true;
    for (const auto& e : elements) {
        buf.clear();
        if (!first) {
            buf += ",\n";
        }
        first = false;
        buf += "    ";
        append(buf, e);
        out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    }
    out << "\n  ]";
}

constexpr const char* k_files_mark = "\001cq-files\001";
constexpr const char* k_issues_mark = "\001cq-issues\001";

}  // namespace

nlohmann::ordered_json to_json(const ScanResult& scan, const std::string& version, bool show_suppressed) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : scan.files) {
        files.push_back(file_json(*f));
    }
    nlohmann::ordered_json issues = nlohmann::ordered_json::array();
    for (const auto& f : scan.findings) {
        issues.push_back(issue_json(f));
    }
    return skeleton(scan, version, show_suppressed, std::move(files), std::move(issues));
}

void write_json(std::ostream& out, const ScanResult& scan, const std::string& version, bool show_suppressed) {
    const std::string doc = dump(skeleton(scan, version, show_suppressed, k_files_mark, k_issues_mark));
    // the marks, as dump() escapes them
    const std::string files_at = "\"\\u0001cq-files\\u0001\"";
    const std::string issues_at = "\"\\u0001cq-issues\\u0001\"";
    const std::size_t f = doc.find(files_at);
    const std::size_t i = doc.find(issues_at);
    if (f == std::string::npos || i == std::string::npos || i < f) {
        throw std::logic_error("JSON report: array marks not found in the document skeleton");
    }
    out << std::string_view(doc).substr(0, f);
    write_array(out, scan.files, [](std::string& buf, const std::unique_ptr<FileModel>& m) { append_file(buf, *m); });
    out << std::string_view(doc).substr(f + files_at.size(), i - f - files_at.size());
    write_array(out, scan.findings,
                [](std::string& buf, const Finding& x) { append_issue(buf, x); });
    out << std::string_view(doc).substr(i + issues_at.size()) << "\n";
}

}  // namespace cq
