// Small RAII helpers around the libclang C API, private to analyzer/clang.
#pragma once

#include "analyzer/clang/cx_api.hpp"

#include <string>

namespace cq::clangfe::detail {

// Takes ownership of a CXString and returns its text (empty for a null string).
inline std::string take(CXString s) {
    const char* c = clang_getCString(s);
    std::string out = c != nullptr ? c : "";
    clang_disposeString(s);
    return out;
}

inline std::string spelling(CXCursor c) { return take(clang_getCursorSpelling(c)); }

inline bool is_null(CXCursor c) {
    return clang_Cursor_isNull(c) != 0 || clang_isInvalid(clang_getCursorKind(c)) != 0;
}

// Owns a CXIndex for the duration of one analysis (one per call keeps analyze() thread-safe).
class IndexHandle {
public:
    IndexHandle() : m_index(clang_createIndex(0, 0)) {}
    ~IndexHandle() {
        if (m_index != nullptr) {
            clang_disposeIndex(m_index);
        }
    }
    IndexHandle(const IndexHandle&) = delete;
    IndexHandle& operator=(const IndexHandle&) = delete;
    CXIndex get() const { return m_index; }

private:
    CXIndex m_index;
};

class TranslationUnitHandle {
public:
    TranslationUnitHandle() = default;
    ~TranslationUnitHandle() {
        if (m_tu != nullptr) {
            clang_disposeTranslationUnit(m_tu);
        }
    }
    TranslationUnitHandle(const TranslationUnitHandle&) = delete;
    TranslationUnitHandle& operator=(const TranslationUnitHandle&) = delete;
    CXTranslationUnit* out() { return &m_tu; }
    CXTranslationUnit get() const { return m_tu; }

private:
    CXTranslationUnit m_tu = nullptr;
};

class TokensHandle {
public:
    explicit TokensHandle(CXTranslationUnit tu) : m_tu(tu) {}
    ~TokensHandle() {
        if (m_tokens != nullptr) {
            clang_disposeTokens(m_tu, m_tokens, m_count);
        }
    }
    TokensHandle(const TokensHandle&) = delete;
    TokensHandle& operator=(const TokensHandle&) = delete;
    CXToken** tokens_out() { return &m_tokens; }
    unsigned* count_out() { return &m_count; }
    CXToken* data() const { return m_tokens; }
    unsigned size() const { return m_count; }

private:
    CXTranslationUnit m_tu;
    CXToken* m_tokens = nullptr;
    unsigned m_count = 0;
};

}  // namespace cq::clangfe::detail
