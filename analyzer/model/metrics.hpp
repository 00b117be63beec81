// Complexity metrics computed once, from the control tree, for every language.
#pragma once

#include "analyzer/model/file_model.hpp"

namespace cq {

// Fills cyclomatic, cognitive, cognitive_increments, max_nesting and nloc of every function of
// `model`. nloc counts the distinct lines of `model.tokens` inside the function's range (nested
// functions included). Never throws on a well-formed model.
void compute_metrics(FileModel& model);

// ncloc of the whole file from its tokens (distinct token lines). Also recomputed by
// compute_metrics into model.ncloc.
std::uint32_t count_ncloc(const FileModel& model);

}  // namespace cq
