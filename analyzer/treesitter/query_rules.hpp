// Custom rules as data: compile a tree-sitter query (S-expression with @captures) once, run it on
// source text. This header exposes no tree-sitter type, so rules/ and config/ can use it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "analyzer/treesitter/treesitter_frontend.hpp"

namespace cq::treesitter {

struct QueryCapture {
    std::string name;  // without the '@'
    Range range;       // lines 1-based, columns 1-based bytes, end exclusive (FileModel rules)
};

struct QueryMatch {
    std::uint32_t pattern = 0;  // index of the pattern in the query
    std::vector<QueryCapture> captures;  // in the order tree-sitter reports them
};

// Why a query does not compile: tree-sitter's error kind and where, in the query text.
struct QueryError {
    std::string kind;  // "syntax", "node type", "field", "capture", "structure", "language",
                       // "predicate"
    std::uint32_t offset = 0;  // byte offset into the query text
    std::uint32_t line = 1;    // 1-based line / column of `offset` in the query text
    std::uint32_t column = 1;
    std::string message;  // one line: "invalid node type 'fn_call' at 3:5"
};

class CompiledQuery {
public:
    ~CompiledQuery();
    CompiledQuery(const CompiledQuery&) = delete;
    CompiledQuery& operator=(const CompiledQuery&) = delete;

    // Compiles `query` for the grammar of `lang` (`dialect` tsx: the TSX grammar). Returns null
    // and fills `error` when it does not compile. Predicates other than #eq? / #not-eq? are
    // rejected (kind "predicate"): tree-sitter parses them but leaves evaluating them to the
    // caller, and a silently ignored predicate would make a rule match too much.
    static std::unique_ptr<CompiledQuery> compile(Language lang, Dialect dialect,
                                                  std::string_view query, QueryError& error);

    // Capture names in id order.
    const std::vector<std::string>& capture_names() const { return m_capture_names; }

    // Parses `source` with the query's grammar and returns up to `max_matches` matches that
    // satisfy the #eq? / #not-eq? predicates, in document order. `truncated` (optional) says
    // whether more were left out. Never throws on bad input; a parse that hits its time limit
    // returns no match. Thread-safe: parsers and cursors are per call / per thread. The parse
    // of the last source seen on a thread is kept, so several queries over one file parse it once.
    std::vector<QueryMatch> run(std::string_view source, std::size_t max_matches = 10000,
                                bool* truncated = nullptr) const;

    Language language() const { return m_language; }
    Dialect dialect() const { return m_dialect; }

private:
    struct Impl;
    explicit CompiledQuery(std::unique_ptr<Impl> impl, Language lang, Dialect dialect);
    std::unique_ptr<Impl> m_impl;
    std::vector<std::string> m_capture_names;
    Language m_language;
    Dialect m_dialect;
};

}  // namespace cq::treesitter
