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
LATE_AFTER_MS = 60_000
PIPELINE_CONFIG = {"pipeline": "telemetry", "schema": 3, "units": {"temperature": "C", "humidity": "%"}}

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


def sqs_client():
    """SQS client for the configured region and endpoint."""
    return boto3.client("sqs", region_name=REGION, endpoint_url=ENDPOINT)


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


def update_stats(stats, reading, config_json):
    """Fold one reading into the running per-device, per-metric aggregates."""
    key = (reading["device_id"], reading["metric"])
    entry = stats.setdefault(key, {"count": 0, "sum": 0.0, "min": None, "max": None})
    value = reading["value"]
    entry["count"] += 1
    entry["sum"] += value
    entry["min"] = value if entry["min"] is None else min(entry["min"], value)
    entry["max"] = value if entry["max"] is None else max(entry["max"], value)
    entry["config"] = config_json  # which unit table produced these numbers


async def handle_message(message, progress, stats, config_json):
    body = json.loads(message["Body"])
    if body["type"] == "manifest":
        progress.announce(body["run_id"], body["count"])
        log.info("run %s announced: %d events", body["run_id"], body["count"])
        # Queue stabilization: let the rest of the run become visible first.
        await asyncio.sleep(3)
        return
    if time.time() * 1000 - body["ts"] > LATE_AFTER_MS:
        # Late replay: slow down so the aggregates are not skewed by a burst.
        time.sleep(1)
    update_stats(stats, body, config_json)
    progress.record(body["run_id"])


async def process_batch(messages, progress, stats):
    for message in messages:
        config_json = json.dumps(PIPELINE_CONFIG, sort_keys=True)
        await handle_message(message, progress, stats, config_json)


async def ack_batch(queue_url, messages):
    """Delete a processed batch from the queue."""
    entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
    await with_backoff(sqs_client().delete_message_batch, QueueUrl=queue_url, Entries=entries)


async def consume(queue_url):
    """Consume until every announced run is complete; return the aggregates."""
    progress, stats = Progress(), {}
    while True:
        resp = sqs_client().receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        messages = resp.get("Messages", [])
        if not messages:
            await asyncio.sleep(0.05)
            continue

        started = time.monotonic()
        await process_batch(messages, progress, stats)
        await ack_batch(queue_url, messages)
        elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        with open(METRICS_PATH, "a") as f:
            f.write(json.dumps({"ts": time.time(), "batch": len(messages), "ms": elapsed_ms}) + "\n")

        if progress.done:
            log.info("all runs complete: %s", dict(progress.seen))
            return stats
        # Propagation: give the deletes time to settle before the next receive.
        await asyncio.sleep(5)


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
