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

std::string content_hash(std::string_view content) {
    char buf[25];
    std::snprintf(buf, sizeof buf, "%016llx%08llx", static_cast<unsigned long long>(fnv1a64(content)),
                  static_cast<unsigned long long>(content.size() & 0xffffffffULL));
    return buf;
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

namespace {

const Function* enclosing_function(const Finding& finding, const FileModel& file) {
    const std::int32_t idx = file.function_at(finding.range.start_byte);
    if (idx < 0) {
        return nullptr;
    }
    return &file.functions[static_cast<std::size_t>(idx)];
}

std::string anchor_from_lines(const Finding& f, const FileModel& file) {
    std::string code = normalize_code(file.text(f.range));
    if (code.size() >= 12) {
        return code;
    }
    const std::uint32_t last = std::min(f.range.end_line, f.range.start_line + 4);
    code.clear();
    for (std::uint32_t l = f.range.start_line; l <= std::max(last, f.range.start_line); ++l) {
        code += file.line_text(l);
        code += '\n';
    }
    return normalize_code(code);
}

}  // namespace

std::string fingerprint_anchor(const Finding& f, const FileModel& file) {
    if (!f.anchor.empty()) {
        return f.anchor;
    }
    const Function* fn = enclosing_function(f, file);
    if (fn != nullptr && fn->name_range.start_byte == f.range.start_byte &&
        fn->name_range.end_byte == f.range.end_byte) {
        return "fn:" + fn->name;
    }
    if (file.tokens.empty()) {
        return anchor_from_lines(f, file);
    }
    const std::uint32_t limit = fn != nullptr ? fn->range.end_byte : static_cast<std::uint32_t>(file.source.size());
    auto it = std::lower_bound(file.tokens.begin(), file.tokens.end(), f.range.start_byte,
                               [](const Token& t, std::uint32_t b) { return t.start_byte < b; });
    std::string out;
    std::size_t count = 0;
    std::uint32_t last_line = 0;
    for (; it != file.tokens.end(); ++it) {
        const bool inside = it->end_byte <= f.range.end_byte;
        // Past the range, only the rest of its last line: what follows on the next lines is
        // other code, and editing it must not change this fingerprint.
        if (!inside && (count >= k_min_anchor_tokens || it->end_byte > limit || it->line != last_line)) {
            break;
        }
        last_line = it->line;
        if (it->end_byte > it->start_byte && it->end_byte <= file.source.size()) {
            out.append(file.source, it->start_byte, it->end_byte - it->start_byte);
            out.push_back('\x1e');
        }
        ++count;
    }
    if (out.empty()) {
        return anchor_from_lines(f, file);
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
                anchor = fingerprint_anchor(f, *it->second);
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
