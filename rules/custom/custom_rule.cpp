#include "rules/custom/custom_rule.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace cq::custom {

namespace {

const Capture* find_capture(const Match& m, const std::string& name) {
    for (const Capture& c : m.captures) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

std::string squeeze(std::string_view text, std::size_t max_bytes) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
        if (out.size() >= max_bytes) {
            // do not cut a UTF-8 sequence in half
            while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
                out.pop_back();
            }
            if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0) {
                out.pop_back();
            }
            out += "...";
            break;
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> placeholders(std::string_view message) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = message.find("{{", pos)) != std::string_view::npos) {
        const std::size_t close = message.find("}}", pos + 2);
        if (close == std::string_view::npos) {
            break;
        }
        std::string name(message.substr(pos + 2, close - pos - 2));
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        out.push_back(name);
        pos = close + 2;
    }
    return out;
}

std::string interpolate(std::string_view message, const Match& match, const FileModel& file) {
    std::string out;
    std::size_t pos = 0;
    while (pos < message.size()) {
        const std::size_t open = message.find("{{", pos);
        const std::size_t close = open == std::string_view::npos ? open : message.find("}}", open + 2);
        if (open == std::string_view::npos || close == std::string_view::npos) {
            out.append(message.substr(pos));
            break;
        }
        out.append(message.substr(pos, open - pos));
        std::string name(message.substr(open + 2, close - open - 2));
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        if (const Capture* c = find_capture(match, name)) {
            out += squeeze(file.text(c->range), 80);
        }
        pos = close + 2;
    }
    return out;
}

void CustomRule::check(const FileModel& file, const RuleContext& ctx, std::vector<Finding>& out) const {
    auto it = m_spec.matchers.find(file.language);
    if (it == m_spec.matchers.end() || !it->second) {
        return;
    }
    std::set<std::tuple<std::uint32_t, std::uint32_t>> seen;
    for (const Match& m : it->second->find(file)) {
        if (m.captures.empty()) {
            continue;
        }
        const bool ok = std::all_of(m_spec.constraints.begin(), m_spec.constraints.end(), [&](const Constraint& c) {
            const Capture* cap = find_capture(m, c.capture);
            return cap != nullptr && c.test(file.text(cap->range));
        });
        if (!ok) {
            continue;
        }
        const Capture* at = m_spec.location_capture.empty() ? nullptr : find_capture(m, m_spec.location_capture);
        if (at == nullptr) {
            at = &m.captures.front();
            for (const Capture& c : m.captures) {
                if (c.range.start_byte < at->range.start_byte ||
                    (c.range.start_byte == at->range.start_byte && c.range.end_byte > at->range.end_byte)) {
                    at = &c;
                }
            }
        }
        if (!seen.insert({at->range.start_byte, at->range.end_byte}).second) {
            continue;
        }
        out.push_back(make_finding(*this, ctx, file, at->range, interpolate(m_spec.message, m, file)));
    }
}

}  // namespace cq::custom
