// TypeScript and TSX (tree-sitter-typescript 0.23): the node names TypeScript adds to the
// JavaScript table. The lowering hooks are the JavaScript ones (languages/javascript.cpp), which
// also understand TypeScript parameters (required_parameter, optional_parameter, `this`) and
// `import x = require('m')`.
#include <array>

#include "analyzer/treesitter/language_spec.hpp"

namespace cq::treesitter {

namespace {
constexpr std::array k_typescript = {
    NameKind{"type_identifier", true, Kind::identifier},
    NameKind{"abstract_class_declaration", true, Kind::class_def},
    NameKind{"public_field_definition", true, Kind::field_def},
    NameKind{"as_expression", true, Kind::wrapper},
    NameKind{"non_null_expression", true, Kind::wrapper},
    NameKind{"satisfies_expression", true, Kind::wrapper},
    NameKind{"internal_module", true, Kind::namespace_def},
    NameKind{"module", true, Kind::namespace_def},
};
}  // namespace

std::span<const NameKind> typescript_kinds() { return k_typescript; }

}  // namespace cq::treesitter
