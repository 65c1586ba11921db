import { inScope, scopeFor, seesOnlySuppressedFigures } from './permissions';

describe('scopeFor', () => {
  it('grants a write to a role of the table within its units, and nothing to a role outside it', () => {
    const scope = scopeFor(['discipline'], ['u-1'], { write: 'sanctions' });
    expect(scope).toEqual({ all: false, units: new Set(['u-1']) });
    expect(inScope(scope!, 'u-1')).toBe(true);
    expect(inScope(scope!, 'u-2')).toBe(false);
    expect(scopeFor(['discipline'], ['*'], { write: 'promotions' })).toBeNull();
    expect(scopeFor(['auditor'], ['*'], { write: 'cautions' })).toBeNull();
  });

  it('lets the auditor read everything everywhere, whatever its units', () => {
    expect(scopeFor(['auditor'], [], { read: 'history' })).toEqual({ all: true });
    expect(scopeFor(['auditor'], ['u-1'], { read: 'verification' })).toEqual({ all: true });
  });

  it('gives the dashboard stats only, within its units (API.md: the unit scope is checked on every call)', () => {
    expect(scopeFor(['dashboard'], ['*'], { read: 'stats' })).toEqual({ all: true });
    expect(scopeFor(['dashboard'], ['u-a'], { read: 'stats' })).toEqual({ all: false, units: new Set(['u-a']) });
    expect(scopeFor(['dashboard'], ['*'], { read: 'cadres' })).toBeNull();
  });

  it('suppresses small counts for the dashboard role alone, not for a token that may also read them in full', () => {
    expect(seesOnlySuppressedFigures(['dashboard'])).toBe(true);
    expect(seesOnlySuppressedFigures(['dashboard', 'admin'])).toBe(false);
    expect(seesOnlySuppressedFigures(['dashboard', 'auditor'])).toBe(false);
    expect(seesOnlySuppressedFigures(['dashboard', 'organization'])).toBe(true);
    expect(seesOnlySuppressedFigures(['admin'])).toBe(false);
  });

  it('reads "*" as every unit, and combines roles to the widest grant', () => {
    expect(scopeFor(['organization'], ['*'], { read: 'cadres' })).toEqual({ all: true });
    expect(scopeFor(['assessment', 'auditor'], ['u-1'], { read: 'history' })).toEqual({ all: true });
    expect(scopeFor(['assessment'], ['u-1'], { read: 'history' })).toBeNull();
    expect(scopeFor(['unknown-role'], ['*'], { read: 'cadres' })).toBeNull();
  });
});
