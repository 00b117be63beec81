// Internal to analyzer/treesitter: how one tree-sitter grammar maps onto the neutral roles that
// the shared lowering understands. Each grammar lists its node names once (languages/*.cpp); the
// names are resolved to symbol ids when the grammar is first used, so the hot loop compares small
// integers and never strings.
#pragma once

#include <tree_sitter/api.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "analyzer/treesitter/treesitter_frontend.hpp"

namespace cq::treesitter {

// The role a node plays for the lowering. Several grammars map different names onto one role
// (Python `call`, JS `call_expression`, C `call_expression` are all Kind::call).
enum class Kind : std::uint8_t {
    other = 0,
    error,
    comment,
    skip_leaf,  // no token (Python line continuation)

    // leaves and literals
    identifier,
    number,
    string,            // a whole string literal (children are skipped unless interpolated)
    template_string,   // JS template literal
    string_piece,      // string content / escape / fragment: one literal token
    regex,
    char_lit,
    concatenated_string,
    true_lit,
    false_lit,
    null_lit,
    this_lit,
    import_callee,     // JS `import` in `import('m')`

    // anonymous tokens the lowering looks at
    op_logical_and,    // && and `and`
    op_logical_or,     // || and `or`
    op_plus,
    op_percent,
    op_question,
    op_star,
    op_arrow,          // =>
    kw_async,
    kw_await,
    kw_if,
    kw_else,
    kw_function,
    kw_default,
    kw_static,
    kw_namespace,

    // functions and scopes
    function_decl,     // def / function declaration / C function definition
    function_expr,     // JS function expression (optionally named)
    arrow,             // JS arrow function
    lambda,            // Python lambda, C++ lambda expression
    method,            // JS method definition
    class_def,
    class_body,
    namespace_def,
    decorated_def,
    decorator,
    block_scope,       // C++ block that scopes `using` declarations

    // control flow
    if_stmt,
    else_clause,
    elif_clause,
    switch_stmt,
    switch_case,       // JS switch_case / C case_statement (default detected by keyword)
    switch_default,
    match_stmt,
    case_clause,       // Python `case`
    for_c,
    for_each,
    while_stmt,
    do_stmt,
    try_stmt,
    catch_clause,
    ternary,
    binary,
    bool_op,           // Python boolean_operator
    break_stmt,
    continue_stmt,
    goto_stmt,
    comprehension,
    comp_for,
    comp_if,

    // expressions and statements
    call,
    new_expr,
    await_expr,
    yield_expr,
    assignment,
    aug_assignment,
    var_declarator,    // JS variable_declarator
    init_declarator,   // C/C++ init_declarator
    lexical_decl,      // JS let/const/var declaration
    declaration,       // C/C++ declaration
    field_def,         // JS/TS class field
    member,            // a.b / a->b
    qualified_id,      // C++ a::b
    template_fn,       // C++ f<T>
    subscript,
    wrapper,           // parenthesized / `as` / non-null: look through to the first named child
    object_lit,
    array_lit,
    pair,
    keyword_argument,
    unary,
    interpolation,     // Python f-string field
    template_substitution,
    argument_list,
    storage_class,

    // imports
    import_stmt,       // Python import
    import_from,       // Python from-import
    es_import,         // JS/TS import statement
    import_require,    // TS import x = require('m')
    export_stmt,
    export_clause,
    include,           // #include
    using_decl,        // C++ using (namespace)
    namespace_alias,   // C++ namespace a = b;

    count_
};

// Field names the lowering asks for; resolved per grammar (0 when a grammar lacks one).
enum class Field : std::uint8_t {
    name,
    body,
    condition,
    consequence,
    alternative,
    left,
    right,
    value,
    function,
    arguments,
    object,
    property,
    attribute,
    declarator,
    parameters,
    parameter,
    operator_,
    key,
    type,
    label,
    module_name,
    source,
    initializer,
    update,
    increment,
    pattern,
    constructor,
    argument,
    field,
    scope,
    alias,
    path,
    kind,
    default_value,
    captures,
    definition,
    subject,
    count_
};

struct NameKind {
    const char* name;
    bool named;
    Kind kind;
};

struct LanguageSpec {
    Language language = Language::python;
    const TSLanguage* ts = nullptr;
    std::vector<Kind> kinds;            // by symbol id
    std::vector<TokenKind> token_kinds; // by symbol id, for leaves
    std::array<TSFieldId, static_cast<std::size_t>(Field::count_)> fields{};
    const char* scope_separator = ".";

    Kind kind(TSSymbol s) const {
        if (s < kinds.size()) {
            return kinds[s];
        }
        return s == static_cast<TSSymbol>(-1) ? Kind::error : Kind::other;
    }
    TokenKind token_kind(TSSymbol s) const {
        return s < token_kinds.size() ? token_kinds[s] : TokenKind::op;
    }
    TSFieldId field(Field f) const { return fields[static_cast<std::size_t>(f)]; }
};

// The node tables of each grammar (analyzer/treesitter/languages/*.cpp).
std::span<const NameKind> python_kinds();
std::span<const NameKind> javascript_kinds();
std::span<const NameKind> typescript_kinds();  // in addition to the JavaScript ones
std::span<const NameKind> c_kinds();
std::span<const NameKind> cpp_kinds();         // in addition to the C ones

// The resolved spec for a language and dialect; built once, thread-safe, never null. Returns a
// spec with ts == nullptr only if the grammar cannot be loaded (never with the bundled ones).
const LanguageSpec& spec_for(Language lang, Dialect dialect);

}  // namespace cq::treesitter
