// The rule catalogue. Rules register themselves at static-initialization time; the rules
// library is linked as an object library so that no registration is dropped by the linker.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace cq {

class Registry {
public:
    static Registry& instance();

    void add(std::unique_ptr<Rule> rule);
    // Removes the rule with this id (not an alias); false when there is none. For rules added at
    // run time (custom rules loaded from configuration), before or after a scan, never during one.
    bool remove(std::string_view id);
    // All rules sorted by id.
    std::vector<const Rule*> rules() const;
    // By id or alias; nullptr when unknown.
    const Rule* find(std::string_view id) const;

private:
    std::vector<std::unique_ptr<Rule>> m_rules;
};

template <typename T>
struct RuleRegistrar {
    RuleRegistrar() { Registry::instance().add(std::make_unique<T>()); }
};

}  // namespace cq

#define CQ_CONCAT_INNER(a, b) a##b
#define CQ_CONCAT(a, b) CQ_CONCAT_INNER(a, b)
// Registers a rule class; use once at namespace scope at the bottom of the rule's file.
#define CQ_REGISTER_RULE(T) \
    static const ::cq::RuleRegistrar<T> CQ_CONCAT(k_cq_rule_registrar_, __LINE__) {}
