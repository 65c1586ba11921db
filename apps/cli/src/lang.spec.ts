import { CLI_TEXT, lang, setLang, t, takeLanguage } from './lang';

describe('the CLI\'s language', () => {
  afterEach(() => setLang('en'));

  it.each([
    [['node', 'ledger', 'replay', 'c-1', '--lang', 'zh'], {}, 'zh', ['node', 'ledger', 'replay', 'c-1']],
    [['node', 'ledger', '--lang=en', 'verify'], { LANG: 'zh_CN.UTF-8' }, 'en', ['node', 'ledger', 'verify']],
    [['node', 'ledger', 'verify'], { LANG: 'zh_CN.UTF-8' }, 'zh', ['node', 'ledger', 'verify']],
    [['node', 'ledger', 'verify'], { LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' }, 'zh', ['node', 'ledger', 'verify']],
    [['node', 'ledger', 'verify'], { LANG: 'en_US.UTF-8' }, 'en', ['node', 'ledger', 'verify']],
    [['node', 'ledger', 'verify'], {}, 'en', ['node', 'ledger', 'verify']],
  ])('%j with %j speaks %s', (argv, env, language, rest) => {
    expect(takeLanguage(argv, env)).toEqual({ argv: rest, lang: language });
  });

  it('refuses a language it does not speak', () => {
    expect(takeLanguage(['node', 'ledger', '--lang', 'fr'], {})).toMatchObject({ invalid: 'fr' });
  });

  it('says every message in both languages, the Chinese one in Chinese', () => {
    const samples = (key: keyof typeof CLI_TEXT) => {
      const text = CLI_TEXT[key];
      const params = typeof text.en === 'function' ? Array.from({ length: text.en.length }, () => 'x') : [];
      return params;
    };
    for (const key of Object.keys(CLI_TEXT) as (keyof typeof CLI_TEXT)[]) {
      setLang('en');
      const en = t(key as never, ...(samples(key) as never[]));
      setLang('zh');
      const zh = t(key as never, ...(samples(key) as never[]));
      expect(en.length).toBeGreaterThan(0);
      if (key !== 'error') expect(zh).toMatch(/\p{Script=Han}/u);
      expect(lang()).toBe('zh');
    }
  });
});
