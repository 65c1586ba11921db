import type { CadreEvent, DecidedEvent, LedgerEvent } from '../events';
import type { LedgerCommand } from '../commands';
import type { CadreRegistered } from '../cadres/events';
import type { CommandMetadata, EventMetadata } from '../shared/messages';
import type { LocalDate } from '../shared/local-date';
import type { Position } from '../shared/vocabulary';

/**
 * Small builders for decider specs. A command built here and the event it should produce share the
 * same defaults (actor, documentRef), so a spec only spells out what the case is about.
 */

/** The server's today in the specs; an `effectiveAt` after it is refused. */
export const TODAY: LocalDate = '2021-06-30';
export const ACTOR = 'zzb-wang-li'; // 组织部 王丽
export const CADRE_ID = 'c-001';
export const UNIT_ID = 'ningshan-fgj'; // 宁陕县发展和改革局
export const DOCUMENT_REF = '陕办发〔2018〕24号';

export const bureauChief: Position = { title: '宁陕县发展和改革局局长', level: 'township-chief', leadership: true, principal: true };
export const deputyCountyHead: Position = { title: '宁陕县人民政府副县长', level: 'county-deputy', leadership: true, principal: false };
export const researcher: Position = { title: '宁陕县发展和改革局四级调研员', level: 'township-chief', leadership: false, principal: false };
export const deputyBureauChief: Position = { title: '宁陕县发展和改革局副局长', level: 'township-deputy', leadership: true, principal: false };

type EventOf<T extends LedgerEvent['type']> = Extract<LedgerEvent, { type: T }>;
type CommandOf<T extends LedgerCommand['type']> = Extract<LedgerCommand, { type: T }>;
/** The data of a command type, e.g. `CommandData<'PromoteCadre'>`. */
export type CommandData<T extends LedgerCommand['type']> = CommandOf<T>['data'];

/** A decided event; `metadata` needs at least the eventId and the effective date. */
export function event<T extends LedgerEvent['type']>(
  type: T,
  data: EventOf<T>['data'],
  metadata: Pick<EventMetadata, 'eventId' | 'effectiveAt'> & Partial<EventMetadata>,
): DecidedEvent<EventOf<T>> {
  return { type, data, metadata: { actor: ACTOR, documentRef: DOCUMENT_REF, ...metadata } } as DecidedEvent<EventOf<T>>;
}

/** A command with metadata {eventId, actor, today, documentRef}; the defaults match `event`'s. */
export function command<T extends LedgerCommand['type']>(
  type: T,
  data: CommandOf<T>['data'],
  metadata: Pick<CommandMetadata, 'eventId'> & Partial<CommandMetadata>,
): CommandOf<T> {
  return { type, data, metadata: { actor: ACTOR, today: TODAY, documentRef: DOCUMENT_REF, ...metadata } } as CommandOf<T>;
}

/** 张建国, registered at the 宁陕县发改局 on 2016-03-01: the start of every cadre stream in the specs. */
export function registered(
  data: Partial<CadreRegistered['data']> = {},
  metadata: Partial<EventMetadata> = {},
): DecidedEvent<CadreRegistered> {
  return event(
    'CadreRegistered',
    { cadreId: CADRE_ID, name: '张建国', unitId: UNIT_ID, jurisdiction: 'CN-SN', position: bureauChief, ...data },
    { eventId: 'e-registered', effectiveAt: '2016-03-01', ...metadata },
  );
}

/** `EntryRetracted` as the ledger records it: effective on the day it was made. */
export function retraction(eventId: string, targetId: string, effectiveAt: LocalDate = TODAY): DecidedEvent<CadreEvent> {
  return event('EntryRetracted', { eventId: targetId, reason: '录入错误，撤回' }, { eventId, effectiveAt });
}
