// A Kafka-protocol broker on loopback for tests, brought by npm: librdkafka's own mock cluster
// (`test.mock.num.brokers`) inside the librdkafka that kafka-crab-js ships prebuilt in its
// per-platform package. librdkafka logs the mock cluster's bootstrap servers when the client
// starts ("Mock cluster enabled: … replaced with 127.0.0.1:…"); the parent reads that line from
// this process's standard output. Serves until standard input closes.
'use strict';
const { KafkaClient } = require('kafka-crab-js');

const brokers = Number(process.argv[2] || 3);
const client = new KafkaClient({
  brokers: '127.0.0.1:1', // ignored: the mock cluster replaces it
  clientId: 'cadre-ledger-test-broker',
  logLevel: 'info',
  configuration: { 'test.mock.num.brokers': String(brokers) },
});
const producer = client.createProducer({});
process.stdin.resume();
process.stdin.on('end', () => {
  void producer; // held until here: the cluster lives as long as its client
  process.exit(0);
});
