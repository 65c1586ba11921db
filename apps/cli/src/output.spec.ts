import { table } from './output';

describe('CLI output', () => {
  it('shows stored control and bidirectional characters as escapes, never obeys them (ESC[2J cleared an auditor\'s terminal)', () => {
    const out = table(['name', 'title']);
    out.push(['张\u001b[2J三', '局长\u202e']);
    const text = out.toString();
    expect(text).not.toContain('\u001b[2J');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('张\\u{1b}[2J三');
    expect(text).toContain('局长\\u{202e}');
  });

  it('keeps the line breaks a multi-line cell is made of', () => {
    const out = table(['effects']);
    out.push(['lock caution\n  《诫勉》第五条']);
    expect(out.toString().split('\n').some((line) => line.includes('《诫勉》第五条'))).toBe(true);
  });
});
