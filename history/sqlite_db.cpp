#include "history/sqlite_db.hpp"

#include <utility>

namespace cq::history {

void check(sqlite3* db, int rc, std::string_view what) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
        return;
    }
    std::string message(what);
    message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw DbError(rc, message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    check(db, rc, "preparing a statement");
}

Statement::~Statement() {
    if (m_stmt != nullptr) {
        sqlite3_finalize(m_stmt);
    }
}

Statement::Statement(Statement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt != nullptr) {
            sqlite3_finalize(m_stmt);
        }
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(m_db, sqlite3_bind_int64(m_stmt, index, value), "binding a value");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check(m_db, sqlite3_bind_double(m_stmt, index, value), "binding a value");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    check(m_db, sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
          "binding a value");
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    check(m_db, sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
          "binding a value");
    return *this;
}

Statement& Statement::bind_null(int index) {
    check(m_db, sqlite3_bind_null(m_stmt, index), "binding a value");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    check(m_db, rc, "running a statement");
    return false;
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::text(int column) const {
    const unsigned char* p = sqlite3_column_text(m_stmt, column);
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::string Statement::blob(int column) const {
    const void* p = sqlite3_column_blob(m_stmt, column);
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

bool Statement::is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

Database::Database(const std::string& path, Access access) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (access) {
    case Access::read_only: flags |= SQLITE_OPEN_READONLY; break;
    case Access::read_write: flags |= SQLITE_OPEN_READWRITE; break;
    case Access::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "opening '" + path + "': ";
        message += m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        if (m_db != nullptr) {
            sqlite3_close(m_db);
            m_db = nullptr;
        }
        throw DbError(rc, message);
    }
    sqlite3_extended_result_codes(m_db, 0);
}

Database::~Database() {
    if (m_db != nullptr) {
        sqlite3_close(m_db);
    }
}

Database::Database(Database&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db != nullptr) {
            sqlite3_close(m_db);
        }
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

void Database::exec(std::string_view sql) {
    const std::string s(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string message = err != nullptr ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DbError(rc, message);
    }
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

std::int64_t Database::query_int(std::string_view sql, std::int64_t fallback) {
    Statement st = prepare(sql);
    return st.step() ? st.int64(0) : fallback;
}

std::string Database::query_text(std::string_view sql, const std::string& fallback) {
    Statement st = prepare(sql);
    return st.step() ? st.text(0) : fallback;
}

Transaction::Transaction(Database& db, Kind kind) : m_db(db) {
    m_db.exec(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // The connection is closing or the transaction was already rolled back by SQLite.
        }
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

}  // namespace cq::history
