// What a rule reports. Everything downstream (history, gate, exporters) consumes Findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq {

enum class Severity : std::uint8_t { info, minor, major, critical, blocker };

std::string_view severity_name(Severity s);
// Parses "info" / "minor" / "major" / "critical" / "blocker" (case-insensitive).
std::optional<Severity> parse_severity(std::string_view text);

struct SecondaryLocation {
    std::string path;  // relative to the scan root, '/' separators
    Range range;
    std::string message;
};

struct Finding {
    std::string rule;  // "complexity/cognitive"
    Severity severity = Severity::major;
    std::string path;
    Range range;
    std::string message;
    std::string function;  // qualified name of the enclosing function, empty at file level
    std::vector<SecondaryLocation> secondary;
    // Normalized text that identifies the flagged code independently of its position; used by
    // the fingerprint. Rules may leave it empty: the engine then uses the flagged source text.
    std::string anchor;
    std::string fingerprint;  // filled by the engine
};

// Deterministic order: path, line, column, rule, message.
bool finding_less(const Finding& a, const Finding& b);

}  // namespace cq
