#include "tests/fuzz/entry_points.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "analyzer/engine/engine.hpp"
#include "analyzer/lexer/lexer.hpp"
#include "analyzer/treesitter/query_rules.hpp"
#include "config/config.hpp"

namespace cq::fuzz {

namespace {

// Parses and lowers the input, computes metrics, and runs every built-in rule over it.
void front_end(const std::string& path, const std::uint8_t* data, std::size_t size,
               const std::vector<std::string>* clang_args) {
    const std::string source(reinterpret_cast<const char*>(data), size);
    const SingleFileResult r = analyze_source(path, source, RuleSelection{}, clang_args);
    for (const auto& e : r.internal_errors) {
        // a rule that throws is caught and reported by the engine; in the fuzzer it is a bug
        std::fprintf(stderr, "internal error in %s: %s\n", e.rule.c_str(), e.message.c_str());
        std::abort();
    }
}


// The lexer alone, many times faster than a front-end target, with the invariants every consumer
// of the token stream relies on: tokens non-empty, in bounds, in order and disjoint; each token's
// line exactly the line of its first byte; comment lines sorted and unique; no more code lines
// than lines. A violation aborts (a crash for libFuzzer).
void lex_checked(Language lang, const std::uint8_t* data, std::size_t size) {
    const std::string_view src(reinterpret_cast<const char*>(data), size);
    std::vector<Token> tokens;
    std::vector<std::uint32_t> comment_lines;
    lexer::lex(lang, src, tokens, comment_lines);
    const auto fail = [&](const char* what, std::size_t i) {
        std::fprintf(stderr, "lexer invariant broken: %s (token %zu)\n", what, i);
        std::abort();
    };
    std::uint32_t end = 0;
    std::uint32_t line = 1;
    std::size_t line_pos = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.start_byte < end || t.start_byte >= t.end_byte || t.end_byte > size) {
            fail("token out of order, empty or out of bounds", i);
        }
        line += static_cast<std::uint32_t>(std::count(src.begin() + static_cast<std::ptrdiff_t>(line_pos),
                                                      src.begin() + t.start_byte, '\n'));
        line_pos = t.start_byte;
        if (t.line != line) {
            fail("token line is not the line of its first byte", i);
        }
        if (t.kind == TokenKind::literal) {
            (void)lexer::decode_string_literal(src.substr(t.start_byte, t.end_byte - t.start_byte), lang);
        }
        end = t.end_byte;
    }
    if (!std::is_sorted(comment_lines.begin(), comment_lines.end()) ||
        std::adjacent_find(comment_lines.begin(), comment_lines.end()) != comment_lines.end()) {
        fail("comment lines not sorted and unique", 0);
    }
    if (lexer::code_lines(tokens) > lexer::count_lines(src)) {
        fail("more code lines than lines", 0);
    }
}

}  // namespace

const std::vector<std::string>& target_names() {
    static const std::vector<std::string> k = {"treesitter-python", "treesitter-javascript", "treesitter-typescript",
                                               "treesitter-tsx",    "treesitter-c",          "treesitter-cpp",
                                               "clang-c",           "clang-cpp",             "config",
                                               "custom-rule",       "lexer-python",          "lexer-javascript",
                                               "lexer-typescript",  "lexer-c",               "lexer-cpp"};
    return k;
}

int run_target(const std::string& target, const std::uint8_t* data, std::size_t size) {
    if (target == "treesitter-python") {
        front_end("fuzz.py", data, size, nullptr);
    } else if (target == "treesitter-javascript") {
        front_end("fuzz.js", data, size, nullptr);
    } else if (target == "treesitter-typescript") {
        front_end("fuzz.ts", data, size, nullptr);
    } else if (target == "treesitter-tsx") {
        front_end("fuzz.tsx", data, size, nullptr);
    } else if (target == "treesitter-c") {
        front_end("fuzz.c", data, size, nullptr);
    } else if (target == "treesitter-cpp") {
        front_end("fuzz.cpp", data, size, nullptr);
    } else if (target == "clang-c") {
        static const std::vector<std::string> args = {"-x", "c", "-std=c11"};
        front_end("fuzz.c", data, size, &args);
    } else if (target == "clang-cpp") {
        static const std::vector<std::string> args = {"-x", "c++", "-std=c++17"};
        front_end("fuzz.cpp", data, size, &args);
    } else if (target == "lexer-python") {
        lex_checked(Language::python, data, size);
    } else if (target == "lexer-javascript") {
        lex_checked(Language::javascript, data, size);
    } else if (target == "lexer-typescript") {
        lex_checked(Language::typescript, data, size);
    } else if (target == "lexer-c") {
        lex_checked(Language::c, data, size);
    } else if (target == "lexer-cpp") {
        lex_checked(Language::cpp, data, size);
    } else if (target == "config") {
        try {
            (void)config::parse_config(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
        } catch (const config::ConfigError&) {
        }
    } else if (target == "custom-rule") {
        // Half the inputs are whole rule files, the other half raw queries run over a snippet.
        if (size > 0 && (data[0] & 1) == 0) {
            try {
                (void)config::check_custom_rules(
                    std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.yaml");
            } catch (const config::ConfigError&) {
            }
        } else if (size > 0) {
            treesitter::QueryError err;
            const std::string_view q(reinterpret_cast<const char*>(data) + 1, size - 1);
            const Language lang = static_cast<Language>((data[0] >> 1) % 5);
            if (auto query = treesitter::CompiledQuery::compile(lang, treesitter::Dialect::standard, q, err)) {
                static const char* k_snippets[] = {"def f(a):\n    return g(a, [1, 'x'])\n",
                                                   "function f(a) { return g(a, [1, 'x']); }\n",
                                                   "function f(a: number) { return g(a, [1, 'x']); }\n",
                                                   "int f(int a) { return g(a, \"x\"); }\n",
                                                   "int f(int a) { return g<int>(a, \"x\"); }\n"};
                (void)query->run(k_snippets[static_cast<int>(lang)]);
            }
        }
    } else {
        throw std::invalid_argument("unknown fuzz target " + target);
    }
    return 0;
}

}  // namespace cq::fuzz
