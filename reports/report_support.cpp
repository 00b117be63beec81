#include "reports/report_support.hpp"

#include <cstdio>
#include <map>
#include <set>

namespace cq::report_support {

std::vector<const Finding*> selected_findings(const ScanResult& scan, const ReportContext& ctx) {
    std::vector<const Finding*> out;
    out.reserve(scan.findings.size());
    for (const Finding& f : scan.findings) {
        if (!ctx.include || ctx.include(f)) {
            out.push_back(&f);
        }
    }
    return out;
}

std::string hash_hex(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string base_fingerprint(const Finding& f) {
    if (!f.fingerprint.empty()) {
        return f.fingerprint;
    }
    std::string key = f.rule;
    for (const std::string* part : {&f.path, &f.function, &f.message}) {
        key += '\0';
        key += *part;
    }
    return hash_hex(key);
}

std::vector<std::string> unique_fingerprints(const std::vector<const Finding*>& findings) {
    std::map<std::string, int> seen;
    std::vector<std::string> out;
    out.reserve(findings.size());
    for (const Finding* f : findings) {
        std::string fp = base_fingerprint(*f);
        const int n = ++seen[fp];
        if (n > 1) {
            fp += ":" + std::to_string(n);
        }
        out.push_back(std::move(fp));
    }
    return out;
}

std::string uri_encode(std::string_view path) {
    static const char* k_hex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : path) {
        const auto c = static_cast<unsigned char>(ch);
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += ch;
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 0xFu];
        }
    }
    return out;
}

Duplication duplication_summary(const ScanResult& scan) {
    std::set<std::pair<std::string, std::uint32_t>> lines;
    for (const Finding& f : scan.findings) {
        if (f.rule.rfind("duplication/", 0) != 0) {
            continue;
        }
        for (std::uint32_t l = f.range.start_line; l <= f.range.end_line; ++l) {
            lines.insert({f.path, l});
        }
    }
    Duplication d;
    d.lines = lines.size();
    const std::uint64_t total = total_lines(scan);
    d.density = total == 0 ? 0.0 : 100.0 * static_cast<double>(d.lines) / static_cast<double>(total);
    return d;
}

std::vector<std::size_t> count_by_severity(const std::vector<const Finding*>& findings) {
    std::vector<std::size_t> counts(5, 0);
    for (const Finding* f : findings) {
        counts[static_cast<std::size_t>(f->severity)] += 1;
    }
    return counts;
}

}  // namespace cq::report_support
