// The language-neutral facts that every rule reads. Front ends (analyzer/clang,
// analyzer/treesitter) fill a FileModel; nothing here knows about libclang or tree-sitter.
//
// Conventions (all front ends must follow them, rules rely on them):
//   - lines are 1-based; columns are 1-based byte offsets into the line (UTF-8 bytes);
//     end_column is exclusive (one past the last byte), so a one-byte token at column 5 is [5, 6).
//   - byte offsets (start_byte/end_byte) are 0-based into FileModel::source, end exclusive.
//   - indices into FileModel vectors are int32_t, with -1 meaning "none".
//   - every vector is ordered by source position (start_byte), except where noted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cq {

enum class Language : std::uint8_t { python, javascript, typescript, c, cpp };

// "python", "javascript", "typescript", "c", "cpp"
std::string_view language_name(Language lang);
// true for c and cpp
bool is_c_family(Language lang);
// true for javascript and typescript
bool is_js_family(Language lang);

struct Range {
    std::uint32_t start_line = 0;
    std::uint32_t start_column = 0;
    std::uint32_t end_line = 0;
    std::uint32_t end_column = 0;
    std::uint32_t start_byte = 0;
    std::uint32_t end_byte = 0;

    bool contains(const Range& other) const {
        return start_byte <= other.start_byte && other.end_byte <= end_byte;
    }
    bool contains_byte(std::uint32_t b) const { return start_byte <= b && b < end_byte; }
};

// ---------------------------------------------------------------------------------------------
// Control tree: the structure from which cyclomatic and cognitive complexity are computed once
// for all languages (analyzer/model/metrics.cpp).
//
// Shape rules the front ends follow:
//   - An `if` with else-branches is one If node; its `else if` / `elif` arms are ElseIf nodes and
//     its final `else` is an Else node, all *siblings that follow the If* in the same child list
//     (not children of it). Nodes that sit inside the condition or body of an arm are children of
//     that arm's node.
//   - A `switch` is a Switch node whose children are Case nodes (flag k_default for `default:`),
//     with the statements of each case as children of the Case. Python `match` is a Switch,
//     its `case` clauses Case nodes (`case _:` gets k_default).
//   - Loops: Loop node for for / for-in / for-of / for-await / while / do-while / range-for,
//     and for each `for` clause of a Python comprehension (flag k_comprehension). The `if` of a
//     comprehension is an If node with k_comprehension.
//   - Catch: one node per `catch` / `except` clause. `try`, `finally` and `with` make no node.
//   - Ternary: `a ? b : c`, Python `x if c else y`.
//   - LogicalRun: a maximal run of binary logical operators in one expression, as the cognitive
//     complexity paper defines: `a && b && c` is one run with operators=2, sequences=1;
//     `a && b || c` has operators=2, sequences=2. Python `and`/`or` count the same.
//     The node's range covers the whole expression. Operands that contain their own nested
//     expression (a call argument, a parenthesised group that is not part of the run) are
//     treated as separate runs, as children of the run node.
//   - Jump: `goto`, and `break` / `continue` with a label (flag k_labeled). Plain break and
//     continue make no node.
//   - NestedFunction: a function, lambda or arrow function defined inside this one; `function`
//     holds its index in FileModel::functions. Its own control tree lives on that Function;
//     the node has no children.
//   - Recursion: a call from the function to itself (by simple name or qualified name).
// ---------------------------------------------------------------------------------------------
enum class ControlKind : std::uint8_t {
    if_,
    else_if,
    else_,
    switch_,
    case_,
    loop,
    catch_,
    ternary,
    logical_run,
    jump,
    nested_function,
    recursion,
};

std::string_view control_kind_name(ControlKind kind);

namespace control_flag {
inline constexpr std::uint32_t k_default = 1u << 0;        // case: `default:` / `case _:`
inline constexpr std::uint32_t k_comprehension = 1u << 1;  // loop / if inside a comprehension
inline constexpr std::uint32_t k_labeled = 1u << 2;        // jump: break/continue with a label
inline constexpr std::uint32_t k_goto = 1u << 3;           // jump: goto
inline constexpr std::uint32_t k_do_while = 1u << 4;       // loop: do { } while
}  // namespace control_flag

struct ControlNode {
    ControlKind kind = ControlKind::if_;
    std::uint32_t flags = 0;
    // The location a finding points at: the keyword (`if`, `for`, `catch`, `?`, `&&`, the
    // function name of a recursive call). For logical_run the first operator.
    Range range;
    std::uint16_t operators = 0;  // logical_run: number of binary logical operators
    std::uint16_t sequences = 0;  // logical_run: number of runs of like operators
    std::int32_t function = -1;   // nested_function: index into FileModel::functions
    std::vector<ControlNode> children;
};

// One cognitive-complexity increment, kept so that a finding can show the user why.
struct ComplexityIncrement {
    Range range;
    std::uint16_t amount = 0;   // total added here (structural + nesting)
    std::uint16_t nesting = 0;  // the nesting part of amount
    ControlKind kind = ControlKind::if_;
};

struct Parameter {
    std::string name;
    Range range;
    bool has_default = false;
    bool variadic = false;  // *args, **kwargs, ...rest, C varargs
};

struct Function {
    std::string name;            // simple name; "<lambda>" / "<anonymous>" for unnamed ones
    std::string qualified_name;  // Class.method, outer.inner, ns::Class::method
    std::string class_name;      // enclosing class for methods, else empty
    Range range;                 // whole definition
    Range name_range;            // the name (or the `function` / `lambda` keyword / `=>`)
    Range body_range;            // the body (block or expression)
    std::vector<Parameter> params;
    std::vector<std::string> decorators;  // Python decorators as written, without '@'
    std::int32_t parent = -1;             // enclosing function, -1 at top level / class level
    bool is_async = false;
    bool is_generator = false;
    bool is_method = false;
    bool is_lambda = false;   // lambda, arrow function, anonymous function expression
    bool is_exported = false; // JS/TS export, Python module-level def, C non-static
    std::vector<ControlNode> control;

    // Filled by compute_metrics(); front ends leave them at zero.
    std::uint32_t cyclomatic = 0;
    std::uint32_t cognitive = 0;
    std::uint32_t nloc = 0;
    std::uint32_t max_nesting = 0;
    std::uint32_t param_count = 0;  // params.size(), kept when a compact model frees params
    std::vector<ComplexityIncrement> cognitive_increments;

    // The number of parameters, whether or not `params` was freed.
    std::size_t parameter_count() const { return params.empty() ? param_count : params.size(); }
};

enum class ArgKind : std::uint8_t {
    string_literal,     // a constant string ("x", 'x', r"x", `x` without substitutions)
    number_literal,
    bool_literal,       // true/false/True/False
    null_literal,       // None/null/undefined/nullptr/NULL
    interpolated,       // f-string with fields, template literal with ${}
    concatenation,      // + involving at least one string literal, or a Python % / .format()
    identifier,         // a plain name
    member,             // a.b.c
    call,               // the result of another call
    function,           // a lambda / arrow / function expression defined inline
    object,             // {…} literal, dict literal
    array,              // […] literal, list / tuple literal
    other,
};

struct Argument {
    ArgKind kind = ArgKind::other;
    std::string keyword;  // Python keyword argument name, else empty
    std::string text;     // source text, truncated to 200 bytes
    // For string_literal: the decoded value (quotes removed, truncated to 200 bytes).
    std::string value;
    std::int32_t function = -1;  // kind == function: index into FileModel::functions
    // For object literals: keys present at the top level ("WaitTimeSeconds", ...).
    std::vector<std::string> object_keys;
    Range range;
};

struct CallSite {
    std::string callee;    // as written, whitespace removed: "time.sleep", "this.client.send"
    std::string resolved;  // through imports/aliases: "time.sleep", "timers/promises.setTimeout",
                           // "std::this_thread::sleep_for"; equals callee when nothing resolves
    std::string name;      // last segment of the callee: "sleep", "send", "sleep_for"
    std::string receiver;  // text before the last '.', '->' or '::' ("this.client"), else empty
    std::vector<Argument> args;
    Range range;           // whole call expression
    Range callee_range;    // the callee expression
    std::int32_t function = -1;  // enclosing function, -1 for module level
    std::int32_t loop = -1;      // innermost enclosing loop in the same function
    std::uint16_t loop_depth = 0;  // loops around the call within the same function
    bool is_new = false;         // `new X(...)` / C++ `new X(...)`
    bool awaited = false;        // directly under `await`
    bool in_async = false;       // enclosing function is async
    bool in_handler = false;     // inside a catch / except block of the enclosing function
    bool in_loop_condition = false;  // in the test / update part of a loop header
};

enum class LoopKind : std::uint8_t {
    for_,        // C-style for(;;)
    for_each,    // for-in / for-of / Python for / C++ range-for
    for_await,   // for await (…) / async for
    while_,
    do_while,
    comprehension,
};

struct Loop {
    LoopKind kind = LoopKind::for_;
    Range range;          // whole loop
    Range header_range;   // keyword through the end of the header
    Range body_range;
    std::string target;     // iterated expression for for_each ("event.Records"), else empty
    std::vector<std::string> variables;  // loop variables (for x in ..., for (const r of ...))
    std::string condition;  // while / for condition text, truncated to 200 bytes
    std::int32_t function = -1;
    std::int32_t parent = -1;  // enclosing loop in the same function
    std::uint16_t depth = 1;   // 1 for an outermost loop
};

struct Await {
    Range range;
    std::int32_t function = -1;
    std::int32_t loop = -1;          // innermost enclosing loop in the same function
    std::int32_t call = -1;          // the awaited call site, if the operand is a call
    bool in_loop_condition = false;  // in the test / update part of a loop header
};

struct Assignment {
    std::string target;   // "self.client", "x", "obj.innerHTML", "const y"
    std::string value;    // source text of the value, truncated to 200 bytes
    ArgKind value_kind = ArgKind::other;
    Range range;
    std::int32_t function = -1;
    std::int32_t loop = -1;
    bool is_member = false;       // target is a member/attribute (a.b = ...)
    bool is_declaration = false;  // let/const/var/auto/int ... x = ...
    bool is_augmented = false;    // +=, -=, ...
};

struct StringLiteral {
    std::string value;  // decoded where simple, truncated to 4096 bytes
    Range range;
    std::int32_t function = -1;
    bool is_template = false;  // f-string / template literal with substitutions
};

struct Import {
    std::string module;  // "time", "asyncio", "timers/promises", "<unistd.h>", "std::this_thread"
    std::string name;    // imported name ("sleep"), empty for a whole-module import
    std::string alias;   // local name it binds ("sleep", "t", "setTimeout"); for a whole-module
                         // import the local module name
    Range range;
};

enum class TokenKind : std::uint8_t { identifier, keyword, literal, op };

struct Token {
    TokenKind kind = TokenKind::op;
    // Hash of the normalized text: identifiers all hash to one value and literals to another
    // (Type-2 clones), keywords and operators to their own text.
    std::uint32_t norm_hash = 0;
    std::uint32_t exact_hash = 0;  // hash of the exact text (Type-1 clones)
    std::uint32_t line = 0;
    std::uint32_t start_byte = 0;
    std::uint32_t end_byte = 0;
};

enum class DiagnosticLevel : std::uint8_t { note, warning, error };

struct Diagnostic {
    DiagnosticLevel level = DiagnosticLevel::note;
    std::uint32_t line = 0;  // 0 when not about a line
    std::uint32_t column = 0;
    std::string message;
};

struct FileModel {
    std::string path;  // relative to the scan root, '/' separators
    Language language = Language::python;
    std::string source;  // the file's bytes
    std::string front_end;  // "tree-sitter", "libclang", or "tree-sitter (syntactic fallback)"
    std::uint32_t lines = 0;
    std::uint32_t ncloc = 0;  // lines holding at least one token (comments/blank excluded)
    std::vector<Function> functions;  // in order of start position; parent before child
    std::vector<CallSite> calls;
    std::vector<Loop> loops;
    std::vector<Await> awaits;
    std::vector<Assignment> assignments;
    std::vector<StringLiteral> strings;
    std::vector<Import> imports;
    std::vector<Token> tokens;  // comments excluded
    std::vector<std::uint32_t> comment_lines;  // lines that hold a comment (sorted, unique)
    std::vector<Diagnostic> diagnostics;
    bool syntactic_only = false;  // C/C++ analyzed without compile flags

    // Index of the innermost function whose range contains `byte`, or -1.
    std::int32_t function_at(std::uint32_t byte) const;
    // The source text of a range (empty if out of bounds).
    std::string_view text(const Range& r) const;
    // 1-based line's text without its line terminator (empty if out of bounds).
    std::string_view line_text(std::uint32_t line) const;
};

}  // namespace cq
