// Hand-built control trees for the metrics tests: terse constructors for each ControlKind and a
// numbering pass that gives every node a distinct, source-ordered position.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/model/file_model.hpp"

namespace cq::test {

inline ControlNode make(ControlKind kind, std::vector<ControlNode> children = {},
                        std::uint32_t flags = 0) {
    ControlNode n;
    n.kind = kind;
    n.flags = flags;
    n.children = std::move(children);
    return n;
}

inline ControlNode if_(std::vector<ControlNode> c = {}) {
    return make(ControlKind::if_, std::move(c));
}
inline ControlNode else_if(std::vector<ControlNode> c = {}) {
    return make(ControlKind::else_if, std::move(c));
}
inline ControlNode else_(std::vector<ControlNode> c = {}) {
    return make(ControlKind::else_, std::move(c));
}
inline ControlNode loop(std::vector<ControlNode> c = {}) {
    return make(ControlKind::loop, std::move(c));
}
inline ControlNode switch_(std::vector<ControlNode> cases) {
    return make(ControlKind::switch_, std::move(cases));
}
inline ControlNode case_(std::vector<ControlNode> c = {}) {
    return make(ControlKind::case_, std::move(c));
}
inline ControlNode default_(std::vector<ControlNode> c = {}) {
    return make(ControlKind::case_, std::move(c), control_flag::k_default);
}
inline ControlNode catch_(std::vector<ControlNode> c = {}) {
    return make(ControlKind::catch_, std::move(c));
}
inline ControlNode ternary(std::vector<ControlNode> c = {}) {
    return make(ControlKind::ternary, std::move(c));
}
inline ControlNode run(std::uint16_t operators, std::uint16_t sequences,
                       std::vector<ControlNode> c = {}) {
    ControlNode n = make(ControlKind::logical_run, std::move(c));
    n.operators = operators;
    n.sequences = sequences;
    return n;
}
inline ControlNode labeled_jump() {
    return make(ControlKind::jump, {}, control_flag::k_labeled);
}
inline ControlNode goto_() {
    return make(ControlKind::jump, {}, control_flag::k_goto);
}
inline ControlNode recursion() {
    return make(ControlKind::recursion);
}
inline ControlNode nested(std::int32_t function) {
    ControlNode n = make(ControlKind::nested_function);
    n.function = function;
    return n;
}
inline ControlNode comp_for(std::vector<ControlNode> c = {}) {
    return make(ControlKind::loop, std::move(c), control_flag::k_comprehension);
}
inline ControlNode comp_if(std::vector<ControlNode> c = {}) {
    return make(ControlKind::if_, std::move(c), control_flag::k_comprehension);
}

inline Function function(std::string name, std::vector<ControlNode> control,
                         std::int32_t parent = -1) {
    Function f;
    f.name = name;
    f.qualified_name = std::move(name);
    f.parent = parent;
    f.control = std::move(control);
    return f;
}

// Gives every node of every function a distinct position, in source order: a nested function's
// nodes are numbered where its nested_function node stands, and each function's range spans its
// nodes. One "line" per node. Recursive: for the small trees of these tests only.
class Numbering {
public:
    explicit Numbering(FileModel& model) : m_model(model) {}

    void run() {
        m_done.assign(m_model.functions.size(), false);
        for (std::size_t i = 0; i < m_model.functions.size(); ++i) {
            if (!m_done[i]) {
                number_function(static_cast<std::int32_t>(i));
            }
        }
    }

private:
    Range next() {
        Range r;
        r.start_byte = m_pos;
        r.end_byte = m_pos + 2;
        r.start_line = r.end_line = m_line;
        r.start_column = 1;
        r.end_column = 3;
        m_pos += 10;
        m_line += 1;
        return r;
    }

    void number_function(std::int32_t index) {
        m_done[static_cast<std::size_t>(index)] = true;
        Function& fn = m_model.functions[static_cast<std::size_t>(index)];
        fn.name_range = next();
        fn.range = fn.name_range;
        for (ControlNode& n : fn.control) {
            number_node(n);
        }
        Range end = next();
        fn.range.end_byte = end.end_byte;
        fn.range.end_line = end.end_line;
        fn.body_range = fn.range;
    }

    void number_node(ControlNode& n) {
        n.range = next();
        if (n.kind == ControlKind::nested_function && n.function >= 0 &&
            static_cast<std::size_t>(n.function) < m_model.functions.size() &&
            !m_done[static_cast<std::size_t>(n.function)]) {
            number_function(n.function);
        }
        for (ControlNode& c : n.children) {
            number_node(c);
        }
    }

    FileModel& m_model;
    std::vector<bool> m_done;
    std::uint32_t m_pos = 0;
    std::uint32_t m_line = 1;
};

inline FileModel model_of(Language lang, std::vector<Function> functions) {
    FileModel m;
    m.language = lang;
    m.functions = std::move(functions);
    Numbering(m).run();
    return m;
}

}  // namespace cq::test
