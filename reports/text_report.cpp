#include <array>
#include <map>

#include "reports/report.hpp"

namespace cq {

namespace {

const char* severity_color(Severity s) {
    switch (s) {
    case Severity::info: return "\x1b[36m";
    case Severity::minor: return "\x1b[34m";
    case Severity::major: return "\x1b[33m";
    case Severity::critical: return "\x1b[31m";
    case Severity::blocker: return "\x1b[1;31m";
    }
    return "";
}

}  // namespace

void write_text(std::ostream& out, const ScanResult& scan, const TextOptions& options) {
    const char* bold = options.color ? "\x1b[1m" : "";
    const char* dim = options.color ? "\x1b[2m" : "";
    const char* reset = options.color ? "\x1b[0m" : "";
    std::map<std::string, const FileModel*> by_path;
    for (const auto& f : scan.files) {
        by_path[f->path] = f.get();
    }
    for (const Finding& f : scan.findings) {
        out << bold << f.path << ':' << f.range.start_line << ':' << f.range.start_column << ':'
            << reset << ' ' << (options.color ? severity_color(f.severity) : "")
            << severity_name(f.severity) << reset << ": " << f.message << ' ' << dim << '['
            << f.rule << ']' << reset << '\n';
        auto it = by_path.find(f.path);
        if (it != by_path.end() && it->second->syntactic_only) {
            out << "  " << dim << "note: syntactic analysis (no compile command for this file)"
                << reset << '\n';
        }
    }
    if (options.show_suppressed) {
        for (const Finding& f : scan.suppressed) {
            out << dim << f.path << ':' << f.range.start_line << ':' << f.range.start_column << ": "
                << severity_name(f.severity) << " (suppressed): " << f.message << " [" << f.rule << ']' << reset
                << '\n';
        }
    }
    if (options.show_notes) {
        for (const auto& f : scan.files) {
            for (const auto& d : f->diagnostics) {
                if (d.level == DiagnosticLevel::note) {
                    continue;
                }
                out << f->path << ':' << d.line << ':' << std::max<std::uint32_t>(d.column, 1)
                    << ": note: " << d.message << " (the rest of the file was analyzed)\n";
            }
        }
        for (const auto& s : scan.skipped) {
            out << s.path << ": note: skipped: " << s.reason << '\n';
        }
        std::size_t syntactic = 0;
        for (const auto& f : scan.files) {
            syntactic += f->syntactic_only ? 1 : 0;
        }
        if (syntactic > 0) {
            out << "note: " << syntactic << " C/C++ file(s) had no compile command and were "
                << "analyzed syntactically (tree-sitter); give --compile-commands for full analysis\n";
        }
    }
    for (const auto& e : scan.internal_errors) {
        out << (e.path.empty() ? std::string("cq") : e.path) << ": internal error"
            << (e.rule.empty() ? std::string() : " in " + e.rule) << ": " << e.message << '\n';
    }
    std::array<std::size_t, 5> by_sev{};
    for (const auto& f : scan.findings) {
        by_sev[static_cast<std::size_t>(f.severity)] += 1;
    }
    out << bold << scan.findings.size() << " issue" << (scan.findings.size() == 1 ? "" : "s")
        << reset << " in " << scan.files.size() << " files (" << total_ncloc(scan)
        << " lines of code, " << scan.duration_ms << " ms)";
    if (!scan.findings.empty()) {
        out << ':';
        const char* sep = " ";
        for (int s = 4; s >= 0; --s) {
            if (by_sev[static_cast<std::size_t>(s)] == 0) {
                continue;
            }
            out << sep << by_sev[static_cast<std::size_t>(s)] << ' ' << severity_name(static_cast<Severity>(s));
            sep = ", ";
        }
    }
    if (!scan.suppressed.empty()) {
        out << "; " << scan.suppressed.size() << " suppressed" << (options.show_suppressed ? "" : " (--show-suppressed lists them)");
    }
    if (scan.baselined > 0) {
        out << "; " << scan.baselined << " in the baseline";
    }
    out << '\n';
}

}  // namespace cq
