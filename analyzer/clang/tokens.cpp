#include "analyzer/clang/tokens.hpp"

#include <string_view>

namespace cq::clangfe::detail {

void add_includes(const SourceMap& map, FileModel& m) {
    const std::int32_t n = map.token_count();
    for (std::int32_t i = 0; i + 1 < n; ++i) {
        const std::string_view directive = map.token_text(i);
        if (directive.empty() || directive[0] != '#') {
            continue;
        }
        std::string_view word = directive.substr(1);
        while (!word.empty() && (word.front() == ' ' || word.front() == '\t')) {
            word.remove_prefix(1);
        }
        if (word != "include" && word != "include_next" && word != "import") {
            continue;
        }
        const Token& head = map.token(i + 1);
        const std::string_view module = map.token_text(i + 1);
        if (head.line != map.token(i).line ||
            !(is_string_literal_token(module) || (module.size() > 2 && module.front() == '<' &&
                                                  module.back() == '>'))) {
            continue;  // #include MACRO
        }
        Import imp;
        imp.module = std::string(module);
        imp.range = map.range(map.token(i).start_byte, head.end_byte);
        m.imports.push_back(std::move(imp));
    }
}

}  // namespace cq::clangfe::detail
