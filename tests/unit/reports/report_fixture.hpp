// A ScanResult made by hand for the exporter tests, so that golden files depend on the
// exporters only (not on the front ends or on rules still being written), with the cases that
// break reports: non-ASCII text (é, emoji = a UTF-16 surrogate pair), CRLF, tabs, empty lines,
// a BOM, a file without a final newline with a finding on its last line, ranges that do not fit
// the file, a path with a space and non-ASCII, and text that would be markup in HTML/Markdown.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "analyzer/engine/engine.hpp"
#include "reports/report.hpp"

namespace cq::test {

// A range over the `occurrence`-th (0-based) match of `needle` in `source`, in cq's convention
// (1-based lines split on LF, 1-based byte columns, end exclusive).
inline Range range_of(const std::string& source, const std::string& needle, int occurrence = 0) {
    std::size_t at = source.find(needle);
    for (int i = 0; i < occurrence && at != std::string::npos; ++i) {
        at = source.find(needle, at + 1);
    }
    EXPECT_NE(at, std::string::npos) << needle;
    auto pos = [&](std::size_t offset) {
        std::uint32_t line = 1;
        std::size_t line_start = 0;
        for (std::size_t i = 0; i < offset; ++i) {
            if (source[i] == '\n') {
                ++line;
                line_start = i + 1;
            }
        }
        return std::pair<std::uint32_t, std::uint32_t>{line, static_cast<std::uint32_t>(offset - line_start + 1)};
    };
    const auto [sl, sc] = pos(at);
    const auto [el, ec] = pos(at + needle.size());
    Range r;
    r.start_line = sl;
    r.start_column = sc;
    r.end_line = el;
    r.end_column = ec;
    r.start_byte = static_cast<std::uint32_t>(at);
    r.end_byte = static_cast<std::uint32_t>(at + needle.size());
    return r;
}

inline Range raw_range(std::uint32_t sl, std::uint32_t sc, std::uint32_t el, std::uint32_t ec) {
    Range r;
    r.start_line = sl;
    r.start_column = sc;
    r.end_line = el;
    r.end_column = ec;
    return r;
}

// The rule catalogue of the tests (stable, unlike the real rules' docs).
inline const std::map<std::string, RuleMeta>& fake_rules() {
    static const std::map<std::string, RuleMeta> rules = [] {
        std::map<std::string, RuleMeta> m;
        RuleMeta sleep;
        sleep.id = "latency/sleep-on-hot-path";
        sleep.title = "Do not sleep on a hot path";
        sleep.severity = Severity::major;
        sleep.clean_code_attribute = "EFFICIENT";
        sleep.impacts = {{Quality::reliability, ImpactSeverity::medium}};
        sleep.effort_minutes = 15;
        sleep.doc = "## What it finds\nA `sleep` that runs for every message.\n\n## Why it matters\n"
                    "Latency adds up:\n- per message\n- per **retry**\n\n## Example\n```python\ntime.sleep(1)\n```\n";
        m[sleep.id] = sleep;
        RuleMeta inj;
        inj.id = "security/command-injection";
        inj.title = "Commands should not be built from untrusted strings";
        inj.severity = Severity::blocker;
        inj.clean_code_attribute = "COMPLETE";
        inj.impacts = {{Quality::security, ImpactSeverity::blocker}};
        inj.cwe = {78, 88};
        inj.owasp = {"A03:2021"};
        inj.effort_minutes = 30;
        inj.doc = "## What it finds\nShell commands built with <string> concatenation & friends.\n";
        m[inj.id] = inj;
        RuleMeta cx;
        cx.id = "complexity/cognitive";
        cx.title = "Functions should not be too hard to understand";
        cx.severity = Severity::info;
        cx.clean_code_attribute = "FOCUSED";
        cx.impacts = {{Quality::maintainability, ImpactSeverity::info},
                      {Quality::maintainability, ImpactSeverity::low}};
        cx.effort_minutes = 10;
        m[cx.id] = cx;
        RuleMeta bad;
        bad.id = "style/typo-attribute";
        bad.title = "A rule whose author mistyped the attribute";
        bad.severity = Severity::minor;
        bad.clean_code_attribute = "CLEAN";  // not a SonarQube attribute
        bad.effort_minutes = -3;             // nor a valid effort
        m[bad.id] = bad;
        return m;
    }();
    return rules;
}

inline RuleLookup fake_lookup() {
    return [](std::string_view id) -> const RuleMeta* {
        const auto& rules = fake_rules();
        const auto it = rules.find(std::string(id));
        return it == rules.end() ? nullptr : &it->second;
    };
}

inline const char* k_hostile = "<script>window.__pwned=1</script>\"><img src=x onerror=\"window.__pwned=2\">";

inline ScanResult sample_scan() {
    ScanResult scan;
    scan.root = "/nonexistent/cq-report-fixture";  // nothing is read from disk
    scan.duration_ms = 1234;
    auto add_file = [&](const std::string& path, Language lang, std::string source) -> FileModel& {
        auto f = std::make_unique<FileModel>();
        f->path = path;
        f->language = lang;
        f->source = std::move(source);
        f->front_end = "tree-sitter";
        std::uint32_t lines = 0;
        for (char c : f->source) {
            lines += c == '\n' ? 1 : 0;
        }
        f->lines = lines + (f->source.empty() || f->source.back() == '\n' ? 0 : 1);
        f->ncloc = f->lines;
        scan.files.push_back(std::move(f));
        return *scan.files.back();
    };
    auto add = [&](const std::string& rule, Severity sev, const std::string& path, Range r, std::string msg,
                   std::string function = {}) -> Finding& {
        Finding f;
        f.rule = rule;
        f.severity = sev;
        f.path = path;
        f.range = r;
        f.message = std::move(msg);
        f.function = std::move(function);
        f.fingerprint = "fp-" + rule + "-" + path + "-" + std::to_string(r.start_line);
        scan.findings.push_back(std::move(f));
        return scan.findings.back();
    };

    // Python: é and an emoji (4 UTF-8 bytes, 2 UTF-16 units) before the flagged code, an empty
    // line, a BOM-less LF file.
    const std::string py = "# caf\xC3\xA9 \xF0\x9F\x98\x80 consumer\n"
                           "import time\n"
                           "\n"
                           "def handler(event):\n"
                           "    for r in event:  # \xC3\xA9\xF0\x9F\x98\x80\n"
                           "        label = \"\xF0\x9F\x98\x80\"; time.sleep(1)\n"
                           "\n"
                           "def process(r):\n"
                           "    os.system(\"run \" + r)  # " + std::string(k_hostile) + "\n";
    FileModel& pyf = add_file("src/consumer.py", Language::python, py);
    Function h;
    h.name = "handler";
    h.qualified_name = "handler";
    h.range = raw_range(4, 1, 6, 40);
    h.cognitive = 7;
    h.cyclomatic = 3;
    h.nloc = 3;
    pyf.functions.push_back(h);
    Function p;
    p.name = "process";
    p.qualified_name = "process";
    p.range = raw_range(8, 1, 9, 30);
    p.cognitive = 0;
    p.cyclomatic = 1;
    p.nloc = 2;
    pyf.functions.push_back(p);

    // JavaScript with CRLF line ends and tabs.
    const std::string js = "function f(a) {\r\n\tif (a) {\r\n\t\treturn 1;\r\n\t}\r\n}\r\n";
    add_file("web/handler.js", Language::javascript, js);

    // C without a final newline, a finding on its last line.
    const std::string c = "int main(void) {\n\treturn 0;\n}";
    add_file("native/util.c", Language::c, c);

    // A file starting with a BOM, and an empty file.
    const std::string bom = "\xEF\xBB\xBFx = 1\n";
    add_file("src/bom.py", Language::python, bom);
    add_file("src/empty.py", Language::python, "");

    // A path with a space and a non-ASCII character.
    const std::string ts = "export const v = 1 | 2;\n";
    add_file("docs/\xE2\x82\xAC space.ts", Language::typescript, ts);

    // Findings, in the engine's order (finding_less: path, line, column, rule, message).
    add("duplication/block", Severity::minor, "docs/\xE2\x82\xAC space.ts", range_of(ts, "1 | 2"),
        "Duplicated block: *same* as `a|b` | see [x](y)");
    add("style/typo-attribute", Severity::minor, "native/util.c", range_of(c, "}"), "Closing brace on the last line");
    add("complexity/cognitive", Severity::info, "native/util.c", raw_range(3, 1, 3, 99),
        "Range past the end of the last line");
    add("latency/sleep-on-hot-path", Severity::major, "src/bom.py", range_of(bom, "x"), "After a BOM");
    add("complexity/cognitive", Severity::info, "src/empty.py", raw_range(1, 1, 1, 1), "Empty range in an empty file");
    auto& sleep = add("latency/sleep-on-hot-path", Severity::major, "src/consumer.py", range_of(py, "time.sleep(1)"),
                      "time.sleep(1) runs for every message", "handler");
    sleep.secondary.push_back({"src/consumer.py", range_of(py, "def handler(event):"), "handler receives messages"});
    sleep.secondary.push_back({"src/consumer.py", range_of(py, "for r in event:"), "loop over the batch"});
    sleep.secondary.push_back({"src/not_scanned.py", raw_range(2, 1, 2, 5), "in a file nobody can read"});
    add("complexity/cognitive", Severity::info, "src/consumer.py", range_of(py, "\xF0\x9F\x98\x80 consumer"),
        "Emoji at the start of the range");
    add("complexity/cognitive", Severity::info, "src/consumer.py", raw_range(3, 1, 3, 1), "A column on an empty line");
    add("complexity/cognitive", Severity::info, "src/consumer.py", raw_range(4, 5, 4, 2), "End before start");
    add("complexity/cognitive", Severity::info, "src/consumer.py", raw_range(6, 3, 7, 1), "Ends at column 1 of an empty line");
    add("security/command-injection", Severity::blocker, "src/consumer.py", range_of(py, "os.system(\"run \" + r)"),
        std::string("Command built from a string: ") + k_hostile, "process");
    add("complexity/cognitive", Severity::info, "src/consumer.py", raw_range(999, 1, 999, 4), "Line past the end of the file");
    add("latency/sleep-on-hot-path", Severity::critical, "web/handler.js", range_of(js, "return 1;"), "Tab-indented, CRLF");
    add("latency/sleep-on-hot-path", Severity::critical, "web/handler.js", range_of(js, "if (a) {\r\n\t\treturn 1;\r\n\t}"),
        "Across CRLF lines");
    add("complexity/cognitive", Severity::info, "web/handler.js", raw_range(1, 16, 2, 1),
        "Starts at a line's end, ends at the next line's start");
    std::stable_sort(scan.findings.begin(), scan.findings.end(), finding_less);
    return scan;
}

inline ReportContext sample_context() {
    ReportContext ctx;
    ctx.version = "0.0.0-test";
    ctx.rules = fake_lookup();
    return ctx;
}

inline std::vector<TrendPoint> sample_trends() {
    std::vector<TrendPoint> t;
    const char* branches[] = {"main", "main", "feature/<b>", "main", "feature/<b>"};
    for (int i = 0; i < 5; ++i) {
        TrendPoint p;
        p.scan_id = i + 1;
        p.branch = branches[i];
        p.commit = "abcdef" + std::to_string(i) + "123456";
        p.time = "2024-05-0" + std::to_string(i + 1) + "T10:00:00Z";
        p.issues = static_cast<std::uint64_t>(20 - i * 3 + (i % 2) * 4);
        p.ncloc = static_cast<std::uint64_t>(1000 + i * 50);
        p.duplication_density = 4.5 - i * 0.5;
        p.functions_over_threshold = static_cast<std::uint64_t>(6 - i);
        t.push_back(p);
    }
    return t;
}

// The content the Sonar validator sees for a report path: the scan's files.
inline std::function<std::optional<std::string>(const std::string&)> scan_content(const ScanResult& scan) {
    return [&scan](const std::string& path) -> std::optional<std::string> {
        for (const auto& f : scan.files) {
            if (f->path == path) {
                return f->source;
            }
        }
        return std::nullopt;
    };
}

// Compares `actual` with tests/golden/<name>; CQ_UPDATE_GOLDEN=1 rewrites the file instead.
inline void expect_golden(const std::string& name, const std::string& actual) {
    const std::filesystem::path path = std::filesystem::path(CQ_GOLDEN_DIR) / name;
    const char* update = std::getenv("CQ_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "missing golden file " << path << " (run with CQ_UPDATE_GOLDEN=1 to create it)";
    std::stringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(expected.str(), actual) << "golden " << path
                                      << " differs (CQ_UPDATE_GOLDEN=1 rewrites it after a deliberate change)";
}

}  // namespace cq::test
