#include "analyzer/treesitter/treesitter_frontend.hpp"

#include <tree_sitter/api.h>

#include <array>
#include <atomic>
#include <memory>

#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/lowerer.hpp"
#include "analyzer/treesitter/testing.hpp"

namespace cq::treesitter {
namespace {

std::atomic<std::uint64_t> g_timeout_override{0};

// Parsers are reused per thread and language: creating one is cheap, but not free, and the
// engine analyzes many files per worker.
class ParserCache {
public:
    ParserCache() = default;
    ParserCache(const ParserCache&) = delete;
    ParserCache& operator=(const ParserCache&) = delete;
    ~ParserCache() {
        for (TSParser* p : m_parsers) {
            if (p != nullptr) {
                ts_parser_delete(p);
            }
        }
    }
    // A parser set to `spec`'s grammar, or nullptr if the grammar cannot be loaded.
    TSParser* get(const LanguageSpec& spec, std::size_t slot) {
        TSParser*& p = m_parsers[slot];
        if (p == nullptr) {
            p = ts_parser_new();
            if (p == nullptr || !ts_parser_set_language(p, spec.ts)) {
                if (p != nullptr) {
                    ts_parser_delete(p);
                }
                p = nullptr;
                return nullptr;
            }
        }
        ts_parser_reset(p);
        return p;
    }

private:
    std::array<TSParser*, 6> m_parsers{};
};

std::size_t slot_for(Language lang, Dialect dialect) {
    switch (lang) {
    case Language::python: return 0;
    case Language::javascript: return 1;
    case Language::typescript: return dialect == Dialect::tsx ? 3 : 2;
    case Language::c: return 4;
    case Language::cpp: return 5;
    }
    return 0;
}

struct TreeDeleter {
    void operator()(TSTree* t) const { ts_tree_delete(t); }
};

std::uint32_t count_lines(std::string_view s) {
    if (s.empty()) {
        return 0;
    }
    std::uint32_t n = 0;
    for (const char ch : s) {
        if (ch == '\n') {
            ++n;
        }
    }
    if (s.back() != '\n') {
        ++n;
    }
    return n;
}

// Generous for real code (tree-sitter parses megabytes per second), bounded for pathological
// input that sends error recovery into a spiral.
std::uint64_t timeout_for(std::size_t bytes) {
    const std::uint64_t forced = g_timeout_override.load(std::memory_order_relaxed);
    if (forced != 0) {
        return forced;
    }
    return 2'000'000u + static_cast<std::uint64_t>(bytes) * 5u;
}

void add_error(FileModel& m, std::string message) {
    Diagnostic d;
    d.level = DiagnosticLevel::error;
    d.message = std::move(message);
    m.diagnostics.push_back(std::move(d));
}

}  // namespace

void set_parse_timeout_for_testing(std::uint64_t micros) {
    g_timeout_override.store(micros, std::memory_order_relaxed);
}

FileModel analyze(std::string path, Language lang, std::string source, Dialect dialect) {
    FileModel m;
    m.path = std::move(path);
    m.language = lang;
    m.source = std::move(source);
    m.syntactic_only = is_c_family(lang);
    m.front_end = m.syntactic_only ? "tree-sitter (syntactic fallback)" : "tree-sitter";
    m.lines = count_lines(m.source);

    // .jsx uses the JavaScript grammar, which includes JSX
    const Dialect effective = lang == Language::typescript ? dialect : Dialect::standard;
    const LanguageSpec& spec = spec_for(lang, effective);
    if (spec.ts == nullptr) {
        add_error(m, "the tree-sitter grammar for " + std::string(language_name(lang)) +
                         " could not be loaded");
        return m;
    }
    if (m.source.size() >= (std::size_t{1} << 31)) {
        add_error(m, "file too large for the parser");
        return m;
    }
    thread_local ParserCache cache;
    TSParser* parser = cache.get(spec, slot_for(lang, effective));
    if (parser == nullptr) {
        add_error(m, "the tree-sitter grammar for " + std::string(language_name(lang)) +
                         " is incompatible with the tree-sitter library");
        return m;
    }
    ts_parser_set_timeout_micros(parser, timeout_for(m.source.size()));
    std::unique_ptr<TSTree, TreeDeleter> tree(ts_parser_parse_string(
        parser, nullptr, m.source.data(), static_cast<std::uint32_t>(m.source.size())));
    if (!tree) {
        ts_parser_reset(parser);  // a halted parse would otherwise resume on the next file
        add_error(m, "parsing did not finish within the time limit (" +
                         std::to_string(timeout_for(m.source.size()) / 1000) +
                         " ms); the file was not analyzed");
        return m;
    }
    Lowerer lowerer(spec, m, tree.get());
    lowerer.run();
    return m;
}

}  // namespace cq::treesitter
