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


def publish_run(queue_url, run_id, events):
    """Publish one run: the manifest first, then every event of the run."""
    # Each run gets its own client so it picks up rotated credentials.
    sqs = boto3.client("sqs", region_name=REGION, endpoint_url=ENDPOINT)

    manifest = {"type": "manifest", "run_id": run_id, "count": len(events)}
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(manifest))

    for event in events:
        # device_id travels as an attribute so consumers can route without parsing.
        sqs.send_message(
            QueueUrl=queue_url,
            MessageBody=json.dumps(event),
            MessageAttributes={
                "device_id": {"DataType": "String", "StringValue": event["device_id"]},
            },
        )
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
