#include "rules/support/complexity_support.hpp"

#include <algorithm>

namespace cq::complexity {

std::uint32_t threshold_option(const RuleContext& ctx, long long fallback) {
    const long long value = ctx.option_int("threshold", fallback);
    if (value < 0) {
        return 0;
    }
    return static_cast<std::uint32_t>(std::min<long long>(value, 0xFFFFFFFFLL));
}

std::string display_name(const Function& fn) {
    return fn.qualified_name.empty() ? fn.name : fn.qualified_name;
}

bool cognitive_reported_alone(const FileModel& file, const Function& fn) {
    if (is_js_family(file.language)) {
        return true;
    }
    return fn.parent < 0;
}

std::string increment_message(const ComplexityIncrement& inc) {
    std::string out = "+" + std::to_string(inc.amount);
    if (inc.nesting > 0) {
        out += " (incl. " + std::to_string(inc.nesting) + " for nesting)";
    }
    return out;
}

std::string structure_keyword(const FileModel& file, const ControlNode& node) {
    const std::string_view text = file.text(node.range);
    const bool plain = !text.empty() && text.size() <= 12 &&
                       std::all_of(text.begin(), text.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || c == ' ' || c == '_';
                       });
    if (!plain) {
        return std::string(control_kind_name(node.kind));
    }
    if (node.kind == ControlKind::else_if && text == "if") {
        return "else if";
    }
    return std::string(text);
}

bool opens_nesting_level(const ControlNode& node) {
    const bool comprehension = (node.flags & control_flag::k_comprehension) != 0;
    switch (node.kind) {
    case ControlKind::if_:
    case ControlKind::loop: return !comprehension;
    case ControlKind::switch_:
    case ControlKind::catch_: return true;
    default: return false;
    }
}

namespace {

// The chain of enclosing levels is a tree of links shared by all the nodes below it.
struct Link {
    const ControlNode* node;
    std::int32_t parent;
};

struct Item {
    const ControlNode* node;
    std::uint32_t depth;  // levels enclosing this node
    std::int32_t chain;   // innermost enclosing link, -1 for none
};

DeepStructure deep_structure(const ControlNode& n, std::uint32_t depth, std::int32_t chain,
                             const std::vector<Link>& links) {
    DeepStructure deep;
    deep.node = &n;
    deep.depth = depth;
    for (std::int32_t l = chain; l >= 0; l = links[static_cast<std::size_t>(l)].parent) {
        deep.enclosing.push_back(links[static_cast<std::size_t>(l)].node);
    }
    std::reverse(deep.enclosing.begin(), deep.enclosing.end());
    return deep;
}

void push_children(std::vector<Item>& stack, const ControlNode& n, std::uint32_t depth,
                   std::int32_t chain) {
    for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) {
        stack.push_back({&*it, depth, chain});
    }
}

}  // namespace

std::vector<DeepStructure> find_deep_structures(const Function& fn, std::uint32_t threshold) {
    std::vector<Link> links;
    std::vector<Item> stack;
    std::vector<DeepStructure> out;
    for (auto it = fn.control.rbegin(); it != fn.control.rend(); ++it) {
        stack.push_back({&*it, 0, -1});
    }
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        const ControlNode& n = *item.node;
        if (n.kind == ControlKind::nested_function) {
            continue;  // measured on its own
        }
        const bool arm = n.kind == ControlKind::else_if || n.kind == ControlKind::else_;
        if (!opens_nesting_level(n) && !arm) {
            push_children(stack, n, item.depth, item.chain);
            continue;
        }
        const std::uint32_t depth = item.depth + 1;
        if (depth > threshold) {
            // An arm over the limit belongs to an if that is over it too, and was reported.
            // Deeper structures inside a reported one are part of the same finding.
            if (!arm) {
                out.push_back(deep_structure(n, depth, item.chain, links));
            }
            continue;
        }
        links.push_back({&n, item.chain});
        push_children(stack, n, depth, static_cast<std::int32_t>(links.size() - 1));
    }
    return out;
}

}  // namespace cq::complexity
