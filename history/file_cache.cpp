#include "history/file_cache.hpp"

#include "history/model_codec.hpp"
#include "history/store.hpp"

namespace cq::history {

SqliteFileCache::SqliteFileCache(HistoryStore& store, std::string tool_build, std::string rules_hash)
    : m_store(store), m_tool_build(std::move(tool_build)), m_rules_hash(std::move(rules_hash)) {
    try {
        m_lookup = store.db().prepare(
            "SELECT d.model, d.findings, c.rules_hash, c.last_used FROM file_cache c JOIN file_cache_data d "
            "ON d.id = c.id WHERE c.path = ? AND c.content_hash = ? AND c.tool_build = ?");
        Statement epoch = store.db().prepare("SELECT value FROM meta WHERE key = 'cache_epoch'");
        m_epoch = epoch.step() ? std::stoll(epoch.text(0)) : 0;
    } catch (const DbError& e) {
        store.fail(e);
    }
}

CachedFile SqliteFileCache::load(const std::string& path, const std::string& content_hash, std::string& source) {
    std::string model_bytes;
    std::string findings_bytes;
    bool findings_valid = false;
    bool stale = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        try {
            m_lookup.bind(1, path).bind(2, content_hash).bind(3, m_tool_build);
            if (m_lookup.step()) {
                model_bytes = m_lookup.blob(0);
                findings_valid = !m_lookup.is_null(1) && m_lookup.text(2) == m_rules_hash;
                if (findings_valid) {
                    findings_bytes = m_lookup.blob(1);
                }
                stale = m_lookup.int64(3) + k_touch_after <= m_epoch;
            }
            m_lookup.reset();
        } catch (const DbError&) {
            // A read that fails is a miss; the scan's write will report a broken database.
            m_lookup.reset();
            return {};
        }
    }
    if (model_bytes.empty()) {
        return {};
    }
    CachedFile out;
    out.model = decode_model(model_bytes, std::string());
    if (!out.model || out.model->path != path) {
        return {};
    }
    out.model->source = std::move(source);
    if (findings_valid) {
        std::vector<Finding> findings;
        if (decode_findings(findings_bytes, findings)) {
            out.findings = std::move(findings);
        }
    }
    if (stale) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_hits.emplace_back(path, content_hash);
    }
    return out;
}

void SqliteFileCache::store(const FileModel& model, const std::string& content_hash,
                            const std::vector<Finding>* findings) {
    Pending p;
    p.path = model.path;
    p.content_hash = content_hash;
    p.model = encode_model(model);
    if (findings != nullptr) {
        p.findings = encode_findings(*findings);
        p.has_findings = true;
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending.push_back(std::move(p));
}

bool SqliteFileCache::has_writes() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return !m_pending.empty() || !m_hits.empty();
}

void SqliteFileCache::write_pending(Database& db) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_pending.empty() && m_hits.empty()) {
        return;
    }
    Statement get_epoch = db.prepare("SELECT value FROM meta WHERE key = 'cache_epoch'");
    std::int64_t epoch = get_epoch.step() ? std::stoll(get_epoch.text(0)) + 1 : 1;
    Statement set_epoch = db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('cache_epoch', ?)");
    set_epoch.bind(1, std::to_string(epoch));
    set_epoch.run();

    Statement put = db.prepare(
        "INSERT INTO file_cache(path, content_hash, tool_build, rules_hash, last_used) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(path, content_hash) DO UPDATE SET tool_build = excluded.tool_build, "
        "rules_hash = excluded.rules_hash, last_used = excluded.last_used RETURNING id");
    Statement put_data = db.prepare("INSERT OR REPLACE INTO file_cache_data(id, model, findings) VALUES(?, ?, ?)");
    for (const Pending& p : m_pending) {
        put.bind(1, p.path).bind(2, p.content_hash).bind(3, m_tool_build).bind(4, m_rules_hash).bind(5, epoch);
        const std::int64_t id = put.step() ? put.int64(0) : 0;
        put.reset();
        put_data.bind(1, id).bind_blob(2, p.model);
        if (p.has_findings) {
            put_data.bind_blob(3, p.findings);
        } else {
            put_data.bind_null(3);
        }
        put_data.run();
    }
    Statement touch = db.prepare("UPDATE file_cache SET last_used = ? WHERE path = ? AND content_hash = ?");
    for (const auto& [path, hash] : m_hits) {
        touch.bind(1, epoch).bind(2, path).bind(3, hash);
        touch.run();
    }
    Statement prune = db.prepare("DELETE FROM file_cache WHERE last_used < ? OR tool_build != ?");
    prune.bind(1, epoch - k_keep_epochs).bind(2, m_tool_build);
    prune.run();
    m_pending.clear();
    m_hits.clear();
}

}  // namespace cq::history
