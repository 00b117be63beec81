// Helpers shared by the latency rules (rules/latency/*.cpp): text utilities over the model's
// source snippets, constant durations, loop classification, and facts about one call site that
// several rules need (is it a sleep, is it a deliberate backoff, is it per item of a loop).
// Everything here reads only the FileModel; nothing keeps state between calls.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"

namespace cq::latency {

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------
std::string to_lower(std::string_view s);
bool icontains(std::string_view haystack, std::string_view needle);
bool is_ident_char(char c);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string_view trim(std::string_view s);
// Whether `word` occurs in `text` delimited by non-identifier characters.
bool contains_word(std::string_view text, std::string_view word);

// The variables an expression reads, as dotted paths from their base identifier ("payload",
// "self.config", "event.Records"). Member names after '.', object keys (`k:`), keyword argument
// names (`k=`), string contents and language keywords are left out. A call inside the
// expression sets `has_call`; an f-string / template substitution sets `has_interpolation`.
struct ExprRefs {
    std::vector<std::string> paths;
    // Objects whose methods the expression calls: "self" for `self.full()`, "queue" for
    // `queue.empty()` (the called path without its last segment).
    std::vector<std::string> receivers;
    bool has_call = false;
    bool has_interpolation = false;
    bool has_await = false;
};
ExprRefs expression_refs(std::string_view expr);

// The names an assignment target binds or writes: "self.client" -> {"self.client"};
// "const { a, b: c }" -> {"a", "c"}; "char* sql" -> {"sql"}; "a, b" -> {"a", "b"};
// "x[i]" -> {"x"}.
std::vector<std::string> assigned_names(std::string_view target);

// A file's assignments grouped by the function they are in: [fn + 1] (0 is the module level)
// lists indices into file.assignments in file order; an assignment with an out-of-range
// function is in none. Lookups that would scan every assignment of a file for every call or
// loop read two of these lists instead.
using AssignmentsByFunction = std::vector<std::vector<std::uint32_t>>;
AssignmentsByFunction assignments_by_function(const FileModel& file);

// True when one dotted path is the other or a prefix of it at a '.' boundary.
bool paths_overlap(std::string_view a, std::string_view b);

// "await x" -> "x"; also strips a leading "yield" / "new" keyword and parentheses.
std::string_view strip_prefix_keywords(std::string_view expr);

// ---------------------------------------------------------------------------------------------
// Lines and comments
// ---------------------------------------------------------------------------------------------
// Line starts of a source, for O(log n) line lookups.
class LineIndex {
public:
    explicit LineIndex(std::string_view source);
    std::string_view line(std::uint32_t line_no) const;  // 1-based; empty when out of range
    std::uint32_t line_of(std::uint32_t byte) const;     // 1-based line holding `byte`
    std::uint32_t line_count() const { return static_cast<std::uint32_t>(m_starts.size()); }

private:
    std::string_view m_source;
    std::vector<std::uint32_t> m_starts;
};

// Whether a comment on `line` (or on the line just before it) matches one of the lower-case
// `words` (substring match). Only lines the front end marked as holding a comment count.
bool comment_mentions(const FileModel& file, const LineIndex& lines, std::uint32_t line,
                      const std::vector<std::string_view>& words);

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------
// Evaluates a constant duration expression in seconds: number literals (with `_`/`'` digit
// separators), + - * / ** and parentheses, C++ chrono literals (`50ms`, `1s`) and
// `std::chrono::milliseconds(50)`-style constructors, and names bound once at module scope to
// such a constant (`POLL_INTERVAL = 0.5`). `unit_seconds` scales a bare number (1 for Python
// seconds, 0.001 for JavaScript milliseconds). nullopt when anything is not constant.
std::optional<double> constant_seconds(const FileModel& file, std::string_view expr,
                                       double unit_seconds);

// "3 s", "50 ms", "1.5 s", "200 us".
std::string format_seconds(double seconds);

// ---------------------------------------------------------------------------------------------
// Model access
// ---------------------------------------------------------------------------------------------
const Function* function_ptr(const FileModel& file, std::int32_t index);
const Loop* loop_ptr(const FileModel& file, std::int32_t index);

// How a finding names a function: its qualified name; for an anonymous function the variable or
// property it is assigned to ("handler" for `exports.handler = async (event) => ...`), else
// "<anonymous>"; "<module>" for -1.
std::string function_label(const FileModel& file, std::int32_t index);
// The name a function is bound to: its own name, or the last segment of the assignment target
// it is the value of ("exports.handler" -> "handler"), or empty.
std::string bound_name(const FileModel& file, std::int32_t index);
// The assignment whose value is this (anonymous) function, or nullptr.
const Assignment* binding_assignment(const FileModel& file, std::int32_t index);

// The elements of a model vector (ordered by start, as FileModel's vectors are) that start
// inside `r`: [first, last) indices. Elements that start inside but end outside are included.
template <typename T>
std::pair<std::size_t, std::size_t> starting_in(const std::vector<T>& items, const Range& r) {
    auto by_start = [](const T& item, std::uint32_t b) { return item.range.start_byte < b; };
    const auto lo = std::lower_bound(items.begin(), items.end(), r.start_byte, by_start);
    const auto hi = std::lower_bound(lo, items.end(), r.end_byte, by_start);
    return {static_cast<std::size_t>(lo - items.begin()), static_cast<std::size_t>(hi - items.begin())};
}

// Loops around a range inside one function, innermost first (by Loop::parent).
std::vector<std::int32_t> loop_chain(const FileModel& file, std::int32_t innermost);

// Whether `r` is inside the loop's body or, for `for(;;)` / while / do-while, its test/update
// (the ESLint notion of "looped"). The iterable of a for-each and the init of a for are not.
bool is_looped(const Loop& loop, const Range& r, bool in_loop_condition);

// The innermost loop of `fn` (same function) whose body (or test/update) holds `r`, or -1.
std::int32_t looped_by(const FileModel& file, std::int32_t fn, const Range& r);

// A loop whose turns are not independent items: `while`, `do-while`, and a `for(;;)` with no
// condition (or a constant-true one). The outer consume / poll loop.
bool is_open_loop(const FileModel& file, const Loop& loop);

// A loop over items: for-each / for-of / for-in / for-await / comprehension, or a counted
// C-style `for` (condition and an increment update).
// `by_function` (assignments_by_function(file)) only makes it faster.
bool is_item_loop(const FileModel& file, const Loop& loop,
                  const AssignmentsByFunction* by_function = nullptr);

// A retry loop: its variables or condition talk about attempts / retries / tries, or its body
// catches an exception and leaves the loop (return / break) on success.
bool is_retry_loop(const FileModel& file, const Loop& loop);

// Whether the body of `loop` has a `return` or `break` that belongs to it (not inside a nested
// function). Textual: keywords outside strings and comments.
bool loop_has_early_exit(const FileModel& file, const Loop& loop);

// Whether the function's control tree has a catch / except clause located inside `r`.
bool has_catch_in(const FileModel& file, std::int32_t fn, const Range& r,
                  std::uint32_t before_byte = 0xFFFFFFFFu);

// Index of the call whose argument list holds `r` most tightly (same function), or -1.
std::int32_t enclosing_call(const FileModel& file, std::int32_t fn, const Range& r);

// Calls of `fn` (module level for -1) whose range lies inside `r`.
std::vector<std::int32_t> calls_in(const FileModel& file, std::int32_t fn, const Range& r);

// The outermost call of function `fn` inside `r` (the value of an assignment), or -1.
std::int32_t outermost_call_in(const FileModel& file, std::int32_t fn, const Range& r);

// The header text of the `if` / `elif` / `else if` blocks that enclose `byte` within its
// function, innermost first, plus the line itself when it is a one-line `if (...) stmt;`.
// Python by indentation, brace languages by braces. Approximate; used only for guards.
std::vector<std::string> enclosing_conditions(const FileModel& file, const LineIndex& lines,
                                              std::uint32_t byte);

// Whether the statement right after the one that holds `r` is `continue` (a poll that found
// nothing and goes round again).
bool followed_by_continue(const FileModel& file, const Range& r);

// The line the text before `r` on its line ends with `return` (the call's value is returned).
bool is_returned(const FileModel& file, const Range& r);

// True for paths of test code: test_*.py, *_test.py, *_test.go-like names, *.test.js/ts,
// *.spec.*, conftest.py, and files under tests/, test/, __tests__/ or spec/ directories.
bool is_test_path(std::string_view path);

// The same, plus the globs of the rule's `test-paths` option (filled from the config's
// `paths.tests`): the test files a latency rule leaves alone unless `include-tests` is set.
bool is_test_file(const RuleContext& ctx, std::string_view path);

// The `test-paths` option every rule that skips test files declares.
RuleOption test_paths_option();

// Parses a boolean rule option ("true"/"false"/"1"/"0"/"yes"/"no"). Throws std::invalid_argument
// naming the option for anything else.
bool option_bool(const RuleContext& ctx, const std::string& name, bool fallback);

// A secondary location in `file`.
SecondaryLocation secondary(const FileModel& file, const Range& r, std::string message);

}  // namespace cq::latency
