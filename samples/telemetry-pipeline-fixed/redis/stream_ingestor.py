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
BLOCK_MS = 5000  # XREAD waits server-side for new entries instead of us polling
MAX_ATTEMPTS = 6
BASE_DELAY_S = 0.5
MAX_DELAY_S = 15.0

log = logging.getLogger("stream_ingestor")

# One pool for the process; every command borrows a warm connection from it.
POOL = redis.ConnectionPool(host=REDIS_HOST, port=REDIS_PORT, decode_responses=True,
                            health_check_interval=30)
R = redis.Redis(connection_pool=POOL)


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


def read_batch(last_id):
    """Blocking XREAD; reconnects with capped exponential backoff if Redis goes away."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return R.xread({RAW_STREAM: last_id}, count=READ_COUNT, block=BLOCK_MS)
        except redis.ConnectionError:
            if attempt == MAX_ATTEMPTS - 1:
                raise
            log.warning("redis unavailable, retrying (attempt %d)", attempt + 1)
            time.sleep(min(MAX_DELAY_S, BASE_DELAY_S * 2 ** attempt))


def store_batch(messages):
    """Write a whole XREAD batch and its checkpoint in one MULTI/EXEC round trip."""
    pipe = R.pipeline(transaction=True)
    last_id = None
    for message_id, fields in messages:
        reading = normalize(fields)
        pipe.xadd(CLEAN_STREAM, reading, maxlen=CLEAN_MAXLEN, approximate=True)
        pipe.hset(
            f"device:{reading['device_id']}:latest",
            mapping={reading["metric"]: reading["value"], "ts": reading["ts"]},
        )
        last_id = message_id
    pipe.set(CHECKPOINT_KEY, last_id)
    pipe.execute()
    return last_id


def ingest_forever():
    """Read the raw stream from the last checkpoint onwards, forever."""
    last_id = R.get(CHECKPOINT_KEY) or "0-0"
    log.info("resuming %s after %s", RAW_STREAM, last_id)
    while True:
        entries = read_batch(last_id)
        if entries:  # empty when BLOCK_MS passed without new entries
            _stream, messages = entries[0]  # we read a single stream
            last_id = store_batch(messages)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        ingest_forever()
    except KeyboardInterrupt:
        log.info("stopped")
