import { STATUS_TITLES_ZH, zhSentence } from '@cadre-ledger/domain';
import type { Problem } from './problem';

export type Language = 'en' | 'zh';

/**
 * The language a caller reads, from `Accept-Language` (RFC 9110): the most preferred language
 * tag with a positive weight that the ledger speaks, Chinese (`zh`, `zh-CN`, `zh-Hans`, …) or
 * English; English when none is named.
 */
export function languageOf(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranked = text
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.tag.length > 0 && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-') || tag === '*') return 'en';
  }
  return 'en';
}

/** class-validator's English sentences, as Chinese (the field names stay as the API spells them). */
const VALIDATION_ZH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^property (\S+) should not exist$/, (m) => `不应有字段 ${m[1]}`],
  [/^(\S+) must be one of the following values: (.*)$/, (m) => `${m[1]} 须为以下之一:${m[2]}`],
  [/^(\S+) should not be null or undefined$/, (m) => `${m[1]} 不能为空`],
  [/^(\S+) must be an integer number$/, (m) => `${m[1]} 须为整数`],
  [/^(\S+) must be a string$/, (m) => `${m[1]} 须为字符串`],
  [/^(\S+) must be a boolean value$/, (m) => `${m[1]} 须为布尔值(true/false)`],
  [/^(\S+) must be a number.*$/, (m) => `${m[1]} 须为数字`],
  [/^(\S+) must not be less than (\S+)$/, (m) => `${m[1]} 不能小于 ${m[2]}`],
  [/^(\S+) must not be greater than (\S+)$/, (m) => `${m[1]} 不能大于 ${m[2]}`],
  [/^(\S+) must be shorter than or equal to (\d+) characters$/, (m) => `${m[1]} 不能超过 ${m[2]} 个字符`],
  [/^(\S+) must be a YYYY-MM-DD calendar date$/, (m) => `${m[1]} 须为 YYYY-MM-DD 格式的日期`],
  [/^(\S+) must be an RFC 3339 timestamp$/, (m) => `${m[1]} 须为 RFC 3339 时间`],
  [/^(\S+) must not be blank$/, (m) => `${m[1]} 不能为空白`],
  [/^(\S+) must match (.*)$/, (m) => `${m[1]} 格式不正确(须符合 ${m[2]})`],
  [/^(\S+) must be an array$/, (m) => `${m[1]} 须为数组`],
  [/^(\S+) must be an object$/, (m) => `${m[1]} 须为对象`],
];

function validationZh(message: string): string {
  for (const [pattern, render] of VALIDATION_ZH) {
    const match = pattern.exec(message);
    if (match) return render(match);
  }
  return message;
}

/** The same problem in Chinese: title and detail translated, the code and every other member unchanged. */
export function localized(problem: Problem, language: Language): Problem {
  if (language === 'en') return problem;
  const code = problem.type.slice(problem.type.lastIndexOf(':') + 1);
  const extensions = problem as unknown as Record<string, unknown>;
  const errors = Array.isArray(extensions.errors) ? (extensions.errors as { field: string; message: string }[]).map((e) => ({ ...e, message: validationZh(e.message) })) : undefined;
  return {
    ...problem,
    title: STATUS_TITLES_ZH[problem.status] ?? problem.title,
    detail: zhSentence(code, extensions) ?? problem.detail,
    ...(errors ? { errors } : {}),
  };
}
