#include "analyzer/treesitter/language_spec.hpp"

#include <cctype>
#include <cstring>
#include <string_view>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
}

namespace cq::treesitter {
namespace {

constexpr std::array<const char*, static_cast<std::size_t>(Field::count_)> k_field_names = {
    "name",       "body",        "condition", "consequence", "alternative", "left",
    "right",      "value",       "function",  "arguments",   "object",      "property",
    "attribute",  "declarator",  "parameters", "parameter",  "operator",    "key",
    "type",       "label",       "module_name", "source",    "initializer", "update",
    "increment",  "pattern",     "constructor", "argument",  "field",       "scope",
    "alias",      "path",        "kind",      "default_value", "captures",  "definition",
    "subject",
};

bool is_word_start(const char* name) {
    const auto c = static_cast<unsigned char>(name[0]);
    return std::isalpha(c) != 0 || c == '_' || c == '#';
}

TokenKind token_kind_for(Kind kind, bool named, const char* name) {
    switch (kind) {
    case Kind::identifier: return TokenKind::identifier;
    case Kind::number:
    case Kind::string:
    case Kind::string_piece:
    case Kind::regex:
    case Kind::char_lit:
    case Kind::template_string: return TokenKind::literal;
    default: break;
    }
    (void)named;
    return is_word_start(name) ? TokenKind::keyword : TokenKind::op;
}

void apply(LanguageSpec& spec, std::span<const NameKind> table) {
    const TSLanguage* ts = spec.ts;
    const std::uint32_t count = ts_language_symbol_count(ts);
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto sym = static_cast<TSSymbol>(i);
        const char* name = ts_language_symbol_name(ts, sym);
        if (name == nullptr) {
            continue;
        }
        const TSSymbolType type = ts_language_symbol_type(ts, sym);
        const bool named = type == TSSymbolTypeRegular;
        if (type == TSSymbolTypeAuxiliary) {
            continue;
        }
        for (const NameKind& nk : table) {
            if (nk.named == named && std::strcmp(nk.name, name) == 0) {
                spec.kinds[i] = nk.kind;
                break;
            }
        }
    }
}

LanguageSpec build(Language lang, const TSLanguage* ts, std::span<const NameKind> base,
                   std::span<const NameKind> extra, const char* separator) {
    LanguageSpec spec;
    spec.language = lang;
    spec.scope_separator = separator;
    if (ts == nullptr || ts_language_version(ts) < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION ||
        ts_language_version(ts) > TREE_SITTER_LANGUAGE_VERSION) {
        return spec;
    }
    spec.ts = ts;
    const std::uint32_t count = ts_language_symbol_count(ts);
    spec.kinds.assign(count, Kind::other);
    apply(spec, base);
    apply(spec, extra);
    spec.token_kinds.resize(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto sym = static_cast<TSSymbol>(i);
        const char* name = ts_language_symbol_name(ts, sym);
        const bool named = ts_language_symbol_type(ts, sym) == TSSymbolTypeRegular;
        spec.token_kinds[i] = token_kind_for(spec.kinds[i], named, name != nullptr ? name : "");
    }
    for (std::size_t f = 0; f < k_field_names.size(); ++f) {
        const char* fname = k_field_names[f];
        spec.fields[f] = ts_language_field_id_for_name(
            ts, fname, static_cast<std::uint32_t>(std::strlen(fname)));
    }
    return spec;
}

}  // namespace

const LanguageSpec& spec_for(Language lang, Dialect dialect) {
    switch (lang) {
    case Language::python: {
        static const LanguageSpec s =
            build(lang, tree_sitter_python(), python_kinds(), {}, ".");
        return s;
    }
    case Language::javascript: {
        static const LanguageSpec s =
            build(lang, tree_sitter_javascript(), javascript_kinds(), {}, ".");
        return s;
    }
    case Language::typescript: {
        if (dialect == Dialect::tsx) {
            static const LanguageSpec s =
                build(lang, tree_sitter_tsx(), javascript_kinds(), typescript_kinds(), ".");
            return s;
        }
        static const LanguageSpec s =
            build(lang, tree_sitter_typescript(), javascript_kinds(), typescript_kinds(), ".");
        return s;
    }
    case Language::c: {
        static const LanguageSpec s = build(lang, tree_sitter_c(), c_kinds(), {}, "::");
        return s;
    }
    case Language::cpp: {
        static const LanguageSpec s =
            build(lang, tree_sitter_cpp(), c_kinds(), cpp_kinds(), "::");
        return s;
    }
    }
    static const LanguageSpec none;
    return none;
}

}  // namespace cq::treesitter
