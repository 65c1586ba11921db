import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import { command, event, registered } from '../testing/builders';
import { printable, textProblem } from './text';

const spec = cadreDeciderSpec(stubPolicy());

describe('textProblem', () => {
  it.each([
    ['name', '赵文清'],
    ['title', '宁陕县发展和改革局 局长'],
    ['note', '第一行\n第二行'],
    ['note', 'Windows 换行\r\n也可以'],
    ['reason', '多行\n原因'],
  ])('lets %s hold %j', (field, value) => {
    expect(textProblem(field, value)).toBeNull();
  });

  it.each([
    ['name', '张\u001b[2J三', 'control character'],
    ['name', '张三\n李四', 'control character'],
    ['title', 'tab\there', 'control character'],
    ['note', 'bell\u0007', 'control character'],
    ['note', 'lone CR\rhere', 'control character'],
    ['name', 'C1 \u0085', 'control character'],
    ['name', '\u202e三张', 'bidirectional'],
    ['name', '张\u2067三', 'bidirectional'],
    ['name', '\u200b\u200b', 'looks empty'],
    ['name', '\u3000 \u00a0', 'looks empty'],
    ['name', '\u3164', 'looks empty'],
    ['position.title', '\ufeff', 'looks empty'],
    ['name', 'bad \ud800 surrogate', 'surrogate'],
  ])('refuses %s = %j', (field, value, what) => {
    expect(textProblem(field, value)).toContain(what);
  });

  it('escapes what a terminal would obey', () => {
    expect(printable('张\u001b[2J三\u202e')).toBe('张\\u{1b}[2J三\\u{202e}');
    expect(printable('赵文清')).toBe('赵文清');
  });
});

describe('every command refuses text that cannot be shown safely', () => {
  it('names the field (a nested one too) and appends nothing', () => {
    const error = spec
      .given([registered()])
      .when(command('TransferCadre', { unitId: 'u-2', position: { title: '局长\u202e', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2020-01-01' }, { eventId: 'e-t' }))
      .thenThrows('invalid-text', 'invalid');
    expect(error.details).toEqual({ field: 'position.title' });
  });

  it('checks documentRef too', () => {
    spec
      .given([registered()])
      .when(command('IssueCaution', { reason: '工作不力', effectiveAt: '2020-01-01' }, { eventId: 'e-c', documentRef: '陕纪\u0000〔2020〕1号' }))
      .thenThrows('invalid-text', 'invalid');
  });
});

describe('effective dates', () => {
  it('refuses a date before 1900 by default (year 0000 is a typing error)', () => {
    spec.given([registered()]).when(command('IssueCaution', { reason: '工作不力', effectiveAt: '0000-01-01' }, { eventId: 'e-c' })).thenThrows('effective-date-too-early', 'unprocessable');
    spec.given([registered()]).when(command('IssueCaution', { reason: '工作不力', effectiveAt: '1899-12-31' }, { eventId: 'e-c' })).thenThrows('effective-date-too-early', 'unprocessable');
  });

  it('accepts 1900-01-01, and honours a configured earliest date', () => {
    spec
      .given([registered()])
      .when(command('IssueCaution', { reason: '工作不力', effectiveAt: '1900-01-01' }, { eventId: 'e-c' }))
      .then([event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-c', effectiveAt: '1900-01-01' })]);
    spec
      .given([registered()])
      .when(command('IssueCaution', { reason: '工作不力', effectiveAt: '1948-12-31' }, { eventId: 'e-c', earliest: '1949-10-01' }))
      .thenThrows('effective-date-too-early', 'unprocessable');
  });

  it('keeps facts dated before the registration valid (histories are entered late)', () => {
    spec
      .given([registered()])
      .when(command('IssueCaution', { reason: '工作不力', effectiveAt: '2010-05-01' }, { eventId: 'e-c' }))
      .then([event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-c', effectiveAt: '2010-05-01' })]);
  });
});
