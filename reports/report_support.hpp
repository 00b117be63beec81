// Helpers the exporters share (not part of the reports' public interface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.hpp"

namespace cq::report_support {

// The findings a writer exports: the scan's, in its order, filtered by ctx.include.
std::vector<const Finding*> selected_findings(const ScanResult& scan, const ReportContext& ctx);

// 16 hex digits of FNV-1a 64 over `text`.
std::string hash_hex(std::string_view text);

// The engine's fingerprint, or (findings made by hand) a hash of rule, path, function and
// message. Unique only together with an occurrence count (see unique_fingerprints).
std::string base_fingerprint(const Finding& f);

// One fingerprint per finding, unique within the list: a repeated base fingerprint gets
// ":2", ":3", ... in order of appearance.
std::vector<std::string> unique_fingerprints(const std::vector<const Finding*>& findings);

// A relative path as a URI reference: unreserved characters and '/' kept, everything else
// percent-encoded as UTF-8.
std::string uri_encode(std::string_view path);

// Duplicated lines (from duplication/* findings) and their density over all lines, in percent.
struct Duplication {
    std::uint64_t lines = 0;
    double density = 0.0;
};
Duplication duplication_summary(const ScanResult& scan);

// Findings per severity, indexed by Severity.
std::vector<std::size_t> count_by_severity(const std::vector<const Finding*>& findings);

}  // namespace cq::report_support
