"""Redis stream ingestor: normalizes raw device readings into per-device state.

Devices (through the MQTT bridge) append raw readings to the `telemetry:raw`
stream. The ingestor normalizes units, appends each clean reading to
`telemetry:clean` (read by the alerting service) and keeps the latest value of
every device metric in the hash `device:<id>:latest` for the dashboard API.
The id of the last processed entry is checkpointed so a restart resumes there.

    REDIS_HOST=redis python stream_ingestor.py
"""

import logging
import os
import time

import redis

REDIS_HOST = os.environ.get("REDIS_HOST", "localhost")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))
RAW_STREAM = "telemetry:raw"
CLEAN_STREAM = "telemetry:clean"
CLEAN_MAXLEN = 100_000
CHECKPOINT_KEY = "ingestor:last-id"
READ_COUNT = 100

log = logging.getLogger("stream_ingestor")

READER = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, decode_responses=True)


def normalize(fields):
    """Convert a raw stream entry into a clean reading (SI units, typed values)."""
    metric, value = fields["metric"], float(fields["value"])
    if metric == "temperature_f":
        metric, value = "temperature", round((value - 32.0) * 5.0 / 9.0, 2)
    return {
        "device_id": fields["device_id"],
        "metric": metric,
        "value": value,
        "ts": int(fields["ts"]),
    }


def store(reading):
    """Publish one clean reading and update the device's latest-value hash."""
    r = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, decode_responses=True)
    r.xadd(CLEAN_STREAM, reading, maxlen=CLEAN_MAXLEN, approximate=True)
    r.hset(
        f"device:{reading['device_id']}:latest",
        mapping={reading["metric"]: reading["value"], "ts": reading["ts"]},
    )


def ingest_forever():
    """Read the raw stream from the last checkpoint onwards, forever."""
    last_id = READER.get(CHECKPOINT_KEY) or "0-0"
    log.info("resuming %s after %s", RAW_STREAM, last_id)
    while True:
        entries = READER.xread({RAW_STREAM: last_id}, count=READ_COUNT)
        if not entries:
            time.sleep(0.1)
            continue
        for _stream, messages in entries:
            for message_id, fields in messages:
                store(normalize(fields))
                last_id = message_id
        READER.set(CHECKPOINT_KEY, last_id)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        ingest_forever()
    except KeyboardInterrupt:
        log.info("stopped")
