// The incremental-scan cache on the history database: for each (path, content hash), the
// FileModel (the per-file facts project rules are recomputed from) and the file rules' findings
// under one rule selection. Entries of another build of cq are never used.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/engine.hpp"
#include "history/sqlite_db.hpp"

namespace cq::history {

class HistoryStore;

class SqliteFileCache final : public FileResultCache {
public:
    // `tool_build` from tool_build_id(), `rules_hash` from config_hash() of the scan's rules.
    SqliteFileCache(HistoryStore& store, std::string tool_build, std::string rules_hash);

    CachedFile load(const std::string& path, const std::string& content_hash, std::string& source) override;
    void store(const FileModel& model, const std::string& content_hash,
               const std::vector<Finding>* findings) override;

    // Writes what store() collected, marks the entries load() used (those last marked
    // k_touch_after cache writes ago or more: a steady scan writes almost nothing), and drops
    // entries unused for k_keep_epochs cache writes or made by another build of cq. Runs inside the
    // caller's transaction (HistoryStore::record_scan / flush_cache).
    void write_pending(Database& db);

    // Whether write_pending() has anything to write.
    bool has_writes();

    static constexpr std::int64_t k_keep_epochs = 50;
    static constexpr std::int64_t k_touch_after = 10;

private:
    struct Pending {
        std::string path;
        std::string content_hash;
        std::string model;
        std::string findings;
        bool has_findings = false;
    };

    HistoryStore& m_store;
    std::string m_tool_build;
    std::string m_rules_hash;
    std::mutex m_mutex;  // one SQLite connection, many worker threads
    Statement m_lookup;
    std::int64_t m_epoch = 0;  // the cache write count when this scan started
    std::vector<Pending> m_pending;
    std::vector<std::pair<std::string, std::string>> m_hits;
};

}  // namespace cq::history
