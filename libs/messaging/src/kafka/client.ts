import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type logCreator, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@cadre-ledger/platform';

/** Where kafkajs' own log lines go: the service's logger, with kafkajs' namespace and fields. */
export type KafkaLogSink = (level: 'error' | 'warn' | 'info' | 'debug', message: string, fields: Record<string, unknown>) => void;

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };

/** kafkajs' logCreator writing to the sink (kafkajs otherwise prints JSON of its own to the console). */
export function routedLogs(sink: KafkaLogSink): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log as { message: string; timestamp?: string; logger?: string } & Record<string, unknown>;
      sink(LEVELS[level] ?? 'info', `kafka ${namespace}: ${message}`, fields);
    };
}

/**
 * kafkajs' client options from the ledger's configuration: brokers, client id, SASL (PLAIN or
 * SCRAM) and TLS (the CA, and a client certificate for mutual TLS, read from their files), logs
 * routed to the service's logger. Every Kafka client of the ledger is made here.
 */
export function kafkaClientOptions(config: Pick<KafkaConfig, 'brokers' | 'clientId' | 'sasl' | 'tls'>, sink?: KafkaLogSink, clientSuffix?: string): KafkaJsConfig {
  const options: KafkaJsConfig = {
    brokers: [...config.brokers],
    clientId: clientSuffix ? `${config.clientId}-${clientSuffix}` : config.clientId,
    logLevel: logLevel.WARN,
    ...(sink ? { logCreator: routedLogs(sink) } : {}),
  };
  if (config.tls) {
    options.ssl = {
      rejectUnauthorized: true,
      ...(config.tls.caFile ? { ca: [readFileSync(config.tls.caFile, 'utf8')] } : {}),
      ...(config.tls.certFile ? { cert: readFileSync(config.tls.certFile, 'utf8') } : {}),
      ...(config.tls.keyFile ? { key: readFileSync(config.tls.keyFile, 'utf8') } : {}),
    };
  }
  if (config.sasl) options.sasl = { mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as SASLOptions;
  return options;
}

export function createKafka(config: Pick<KafkaConfig, 'brokers' | 'clientId' | 'sasl' | 'tls'>, sink?: KafkaLogSink, clientSuffix?: string): Kafka {
  return new Kafka(kafkaClientOptions(config, sink, clientSuffix));
}
