import type { Message, Noted } from '../shared/messages';
import type { FindingCategory } from '../shared/vocabulary';

/** A 领导班子研判 result about one cadre (陕西 能上能下办法 第七条). */
export type CadreFindingRecorded = Message<'CadreFindingRecorded', Noted & { category: FindingCategory; kind: string }>;
