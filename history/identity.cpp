#include "history/identity.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "analyzer/engine/fingerprint.hpp"

namespace fs = std::filesystem;

namespace cq::history {

namespace {

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

void field(std::string& out, const std::string& s) {
    out += std::to_string(s.size());
    out += ':';
    out += s;
}

}  // namespace

std::string config_hash(const RuleSelection& rules) {
    std::string text = "rules-v1";
    for (const auto* list : {&rules.only, &rules.disabled}) {
        text += '|';
        for (const auto& s : *list) {
            field(text, s);
        }
    }
    text += '|';
    for (const auto& [rule, options] : rules.options) {
        field(text, rule);
        for (const auto& [k, v] : options) {
            field(text, k);
            field(text, v);
        }
    }
    text += '|';
    for (const auto& [rule, sev] : rules.severities) {
        field(text, rule);
        field(text, std::string(severity_name(sev)));
    }
    return hex(fnv1a64(text));
}

std::string scope_hash(const ScanOptions& options) {
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(fs::absolute(options.root.empty() ? "." : options.root), ec);
    std::string text = "scope-v1|";
    for (const auto& p : options.paths) {
        const fs::path abs = fs::weakly_canonical(fs::path(p).is_absolute() ? fs::path(p) : root / p, ec);
        field(text, abs.lexically_relative(root).generic_string());
    }
    for (const auto* list : {&options.include, &options.exclude}) {
        text += '|';
        for (const auto& s : *list) {
            field(text, s);
        }
    }
    text += '|' + std::to_string(options.max_file_bytes);
    return hex(fnv1a64(text));
}

std::string tool_build_id(const std::string& version) {
    struct stat st {};
    if (stat("/proc/self/exe", &st) != 0) {
        return version;
    }
    return version + "+" + hex(static_cast<std::uint64_t>(st.st_size)) +
           hex(static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000ULL +
               static_cast<std::uint64_t>(st.st_mtim.tv_nsec));
}

std::string now_iso8601() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string default_db_path(const std::string& root) {
    std::error_code ec;
    const fs::path r = fs::weakly_canonical(fs::absolute(root.empty() ? "." : root), ec);
    return (r / ".cq" / "history.db").string();
}

}  // namespace cq::history
