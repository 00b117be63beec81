// A compact binary form of a FileModel (every field but the source) and of findings, for the
// incremental-scan cache: the per-file facts from which project rules are recomputed.
//
// Contract: decode(encode(x)) == x field by field. When a field is added to the model
// (analyzer/model/file_model.hpp) or to Finding, add it here and bump k_codec_version; the
// history unit tests check the struct sizes to catch a forgotten field.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"

namespace cq::history {

inline constexpr unsigned k_codec_version = 1;

std::string encode_model(const FileModel& model);
// Rebuilds the model and gives it `source`. Returns null when the bytes are not a model of this
// codec version (the cache then treats the entry as a miss).
std::unique_ptr<FileModel> decode_model(std::string_view bytes, std::string source);

// Findings without their fingerprints (the engine assigns those after every scan).
std::string encode_findings(const std::vector<Finding>& findings);
// False when the bytes are malformed.
bool decode_findings(std::string_view bytes, std::vector<Finding>& out);

}  // namespace cq::history
