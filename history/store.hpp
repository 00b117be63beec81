// The history database: every scan with its branch, commit, files, issues and metrics, plus the
// incremental-scan cache, in one SQLite file (default `.cq/history.db` under the scan root).
//
// Guarantees: WAL mode and a busy timeout, so scans running at once all land; one transaction
// per scan, so a scan killed at any point leaves the database as it was; a schema version with
// numbered migrations (migration_sql()), applied on open. A file that is not a cq history
// database is never modified: opening it throws UsageError (exit 2) with the reason.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/engine.hpp"
#include "history/sqlite_db.hpp"

namespace cq::history {

class SqliteFileCache;

// 'cqH1' in the SQLite header's application id: how cq recognizes its own databases.
inline constexpr std::int32_t k_application_id = 0x63714831;

// The SQL of each migration, oldest first: migration N (1-based) brings the schema from
// version N-1 to N. Never edit a released migration; append a new one.
const std::vector<std::string_view>& migration_sql();
inline int latest_schema_version() { return static_cast<int>(migration_sql().size()); }

// Applies migrations up to `target` in one immediate transaction, skipping those already
// applied (another process may have migrated meanwhile). Tests use it to build old schemas.
void migrate(Database& db, int target);

// What a scan is, beyond its results.
struct ScanMeta {
    std::string branch;
    std::string commit;
    std::string parent;
    std::string started_at;  // ISO 8601 UTC
    std::string tool_version;
    std::string config_hash;  // the rule selection (config_hash() in history/identity.hpp)
    std::string scope_hash;   // paths, includes, excludes, size limit
    std::string kind = "scan";  // "scan", or "baseline" for a merge-base scanned by the gate
    bool dirty = false;  // the work tree differed from `commit` in analyzed files
};

struct ScanRow {
    std::int64_t id = 0;
    ScanMeta meta;
    std::uint64_t duration_ms = 0;
    std::uint64_t files = 0;
    std::uint64_t lines = 0;
    std::uint64_t ncloc = 0;
    std::uint64_t duplicated_lines = 0;
    std::uint64_t issues = 0;
    std::uint64_t cached_files = 0;  // files whose results came from the incremental cache
};

struct StoredIssue {
    std::string fingerprint;
    std::string rule;
    Severity severity = Severity::major;
    std::string path;
    Range range;  // lines and columns only
    std::string message;
    std::string function;
};

// Complexity of one function in one scan. `key` is the qualified name, with "#2", "#3"... for
// later functions of the same name in the file (overloads, anonymous lambdas).
struct StoredFunction {
    std::string path;
    std::string key;
    std::uint64_t ncloc = 0;
    std::uint64_t cyclomatic = 0;
    std::uint64_t cognitive = 0;
};

// The per-function keys of a file's functions, in the file's order (see StoredFunction::key).
std::vector<std::string> function_keys(const FileModel& file);

// Duplicated lines per file, from the duplication rules' findings.
std::uint64_t duplicated_line_count(const ScanResult& scan, const std::string& path);

class HistoryStore {
public:
    enum class Open : std::uint8_t {
        create,    // create the file (and its directory) when missing
        existing,  // the file must exist
    };
    // Opens, validates and migrates. Throws UsageError when the file is not SQLite, is another
    // application's SQLite database, is corrupt, has a newer schema than this cq knows, or
    // cannot be opened or created; `existing` also when it is missing.
    static std::unique_ptr<HistoryStore> open(const std::string& path, Open mode);

    const std::string& path() const { return m_path; }
    Database& db() { return m_db; }

    // Records a finished scan, its files, issues and metrics, and the cache's pending entries
    // (cache may be null), in one transaction. Returns the new scan's id.
    std::int64_t record_scan(const ScanMeta& meta, const ScanResult& result, SqliteFileCache* cache);
    // Writes only the cache's pending entries (focus scans are not recorded as scans).
    void flush_cache(SqliteFileCache& cache);

    // The newest complete scan of `commit` made with the same configuration, scope and tool
    // version from a clean work tree: a baseline the gate can use.
    std::optional<ScanRow> find_commit_scan(const std::string& commit, const std::string& config_hash,
                                            const std::string& scope_hash, const std::string& tool_version);
    std::optional<ScanRow> scan(std::int64_t id);
    // Scans, oldest first; branch "" means every branch; baselines only when asked; the newest
    // `limit` of each branch (0 = all).
    std::vector<ScanRow> scans(const std::string& branch, bool include_baselines, std::size_t limit);
    std::vector<StoredIssue> issues(std::int64_t scan_id);
    std::vector<StoredFunction> functions(std::int64_t scan_id);

    // Turns a SQLite failure into a UsageError that names the database and says what to do.
    [[noreturn]] void fail(const DbError& e) const;

private:
    HistoryStore(std::string path, Database db) : m_path(std::move(path)), m_db(std::move(db)) {}
    template <typename F>
    auto guarded(F&& f) -> decltype(f());

    std::string m_path;
    Database m_db;
};

}  // namespace cq::history
