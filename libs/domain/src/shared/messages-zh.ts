/**
 * The Chinese catalogue: one sentence per problem code, for HR departments who read Chinese (the
 * API with `Accept-Language: zh`, the CLI with `--lang zh`, the spreadsheet intake's report). The
 * English sentence of each code is the message it is raised with; a test checks that every code
 * raised anywhere has its Chinese sentence here. A sentence may use the error's details.
 */
import { procedureMessagesZh } from './procedure';
import { TOLERANCE_PROCEDURE } from '../tolerance/procedure';
import { ADJUSTMENT_PROCEDURE } from '../adjustments/procedure';

type Details = Record<string, unknown>;
type Sentence = string | ((d: Details) => string);

const list = (value: unknown) => (Array.isArray(value) ? value.join('、') : String(value ?? ''));
const quoted = (value: unknown) => (value === undefined ? '' : `"${String(value)}"`);

export const MESSAGES_ZH: Record<string, Sentence> = {
  // cadres, postings, promotions, retractions
  'cadre-already-registered': '该干部编号已登记,不能重复登记',
  'cadre-not-found': '没有这名干部(或不在您有权查看的单位)',
  'promotion-locked': (d) => `影响期内不得提拔${Array.isArray(d.locks) && d.locks.length ? `:${(d.locks as { kind?: string; until?: string | null; citation?: { document?: string; article?: string } }[]).map((l) => `${l.citation?.document ?? ''}${l.citation?.article ?? ''}(至 ${l.until ?? '结案'})`).join(';')}` : ''}`,
  'consultation-required': '影响期已满,但提拔前须征求上一级组织人事部门意见:请填写征求意见的文号(consultationRef)',
  'non-leadership-position-is-leading': '改任非领导职务后的新职务不能是领导职务',
  'removal-with-position': '免职后没有职务,不要填写新职务',
  'entry-already-retracted': '该记录已经撤回过',
  'entry-not-retractable': '这类记录不能撤回',
  'unknown-retracted-event': '要撤回的记录不是这名干部的',
  'unknown-source-event': '所依据的记录不是这名干部的',
  'unknown-promotion': '所指的记录不是这名干部的提拔',
  'conflict-occurrence': (d) => `这一对提拔与影响期应为第${String(d.expected ?? '')}次记录,与所给次数不符`,
  'effective-date-in-future': '生效日期晚于今天,不能登记尚未生效的决定',
  'effective-date-too-early': (d) => `生效日期早于本账本接受的最早日期${d.earliest ? `(${String(d.earliest)})` : ''}`,
  'invalid-date': '生效日期不是 YYYY-MM-DD 格式的日期',
  'invalid-identifier': '编号只能由字母、数字、- 和 _ 组成,以字母或数字开头,最长 64 位',
  'invalid-text': (d) => `${d.field ? `"${String(d.field)}"` : '文本'}含有不能保存的字符(控制字符、双向控制符)或为空`,
  'document-ref-too-long': '文号超过 200 个字符',
  'note-too-long': '备注超过 2000 个字符',
  'unknown-jurisdiction': '该辖区未配置规则(请使用 CN、CN-SN、CN-SN-AK、CN-HN-ZJJ 等已配置的辖区代码)',
  // incentives
  'annual-review-year-duplicate': (d) => `该年度${d.year ? `(${String(d.year)})` : ''}的年度考核已经登记`,
  'invalid-review-year': '考核年度应为 1949 年以后的整数',
  'review-year-after-decision': '考核年度晚于生效日期所在年份',
  'invalid-vote-share': '民主测评不称职票比例应在 0 到 1 之间',
  'excellence-quota-exceeded': (d) => `本单位${d.year ? `${String(d.year)}年度` : ''}优秀等次已达比例上限${d.limit !== undefined ? `(最多 ${String(d.limit)} 名,已有 ${String(d.used)} 名)` : ''};确需超出的,请填写批准文号(quotaOverrideRef)`,
  // accountability
  'invalid-sanction-kind': '处分种类与处分类别不符(党纪处分:警告、严重警告、撤销党内职务、留党察看、开除党籍;政务处分:警告、记过、记大过、降级、撤职、开除)',
  'invalid-talk-holder': '谈话人应为:组织部长、纪委监委、单位主要负责同志、其他',
  'invalid-measure-taken-by': '作出处理的管理权限应为:中管、省管、市管、县管',
  'invalid-probation-months': '留党察看期限应为 12 或 24 个月,且只适用于留党察看',
  'investigation-case-duplicate': '该立案编号已经存在',
  'investigation-not-found': '这名干部没有该立案调查',
  'investigation-already-closed': '该立案调查已经结案',
  'investigation-closed': '该立案调查已结案:请先撤回结案记录',
  'closure-before-opening': '结案日期早于立案日期',
  // tolerance
  'tolerance-case-duplicate': '该容错案件编号已经存在',
  'tolerance-case-not-found': '这名干部没有该容错案件',
  // steps out of turn: from the procedure's own description
  ...procedureMessagesZh(TOLERANCE_PROCEDURE),
  'tolerance-excluded': '查实存在谋取私利、明知故犯或上级明令禁止后我行我素的情形,不予容错(三个区分开来)',
  'unknown-situation': '该容错情形代码不属于这名干部适用的规则',
  'mitigated-to-missing': '减责认定须写明减轻后的处理(更轻的处分、组织处理或诫勉)',
  'mitigated-to-unexpected': '只有减责认定才能写减轻后的处理',
  'mitigation-not-lighter': '减轻后的处理必须比所涉每项处理都轻',
  'invalid-mitigation': '减轻后的处理填写有误',
  'covers-empty': '至少要列出一项所涉记录',
  'covers-duplicate': '同一记录列出了两次',
  'covers-later-fact': '所涉记录的日期晚于本次申请',
  'uncoverable-event': '该记录不能作为容错或澄清的对象(只能是处分、诫勉、谈话或组织调整)',
  'unknown-covered-event': '所涉记录不是这名干部的',
  'invalid-filed-with': '报备机关填写有误',
  // adjustments (能下, 第十五条)
  'invalid-adjustment-kind': '调整方式应为:调离岗位、改任非领导职务、免职、降职',
  'adjustment-case-duplicate': '该调整案件编号已经存在',
  'adjustment-case-not-found': '这名干部没有该调整案件',
  'adjustment-case-closed': '报批未获批准,案件已结束(记录在案,未作调整)',
  ...procedureMessagesZh(ADJUSTMENT_PROCEDURE),
  'cadre-not-heard': '审核时未听取干部本人说明(第十五条(二)),不能报批:请撤回审核并重新审核',
  'decision-heavier-than-approved': '决定的调整方式重于报批批准的方式',
  'kind-without-approval': '只有批准时才能写调整方式',
  'trigger-not-open': (d) => `报告所列情形在报告日期并未成立${Array.isArray(d.openTriggers) && d.openTriggers.length ? `(成立的有:${list((d.openTriggers as { ruleId: string }[]).map((t) => t.ruleId))})` : ''}`,
  'invalid-triggers': '须列出至少一项研判情形(规则编号),每项一次',
  // findings, units, quotas
  'invalid-finding-category': (d) => `认定类别不正确${d.allowedCategories ? `,可选:${list(d.allowedCategories)}` : ''}`,
  'invalid-finding-kind': (d) => `认定种类不属于该类别${d.allowedKinds ? `,可选:${list(d.allowedKinds)}` : ''}`,
  'invalid-finding-level': '事故或事件等级应为:一般、较大、重大、特别重大',
  'finding-level-required': '事故或事件须写明等级(一般、较大、重大、特别重大)',
  'finding-field-not-applicable': (d) => `该类别不适用字段${quoted(d.field)}${Array.isArray(d.allowedFields) && d.allowedFields.length ? `(可填:${list(d.allowedFields)})` : ''}`,
  'invalid-criticised-by': (d) => `通报批评机关填写有误${d.allowedCriticisedBy ? `,可选:${list(d.allowedCriticisedBy)}` : ''}`,
  'invalid-finding-year': '年度应为 1949 年至生效日期所在年份之间的整数',
  'invalid-cadre-ids': '所列干部编号有误(格式不对、重复或数量超限)',
  'invalid-unit-name': '单位名称应为 1 到 200 个字符',
  'invalid-unit-level': '单位层级应为:省级、市(区)、县(市、区)、乡镇(街道)、部门',
  'unit-already-registered': '该单位编号已登记',
  'parent-unit-not-registered': '上级单位尚未登记:请先登记上级单位',
  'department-parent-required': '部门须写明上级单位(部门的层级取其上级单位的层级)',
  'unit-own-parent': '单位不能以自己为上级单位',
  'invalid-unit-parent': '部门之下只能是部门',
  'unit-not-found': '该单位尚未登记',
  'invalid-assessment-year': '考核年度应为 1949 年以后的整数',
  'assessment-year-after-decision': '考核年度晚于生效日期所在年份',
  'unit-assessment-year-duplicate': '该单位这一年度的考核已经登记',
  'invalid-quota-year': '比例所属年度应为 1949 年至生效日期次年之间的整数',
  'invalid-headcount': '参加考核人数应为 0 到 1000000 之间的整数',
  'invalid-release-reason': '释放名额的原因填写有误',
  // the HTTP API's own
  'validation-failed': (d) => `请求中有字段不符合要求${Array.isArray(d.errors) ? `:${(d.errors as { field: string }[]).map((e) => e.field).join('、')}` : ''}`,
  'not-found': '没有这项资源,或不在您有权查看的单位',
  'no-such-route': '没有这个地址',
  'not-acceptable': '无法以所要求的格式答复:提名审查材料可取 JSON、HTML 或 PDF',
  'pdf-font-missing': '服务器上没有可嵌入 PDF 的中文字体:请安装 fonts-noto-cjk 或设置 LEDGER_PDF_FONT;JSON 和 HTML 格式仍可使用',
  unauthenticated: '未登录或令牌无效:请在 Authorization 头中提供有效的 Bearer 令牌',
  forbidden: '您的角色无权进行此操作',
  'identity-provider-unavailable': '暂时无法从身份认证系统取得密钥,请稍后再试',
  'invalid-cursor': '分页游标无效(不是本服务给出的)',
  'invalid-query': '查询参数无效',
  'concurrent-write': '同时有其他写入,请重新提交',
  'revision-mismatch': 'If-Match 所列版本与当前版本不一致:请重新读取后再提交',
  'stream-full': '该记录流已达上限,不能再写入',
  'duplicate-event-id': '事件编号已被占用',
  'service-unavailable': '数据库暂时无法访问,请稍后再试(使用同一 Idempotency-Key 重试,已写入的不会重复)',
  'access-not-recorded': '访问记录无法保存,为保证审计完整,本次读取未执行,请稍后再试',
  'malformed-json': '请求体不是有效的 JSON',
  'invalid-utf8': '请求体不是有效的 UTF-8 文本',
  'body-too-large': '请求体超过 256 KiB',
  'unsupported-encoding': '请求体须为 UTF-8 编码的 JSON',
  'bad-body': '无法读取请求体',
  'bad-content-encoding': '请求体与其 Content-Encoding 不符',
  'body-timeout': '请求体未能在规定时间内送达',
  'bad-idempotency-key': 'Idempotency-Key 格式不正确',
  'idempotency-key-reused': '同一 Idempotency-Key 已用于内容不同的请求',
  'idempotency-key-in-progress': '使用同一 Idempotency-Key 的请求仍在处理中,请稍后重试',
  busy: '服务繁忙(同类任务排队已满),请稍后再试',
  'bad-if-match': 'If-Match 格式不正确,应为带引号的版本号,如 "3"',
  'no-signing-key': '本部署未配置树头签名密钥',
  'no-tree-head': '尚未签发树头',
  'no-checkpoint': '尚无检查点(尚未签发树头,或本存储使用 SM3 哈希,检查点只适用于 SHA-256 树)',
  'not-yet-covered': '该事件尚未被签名树头覆盖,请稍后再取证明',
  'too-many-verifications': '全量校验排队已满,请稍后再试',
  'import-not-found': '没有这项导入任务',
  'unreadable-workbook': '无法读取上传的文件',
  'internal-error': '服务器未能完成请求,请联系管理员(日志中有请求编号)',
};

/** The Chinese sentence of a problem code (with its details), or undefined when the catalogue has none. */
export function zhSentence(code: string, details: Details = {}): string | undefined {
  const sentence = MESSAGES_ZH[code];
  if (sentence === undefined) return undefined;
  return typeof sentence === 'function' ? sentence(details) : sentence;
}

/** A domain error in Chinese: its catalogue sentence, or its English message when the catalogue has none. */
export function zhDetail(error: { code: string; message: string; details?: Details }): string {
  return zhSentence(error.code, error.details ?? {}) ?? error.message;
}

/** HTTP status titles in Chinese (the problem document's `title`). */
export const STATUS_TITLES_ZH: Record<number, string> = {
  400: '请求有误',
  401: '未认证',
  403: '无权操作',
  404: '未找到',
  405: '方法不允许',
  408: '请求超时',
  409: '与现有记录冲突',
  412: '版本不符',
  413: '请求体过大',
  415: '不支持的编码',
  422: '不符合规则',
  500: '服务器错误',
  501: '未实现',
  503: '服务暂不可用',
};
