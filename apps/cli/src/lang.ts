/**
 * The CLI's language: Chinese with `--lang zh` or a Chinese locale (LC_ALL, LC_MESSAGES or LANG
 * such as zh_CN.UTF-8), English otherwise. What it says is in one catalogue with both languages
 * for every message (a message without its Chinese does not compile); a refusal of the ledger is
 * said in the domain's Chinese catalogue (`zhDetail`).
 */
export type Lang = 'en' | 'zh';

let current: Lang = 'en';
export const lang = (): Lang => current;
export const setLang = (value: Lang): void => {
  current = value;
};

/** `--lang zh|en` (taken out of argv: every command accepts it), else the locale. */
export function takeLanguage(argv: string[], env: NodeJS.ProcessEnv): { argv: string[]; lang: Lang; invalid?: string } {
  const rest: string[] = [];
  let chosen: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lang' && i + 1 < argv.length) chosen = argv[++i];
    else if (arg.startsWith('--lang=')) chosen = arg.slice('--lang='.length);
    else rest.push(arg);
  }
  if (chosen !== undefined) return chosen === 'zh' || chosen === 'en' ? { argv: rest, lang: chosen } : { argv: rest, lang: 'en', invalid: chosen };
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return { argv: rest, lang: /^zh([_-]|$)/i.test(locale) ? 'zh' : 'en' };
}

type Text = string | ((...params: never[]) => string);
type Pair = { en: Text; zh: Text };

export const CLI_TEXT = {
  error: { en: 'ledger:', zh: 'ledger:' },
  badLang: { en: (v: string) => `--lang ${JSON.stringify(v)}: zh or en`, zh: (v: string) => `--lang ${JSON.stringify(v)}:应为 zh 或 en` },
  noCadre: { en: (id: string, at: string) => `no cadre ${id} in the records as of ${at}`, zh: (id: string, at: string) => `截至 ${at} 的记录中没有干部 ${id}` },
  // replay
  replayHeader: { en: (id: string, asOf: string, knownAt: string) => `cadre ${id} · as of ${asOf} · as recorded by ${knownAt}`, zh: (id: string, asOf: string, knownAt: string) => `干部 ${id} · 截至 ${asOf} · 依 ${knownAt} 时的记录` },
  replayColumns: { en: '#|effective|recorded|fact|actor|document ref|effects (rule, clause)', zh: '序号|生效日期|记录时间|事实|录入者|文号|产生的效果(规则、条款)' },
  laterFacts: { en: (n: number, asOf: string) => `(${n} later fact(s) take effect after ${asOf} and are not shown)`, zh: (n: number, asOf: string) => `(另有 ${n} 项事实在 ${asOf} 之后生效,未列出)` },
  holds: { en: 'holds', zh: '有效' },
  ended: { en: 'ended', zh: '已结束' },
  since: { en: (from: string) => `since ${from}`, zh: (from: string) => `自 ${from}` },
  openEnded: { en: '(open-ended)', zh: '(无期限)' },
  verdictColumns: { en: (asOf: string) => `verdict|on ${asOf}`, zh: (asOf: string) => `结论|${asOf}` },
  promotable: { en: 'promotable', zh: '可否提拔' },
  yes: { en: 'yes', zh: '可以' },
  no: { en: 'NO', zh: '不可以' },
  ruleSets: { en: 'rule sets', zh: '规则集' },
  locks: { en: 'locks', zh: '影响期限制' },
  priorities: { en: 'priorities', zh: '优先使用' },
  reviewTriggers: { en: 'review triggers', zh: '研判调整情形' },
  conditions: { en: 'conditions', zh: '附加条件' },
  benefits: { en: 'benefits', zh: '激励待遇' },
  // import (NDJSON)
  importColumns: { en: 'lines|imported|already stored|refused|seconds|facts/s', zh: '行数|已导入|此前已导入|拒绝|秒|每秒事实数' },
  importStopped: { en: (line: number) => `stopped at line ${line} (--on-error stop); nothing after it was imported`, zh: (line: number) => `在第 ${line} 行停止(--on-error stop);其后各行均未导入` },
  // verify
  verifyColumns: { en: 'events|streams|hash formats|signed heads|saved heads|not yet covered|read-audit records|result', zh: '事件|记录流|哈希格式|签名树头|保存的树头|尚未覆盖|读取审计记录|结果' },
  intact: { en: 'intact', zh: '完好' },
  findings: { en: (n: number) => `${n} finding(s)`, zh: (n: number) => `发现 ${n} 处问题` },
  findingColumns: { en: 'what|stream|revision|eventId|position|detail', zh: '问题|记录流|版本|事件编号|位置|说明' },
  streamColumns: { en: 'cadre|events checked|result', zh: '干部|校验事件数|结果' },
  chainIntact: { en: 'hash chain intact', zh: '哈希链完好' },
  chainAltered: { en: (revision: number, eventId: string) => `ALTERED at revision ${revision} (eventId ${eventId})`, zh: (revision: number, eventId: string) => `在版本 ${revision} 处被篡改(事件 ${eventId})` },
  noPublicKey: { en: "no public key (--public-key, or a configured signing key): the heads' signatures were not checked", zh: '没有公钥(--public-key,或已配置的签名密钥):未校验树头签名' },
  keyChecked: { en: (source: string) => `heads' signatures checked against the key from ${source}`, zh: (source: string) => `树头签名已用 ${source} 的公钥校验` },
  noHead: { en: 'no signed head: deletions at the end of the ledger and rewrites of everything cannot be told apart from a ledger that never had them', zh: '没有签名树头:无法区分账本末尾被删除或整体被改写的情况' },
  uncovered: { en: (n: number) => `${n} event(s) after the newest signed head: checked, but no signed head covers them yet`, zh: (n: number) => `最新签名树头之后有 ${n} 个事件:已校验,但尚无签名树头覆盖` },
  witnessChecked: {
    en: (quorum: string, size: number, where: string) => `the last checkpoint cosigned by the policy's quorum, ${quorum}: tree size ${size} (${where})`,
    zh: (quorum: string, size: number, where: string) => `策略所要求的见证方(${quorum})最后共同签署的检查点:树大小 ${size}(来自 ${where})`,
  },
  unwitnessedEvents: {
    en: (n: number, size: number) => `${n} event(s) after tree size ${size}: signed by the ledger, not yet cosigned by the policy's witnesses`,
    zh: (n: number, size: number) => `树大小 ${size} 之后有 ${n} 个事件:账本已签名,尚未经策略所列见证方共同签署`,
  },
  witnessUnreachable: { en: (source: string, problem: string) => `${source}: not asked (${problem})`, zh: (source: string, problem: string) => `${source}:未能查询(${problem})` },
  checkpointRefused: { en: (source: string, problem: string) => `${source}: a checkpoint the policy does not accept: ${problem}`, zh: (source: string, problem: string) => `${source}:策略不接受的检查点:${problem}` },
  // audit conflicts
  conflictColumns: { en: 'promoted on|cadre|unit|lock|rule|clause|known at the promotion|lock recorded', zh: '提拔日期|干部|单位|影响期|规则|条款|提拔时已记录|影响期事实记录时间' },
  conflictsNone: { en: 'no promotion inside a lock', zh: '没有影响期内的提拔' },
  conflictsCount: { en: (n: number, people: number) => `${n} (promotion, lock) pair(s), ${people} cadre(s)`, zh: (n: number, people: number) => `共 ${n} 对(提拔、影响期),涉及 ${people} 名干部` },
  readModelsBehind: {
    en: 'the read models have not taken in every event yet (run the projector, or ledger rebuild): this answer may miss the newest facts',
    zh: '读模型尚未处理全部事件(请运行投影进程或 ledger rebuild):此结果可能缺少最新的事实',
  },
  noReadModels: { en: 'the read models are not built in this database: run ledger rebuild first', zh: '本数据库尚未建立读模型:请先运行 ledger rebuild' },
  knownThen: { en: 'yes', zh: '是' },
  foundLater: { en: 'NO (found later)', zh: '否(事后发现)' },
} satisfies Record<string, Pair>;

type Catalogue = typeof CLI_TEXT;
type Params<K extends keyof Catalogue> = Catalogue[K]['en'] extends (...params: infer P) => string ? P : [];

/** A message of the catalogue in the CLI's language. */
export function t<K extends keyof Catalogue>(key: K, ...params: Params<K>): string {
  const text = CLI_TEXT[key][current] as Text;
  return typeof text === 'function' ? (text as (...p: Params<K>) => string)(...params) : text;
}

/** A `|`-separated list of table headers in the CLI's language. */
export const columns = (key: keyof Catalogue): string[] => t(key as never).split('|');
