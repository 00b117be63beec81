// Helpers for the tree-sitter front-end tests: find facts by name and print control trees in a
// compact form that assertions can compare as one string.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "analyzer/treesitter/treesitter_frontend.hpp"

namespace cq::treesitter::test {

inline FileModel parse(Language lang, std::string src, Dialect dialect = Dialect::standard) {
    return analyze("test", lang, std::move(src), dialect);
}

// The function with this qualified name (or a dummy after recording a failure).
inline const Function& fn(const FileModel& m, std::string_view qualified) {
    for (const Function& f : m.functions) {
        if (f.qualified_name == qualified) {
            return f;
        }
    }
    ADD_FAILURE() << "no function " << qualified;
    static const Function none;
    return none;
}

inline std::int32_t fn_index(const FileModel& m, std::string_view qualified) {
    for (std::size_t i = 0; i < m.functions.size(); ++i) {
        if (m.functions[i].qualified_name == qualified) {
            return static_cast<std::int32_t>(i);
        }
    }
    return -1;
}

// The first call whose callee is written exactly so.
inline const CallSite& call(const FileModel& m, std::string_view callee) {
    for (const CallSite& c : m.calls) {
        if (c.callee == callee) {
            return c;
        }
    }
    ADD_FAILURE() << "no call " << callee;
    static const CallSite none;
    return none;
}

inline std::size_t count_calls(const FileModel& m, std::string_view callee) {
    std::size_t n = 0;
    for (const CallSite& c : m.calls) {
        n += c.callee == callee ? 1 : 0;
    }
    return n;
}

inline void shape_of(const std::vector<ControlNode>& nodes, std::string& out) {
    bool first = true;
    for (const ControlNode& n : nodes) {
        if (!first) {
            out += ' ';
        }
        first = false;
        switch (n.kind) {
        case ControlKind::if_: out += "if"; break;
        case ControlKind::else_if: out += "elif"; break;
        case ControlKind::else_: out += "else"; break;
        case ControlKind::switch_: out += "switch"; break;
        case ControlKind::case_: out += "case"; break;
        case ControlKind::loop: out += "loop"; break;
        case ControlKind::catch_: out += "catch"; break;
        case ControlKind::ternary: out += "ternary"; break;
        case ControlKind::logical_run:
            out += "run" + std::to_string(n.operators) + "/" + std::to_string(n.sequences);
            break;
        case ControlKind::jump: out += "jump"; break;
        case ControlKind::nested_function: out += "fn"; break;
        case ControlKind::recursion: out += "recursion"; break;
        }
        if ((n.flags & control_flag::k_default) != 0) {
            out += ":default";
        }
        if ((n.flags & control_flag::k_comprehension) != 0) {
            out += ":comp";
        }
        if ((n.flags & control_flag::k_labeled) != 0) {
            out += ":labeled";
        }
        if ((n.flags & control_flag::k_goto) != 0) {
            out += ":goto";
        }
        if ((n.flags & control_flag::k_do_while) != 0) {
            out += ":do";
        }
        if (!n.children.empty()) {
            out += '(';
            shape_of(n.children, out);
            out += ')';
        }
    }
}

// "if(run2/2) elif else(loop:comp if:comp)" and so on.
inline std::string shape(const Function& f) {
    std::string out;
    shape_of(f.control, out);
    return out;
}

inline bool has_diagnostic_at_line(const FileModel& m, std::uint32_t line) {
    for (const Diagnostic& d : m.diagnostics) {
        if (d.line == line && d.level == DiagnosticLevel::error) {
            return true;
        }
    }
    return false;
}

// Normalized hashes of the tokens whose lines lie in [from, to].
inline std::vector<std::uint32_t> norm_hashes(const FileModel& m, std::uint32_t from,
                                              std::uint32_t to) {
    std::vector<std::uint32_t> out;
    for (const Token& t : m.tokens) {
        if (t.line >= from && t.line <= to) {
            out.push_back(t.norm_hash);
        }
    }
    return out;
}

inline std::vector<std::uint32_t> exact_hashes(const FileModel& m, std::uint32_t from,
                                               std::uint32_t to) {
    std::vector<std::uint32_t> out;
    for (const Token& t : m.tokens) {
        if (t.line >= from && t.line <= to) {
            out.push_back(t.exact_hash);
        }
    }
    return out;
}

}  // namespace cq::treesitter::test
