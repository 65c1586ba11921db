import type { PositionLevel, UnitLevel } from '@cadre-ledger/domain';

/** The demo's three jurisdictions: 陕西 and 张家界 with their own rule sets, and the national baseline. */
export interface DemoJurisdiction {
  code: 'CN-SN' | 'CN-HN-ZJJ' | 'CN';
  /** Short id prefix for cadres and units. */
  key: string;
  /** 文号 prefixes of the organisation department, the discipline commission and the assessment office. */
  refs: { organization: string; discipline: string; assessment: string };
  actors: { organization: string; discipline: string; assessment: string };
  /** The unit the others sit under (registered, not assessed): a department's level is its parent's. */
  seat: { id: string; name: string; level: UnitLevel };
  /** The units cadres serve in, registered under the seat and assessed every year. */
  units: { id: string; name: string; level: UnitLevel }[];
  /** Tolerance situation codes and the first year they can be used (the rule set's effective date). */
  tolerance?: { codes: string[]; fromYear: number };
}

export const JURISDICTIONS: DemoJurisdiction[] = [
  {
    code: 'CN-SN',
    key: 'sn',
    refs: { organization: '陕组干', discipline: '陕纪发', assessment: '陕考核办' },
    actors: { organization: 'org-陕西省委组织部', discipline: 'disc-陕西省纪委监委', assessment: 'assess-陕西省考核办' },
    seat: { id: 'seat', name: '陕西省', level: 'province' },
    units: [
      { id: 'fgw', name: '陕西省发展和改革委员会', level: 'department' },
      { id: 'jtt', name: '陕西省交通运输厅', level: 'department' },
      { id: 'sjt', name: '陕西省水利厅', level: 'department' },
      { id: 'ak-zf', name: '安康市人民政府', level: 'city' },
    ],
    tolerance: { codes: ['SN-1', 'SN-2', 'SN-3', 'SN-4', 'SN-5', 'SN-6', 'SN-7', 'SN-8', 'SN-9', 'SN-10', 'SN-11'], fromYear: 2019 },
  },
  {
    code: 'CN-HN-ZJJ',
    key: 'zjj',
    refs: { organization: '张组通', discipline: '张纪发', assessment: '张考办' },
    actors: { organization: 'org-张家界市委组织部', discipline: 'disc-张家界市纪委监委', assessment: 'assess-张家界市考核办' },
    seat: { id: 'seat', name: '张家界市', level: 'city' },
    units: [
      { id: 'wlj', name: '张家界市文化旅游广电体育局', level: 'department' },
      { id: 'yd-zf', name: '永定区人民政府', level: 'county' },
      { id: 'cl-zf', name: '慈利县人民政府', level: 'county' },
    ],
    tolerance: { codes: ['ZJJ-1', 'ZJJ-2', 'ZJJ-3', 'ZJJ-4', 'ZJJ-5', 'ZJJ-6', 'ZJJ-7', 'ZJJ-8'], fromYear: 2022 },
  },
  {
    code: 'CN',
    key: 'cn',
    refs: { organization: '中组干', discipline: '中纪发', assessment: '考核' },
    actors: { organization: 'org-中央组织部', discipline: 'disc-中央纪委国家监委', assessment: 'assess-考核办' },
    seat: { id: 'seat', name: '国务院某部委', level: 'province' },
    units: [
      { id: 'gwy-a', name: '国务院某部委办公厅', level: 'department' },
      { id: 'gwy-b', name: '国务院某部委规划司', level: 'department' },
    ],
  },
];

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧'];
export const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '建华', '志强', '海燕', '晓东', '国庆', '红梅', '立新', '文博', '雪梅', '振华', '春生', '卫东'];

/** Levels the demo's cadres move between, lowest first, with a title for each. */
export const LADDER: { level: PositionLevel; title: string }[] = [
  { level: 'township-deputy', title: '副科长' },
  { level: 'township-chief', title: '科长' },
  { level: 'county-deputy', title: '副处长' },
  { level: 'county-chief', title: '处长' },
  { level: 'bureau-deputy', title: '副局长' },
  { level: 'bureau-chief', title: '局长' },
];

export const COMMENDATION_TITLES = ['脱贫攻坚先进个人', '优秀共产党员', '抗洪抢险先进个人', '疫情防控先进个人', '优秀公务员', '营商环境建设先进个人'];
export const TALK_REASONS = ['工作作风不实，群众反映较多', '落实重点工作进度滞后', '履行主体责任不到位', '会议纪律松弛'];
export const CAUTION_REASONS = ['落实重点工作不力，造成不良影响', '违规发放津贴补贴', '项目审批把关不严', '安全生产监管不到位'];
export const FINDINGS_SUMMARIES = ['为推进项目建设先行先试，程序瑕疵，未谋取私利', '按会议集体决策执行，因政策调整造成损失', '应急处置中临机决断，出现一定失误'];
