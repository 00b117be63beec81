'use strict';
/**
 * SQS-triggered Lambda that enriches telemetry readings with the device's
 * configuration and pushes them to the dashboards watching that device.
 *
 * Trigger: the standard (non-FIFO) queue `telemetry-enriched`, batch size 10,
 * ReportBatchItemFailures enabled. Records carry no ordering guarantee, so the
 * batch is processed concurrently.
 *
 * Env: DEVICES_TABLE (pk = deviceId, sk = configVersion), WS_ENDPOINT
 * (https://{api-id}.execute-api.{region}.amazonaws.com/{stage}).
 */
const { writeFile } = require('fs/promises');
const { DynamoDBClient, QueryCommand } = require('@aws-sdk/client-dynamodb');
const { unmarshall } = require('@aws-sdk/util-dynamodb');
const {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
  GoneException,
} = require('@aws-sdk/client-apigatewaymanagementapi');

const DEVICES_TABLE = process.env.DEVICES_TABLE || 'telemetry-devices';
const CHECKPOINT_PATH = '/tmp/telemetry-checkpoint.json';
const CONFIG_TTL_MS = 60 * 1000;

// Created once per container and reused by every invocation (warm starts keep
// the TLS connections open).
const ddb = new DynamoDBClient({});
const wsClient = new ApiGatewayManagementApiClient({ endpoint: process.env.WS_ENDPOINT });

// deviceId -> { expires, value: Promise<config|null> }. Caching the promise
// means concurrent records for the same device share one Query.
const configCache = new Map();

/** Latest configuration item for a device (highest configVersion). */
async function queryDeviceConfig(deviceId) {
  const out = await ddb.send(new QueryCommand({
    TableName: DEVICES_TABLE,
    KeyConditionExpression: 'deviceId = :d',
    ExpressionAttributeValues: { ':d': { S: deviceId } },
    ScanIndexForward: false,
    Limit: 1,
  }));
  return out.Items && out.Items.length ? unmarshall(out.Items[0]) : null;
}

/** Device config through a TTL cache; DynamoDB is only asked on a miss. */
function getDeviceConfig(deviceId) {
  const now = Date.now();
  const cached = configCache.get(deviceId);
  if (cached && cached.expires > now) return cached.value;
  const value = queryDeviceConfig(deviceId).catch((err) => {
    configCache.delete(deviceId); // do not cache failures
    throw err;
  });
  configCache.set(deviceId, { expires: now + CONFIG_TTL_MS, value });
  return value;
}

/** Push one payload to every dashboard connection subscribed to the device. */
async function broadcast(connectionIds, payload) {
  const data = JSON.stringify(payload);
  const results = await Promise.allSettled(
    connectionIds.map((connectionId) =>
      wsClient.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))),
  );
  const failed = results.find((r) => r.status === 'rejected' && !(r.reason instanceof GoneException));
  if (failed) throw failed.reason; // gone connections are cleaned up by the disconnect handler
}

async function processRecord(record) {
  const reading = JSON.parse(record.body);
  const config = await getDeviceConfig(reading.device_id);
  if (!config) {
    console.warn(`unknown device ${reading.device_id}, dropping ${record.messageId}`);
    return;
  }
  const payload = {
    deviceId: reading.device_id,
    metric: reading.metric,
    value: reading.value * (config.scale || 1),
    unit: config.units && config.units[reading.metric],
    ts: reading.ts,
  };
  await broadcast(config.subscribers || [], payload);
}

exports.handler = async (event) => {
  const results = await Promise.allSettled(event.Records.map((record) => processRecord(record)));
  const batchItemFailures = [];
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      console.error(`record ${event.Records[i].messageId} failed`, result.reason);
      batchItemFailures.push({ itemIdentifier: event.Records[i].messageId });
    }
  });

  // Checkpoint for the on-call runbook: last message this container handled.
  const last = event.Records[event.Records.length - 1];
  if (last) {
    await writeFile(CHECKPOINT_PATH, JSON.stringify({ messageId: last.messageId, ts: Date.now() }));
  }
  return { batchItemFailures };
};
