// What the sink-style security rules (injection, deserialization, unsafe C functions, DOM XSS)
// share: the candidate-then-evaluate loop and the shape of a finding on a tainted flow.
#pragma once

#include <string>
#include <vector>

#include "rules/rule.hpp"
#include "rules/support/taint.hpp"

namespace cq::security {

// A finding at a sink. When `fact` is tainted, the severity goes one step up (major -> critical)
// and the path from the source to here becomes the secondary locations.
Finding sink_finding(const Rule& rule, const RuleContext& ctx, const FileModel& file,
                     const Range& range, std::string message, const Fact& fact);

// "untrusted input (request.args)" when tainted, else "a non-constant value".
std::string describe_value(const Fact& fact);

// The files of the project in one of `languages` (a lang_mask), in project order.
std::vector<const FileModel*> files_in(const ProjectModel& project, std::uint32_t languages);

// The suffix of a path after its last '.', or the whole path.
std::string_view last_part(std::string_view path);

// true when the last segment of a receiver reads like a database handle ("db", "conn",
// "cursor", "session", "knex", "pool", "client", "sequelize", "prisma", ...).
bool looks_like_db_handle(std::string_view receiver);

}  // namespace cq::security
