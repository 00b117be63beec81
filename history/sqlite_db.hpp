// A thin RAII layer over the SQLite C API: one Database (connection) and its Statements.
// Every failure throws DbError carrying SQLite's result code; history/store.cpp turns those into
// user-facing errors.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cq::history {

class DbError : public std::runtime_error {
public:
    DbError(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    // The primary SQLite result code (SQLITE_CORRUPT, SQLITE_BUSY, ...).
    int code() const { return m_code & 0xff; }

private:
    int m_code;
};

class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds are 1-based, as in SQLite. Text and blobs are copied.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);

    // Advances; true while there is a row. Throws DbError on failure.
    bool step();
    // Runs to completion (for statements without rows), then resets for reuse.
    void run();
    void reset();

    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string blob(int column) const;
    bool is_null(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

class Database {
public:
    enum class Access : std::uint8_t { read_only, read_write, read_write_create };

    Database() = default;
    // Opens (and with read_write_create, creates) the file. Throws DbError.
    Database(const std::string& path, Access access);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(m_db, sql); }
    std::int64_t last_insert_rowid() const;
    // The first column of the first row of a query, or `fallback` when there is no row.
    std::int64_t query_int(std::string_view sql, std::int64_t fallback = 0);
    std::string query_text(std::string_view sql, const std::string& fallback = "");
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

// Throws DbError when `rc` is not SQLITE_OK / ROW / DONE.
void check(sqlite3* db, int rc, std::string_view what);

// A transaction that rolls back unless committed. `immediate` takes the write lock at once
// (waiting up to the busy timeout), so that two writers never deadlock on a lock upgrade.
class Transaction {
public:
    enum class Kind : std::uint8_t { deferred, immediate };
    Transaction(Database& db, Kind kind);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

}  // namespace cq::history
