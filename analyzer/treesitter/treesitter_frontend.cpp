#include "analyzer/treesitter/treesitter_frontend.hpp"

#include <tree_sitter/api.h>

#include <time.h>

#include <array>
#include <atomic>
#include <memory>
#include <string_view>

#include "analyzer/lexer/lexer.hpp"
#include "analyzer/treesitter/language_spec.hpp"
#include "analyzer/treesitter/lowerer.hpp"
#include "analyzer/treesitter/prescan.hpp"
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

// Generous for real code (tree-sitter parses megabytes per second), bounded for pathological
// input that sends error recovery into a spiral.
std::uint64_t timeout_for(std::size_t bytes) {
    const std::uint64_t forced = g_timeout_override.load(std::memory_order_relaxed);
    if (forced != 0) {
        return forced;
    }
    return 2'000'000u + static_cast<std::uint64_t>(bytes) * 5u;
}

std::uint64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

// Feeds the source to tree-sitter in chunks and watches the parse's progress. Real code parses
// at well under a microsecond per byte; error recovery on text that is not code in the grammar's
// language can cost tens of microseconds per byte and grow quadratically (a C file of
// `1, 2, 3, ...` runs for minutes). A parse that falls far behind its CPU budget per byte read is
// abandoned; the wall-clock timeout stays as the backstop for a parse that stops reading.
class ProgressInput {
public:
    ProgressInput(std::string_view src, std::size_t* cancel_flag)
        : m_src(src), m_cancel(cancel_flag), m_start(thread_cpu_ns()) {}

    TSInput input() {
        TSInput in{};
        in.payload = this;
        in.read = &ProgressInput::read;
        in.encoding = TSInputEncodingUTF8;
        return in;
    }
    bool abandoned() const { return m_abandoned; }

    static void set_rate_for_testing(std::uint64_t ns_per_byte) { s_test_rate = ns_per_byte; }

private:
    static constexpr std::uint32_t k_chunk = 16 * 1024;
    static constexpr std::uint64_t k_base_ns = 200'000'000;  // 200 ms of CPU before judging
    static constexpr std::uint64_t k_ns_per_byte = 2'500;    // ~10x real code's cost
    static inline std::atomic<std::uint64_t> s_test_rate{0};

    static const char* read(void* payload, std::uint32_t byte, TSPoint, std::uint32_t* bytes_read) {
        auto* self = static_cast<ProgressInput*>(payload);
        const std::string_view src = self->m_src;
        if (byte >= src.size()) {
            *bytes_read = 0;
            return "";
        }
        self->check(byte);
        std::uint32_t n = static_cast<std::uint32_t>(src.size()) - byte;
        if (n > k_chunk) {
            n = k_chunk;
            // end the chunk on a character boundary
            while (n > 1 && (static_cast<unsigned char>(src[byte + n]) & 0xC0) == 0x80) {
                --n;
            }
        }
        *bytes_read = n;
        return src.data() + byte;
    }

    void check(std::uint32_t byte) {
        if (byte > m_furthest) {
            m_furthest = byte;
        }
        const std::uint64_t forced = s_test_rate.load(std::memory_order_relaxed);
        const std::uint64_t base = forced != 0 ? 0 : k_base_ns;
        const std::uint64_t rate = forced != 0 ? forced : k_ns_per_byte;
        const std::uint64_t spent = thread_cpu_ns() - m_start;
        if (spent > base + rate * m_furthest) {
            m_abandoned = true;
            *m_cancel = 1;
        }
    }

    std::string_view m_src;
    std::size_t* m_cancel;
    std::uint64_t m_start;
    std::uint32_t m_furthest = 0;
    bool m_abandoned = false;
};

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

void set_parse_rate_limit_for_testing(std::uint64_t ns_per_byte) {
    ProgressInput::set_rate_for_testing(ns_per_byte);
}

// Parses `m.source` and lowers the tree into `m`, lexing just before lowering; on a parse that
// cannot run or finish, records why and returns false without lexing.
bool parse_and_lower(FileModel& m, Language lang, Dialect dialect) {
    // .jsx uses the JavaScript grammar, which includes JSX
    const Dialect effective = lang == Language::typescript ? dialect : Dialect::standard;
    const LanguageSpec& spec = spec_for(lang, effective);
    if (spec.ts == nullptr) {
        add_error(m, "the tree-sitter grammar for " + std::string(language_name(lang)) +
                         " could not be loaded");
        return false;
    }
    if (m.source.size() >= (std::size_t{1} << 31)) {
        add_error(m, "file too large for the parser");
        return false;
    }
    const std::string hazard = parse_hazard(m.source, lang);
    if (!hazard.empty()) {
        add_error(m, "not parsed: " + hazard +
                         ", which the tree-sitter library cannot parse safely; the file was not "
                         "analyzed");
        return false;
    }
    thread_local ParserCache cache;
    TSParser* parser = cache.get(spec, slot_for(lang, effective));
    if (parser == nullptr) {
        add_error(m, "the tree-sitter grammar for " + std::string(language_name(lang)) +
                         " is incompatible with the tree-sitter library");
        return false;
    }
    ts_parser_set_timeout_micros(parser, timeout_for(m.source.size()));
    std::size_t cancel = 0;
    ts_parser_set_cancellation_flag(parser, &cancel);
    ProgressInput progress(m.source, &cancel);
    std::unique_ptr<TSTree, TreeDeleter> tree(ts_parser_parse(parser, nullptr, progress.input()));
    ts_parser_set_cancellation_flag(parser, nullptr);
    if (!tree) {
        ts_parser_reset(parser);  // a halted parse would otherwise resume on the next file
        if (progress.abandoned()) {
            add_error(m, "parsing abandoned: error recovery made too little progress (the file "
                         "does not look like " + std::string(language_name(lang)) +
                         " source); the file was not analyzed");
        } else {
            add_error(m, "parsing did not finish within the time limit (" +
                             std::to_string(timeout_for(m.source.size()) / 1000) +
                             " ms); the file was not analyzed");
        }
        return false;
    }
    // Lexed once the parser's own working memory is released, before lowering reads tokens.
    lexer::lex(lang, m.source, m.tokens, m.comment_lines);
    Lowerer lowerer(spec, m, tree.get());
    lowerer.run();
    return true;
}

FileModel analyze(std::string path, Language lang, std::string source, Dialect dialect) {
    FileModel m;
    m.path = std::move(path);
    m.language = lang;
    m.source = std::move(source);
    m.syntactic_only = is_c_family(lang);
    m.front_end = m.syntactic_only ? "tree-sitter (syntactic fallback)" : "tree-sitter";
    m.lines = lexer::count_lines(m.source);
    // Tokens and comment lines come from the lexer, also for a file the parser cannot take.
    if (!parse_and_lower(m, lang, dialect)) {
        lexer::lex(lang, m.source, m.tokens, m.comment_lines);
    }
    return m;
}

}  // namespace cq::treesitter
