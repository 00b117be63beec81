/**
 * JetStream collector: stores every telemetry reading published on
 * `telemetry.readings.>` into the Postgres `readings` table.
 *
 * Runs as a long-lived container next to the NATS cluster. Acks are explicit,
 * so a reading is only acknowledged once its row has been written; a failed
 * write is nak'ed and redelivered by JetStream after a delay.
 *
 *   NATS_URL=nats://nats:4222 DATABASE_URL=postgres://... node dist/collector.js
 */
import { AckPolicy, connect, JSONCodec, NatsConnection } from "nats";
import { Pool } from "pg";

interface Reading {
  device_id: string;
  metric: string;
  value: number;
  ts: number; // epoch milliseconds
}

const NATS_URL = process.env.NATS_URL ?? "nats://localhost:4222";
const STREAM = "TELEMETRY";
const DURABLE = "readings-collector";
const REDELIVER_DELAY_MS = 5_000;
const codec = JSONCodec<Reading>();

/** Create (or confirm) the durable pull consumer this service reads from. */
async function ensureConsumer(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(STREAM, {
    durable_name: DURABLE,
    ack_policy: AckPolicy.Explicit,
    filter_subject: "telemetry.readings.>",
    max_ack_pending: 1_000,
  });
}

/** Write one reading; the pool is closed again so no connection outlives the call. */
async function insertReading(reading: Reading): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  try {
    await pool.query(
      "INSERT INTO readings (device_id, metric, ts, value) VALUES ($1, $2, to_timestamp($3 / 1000.0), $4)",
      [reading.device_id, reading.metric, reading.ts, reading.value],
    );
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: DURABLE });
  await ensureConsumer(nc);
  const consumer = await nc.jetstream().consumers.get(STREAM, DURABLE);
  const messages = await consumer.consume({ max_messages: 256 });
  process.once("SIGTERM", () => messages.stop());

  let stored = 0;
  for await (const msg of messages) {
    let reading: Reading;
    try {
      reading = codec.decode(msg.data);
    } catch {
      msg.term(); // malformed payload: never redeliver
      continue;
    }
    try {
      await insertReading(reading);
      msg.ack();
      stored += 1;
    } catch (err) {
      console.error(`insert failed for seq ${msg.seq}`, err);
      msg.nak(REDELIVER_DELAY_MS);
    }
  }
  console.log(`stopped after storing ${stored} readings`);
  await nc.drain();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
