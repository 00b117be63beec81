// PLACEHOLDER: replaced by the metrics implementation.
#include "analyzer/model/metrics.hpp"

#include <set>

namespace cq {
std::uint32_t count_ncloc(const FileModel& model) {
    std::set<std::uint32_t> lines;
    for (const auto& t : model.tokens) {
        lines.insert(t.line);
    }
    return static_cast<std::uint32_t>(lines.size());
}
void compute_metrics(FileModel& model) { model.ncloc = count_ncloc(model); }
}  // namespace cq
