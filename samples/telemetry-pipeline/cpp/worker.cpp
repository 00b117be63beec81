// Edge worker: buffers readings from the device bus and persists them to the
// local SQLite store that the gateway syncs upstream every few minutes.
//
// The bus adapter (not part of this file) calls ReadingQueue::push from its own
// thread and ReadingQueue::close on shutdown; main() below stands in for it so
// the worker can be run on its own:
//
//   ./worker telemetry.db
#include <sqlite3.h>

#include <chrono>
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

// Thread-safe FIFO shared between the bus adapter and the worker.
class ReadingQueue {
public:
    void push(Reading r) {
        std::lock_guard<std::mutex> lock(mutex_);
        items_.push_back(std::move(r));
    }

    void close() {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
    }

    bool closed() {
        std::lock_guard<std::mutex> lock(mutex_);
        return closed_;
    }

    // Moves up to `max` readings into `out`; false when the queue is empty.
    bool try_pop_batch(std::vector<Reading>& out, std::size_t max) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (items_.empty()) return false;
        while (!items_.empty() && out.size() < max) {
            out.push_back(std::move(items_.front()));
            items_.pop_front();
        }
        return true;
    }

private:
    std::mutex mutex_;
    std::deque<Reading> items_;
    bool closed_ = false;
};

// Persists one batch. Each INSERT commits on its own (SQLite autocommit).
bool store_batch(const char* path, const std::vector<Reading>& batch) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        std::fprintf(stderr, "open %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return false;
    }
    bool ok = true;
    for (const Reading& r : batch) {
        // %Q quotes and escapes the device id.
        char* sql = sqlite3_mprintf("INSERT INTO readings(device_id, ts_ms, value) VALUES(%Q, %lld, %f)",
                                    r.device_id.c_str(), r.ts_ms, r.value);
        char* err = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::fprintf(stderr, "insert %s: %s\n", r.device_id.c_str(), err);
            sqlite3_free(err);
            ok = false;
        }
        sqlite3_free(sql);
    }
    sqlite3_close(db);
    return ok;
}

// Drains the queue until the bus adapter closes it.
void run_worker(const char* path, ReadingQueue& queue) {
    std::vector<Reading> batch;
    for (;;) {
        const bool closing = queue.closed();  // read before popping so nothing pushed earlier is lost
        if (!queue.try_pop_batch(batch, kMaxBatch)) {
            if (closing) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        if (!store_batch(path, batch)) std::fprintf(stderr, "batch of %zu had failures\n", batch.size());
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
    sqlite3_close(db);

    ReadingQueue queue;
    std::thread worker(run_worker, path, std::ref(queue));

    // Stand-in for the bus adapter: 2000 readings from 20 devices.
    for (int i = 0; i < 2000; ++i) {
        queue.push({"dev-" + std::to_string(i % 20), 1700000000000LL + i, 20.0 + (i % 7) * 0.5});
    }
    queue.close();
    worker.join();
    return 0;
}
