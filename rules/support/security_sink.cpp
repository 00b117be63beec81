#include "rules/support/security_sink.hpp"

#include <array>

namespace cq::security {

Finding sink_finding(const Rule& rule, const RuleContext& ctx, const FileModel& file,
                     const Range& range, std::string message, const Fact& fact) {
    Finding f = make_finding(rule, ctx, file, range, std::move(message));
    if (fact.tainted) {
        f.severity = raise(f.severity);
        f.secondary = taint_secondaries(fact);
    }
    return f;
}

std::string describe_value(const Fact& fact) {
    if (fact.tainted) {
        return "untrusted input (" + fact.origin + ")";
    }
    return "a non-constant value";
}

std::vector<const FileModel*> files_in(const ProjectModel& project, std::uint32_t languages) {
    std::vector<const FileModel*> out;
    for (const FileModel* f : project.files) {
        if (f != nullptr && (language_bit(f->language) & languages) != 0) {
            out.push_back(f);
        }
    }
    return out;
}

std::string_view last_part(std::string_view path) {
    const auto dot = path.rfind('.');
    return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

bool looks_like_db_handle(std::string_view receiver) {
    if (receiver.empty()) {
        return false;
    }
    std::string_view last = last_part(receiver);
    const auto arrow = last.rfind('>');
    if (arrow != std::string_view::npos) {
        last = last.substr(arrow + 1);
    }
    const std::string l = lower(last);
    static const std::array<std::string_view, 24> k{
        "db", "database", "conn", "connection", "cursor", "cur", "session", "knex", "pool",
        "client", "sequelize", "prisma", "sql", "pg", "mysql", "sqlite", "tx", "trx",
        "transaction", "engine", "objects", "manager", "repository", "datasource"};
    for (std::string_view w : k) {
        if (l == w) {
            return true;
        }
    }
    return name_has_word(last, {"db", "database", "conn", "connection", "cursor", "session",
                                "pool", "client", "sql", "repository", "repo"});
}

}  // namespace cq::security
