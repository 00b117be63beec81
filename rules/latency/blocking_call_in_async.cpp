// latency/blocking-call-in-async: a blocking call directly inside an async function, which
// stops the event loop (flake8-async ASYNC2xx; Node.js *Sync APIs).
#include <algorithm>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_support.hpp"

namespace cq {
namespace {

using namespace latency;

const RuleMeta& blocking_meta() {
    static const RuleMeta meta{
        .id = "latency/blocking-call-in-async",
        .title = "Async functions should not make blocking calls",
        .languages = lang_mask::python | lang_mask::js_ts,
        .severity = Severity::major,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::high}},
        .cwe = {},
        .owasp = {},
        .options = {},
        .effort_minutes = 15,
        .doc = R"md(## What it finds
A call that blocks the thread, made directly in the body of an `async def` or an
`async function` / async arrow function. The same calls as flake8-async's ASYNC2xx family
(and Ruff's ASYNC210-251):

- Python: `time.sleep` (ASYNC251); synchronous HTTP: `requests.*`, `httpx.get/post/...`,
  `urllib.request.urlopen`, `urllib3.request`, and methods of a `requests.Session` /
  `httpx.Client` / `urllib3.PoolManager` held in a variable (ASYNC210/212); processes:
  `subprocess.run/call/check_call/check_output/getoutput/getstatusoutput/Popen`,
  `os.system/popen/spawn*/posix_spawn*/wait*` (ASYNC220-222); files: `open()`, `io.open`,
  `codecs.open`, `os.fdopen`, `Path(...).open/read_text/write_text/...`, `shutil` copies and
  moves (ASYNC230/231); `input()` (ASYNC250); and calls on a boto3 client, resource or table held
  in a variable (boto3 is synchronous).
- JavaScript / TypeScript: `fs.*Sync`, `child_process.execSync/execFileSync/spawnSync`,
  `zlib.*Sync`, `crypto.pbkdf2Sync/scryptSync/...`, however they were imported.

Only the async function's own body counts: a call inside a nested plain function or lambda
(`asyncio.to_thread(lambda: open(p).read())`, a callback) runs elsewhere and is not reported. An
awaited call is an async API of the same name (aiofiles, aioboto3) and is not reported either.

## Why it matters
An event loop runs every task of the process on one thread. While a blocking call waits for the
disk, the network or a child process, no other task runs: every concurrent request or message
stalls for the whole duration, and timeouts fire elsewhere.

## Example
```python
async def consume(queue_url):
    while True:
        ...
        with open(METRICS_PATH, "a") as f:   # blocks the loop on disk I/O
            f.write(line)
```
```js
async function processRecord(record) {
  fs.writeFileSync(CHECKPOINT_PATH, JSON.stringify(record));  // blocks the event loop
}
```

## Instead
Use the async form of the API (`await asyncio.sleep`, `httpx.AsyncClient`, `aiohttp`,
`asyncio.create_subprocess_exec`, `aiofiles`, `fs/promises`), or move the blocking work to a
thread: `await asyncio.to_thread(append_metrics, line)`.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

class BlockingCallInAsyncRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return blocking_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        if (file.language != Language::python && !is_js_family(file.language)) {
            return;
        }
        const bool any_async = std::any_of(file.functions.begin(), file.functions.end(),
                                           [](const Function& f) { return f.is_async; });
        if (!any_async) {
            return;
        }
        const ClientTracker clients(file);
        for (const CallSite& call : file.calls) {
            const Function* fn = function_ptr(file, call.function);
            if (fn == nullptr || !(call.in_async || fn->is_async)) {
                continue;
            }
            const auto api = blocking_api(file, call, clients);
            if (!api) {
                continue;
            }
            const std::string label = function_label(file, call.function);
            out.push_back(make_finding(
                *this, ctx, file, call.range,
                "`" + api->what + "` in async function '" + label + "' is " + api->why +
                    ": while it runs, the event loop runs no other task, so every concurrent "
                    "request or message waits. Use " +
                    api->instead + "."));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::BlockingCallInAsyncRule);
