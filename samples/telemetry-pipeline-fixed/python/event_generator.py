"""Publish synthetic telemetry events to the ingest queue.

Used by the load-test job and by developers who need traffic on a local
ElasticMQ/LocalStack queue. Each run first announces itself with a manifest
message carrying the number of events that follow, so batch_consumer.py can
report progress and stop once the whole run has arrived.

    python event_generator.py --queue-url "$TELEMETRY_QUEUE_URL" --events 500 --runs 3
"""

import argparse
import json
import logging
import os
import random
import time
import uuid

import boto3

REGION = os.environ.get("AWS_REGION", "eu-west-1")
ENDPOINT = os.environ.get("SQS_ENDPOINT_URL")  # set for LocalStack / ElasticMQ
DEVICE_COUNT = 40
METRICS = ("temperature", "humidity", "battery")
SQS_BATCH_LIMIT = 10  # SendMessageBatch accepts at most 10 entries
MAX_ATTEMPTS = 5
BASE_DELAY_S = 0.2

# One client for the whole process: botocore clients are thread-safe and keep
# their connection pool warm between calls.
SQS = boto3.client("sqs", region_name=REGION, endpoint_url=ENDPOINT)

log = logging.getLogger("event_generator")


def make_events(run_id, count):
    """Build `count` plausible readings spread over DEVICE_COUNT devices."""
    now_ms = int(time.time() * 1000)
    events = []
    for seq in range(count):
        metric = random.choice(METRICS)
        events.append({
            "type": "reading",
            "run_id": run_id,
            "seq": seq,
            "device_id": f"dev-{seq % DEVICE_COUNT:04d}",
            "metric": metric,
            "value": round(random.gauss(21.0 if metric == "temperature" else 50.0, 4.0), 2),
            "ts": now_ms + seq,
        })
    return events


def to_entry(entry_id, message, device_id=None):
    """One SendMessageBatch entry; device_id travels as an attribute for routing."""
    entry = {"Id": entry_id, "MessageBody": json.dumps(message)}
    if device_id:
        entry["MessageAttributes"] = {"device_id": {"DataType": "String", "StringValue": device_id}}
    return entry


def send_batch(queue_url, entries):
    """Send up to 10 entries; resend the ones SQS reports as failed, with backoff."""
    for attempt in range(MAX_ATTEMPTS):
        resp = SQS.send_message_batch(QueueUrl=queue_url, Entries=entries)
        failed_ids = {failure["Id"] for failure in resp.get("Failed", [])}
        if not failed_ids:
            return
        entries = [entry for entry in entries if entry["Id"] in failed_ids]
        log.warning("%d entries failed, retrying (attempt %d)", len(entries), attempt + 1)
        time.sleep(BASE_DELAY_S * 2 ** attempt)
    raise RuntimeError(f"{len(entries)} entries still failing after {MAX_ATTEMPTS} attempts")


def publish_run(queue_url, run_id, events):
    """Publish one run: the manifest first, then every event, 10 per request."""
    manifest = {"type": "manifest", "run_id": run_id, "count": len(events)}
    entries = [to_entry("m", manifest)]
    entries += [to_entry(str(e["seq"]), e, e["device_id"]) for e in events]
    for start in range(0, len(entries), SQS_BATCH_LIMIT):
        send_batch(queue_url, entries[start:start + SQS_BATCH_LIMIT])
    log.info("run %s: published manifest + %d events", run_id, len(events))
    return len(events)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue-url", default=os.environ.get("TELEMETRY_QUEUE_URL"))
    parser.add_argument("--events", type=int, default=200, help="events per run")
    parser.add_argument("--runs", type=int, default=1)
    return parser.parse_args()


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = parse_args()
    if not args.queue_url:
        raise SystemExit("set --queue-url or TELEMETRY_QUEUE_URL")
    total = 0
    for _ in range(args.runs):
        run_id = uuid.uuid4().hex[:12]
        total += publish_run(args.queue_url, run_id, make_events(run_id, args.events))
    log.info("done: %d events in %d runs", total, args.runs)


if __name__ == "__main__":
    main()
