// One self-contained HTML page: overview, trends (inline SVG from ReportContext::trends),
// security by OWASP Top 10 and CWE, a filterable issue table (vanilla JS), hot-path call chains,
// and the source of every file with issues, flagged lines highlighted.
//
// Safety: every piece of text that comes from the scan (paths, messages, source, branch names,
// rule docs) goes through html_escape; the page's script is a constant and reads the scan only
// from data-* attributes. A Content-Security-Policy forbids loading anything from elsewhere, so
// the page works offline and cannot leak.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace cq {

namespace {

namespace rs = report_support;
using E = std::string;

std::string esc(std::string_view s) { return html_escape(s); }

// Files longer than this show only the lines around each flagged line.
constexpr std::size_t k_full_source_lines = 1000;
constexpr std::uint32_t k_context_lines = 6;
constexpr std::size_t k_hot_spots = 10;

const char* const k_owasp_2021[10][2] = {
    {"A01", "Broken Access Control"},
    {"A02", "Cryptographic Failures"},
    {"A03", "Injection"},
    {"A04", "Insecure Design"},
    {"A05", "Security Misconfiguration"},
    {"A06", "Vulnerable and Outdated Components"},
    {"A07", "Identification and Authentication Failures"},
    {"A08", "Software and Data Integrity Failures"},
    {"A09", "Security Logging and Monitoring Failures"},
    {"A10", "Server-Side Request Forgery"},
};

const char* const k_style = R"css(
:root{--bg:#f6f7f9;--fg:#1d2330;--muted:#667085;--card:#fff;--line:#e4e7ec;
--info:#4e79a7;--minor:#59a14f;--major:#f28e2b;--critical:#e15759;--blocker:#9c1c1f}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{background:#1d2330;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#c7cdd8}
nav{margin-top:8px}nav a{color:#9cc3ff;margin-right:16px;text-decoration:none}
main{padding:16px 24px;max-width:1400px}
section{margin-bottom:28px}
h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:150px}
.card .v{font-size:24px;font-weight:600}.card .k{color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px;margin-top:16px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 14px;overflow-x:auto;margin:0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.n,th.n{text-align:right}
.muted{color:var(--muted)}
.sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.sev-info{background:var(--info)}.sev-minor{background:var(--minor)}.sev-major{background:var(--major)}
.sev-critical{background:var(--critical)}.sev-blocker{background:var(--blocker)}
.bar{height:10px;border-radius:2px;display:inline-block;vertical-align:middle}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:8px}
.filters input{min-width:240px}
#issue-table tr[hidden]{display:none}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
table.src{background:var(--card);border:1px solid var(--line);tab-size:4}
table.src td{border:0;padding:0 8px;white-space:pre}
table.src td.ln{color:var(--muted);text-align:right;user-select:none;width:1%}
table.src tr.flagged td{background:#fde7e7}
table.src tr.secondary td{background:#fff4d6}
table.src tr.note td{white-space:normal;background:#fff;padding:2px 8px 6px;border-left:3px solid var(--critical)}
table.src tr.gap td{color:var(--muted);background:#f0f2f5}
.chain{margin:6px 0 12px;padding-left:20px}
.chain li{margin:2px 0}
svg text{font-size:12px;fill:#555}
.legend span{margin-right:12px}
)css";

const char* const k_script = R"js(
(function () {
  'use strict';
  var sev = document.getElementById('f-severity');
  var cat = document.getElementById('f-category');
  var txt = document.getElementById('f-text');
  var count = document.getElementById('f-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#issue-table tbody tr'));
  function apply() {
    var s = sev.value, c = cat.value, t = txt.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var ok = (!s || r.getAttribute('data-severity') === s) &&
               (!c || r.getAttribute('data-category') === c) &&
               (!t || r.getAttribute('data-text').indexOf(t) >= 0);
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown + ' of ' + rows.length + ' issues';
  }
  sev.addEventListener('change', apply);
  cat.addEventListener('change', apply);
  txt.addEventListener('input', apply);
  Array.prototype.forEach.call(document.querySelectorAll('[data-filter-severity]'), function (a) {
    a.addEventListener('click', function () {
      sev.value = a.getAttribute('data-filter-severity');
      cat.value = '';
      apply();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-filter-category]'), function (a) {
    a.addEventListener('click', function () {
      cat.value = a.getAttribute('data-filter-category');
      sev.value = '';
      apply();
    });
  });
  apply();
  window.cqFilter = { apply: apply };
})();
)js";

const char* const k_branch_colors[] = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1"};

std::string fmt(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return s;
}

// 1-based lines of a file split on LF, terminators removed.
std::vector<std::string_view> split_lines(std::string_view source) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= source.size()) {
        const auto nl = source.find('\n', start);
        std::string_view line = source.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    if (lines.size() > 1 && lines.back().empty()) {
        lines.pop_back();  // the empty "line" after a final newline
    }
    return lines;
}

// One line chart: one polyline per branch over the scans' positions (oldest left).
struct Series {
    std::string label;
    std::vector<std::pair<std::size_t, double>> points;  // (scan position, value)
};

std::string line_chart(const std::string& title, const std::vector<Series>& series, std::size_t positions,
                       const std::vector<std::string>& x_labels, int decimals) {
    const double w = 640;
    const double h = 200;
    const double left = 48;
    const double right = 12;
    const double top = 14;
    const double bottom = 30;
    double max_v = 0;
    for (const auto& s : series) {
        for (const auto& p : s.points) {
            max_v = std::max(max_v, p.second);
        }
    }
    if (max_v <= 0) {
        max_v = 1;
    }
    const double plot_w = w - left - right;
    const double plot_h = h - top - bottom;
    auto x_of = [&](std::size_t i) {
        return positions <= 1 ? left + plot_w / 2 : left + plot_w * static_cast<double>(i) / static_cast<double>(positions - 1);
    };
    auto y_of = [&](double v) { return top + plot_h * (1.0 - v / max_v); };
    std::ostringstream o;
    o << "<figure class=\"panel\"><figcaption><strong>" << esc(title) << "</strong></figcaption>"
      << "<svg role=\"img\" aria-label=\"" << esc(title) << "\" viewBox=\"0 0 " << w << ' ' << h
      << "\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\">";
    for (int g = 0; g <= 4; ++g) {
        const double v = max_v * g / 4.0;
        const double y = y_of(v);
        o << "<line x1=\"" << left << "\" x2=\"" << w - right << "\" y1=\"" << fmt(y, 1) << "\" y2=\"" << fmt(y, 1)
          << "\" stroke=\"#e4e7ec\"/><text x=\"" << left - 6 << "\" y=\"" << fmt(y + 4, 1)
          << "\" text-anchor=\"end\">" << fmt(v, decimals) << "</text>";
    }
    if (!x_labels.empty()) {
        o << "<text x=\"" << fmt(x_of(0), 1) << "\" y=\"" << h - 8 << "\" text-anchor=\"start\">" << esc(x_labels.front())
          << "</text>";
        if (x_labels.size() > 1) {
            o << "<text x=\"" << fmt(x_of(positions - 1), 1) << "\" y=\"" << h - 8 << "\" text-anchor=\"end\">"
              << esc(x_labels.back()) << "</text>";
        }
    }
    for (std::size_t si = 0; si < series.size(); ++si) {
        const char* color = k_branch_colors[si % (sizeof k_branch_colors / sizeof *k_branch_colors)];
        const auto& s = series[si];
        if (s.points.size() > 1) {
            o << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
            for (const auto& p : s.points) {
                o << fmt(x_of(p.first), 1) << ',' << fmt(y_of(p.second), 1) << ' ';
            }
            o << "\"/>";
        }
        for (const auto& p : s.points) {
            o << "<circle cx=\"" << fmt(x_of(p.first), 1) << "\" cy=\"" << fmt(y_of(p.second), 1) << "\" r=\"3\" fill=\""
              << color << "\"><title>" << esc(s.label) << ": " << fmt(p.second, decimals) << "</title></circle>";
        }
    }
    o << "</svg><div class=\"legend\">";
    for (std::size_t si = 0; si < series.size(); ++si) {
        const char* color = k_branch_colors[si % (sizeof k_branch_colors / sizeof *k_branch_colors)];
        o << "<span><span class=\"bar\" style=\"width:12px;background:" << color << "\"></span> " << esc(series[si].label)
          << "</span>";
    }
    o << "</div></figure>";
    return o.str();
}

class HtmlWriter {
public:
    HtmlWriter(std::ostream& out, const ScanResult& scan, const ReportContext& ctx)
        : m_out(out), m_scan(scan), m_ctx(ctx), m_findings(rs::selected_findings(scan, ctx)) {
        for (std::size_t i = 0; i < scan.files.size(); ++i) {
            m_file_index[scan.files[i]->path] = i;
        }
        for (const Finding* f : m_findings) {
            if (m_rules.find(f->rule) == m_rules.end()) {
                m_rules.emplace(f->rule, resolve_rule(ctx.rules, f->rule, f->severity));
            }
            m_by_file[f->path].push_back(f);
        }
    }

    void run() {
        std::string title = "cq report";
        m_out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
              << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              << "<title>" << esc(title) << "</title>\n<style>" << k_style << "</style>\n</head>\n<body>\n";
        m_out << "<header><h1>cq report</h1><p>" << m_scan.files.size() << " files, " << total_ncloc(m_scan)
              << " lines of code, " << m_findings.size() << (m_findings.size() == 1 ? " issue" : " issues");
        if (m_ctx.include) {
            m_out << " (new code only)";
        }
        if (!m_ctx.version.empty()) {
            m_out << " &middot; cq " << esc(m_ctx.version);
        }
        m_out << "</p><nav><a href=\"#overview\">Overview</a><a href=\"#trends\">Trends</a>"
              << "<a href=\"#security\">Security</a><a href=\"#issues\">Issues</a>"
              << "<a href=\"#hot-paths\">Hot paths</a><a href=\"#files\">Files</a></nav></header>\n<main>\n";
        overview();
        trends();
        security();
        issues();
        hot_paths();
        files();
        m_out << "</main>\n<script>" << k_script << "</script>\n</body>\n</html>\n";
    }

private:
    std::string anchor(const std::string& path, std::uint32_t line) const {
        auto it = m_file_index.find(path);
        if (it == m_file_index.end() || m_by_file.find(path) == m_by_file.end()) {
            return {};
        }
        return "f" + std::to_string(it->second) + "-L" + std::to_string(line);
    }

    // "path:line", a link to the source view when the file has one.
    std::string location_link(const std::string& path, std::uint32_t line) const {
        const std::string a = anchor(path, line);
        const std::string text = esc(path) + ":" + std::to_string(line);
        return a.empty() ? text : "<a href=\"#" + a + "\">" + text + "</a>";
    }

    static std::string sev_badge(Severity s) {
        const std::string name(severity_name(s));
        return "<span class=\"sev sev-" + name + "\">" + name + "</span>";
    }

    void overview() {
        const auto by_sev = rs::count_by_severity(m_findings);
        const auto dup = rs::duplication_summary(m_scan);
        std::size_t functions = 0;
        for (const auto& f : m_scan.files) {
            functions += f->functions.size();
        }
        m_out << "<section id=\"overview\"><h2>Overview</h2>\n<div class=\"cards\">"
              << "<div class=\"card\"><div class=\"v\">" << m_findings.size() << "</div><div class=\"k\">issues</div></div>"
              << "<div class=\"card\"><div class=\"v\">" << m_scan.files.size() << "</div><div class=\"k\">files</div></div>"
              << "<div class=\"card\"><div class=\"v\">" << total_ncloc(m_scan) << "</div><div class=\"k\">lines of code</div></div>"
              << "<div class=\"card\"><div class=\"v\">" << functions << "</div><div class=\"k\">functions</div></div>"
              << "<div class=\"card\"><div class=\"v\">" << fmt(dup.density, 1) << " %</div><div class=\"k\">duplication ("
              << dup.lines << " lines)</div></div></div>\n<div class=\"grid\">";
        // Issues by severity and by category, each row a link that filters the issue table.
        const std::size_t max_sev = std::max<std::size_t>(1, *std::max_element(by_sev.begin(), by_sev.end()));
        m_out << "<div class=\"panel\"><h3>Issues by severity</h3><table>";
        for (int s = 4; s >= 0; --s) {
            const auto sev = static_cast<Severity>(s);
            const std::string name(severity_name(sev));
            const auto n = by_sev[static_cast<std::size_t>(s)];
            m_out << "<tr><td><a href=\"#issues\" data-filter-severity=\"" << name << "\">" << sev_badge(sev)
                  << "</a></td><td class=\"n\">" << n << "</td><td><span class=\"bar sev-" << name
                  << "\" style=\"width:" << (n * 160 / max_sev) << "px\"></span></td></tr>";
        }
        m_out << "</table></div>";
        std::map<std::string, std::size_t> by_cat;
        for (const Finding* f : m_findings) {
            by_cat[rule_category(f->rule)] += 1;
        }
        m_out << "<div class=\"panel\"><h3>Issues by category</h3>";
        if (by_cat.empty()) {
            m_out << "<p class=\"muted\">No issues.</p>";
        } else {
            m_out << "<table>";
            for (const auto& [cat, n] : by_cat) {
                m_out << "<tr><td><a href=\"#issues\" data-filter-category=\"" << esc(cat) << "\">" << esc(cat)
                      << "</a></td><td class=\"n\">" << n << "</td></tr>";
            }
            m_out << "</table>";
        }
        m_out << "</div>";
        // Complexity hot spots.
        std::vector<std::pair<const FileModel*, const Function*>> fns;
        for (const auto& f : m_scan.files) {
            for (const auto& fn : f->functions) {
                if (fn.cognitive > 0 || fn.cyclomatic > 1) {
                    fns.push_back({f.get(), &fn});
                }
            }
        }
        std::stable_sort(fns.begin(), fns.end(), [](const auto& a, const auto& b) {
            return std::tie(a.second->cognitive, a.second->cyclomatic) > std::tie(b.second->cognitive, b.second->cyclomatic);
        });
        m_out << "<div class=\"panel\"><h3>Complexity hot spots</h3>";
        if (fns.empty()) {
            m_out << "<p class=\"muted\">No branching functions.</p>";
        } else {
            m_out << "<table><tr><th>function</th><th>location</th><th class=\"n\">cognitive</th>"
                     "<th class=\"n\">cyclomatic</th><th class=\"n\">lines</th></tr>";
            for (std::size_t i = 0; i < fns.size() && i < k_hot_spots; ++i) {
                const auto& [file, fn] = fns[i];
                m_out << "<tr><td><code>" << esc(fn->qualified_name.empty() ? fn->name : fn->qualified_name)
                      << "</code></td><td>" << location_link(file->path, fn->range.start_line) << "</td><td class=\"n\">"
                      << fn->cognitive << "</td><td class=\"n\">" << fn->cyclomatic << "</td><td class=\"n\">" << fn->nloc
                      << "</td></tr>";
            }
            m_out << "</table>";
        }
        m_out << "</div></div></section>\n";
    }

    void trends() {
        m_out << "<section id=\"trends\"><h2>Trends</h2>\n";
        const auto& points = m_ctx.trends;
        if (points.empty()) {
            m_out << "<p class=\"muted\" id=\"no-history\">No history yet: trends appear once scans are recorded "
                     "in the history database.</p></section>\n";
            return;
        }
        std::vector<std::string> branches;
        for (const auto& p : points) {
            if (std::find(branches.begin(), branches.end(), p.branch) == branches.end()) {
                branches.push_back(p.branch);
            }
        }
        auto make = [&](auto value) {
            std::vector<Series> series;
            for (const auto& b : branches) {
                Series s;
                s.label = b.empty() ? std::string("(no branch)") : b;
                for (std::size_t i = 0; i < points.size(); ++i) {
                    if (points[i].branch == b) {
                        s.points.push_back({i, value(points[i])});
                    }
                }
                series.push_back(std::move(s));
            }
            return series;
        };
        auto label = [](const TrendPoint& p) {
            std::string l = p.time.substr(0, 10);
            if (!p.commit.empty()) {
                l += (l.empty() ? "" : " ") + p.commit.substr(0, 7);
            }
            return l;
        };
        const std::vector<std::string> x_labels = {label(points.front()), label(points.back())};
        m_out << "<div class=\"charts\">"
              << line_chart("Issues", make([](const TrendPoint& p) { return static_cast<double>(p.issues); }),
                            points.size(), x_labels, 0)
              << line_chart("Duplicated lines (%)", make([](const TrendPoint& p) { return p.duplication_density; }),
                            points.size(), x_labels, 1)
              << line_chart("Functions over the complexity thresholds",
                            make([](const TrendPoint& p) { return static_cast<double>(p.functions_over_threshold); }),
                            points.size(), x_labels, 0)
              << line_chart("Lines of code", make([](const TrendPoint& p) { return static_cast<double>(p.ncloc); }),
                            points.size(), x_labels, 0)
              << "</div>\n<p class=\"muted\">" << points.size() << " scans, " << branches.size()
              << (branches.size() == 1 ? " branch" : " branches") << ", oldest on the left.</p></section>\n";
    }

    void security() {
        m_out << "<section id=\"security\"><h2>Security</h2>\n<div class=\"grid\"><div class=\"panel\"><h3>OWASP Top 10 (2021)</h3>"
              << "<table><tr><th>category</th><th class=\"n\">issues</th></tr>";
        std::map<std::string, std::size_t> owasp;
        std::map<int, std::pair<std::size_t, std::set<std::string>>> cwe;
        for (const Finding* f : m_findings) {
            const RuleMeta& meta = m_rules.at(f->rule);
            for (const auto& o : meta.owasp) {
                owasp[o.substr(0, 3)] += 1;
            }
            for (const int c : meta.cwe) {
                auto& entry = cwe[c];
                entry.first += 1;
                entry.second.insert(meta.id);
            }
        }
        for (const auto& [id, name] : k_owasp_2021) {
            const auto it = owasp.find(id);
            const std::size_t n = it == owasp.end() ? 0 : it->second;
            m_out << "<tr" << (n == 0 ? " class=\"muted\"" : "") << "><td>" << id << " " << name << "</td><td class=\"n\">"
                  << n << "</td></tr>";
        }
        m_out << "</table></div><div class=\"panel\"><h3>CWE</h3>";
        if (cwe.empty()) {
            m_out << "<p class=\"muted\">No issue maps to a CWE.</p>";
        } else {
            m_out << "<table><tr><th>CWE</th><th class=\"n\">issues</th><th>rules</th></tr>";
            for (const auto& [id, entry] : cwe) {
                m_out << "<tr><td>CWE-" << id << "</td><td class=\"n\">" << entry.first << "</td><td>";
                const char* sep = "";
                for (const auto& r : entry.second) {
                    m_out << sep << "<code>" << esc(r) << "</code>";
                    sep = ", ";
                }
                m_out << "</td></tr>";
            }
            m_out << "</table>";
        }
        m_out << "</div></div></section>\n";
    }

    void issues() {
        std::set<std::string> categories;
        for (const Finding* f : m_findings) {
            categories.insert(rule_category(f->rule));
        }
        m_out << "<section id=\"issues\"><h2>Issues</h2>\n<div class=\"filters\">"
              << "<label>Severity <select id=\"f-severity\"><option value=\"\">all</option>";
        for (int s = 4; s >= 0; --s) {
            const std::string name(severity_name(static_cast<Severity>(s)));
            m_out << "<option value=\"" << name << "\">" << name << "</option>";
        }
        m_out << "</select></label><label>Category <select id=\"f-category\"><option value=\"\">all</option>";
        for (const auto& c : categories) {
            m_out << "<option value=\"" << esc(c) << "\">" << esc(c) << "</option>";
        }
        m_out << "</select></label><label>Text <input id=\"f-text\" type=\"search\" placeholder=\"path, rule or message\">"
              << "</label><span id=\"f-count\" class=\"muted\"></span></div>\n"
              << "<table id=\"issue-table\"><thead><tr><th>severity</th><th>rule</th><th>location</th><th>message</th>"
                 "<th>function</th></tr></thead><tbody>\n";
        for (const Finding* f : m_findings) {
            const std::string text = lower(f->path + " " + f->rule + " " + f->message + " " + f->function);
            m_out << "<tr data-severity=\"" << severity_name(f->severity) << "\" data-category=\""
                  << esc(rule_category(f->rule)) << "\" data-text=\"" << esc(text) << "\"><td>" << sev_badge(f->severity)
                  << "</td><td><code title=\"" << esc(m_rules.at(f->rule).title) << "\">" << esc(f->rule)
                  << "</code></td><td>" << location_link(f->path, f->range.start_line) << "</td><td>" << esc(f->message);
            if (!f->secondary.empty()) {
                m_out << "<details><summary>" << f->secondary.size() << " related location"
                      << (f->secondary.size() == 1 ? "" : "s") << "</summary><ol>";
                for (const auto& s : f->secondary) {
                    m_out << "<li>" << location_link(s.path, s.range.start_line) << " " << esc(s.message) << "</li>";
                }
                m_out << "</ol></details>";
            }
            m_out << "</td><td><code>" << esc(f->function) << "</code></td></tr>\n";
        }
        m_out << "</tbody></table>";
        if (m_findings.empty()) {
            m_out << "<p class=\"muted\">No issues.</p>";
        }
        m_out << "</section>\n";
    }

    // Latency findings that carry the call chain that makes their code hot.
    void hot_paths() {
        m_out << "<section id=\"hot-paths\"><h2>Hot paths</h2>\n";
        std::size_t shown = 0;
        for (const Finding* f : m_findings) {
            if (rule_category(f->rule) != "latency" || f->secondary.empty()) {
                continue;
            }
            ++shown;
            m_out << "<div class=\"panel\"><p>" << sev_badge(f->severity) << " <code>" << esc(f->rule) << "</code> "
                  << esc(f->message) << "</p><ol class=\"chain\">";
            for (const auto& s : f->secondary) {
                m_out << "<li>" << location_link(s.path, s.range.start_line) << " " << esc(s.message) << "</li>";
            }
            m_out << "<li><strong>" << location_link(f->path, f->range.start_line) << "</strong> flagged here</li></ol></div>\n";
        }
        if (shown == 0) {
            m_out << "<p class=\"muted\">No latency issue on a hot path.</p>";
        }
        m_out << "</section>\n";
    }

    void files() {
        m_out << "<section id=\"files\"><h2>Files</h2>\n<table><tr><th>file</th><th>language</th><th class=\"n\">lines</th>"
                 "<th class=\"n\">code</th><th class=\"n\">functions</th><th class=\"n\">issues</th></tr>";
        for (std::size_t i = 0; i < m_scan.files.size(); ++i) {
            const FileModel& f = *m_scan.files[i];
            const auto it = m_by_file.find(f.path);
            const std::size_t n = it == m_by_file.end() ? 0 : it->second.size();
            m_out << "<tr><td>";
            if (n > 0) {
                m_out << "<a href=\"#f" << i << "\">" << esc(f.path) << "</a>";
            } else {
                m_out << esc(f.path);
            }
            m_out << "</td><td>" << language_name(f.language) << "</td><td class=\"n\">" << f.lines << "</td><td class=\"n\">"
                  << f.ncloc << "</td><td class=\"n\">" << f.functions.size() << "</td><td class=\"n\">" << n << "</td></tr>";
        }
        m_out << "</table>\n";
        for (std::size_t i = 0; i < m_scan.files.size(); ++i) {
            const FileModel& f = *m_scan.files[i];
            const auto it = m_by_file.find(f.path);
            if (it != m_by_file.end()) {
                file_source(i, f, it->second);
            }
        }
        m_out << "</section>\n";
    }

    void file_source(std::size_t index, const FileModel& file, const std::vector<const Finding*>& findings) {
        const auto lines = split_lines(file.source);
        std::map<std::uint32_t, std::vector<const Finding*>> flagged;
        std::map<std::uint32_t, std::vector<const SecondaryLocation*>> secondary;
        for (const Finding* f : findings) {
            flagged[std::max<std::uint32_t>(f->range.start_line, 1)].push_back(f);
        }
        for (const Finding* f : m_findings) {
            for (const auto& s : f->secondary) {
                if (s.path == file.path) {
                    secondary[std::max<std::uint32_t>(s.range.start_line, 1)].push_back(&s);
                }
            }
        }
        const bool full = lines.size() <= k_full_source_lines;
        auto visible = [&](std::uint32_t line) {
            if (full) {
                return true;
            }
            auto near = [&](const auto& marks) {
                auto lo = marks.lower_bound(line > k_context_lines ? line - k_context_lines : 0);
                return lo != marks.end() && lo->first <= line + k_context_lines;
            };
            return near(flagged) || near(secondary);
        };
        m_out << "<section class=\"file\" id=\"f" << index << "\"><h3>" << esc(file.path) << " <span class=\"muted\">("
              << language_name(file.language) << ", " << findings.size() << (findings.size() == 1 ? " issue" : " issues")
              << ")</span></h3>\n<table class=\"src\">";
        bool gap = false;
        for (std::uint32_t ln = 1; ln <= lines.size(); ++ln) {
            if (!visible(ln)) {
                if (!gap) {
                    m_out << "<tr class=\"gap\"><td class=\"ln\">&hellip;</td><td></td></tr>";
                    gap = true;
                }
                continue;
            }
            gap = false;
            const auto fl = flagged.find(ln);
            const auto sl = secondary.find(ln);
            const char* cls = fl != flagged.end() ? " class=\"flagged\"" : sl != secondary.end() ? " class=\"secondary\"" : "";
            m_out << "<tr id=\"f" << index << "-L" << ln << "\"" << cls << "><td class=\"ln\">" << ln << "</td><td>"
                  << esc(lines[ln - 1]) << "</td></tr>";
            if (fl != flagged.end()) {
                for (const Finding* f : fl->second) {
                    m_out << "<tr class=\"note\"><td></td><td>" << sev_badge(f->severity) << " <code>" << esc(f->rule)
                          << "</code> " << esc(f->message) << "</td></tr>";
                }
            }
        }
        // Findings past the end of the file (a range that does not fit it) are still listed.
        for (const auto& [ln, list] : flagged) {
            if (ln > lines.size()) {
                for (const Finding* f : list) {
                    m_out << "<tr class=\"note\"><td class=\"ln\">" << ln << "</td><td>" << sev_badge(f->severity)
                          << " <code>" << esc(f->rule) << "</code> " << esc(f->message) << "</td></tr>";
                }
            }
        }
        m_out << "</table></section>\n";
    }

    std::ostream& m_out;
    const ScanResult& m_scan;
    const ReportContext& m_ctx;
    std::vector<const Finding*> m_findings;
    std::map<std::string, RuleMeta> m_rules;
    std::map<std::string, std::vector<const Finding*>> m_by_file;
    std::map<std::string, std::size_t> m_file_index;
};

}  // namespace

void write_html(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    HtmlWriter writer(out, scan, ctx);
    writer.run();
}

}  // namespace cq
