#include "analyzer/engine/fingerprint.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace cq {

std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : data) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string normalize_code(std::string_view code) {
    std::string out;
    out.reserve(code.size());
    for (unsigned char c : code) {
        if (!std::isspace(c)) {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

void assign_fingerprints(std::vector<Finding>& findings, const ProjectModel& project) {
    std::unordered_map<std::string, const FileModel*> by_path;
    for (const FileModel* f : project.files) {
        by_path[f->path] = f;
    }
    // Process in source order so occurrence indices are stable.
    std::vector<std::size_t> order(findings.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return finding_less(findings[a], findings[b]);
    });
    std::map<std::string, int> occurrences;
    for (std::size_t idx : order) {
        Finding& f = findings[idx];
        std::string anchor = f.anchor;
        if (anchor.empty()) {
            auto it = by_path.find(f.path);
            if (it != by_path.end()) {
                const FileModel& file = *it->second;
                std::string code;
                const std::uint32_t last = std::min(f.range.end_line, f.range.start_line + 4);
                for (std::uint32_t l = f.range.start_line; l <= std::max(last, f.range.start_line); ++l) {
                    code += file.line_text(l);
                    code += '\n';
                }
                anchor = normalize_code(code);
            }
        }
        std::string key = f.rule;
        key += '\x1f';
        key += f.path;
        key += '\x1f';
        key += f.function;
        key += '\x1f';
        key += anchor;
        const int n = occurrences[key]++;
        key += '\x1f';
        key += std::to_string(n);
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(key)));
        f.fingerprint = buf;
    }
}

}  // namespace cq
