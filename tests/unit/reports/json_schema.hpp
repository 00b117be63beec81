// A JSON Schema validator for the keywords the SARIF 2.1.0 schema uses: type, properties,
// additionalProperties, required, items, minItems, uniqueItems, enum, minimum, maximum, pattern,
// anyOf, oneOf, $ref (local "#/..."), and format uri / uri-reference (checked loosely: no
// characters a URI cannot hold, a scheme for "uri"); other formats are not checked, which the
// specification allows. Unknown keywords are ignored, as the specification says. The SARIF
// multitool (sarif_validation.hpp) is the complete check; this one runs in-process.
#pragma once

#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cq::test {

class JsonSchema {
public:
    explicit JsonSchema(nlohmann::json schema) : m_root(std::move(schema)) {}

    std::vector<std::string> validate(const nlohmann::json& doc) const {
        std::vector<std::string> errors;
        check(doc, m_root, "$", errors);
        return errors;
    }

private:
    const nlohmann::json& resolve(const std::string& ref) const {
        if (ref.rfind("#/", 0) != 0) {
            throw std::runtime_error("unsupported $ref " + ref);
        }
        return m_root.at(nlohmann::json::json_pointer(ref.substr(1)));
    }

    static bool has_type(const nlohmann::json& v, const std::string& t) {
        if (t == "object") return v.is_object();
        if (t == "array") return v.is_array();
        if (t == "string") return v.is_string();
        if (t == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
        if (t == "number") return v.is_number();
        if (t == "boolean") return v.is_boolean();
        if (t == "null") return v.is_null();
        return false;
    }

    void check(const nlohmann::json& v, const nlohmann::json& s, const std::string& at, std::vector<std::string>& errors) const {
        if (s.is_boolean()) {
            if (!s.get<bool>()) {
                errors.push_back(at + ": not allowed");
            }
            return;
        }
        if (s.contains("$ref")) {
            check(v, resolve(s["$ref"].get<std::string>()), at, errors);
        }
        if (s.contains("type")) {
            bool ok = false;
            if (s["type"].is_array()) {
                for (const auto& t : s["type"]) {
                    ok = ok || has_type(v, t.get<std::string>());
                }
            } else {
                ok = has_type(v, s["type"].get<std::string>());
            }
            if (!ok) {
                errors.push_back(at + ": expected type " + s["type"].dump() + ", got " + v.dump().substr(0, 80));
                return;
            }
        }
        if (s.contains("enum")) {
            bool found = false;
            for (const auto& e : s["enum"]) {
                found = found || e == v;
            }
            if (!found) {
                errors.push_back(at + ": " + v.dump() + " not in " + s["enum"].dump());
            }
        }
        if (v.is_number()) {
            if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>()) {
                errors.push_back(at + ": below minimum " + s["minimum"].dump());
            }
            if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>()) {
                errors.push_back(at + ": above maximum " + s["maximum"].dump());
            }
        }
        if (v.is_string()) {
            const std::string str = v.get<std::string>();
            if (s.contains("pattern") && !std::regex_search(str, std::regex(s["pattern"].get<std::string>()))) {
                errors.push_back(at + ": '" + str + "' does not match " + s["pattern"].get<std::string>());
            }
            if (s.contains("format")) {
                const std::string f = s["format"].get<std::string>();
                const bool bad_uri = (f == "uri" || f == "uri-reference") &&
                                     (str.find_first_of(" \"<>\\^`{|}") != std::string::npos ||
                                      (f == "uri" && !std::regex_search(str, std::regex("^[A-Za-z][A-Za-z0-9+.-]*:"))));
                if (bad_uri) {
                    errors.push_back(at + ": '" + str + "' is not a valid " + f);
                }
            }
        }
        if (v.is_array()) {
            if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>()) {
                errors.push_back(at + ": fewer than " + s["minItems"].dump() + " items");
            }
            if (s.contains("uniqueItems") && s["uniqueItems"].get<bool>()) {
                std::set<std::string> seen;
                for (const auto& item : v) {
                    if (!seen.insert(item.dump()).second) {
                        errors.push_back(at + ": duplicate item " + item.dump().substr(0, 80));
                    }
                }
            }
            if (s.contains("items")) {
                for (std::size_t i = 0; i < v.size(); ++i) {
                    check(v[i], s["items"], at + "[" + std::to_string(i) + "]", errors);
                }
            }
        }
        if (v.is_object()) {
            if (s.contains("required")) {
                for (const auto& r : s["required"]) {
                    if (!v.contains(r.get<std::string>())) {
                        errors.push_back(at + ": missing required '" + r.get<std::string>() + "'");
                    }
                }
            }
            const nlohmann::json* props = s.contains("properties") ? &s["properties"] : nullptr;
            for (const auto& [key, value] : v.items()) {
                if (props != nullptr && props->contains(key)) {
                    check(value, (*props)[key], at + "." + key, errors);
                } else if (s.contains("additionalProperties")) {
                    check(value, s["additionalProperties"], at + "." + key, errors);
                }
            }
        }
        if (s.contains("anyOf")) {
            bool any = false;
            for (const auto& sub : s["anyOf"]) {
                std::vector<std::string> e;
                check(v, sub, at, e);
                any = any || e.empty();
            }
            if (!any) {
                errors.push_back(at + ": matches none of anyOf");
            }
        }
        if (s.contains("oneOf")) {
            int matches = 0;
            for (const auto& sub : s["oneOf"]) {
                std::vector<std::string> e;
                check(v, sub, at, e);
                matches += e.empty() ? 1 : 0;
            }
            if (matches != 1) {
                errors.push_back(at + ": matches " + std::to_string(matches) + " of oneOf");
            }
        }
    }

    nlohmann::json m_root;
};

}  // namespace cq::test
