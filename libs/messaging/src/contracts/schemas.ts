import { createHash } from 'node:crypto';
import { z } from 'zod/v4';
import { LedgerEventMessageV2, PAYLOADS_V2 } from './ledger-event.v2';
import { LedgerEventMessageV3, PAYLOADS_V3 } from './ledger-event.v3';
import { EligibilityMessageV2 } from './eligibility.v2';
import { StatsMessageV1 } from './stats.v1';

/** v1 of the events and eligibility contracts, as published since the first release: deprecated, still published (KAFKA_PUBLISH_V1). */
const LedgerEventMessageV1 = z
  .object({
    contract: z.literal('cadre-ledger.event.v1'),
    eventId: z.string(),
    type: z.string(),
    schemaVersion: z.number().int(),
    subject: z.object({ kind: z.enum(['cadre', 'unit']), id: z.string() }),
    revision: z.number().int(),
    globalPosition: z.number().int(),
    effectiveAt: z.string(),
    recordedAt: z.string(),
    actor: z.string(),
    documentRef: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).meta({ description: 'the stored event data as it is: its shape is not part of this contract (use v2)' }),
    hash: z.string(),
    prevHash: z.string(),
  })
  .meta({ deprecated: true });
const EligibilityMessageV1 = z
  .object({
    contract: z.literal('cadre-ledger.eligibility.v1'),
    cadreId: z.string(),
    unitId: z.string(),
    asOf: z.string(),
    promotable: z.boolean(),
    verdict: z.record(z.string(), z.unknown()).meta({ description: 'the policy engine\'s verdict as it is: its shape is not part of this contract (use v2)' }),
  })
  .meta({ deprecated: true });

/** Every contract the ledger publishes, by name (= its `contract` member and its schema's file name). */
/** `payloads`: an event contract's payload per type, each typed by `type` in its schema. */
export const CONTRACTS: Readonly<Record<string, { schema: z.ZodType; topic: string; deprecated?: true; personal: boolean; payloads?: Record<string, z.ZodType> }>> = {
  'cadre-ledger.event.v1': { schema: LedgerEventMessageV1, topic: 'cadre-ledger.events.v1', deprecated: true, personal: true },
  'cadre-ledger.event.v2': { schema: LedgerEventMessageV2, topic: 'cadre-ledger.events.v2', personal: true, payloads: PAYLOADS_V2 },
  'cadre-ledger.event.v3': { schema: LedgerEventMessageV3, topic: 'cadre-ledger.events.v3', personal: true, payloads: PAYLOADS_V3 },
  'cadre-ledger.eligibility.v1': { schema: EligibilityMessageV1, topic: 'cadre-ledger.eligibility.v1', deprecated: true, personal: true },
  'cadre-ledger.eligibility.v2': { schema: EligibilityMessageV2, topic: 'cadre-ledger.eligibility.v2', personal: true },
  'cadre-ledger.stats.v1': { schema: StatsMessageV1, topic: 'cadre-ledger.stats.v1', personal: false },
};

/** The JSON Schema (draft 2020-12) of a contract, as written to docs/contracts/<name>.schema.json. */
export function contractJsonSchema(name: string): Record<string, unknown> {
  const contract = CONTRACTS[name];
  if (!contract) throw new Error(`no contract ${name}`);
  const schema = z.toJSONSchema(contract.schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  if (contract.payloads) typedPayloads(schema, contract.payloads);
  return { $id: `https://cadre-ledger.invalid/contracts/${name}.schema.json`, title: name, ...schema, 'x-topic': contract.topic, 'x-personal-data': contract.personal, ...(contract.deprecated ? { deprecated: true } : {}) };
}

/** The text of a schema file, and the digest the lock file keeps of it. */
export function contractSchemaText(name: string): string {
  return `${JSON.stringify(contractJsonSchema(name), null, 2)}\n`;
}
export const schemaDigest = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * The event envelope's `payload`, typed by `type`: one definition per event type, and an
 * if/then per type, so that a validator checks each payload against its own type's schema.
 */
function typedPayloads(schema: Record<string, unknown>, payloads: Record<string, z.ZodType>): void {
  const properties = schema.properties as Record<string, unknown>;
  properties.payload = { type: 'object', description: 'the payload of the event\'s `type`: $defs/<type>Payload' };
  const defs: Record<string, unknown> = {};
  for (const [type, payload] of Object.entries(payloads)) {
    const { $schema: _ignored, ...definition } = z.toJSONSchema(payload, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
    defs[`${type}Payload`] = definition;
  }
  schema.$defs = defs;
  schema.allOf = Object.keys(payloads).map((type) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { properties: { payload: { $ref: `#/$defs/${type}Payload` } } },
  }));
}
