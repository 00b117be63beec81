'use strict';
/**
 * SQS-triggered Lambda that enriches telemetry readings with the device's
 * configuration and pushes them to the dashboards watching that device.
 *
 * Trigger: the standard (non-FIFO) queue `telemetry-enriched`, batch size 10,
 * ReportBatchItemFailures enabled. Records carry no ordering guarantee.
 *
 * Env: DEVICES_TABLE (pk = deviceId, sk = configVersion), WS_ENDPOINT
 * (https://{api-id}.execute-api.{region}.amazonaws.com/{stage}).
 */
const fs = require('fs');
const { DynamoDBClient, QueryCommand } = require('@aws-sdk/client-dynamodb');
const { unmarshall } = require('@aws-sdk/util-dynamodb');
const {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
  GoneException,
} = require('@aws-sdk/client-apigatewaymanagementapi');

const DEVICES_TABLE = process.env.DEVICES_TABLE || 'telemetry-devices';
const CHECKPOINT_PATH = '/tmp/telemetry-checkpoint.json';

const wsClient = new ApiGatewayManagementApiClient({ endpoint: process.env.WS_ENDPOINT });

/** Latest configuration item for a device (highest configVersion). */
async function loadDeviceConfig(ddb, deviceId) {
  const out = await ddb.send(new QueryCommand({
    TableName: DEVICES_TABLE,
    KeyConditionExpression: 'deviceId = :d',
    ExpressionAttributeValues: { ':d': { S: deviceId } },
    ScanIndexForward: false,
    Limit: 1,
  }));
  return out.Items && out.Items.length ? unmarshall(out.Items[0]) : null;
}

/** Push one payload to every dashboard connection subscribed to the device. */
async function broadcast(connectionIds, payload) {
  for (const connectionId of connectionIds) {
    const data = JSON.stringify(payload);
    try {
      await wsClient.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    } catch (err) {
      if (!(err instanceof GoneException)) throw err;
      console.warn(`connection ${connectionId} is gone; the disconnect handler will clean it up`);
    }
  }
}

async function processRecord(ddb, record) {
  const reading = JSON.parse(record.body);
  const config = await loadDeviceConfig(ddb, reading.device_id);
  if (!config) {
    console.warn(`unknown device ${reading.device_id}, dropping ${record.messageId}`);
    return;
  }

  // The device-admin API writes config a moment before the device starts sending.
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const payload = {
    deviceId: reading.device_id,
    metric: reading.metric,
    value: reading.value * (config.scale || 1),
    unit: config.units && config.units[reading.metric],
    ts: reading.ts,
  };
  await broadcast(config.subscribers || [], payload);

  // Checkpoint for the on-call runbook: last message this container handled.
  fs.writeFileSync(CHECKPOINT_PATH, JSON.stringify({ messageId: record.messageId, ts: Date.now() }));
}

exports.handler = async (event) => {
  const ddb = new DynamoDBClient({});
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await processRecord(ddb, record);
    } catch (err) {
      console.error(`record ${record.messageId} failed`, err);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
