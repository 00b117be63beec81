// Edge worker: buffers readings from the device bus and persists them to the
// local SQLite store that the gateway syncs upstream every few minutes.
//
// The bus adapter (not part of this file) calls ReadingQueue::push from its own
// thread and ReadingQueue::close on shutdown; main() below stands in for it so
// the worker can be run on its own:
//
//   ./worker telemetry.db
#include <sqlite3.h>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Reading {
    std::string device_id;
    long long ts_ms;
    double value;
};

constexpr std::size_t kMaxBatch = 256;

// Thread-safe FIFO shared between the bus adapter and the worker. The worker
// blocks on a condition variable instead of polling.
class ReadingQueue {
public:
    void push(Reading r) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            items_.push_back(std::move(r));
        }
        ready_.notify_one();
    }

    void close() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }

    // Waits for at least one reading, then moves up to `max` into `out`.
    // Returns false once the queue is closed and fully drained.
    bool pop_batch(std::vector<Reading>& out, std::size_t max) {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !items_.empty() || closed_; });
        if (items_.empty()) return false;
        while (!items_.empty() && out.size() < max) {
            out.push_back(std::move(items_.front()));
            items_.pop_front();
        }
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Reading> items_;
    bool closed_ = false;
};

// Owns the insert statement; one transaction per batch, so one fsync per batch.
class ReadingStore {
public:
    explicit ReadingStore(sqlite3* db) : db_(db) {
        sqlite3_prepare_v2(db_, "INSERT INTO readings(device_id, ts_ms, value) VALUES(?1, ?2, ?3)", -1,
                           &insert_, nullptr);
    }
    ~ReadingStore() { sqlite3_finalize(insert_); }
    ReadingStore(const ReadingStore&) = delete;
    ReadingStore& operator=(const ReadingStore&) = delete;

    bool ready() const { return insert_ != nullptr; }

    bool store_batch(const std::vector<Reading>& batch) {
        if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
        bool ok = true;
        for (const Reading& r : batch) {
            sqlite3_bind_text(insert_, 1, r.device_id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(insert_, 2, r.ts_ms);
            sqlite3_bind_double(insert_, 3, r.value);
            ok = sqlite3_step(insert_) == SQLITE_DONE && ok;
            sqlite3_reset(insert_);
        }
        if (!ok) std::fprintf(stderr, "insert failed: %s\n", sqlite3_errmsg(db_));
        return sqlite3_exec(db_, ok ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK && ok;
    }

private:
    sqlite3* db_;
    sqlite3_stmt* insert_ = nullptr;
};

// Drains the queue until the bus adapter closes it.
void run_worker(ReadingStore& store, ReadingQueue& queue) {
    std::vector<Reading> batch;
    while (queue.pop_batch(batch, kMaxBatch)) {
        if (!store.store_batch(batch)) std::fprintf(stderr, "batch of %zu rolled back\n", batch.size());
        batch.clear();
    }
}

}  // namespace

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "telemetry.db";
    sqlite3* db = nullptr;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE TABLE IF NOT EXISTS readings("
                     "device_id TEXT NOT NULL, ts_ms INTEGER NOT NULL, value REAL NOT NULL)",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "schema %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }

    int rc = 0;
    {
        ReadingStore store(db);  // the worker thread is the only user of `db` from here on
        if (!store.ready()) {
            std::fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
            rc = 1;
        } else {
            ReadingQueue queue;
            std::thread worker(run_worker, std::ref(store), std::ref(queue));

            // Stand-in for the bus adapter: 2000 readings from 20 devices.
            for (int i = 0; i < 2000; ++i) {
                queue.push({"dev-" + std::to_string(i % 20), 1700000000000LL + i, 20.0 + (i % 7) * 0.5});
            }
            queue.close();
            worker.join();
        }
    }
    sqlite3_close(db);
    return rc;
}
