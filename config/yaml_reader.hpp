// Internal to config/: reading YAML nodes with errors that name file, line and column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace cq::config {

inline std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Reads YAML nodes, failing with file:line:column.
class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}
    const std::string& file() const { return m_file; }

    [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
        const YAML::Mark mark = at.Mark();
        fail_at(mark.line, mark.column, message);
    }
    [[noreturn]] void fail_at(int line, int column, const std::string& message) const {
        std::string where = m_file;
        if (line >= 0) {
            where += ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1);
        }
        throw ConfigError(where + ": " + message);
    }

    void expect_map(const YAML::Node& n, const std::string& what) const {
        if (!n.IsMap()) {
            fail(n, what + " must be a mapping (key: value lines), got " + kind(n));
        }
    }

    static std::string kind(const YAML::Node& n) {
        if (n.IsSequence()) {
            return "a list";
        }
        if (n.IsMap()) {
            return "a mapping";
        }
        if (n.IsNull()) {
            return "nothing";
        }
        return "'" + n.Scalar() + "'";
    }

    std::string key_of(const YAML::Node& key) const {
        if (!key.IsScalar()) {
            fail(key, "keys must be plain words, got " + kind(key));
        }
        return key.Scalar();
    }

    [[noreturn]] void unknown_key(const YAML::Node& key, const std::string& name, const std::string& section,
                                  const std::vector<std::string>& allowed) const {
        std::string message = "unknown key '" + name + "'" + (section.empty() ? "" : " in " + section);
        const std::string guess = closest(name, allowed);
        if (!guess.empty()) {
            message += " (did you mean '" + guess + "'?)";
        } else if (allowed.size() <= 12) {
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            message += " (expected one of: " + list + ")";
        }
        fail(key, message);
    }

    std::string scalar(const YAML::Node& n, const std::string& what) const {
        if (!n.IsScalar()) {
            fail(n, what + " must be a single value, got " + kind(n));
        }
        return n.Scalar();
    }

    bool boolean(const YAML::Node& n, const std::string& what) const {
        const std::string v = lower(scalar(n, what));
        if (v == "true" || v == "yes" || v == "on") {
            return true;
        }
        if (v == "false" || v == "no" || v == "off") {
            return false;
        }
        fail(n, what + " must be true or false, got '" + n.Scalar() + "'");
    }

    std::uint64_t unsigned_integer(const YAML::Node& n, const std::string& what) const {
        const std::string v = scalar(n, what);
        if (v.empty() || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; }) ||
            v.size() > 18) {
            fail(n, what + " must be a whole number, got '" + v + "'");
        }
        return std::stoull(v);
    }

    double number(const YAML::Node& n, const std::string& what) const {
        const std::string v = scalar(n, what);
        try {
            std::size_t used = 0;
            const double d = std::stod(v, &used);
            if (used == v.size()) {
                return d;
            }
        } catch (const std::exception&) {
        }
        fail(n, what + " must be a number, got '" + v + "'");
    }

    // A scalar or a list of scalars.
    std::vector<std::string> strings(const YAML::Node& n, const std::string& what) const {
        std::vector<std::string> out;
        if (n.IsNull()) {
            return out;
        }
        if (n.IsScalar()) {
            out.push_back(n.Scalar());
            return out;
        }
        if (!n.IsSequence()) {
            fail(n, what + " must be a list of strings, got " + kind(n));
        }
        for (const auto& item : n) {
            out.push_back(scalar(item, "each entry of " + what));
        }
        return out;
    }

    std::uint64_t size(const YAML::Node& n, const std::string& what) const {
        const std::string v = lower(scalar(n, what));
        std::size_t i = 0;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])) != 0) {
            ++i;
        }
        std::string unit = v.substr(i);
        unit.erase(0, unit.find_first_not_of(' '));
        std::uint64_t mult = 0;
        if (unit.empty() || unit == "b") {
            mult = 1;
        } else if (unit == "k" || unit == "kb" || unit == "kib") {
            mult = 1024;
        } else if (unit == "m" || unit == "mb" || unit == "mib") {
            mult = 1024 * 1024;
        } else if (unit == "g" || unit == "gb" || unit == "gib") {
            mult = 1024ULL * 1024 * 1024;
        }
        if (i == 0 || i > 12 || mult == 0) {
            fail(n, what + " must be a size such as 5242880, 512KiB or 5MiB, got '" + n.Scalar() + "'");
        }
        return std::stoull(v.substr(0, i)) * mult;
    }

private:
    std::string m_file;
};


// yaml-cpp parses nested flow collections (`[[[...]]]`) recursively; a hostile file nested
// thousands deep must fail with a message, not overflow the stack. Counts `[` / `{` nesting
// outside quotes and comments and throws ConfigError past `max_depth`.
inline void check_nesting(std::string_view text, const std::string& file, int max_depth = 200) {
    int depth = 0;
    int line = 1;
    char quote = 0;
    bool comment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            comment = false;
            if (quote == '\'') {
                // single-quoted scalars may span lines; keep the state
            }
            continue;
        }
        if (comment) {
            continue;
        }
        if (quote != 0) {
            if (c == '\\' && quote == '"') {
                ++i;
            } else if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
            comment = true;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                throw ConfigError(file + ":" + std::to_string(line) + ": collections nested more than " +
                                  std::to_string(max_depth) + " deep");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

}  // namespace cq::config
