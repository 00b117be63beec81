// Tree-sitter front end: Python, JavaScript, TypeScript (and TSX), and C/C++ when no compile
// command is known (the syntactic fallback). The only place besides analyzer/treesitter/*.cpp
// that may see tree-sitter headers is nowhere: this header exposes none.
//
// How this front end fills the model where file_model.hpp leaves a choice (the metrics and the
// rules rely on these):
//
//   Control tree, all languages
//     - if / else-if / else are siblings; an else-if or else node is placed in the list that
//       holds its `if`. JS/C/C++ `else if` is one else_if node whose range runs from `else` to
//       `if`; Python `elif` points at `elif`. Only `else if` is an else-if: `else { if ... }` is an
//       else holding an if.
//     - Python `else` of for / while / try makes no node; what it contains goes to the list that
//       holds the loop (it runs after the loop, outside it). `finally`, `try`, `with` make none.
//     - switch: Switch node (range: the keyword); its children are the Case nodes, plus control
//       nodes inside the switch subject. Each case holds its own statements; an empty case (fall
//       through) has no children. C/C++ `default:` and JS `default:` get k_default; Python
//       `case _:` gets k_default only without a guard, and a guard (`case x if y`) makes no node.
//     - Loops (range: the `for` / `while` / `do` keyword; Python `async for` points at `for`):
//       every part of the loop statement (header and body) is a child of the Loop node.
//     - Logical runs: range is the first operator of the run (the ControlNode::range contract).
//       The binary operators directly chained without parentheses form one run; a parenthesized
//       group, a `not`/`!` operand, a call argument or any other sub-expression starts a new run,
//       which is a child of the enclosing run. Only `&&`/`||` (JS/TS/C/C++), `and`/`or` (Python,
//       C++ alternative tokens) count; `??` does not.
//     - Ternary: range is `?` (Python: the `if` of `x if c else y`); both branches and the
//       condition are its children.
//     - Comprehensions (Python): each `for` clause is a Loop node with k_comprehension and each
//       `if` clause an If node with k_comprehension, all *siblings* in the list that holds the
//       comprehension (they are not nested in each other); control nodes inside a clause are its
//       children, control nodes of the element expression stay at the comprehension's level.
//     - Jumps: `goto` (k_goto) and labeled `break`/`continue` (k_labeled) only.
//     - Recursion: a call whose callee is the function's own name or qualified name; in Python and
//       JS/TS methods through `self.` / `this.` / `cls.` (a bare name there is another function),
//       in C++ methods a bare name or `this->name`. Range: the called name.
//     - Control nodes nest at most Lowerer::k_max_control_depth (200) levels; deeper ones are
//       attached at that depth and a warning diagnostic says so.
//     - Module-level code has no control tree (there is no Function to hold it).
//
//   Functions
//     - Python: range is the `def` (decorators excluded; they are in `decorators`). A lambda
//       bound by `name = lambda ...` is named `name`, else "<lambda>". is_exported: module-level
//       def (not methods). Parameters include `self`; `*args`/`**kwargs` are variadic.
//     - JS/TS: anonymous functions take the name of the variable, property, pair key or class
//       field they are assigned to, else "<anonymous>". is_method for methods and class fields
//       holding functions. is_exported: `export`, `exports.x =`, `module.exports(.x) =`,
//       `module.exports = { ... }` members, and names listed by `export { }` or assigned to
//       module.exports. TS signatures without a body are not functions; a TS `this` parameter
//       is not a parameter; optional parameters count as having a default.
//     - C/C++: out-of-line `ns::A::f` has class_name `A` and is_method (syntactically, the last
//       scope is taken for a class); lambdas are named after `auto name = [..]`, else
//       "<lambda>"; is_exported unless `static` (methods always). qualified names use "::".
//
//   Calls and loops
//     - A loop's iterable (for-each `right`) and a C-style initializer are evaluated outside
//       the loop: calls there have the enclosing loop, not this one. Conditions and updates are
//       inside it with in_loop_condition. Comprehension element and clauses are inside the
//       comprehension loops (a clause's iterable inside the previous clause's loop).
//     - resolved: Python/JS `head.rest` with `head` bound by an import/require resolves to
//       `target.rest`; default imports bind the module itself (`import axios from 'axios'`:
//       axios.get -> "axios.get"); `require('m').f()` resolves to "m.f"; relative Python imports
//       keep their dots (".events.f"). C++: namespace aliases and using-declarations always;
//       using-directives for std::this_thread members, `this_thread::` etc. under
//       `using namespace std`, and any name under exactly one non-std directive, unless the
//       file defines a free function of that name. C: resolved equals callee.
#pragma once

#include <string>

#include "analyzer/model/file_model.hpp"

namespace cq::treesitter {

enum class Dialect : unsigned char { standard, tsx };  // tsx: .tsx files (and .jsx via JS grammar)

// Parses `source` and lowers it to a FileModel (functions with their control trees, calls,
// loops, awaits, assignments, strings, imports, tokens, comment lines, diagnostics). Syntax
// errors never throw: tree-sitter recovers, the rest of the file is still lowered and each
// ERROR / MISSING node yields a Diagnostic with its line. Metrics are not computed here (the
// engine calls compute_metrics). For C/C++ the model is marked syntactic_only and front_end is
// "tree-sitter (syntactic fallback)". Deeply nested input must not overflow the stack: walks
// are iterative or depth-bounded. Three kinds of input yield a model with one error diagnostic
// and no facts: text that would crash libtree-sitter 0.20.7 (see prescan.hpp: 65,536 pending
// subtrees, e.g. tens of thousands of unclosed brackets), a parse whose error recovery costs
// ~10x more CPU per byte than real code, and a parse past its wall-clock limit (2 s plus 5 µs
// per byte). Thread-safe: parsers are per thread.
FileModel analyze(std::string path, Language lang, std::string source,
                  Dialect dialect = Dialect::standard);

}  // namespace cq::treesitter
