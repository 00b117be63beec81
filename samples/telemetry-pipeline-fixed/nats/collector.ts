/**
 * JetStream collector: stores every telemetry reading published on
 * `telemetry.readings.>` into the Postgres `readings` table.
 *
 * Runs as a long-lived container next to the NATS cluster. Readings are pulled
 * in batches and written with one multi-row INSERT per batch; acks are explicit
 * and sent only after the batch has committed, so a crash redelivers instead of
 * losing data. A failed batch is nak'ed and redelivered by JetStream after a delay.
 *
 *   NATS_URL=nats://nats:4222 DATABASE_URL=postgres://... node dist/collector.js
 */
import { AckPolicy, connect, Consumer, JsMsg, JSONCodec, NatsConnection } from "nats";
import { Pool } from "pg";

interface Reading {
  device_id: string;
  metric: string;
  value: number;
  ts: number; // epoch milliseconds
}

interface Pending {
  msg: JsMsg;
  reading: Reading;
}

const NATS_URL = process.env.NATS_URL ?? "nats://localhost:4222";
const STREAM = "TELEMETRY";
const DURABLE = "readings-collector";
const REDELIVER_DELAY_MS = 5_000;
const MAX_BATCH = 500;
const FETCH_EXPIRES_MS = 1_000; // the server holds the pull open until the batch fills or this expires
const codec = JSONCodec<Reading>();

// One pool for the process; connections are reused across batches.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

// One statement per batch: the column arrays are unnested into rows server-side.
const INSERT_BATCH = `
  INSERT INTO readings (device_id, metric, ts, value)
  SELECT d, m, to_timestamp(t / 1000.0), v
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS r(d, m, t, v)`;

/** Create (or confirm) the durable pull consumer this service reads from. */
async function ensureConsumer(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(STREAM, {
    durable_name: DURABLE,
    ack_policy: AckPolicy.Explicit,
    filter_subject: "telemetry.readings.>",
    max_ack_pending: 5_000,
  });
}

/** Pull up to MAX_BATCH messages; malformed payloads are terminated on the spot. */
async function fetchBatch(consumer: Consumer): Promise<Pending[]> {
  const batch: Pending[] = [];
  const messages = await consumer.fetch({ max_messages: MAX_BATCH, expires: FETCH_EXPIRES_MS });
  for await (const msg of messages) {
    try {
      batch.push({ msg, reading: codec.decode(msg.data) });
    } catch {
      msg.term(); // malformed payload: never redeliver
    }
  }
  return batch;
}

/** Insert the whole batch in one statement, then ack (or nak) every message. */
async function storeBatch(batch: Pending[]): Promise<boolean> {
  const readings = batch.map((p) => p.reading);
  try {
    await pool.query(INSERT_BATCH, [
      readings.map((r) => r.device_id),
      readings.map((r) => r.metric),
      readings.map((r) => r.ts),
      readings.map((r) => r.value),
    ]);
  } catch (err) {
    console.error(`batch insert of ${batch.length} readings failed`, err);
    batch.forEach((p) => p.msg.nak(REDELIVER_DELAY_MS));
    return false;
  }
  batch.forEach((p) => p.msg.ack());
  return true;
}

async function main(): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: DURABLE });
  await ensureConsumer(nc);
  const consumer = await nc.jetstream().consumers.get(STREAM, DURABLE);
  let running = true;
  process.once("SIGTERM", () => {
    running = false;
  });

  let stored = 0;
  while (running) {
    const batch = await fetchBatch(consumer);
    if (batch.length > 0 && (await storeBatch(batch))) stored += batch.length;
  }
  console.log(`stopped after storing ${stored} readings`);
  await Promise.all([nc.drain(), pool.end()]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
