"""Consume telemetry events from SQS in batches and keep per-device statistics.

Reads the queue that event_generator.py fills. A manifest message announces how
many events a run contains; the consumer returns once every announced run has
been consumed. Per-batch timings are appended to metrics.jsonl, which the
ops dashboard tails.

    python batch_consumer.py --queue-url "$TELEMETRY_QUEUE_URL"
"""

import argparse
import asyncio
import json
import logging
import os
import time
from collections import defaultdict

import boto3
from botocore.exceptions import ClientError

REGION = os.environ.get("AWS_REGION", "eu-west-1")
ENDPOINT = os.environ.get("SQS_ENDPOINT_URL")
METRICS_PATH = os.environ.get("METRICS_PATH", "metrics.jsonl")
RETRYABLE = {"ThrottlingException", "RequestThrottled", "ServiceUnavailable", "InternalError"}
PIPELINE_CONFIG = {"pipeline": "telemetry", "schema": 3, "units": {"temperature": "C", "humidity": "%"}}
# Serialized once: every aggregate is tagged with the unit table that produced it.
CONFIG_JSON = json.dumps(PIPELINE_CONFIG, sort_keys=True)
LONG_POLL_S = 20  # ReceiveMessage waits server-side until messages arrive

# One client for the process; boto3 calls run in worker threads via asyncio.to_thread.
SQS = boto3.client("sqs", region_name=REGION, endpoint_url=ENDPOINT)

log = logging.getLogger("batch_consumer")


class Progress:
    """How much of each announced run has been consumed so far."""

    def __init__(self):
        self.expected = {}
        self.seen = defaultdict(int)

    def announce(self, run_id, count):
        self.expected[run_id] = count

    def record(self, run_id):
        self.seen[run_id] += 1

    @property
    def done(self):
        return bool(self.expected) and all(self.seen[r] >= n for r, n in self.expected.items())


async def with_backoff(operation, *, attempts=5, base_delay=0.2, **kwargs):
    """Run a boto3 call off the event loop, retrying throttling with exponential backoff."""
    for attempt in range(attempts):
        try:
            return await asyncio.to_thread(operation, **kwargs)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code")
            if code not in RETRYABLE or attempt == attempts - 1:
                raise
            await asyncio.sleep(base_delay * 2 ** attempt)


def update_stats(stats, reading):
    """Fold one reading into the running per-device, per-metric aggregates."""
    key = (reading["device_id"], reading["metric"])
    entry = stats.setdefault(key, {"count": 0, "sum": 0.0, "min": None, "max": None})
    value = reading["value"]
    entry["count"] += 1
    entry["sum"] += value
    entry["min"] = value if entry["min"] is None else min(entry["min"], value)
    entry["max"] = value if entry["max"] is None else max(entry["max"], value)
    entry["config"] = CONFIG_JSON


async def handle_message(message, progress, stats):
    body = json.loads(message["Body"])
    if body["type"] == "manifest":
        # The manifest may arrive after some of its events; Progress copes with either order.
        progress.announce(body["run_id"], body["count"])
        log.info("run %s announced: %d events", body["run_id"], body["count"])
        return
    update_stats(stats, body)
    progress.record(body["run_id"])


async def process_batch(messages, progress, stats):
    """Messages of a batch are independent, so handle them concurrently."""
    await asyncio.gather(*(handle_message(m, progress, stats) for m in messages))


async def ack_batch(queue_url, messages):
    """Delete a processed batch from the queue in one request."""
    entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
    await with_backoff(SQS.delete_message_batch, QueueUrl=queue_url, Entries=entries)


def append_metrics(line):
    """Blocking append; called through asyncio.to_thread so the loop keeps running."""
    with open(METRICS_PATH, "a") as f:
        f.write(line + "\n")


async def consume(queue_url):
    """Consume until every announced run is complete; return the aggregates."""
    progress, stats = Progress(), {}
    while not progress.done:
        resp = await with_backoff(
            SQS.receive_message,
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=LONG_POLL_S,
        )
        messages = resp.get("Messages", [])
        if not messages:
            continue  # the long poll already waited; nothing arrived in 20 s

        started = time.monotonic()
        await process_batch(messages, progress, stats)
        await ack_batch(queue_url, messages)
        elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        line = json.dumps({"ts": time.time(), "batch": len(messages), "ms": elapsed_ms})
        await asyncio.to_thread(append_metrics, line)

    log.info("all runs complete: %s", dict(progress.seen))
    return stats


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    parser = argparse.ArgumentParser(description="Batch consumer for telemetry events")
    parser.add_argument("--queue-url", default=os.environ.get("TELEMETRY_QUEUE_URL"))
    args = parser.parse_args()
    if not args.queue_url:
        raise SystemExit("set --queue-url or TELEMETRY_QUEUE_URL")
    stats = asyncio.run(consume(args.queue_url))
    for (device, metric), entry in sorted(stats.items()):
        log.info("%s %-12s n=%d mean=%.2f", device, metric, entry["count"], entry["sum"] / entry["count"])


if __name__ == "__main__":
    main()
