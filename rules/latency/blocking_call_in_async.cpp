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
`async function` / async arrow function. In Python, the calls of flake8-async's ASYNC2xx family
(and Ruff's ASYNC210-251), matched through imports and aliases (`import time as t`,
`from time import sleep as pause`, `from urllib.request import urlopen`):

- ASYNC210: `requests.get/options/head/post/put/patch/delete/request`, the same on `httpx`,
  `urllib3.request`, `urllib.request.urlopen`;
- ASYNC211: with `urllib3` imported, `x.request("GET", ...)` on any object when the first
  argument is a literal HTTP verb (not when the call is the context of an `async with`);
- ASYNC212: `get/options/head/post/put/patch/delete/request/send/stream/close` on a
  `requests.Session`, `httpx.Client` or urllib3 pool, whether it was assigned in the function, at
  module level, or is a parameter or variable annotated with that type
  (`client: httpx.Client`, `Optional[httpx.Client]`, `"httpx.Client | None"`);
- ASYNC220-222: `subprocess.Popen/run/call/check_call/check_output/getoutput/getstatusoutput`,
  `os.popen/system/posix_spawn/posix_spawnp`, `os.spawn[lv][p][e]`, `os.wait/wait3/wait4/waitid/waitpid`;
- ASYNC230/231: `open()`, `io.open`, `io.open_code`, `os.fdopen` (also in a `with` header), and
  beyond flake8-async `codecs.open`, `gzip/bz2/lzma/tarfile.open`, `zipfile.ZipFile`, temporary
  files, `Path(...).open/read_text/write_text/read_bytes/write_bytes`, `shutil` copies and moves;
- ASYNC240: the `os.path` functions that touch the disk (`exists`, `lexists`, `isfile`, `isdir`,
  `islink`, `ismount`, `realpath`, `getatime/getctime/getmtime/getsize`, `samefile`,
  `sameopenfile`), also imported by name (`from os.path import isfile`);
- ASYNC250: `input()`; ASYNC251: `time.sleep`;
- and calls on a boto3 client, resource or table held in a variable or attribute (boto3 is
  synchronous).

In JavaScript / TypeScript: `fs.*Sync`, `child_process.execSync/execFileSync/spawnSync`,
`zlib.*Sync`, `crypto.pbkdf2Sync/scryptSync/generateKeyPairSync/randomFillSync`, however they
were imported (`const { readFileSync: slurp } = require('fs')` counts as `fs.readFileSync`).

Not reported, as in flake8-async:
- a call inside a nested plain function or lambda (`def read(): ...`,
  `asyncio.to_thread(lambda: open(p).read())`, a callback): it runs where it is called;
- a function passed rather than called (`await asyncio.to_thread(time.sleep, 1)`,
  `loop.run_in_executor(None, requests.get, url)`, `trio.to_thread.run_sync(input)`);
- an awaited call, which is an async API of the same name (`await anyio.Path(p).read_text()`,
  aiofiles, aioboto3), and `async with aiofiles.open(p)`;
- a file wrapped into an async file object: `await trio.wrap_file(open(p))`,
  `anyio.wrap_file(...)`;
- names the file defines itself (a local `def sleep(...)`, `def open(...)`, a method `.open()`).

Deliberate differences from flake8-async: `os.path.normpath` / `relpath` / `abspath` are string
work and are not reported (flake8-async reports the first two); methods called on an open file
object (ASYNC232) are not reported separately, the `open()` that made it is; an awaited
`os.path.*` call is not reported.

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
