import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';

/**
 * The repository stands alone (STYLE.md, "Names, comments and documents"): every document that code,
 * comments, rule data, scenarios, tests and Markdown cite exists in the repository, and every section
 * cited by its quoted heading (`API.md, "Import modes"`, `ARCHITECTURE.md ("Shape")`) is a heading of
 * that document, or the start of one. A document named without a folder is looked up beside the
 * citing file, at the root and in docs/ (where API.md, ARCHITECTURE.md, RULEBOOK.md and STYLE.md
 * live). A quote after a colon (`STYLE.md: "no input makes the API answer 500"`) is the document's
 * words, and must be in it. Markdown links to files in the repository must resolve too.
 */
const ROOT = resolve(__dirname, '..', '..');

/** Not ours to cite from (vendored schemas and CRDs, legal texts, build and test output). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'coverage', '.data', 'test-output', '.scratch', 'tmp']);
const SKIPPED_PATHS = ['deploy/k8s/crds', 'deploy/schemas/compose-spec', 'bench/results'];
const SCANNED_EXTENSIONS = ['.ts', '.js', '.cjs', '.mjs', '.yaml', '.yml', '.json', '.md'];
const SCANNED_NAMES = ['Dockerfile', 'run'];
const SKIPPED_FILES = ['package-lock.json'];

interface SourceFile {
  /** Relative to the repository root, with `/`. */
  path: string;
  text: string;
}

interface Repository {
  exists(path: string): boolean;
  read(path: string): string;
}

function filesOf(directory: string): SourceFile[] {
  const found: SourceFile[] = [];
  for (const name of readdirSync(join(ROOT, directory))) {
    const path = directory ? `${directory}/${name}` : name;
    if (SKIPPED_DIRECTORIES.has(name) || SKIPPED_PATHS.includes(path)) continue;
    const stat = statSync(join(ROOT, path));
    if (stat.isDirectory()) found.push(...filesOf(path));
    else if ((SCANNED_EXTENSIONS.includes(extname(name)) || SCANNED_NAMES.includes(name)) && !SKIPPED_FILES.includes(name)) {
      found.push({ path, text: readFileSync(join(ROOT, path), 'utf8') });
    }
  }
  return found;
}

/** Lines joined, comment leaders (` * `, `//`, `#`) dropped, so that a quote broken over lines reads whole. */
function joined(text: string): string {
  return text.replace(/\\"/g, '"').replace(/\r?\n[ \t]*(?:\*(?!\/)|\/\/+|#+)?[ \t]*/g, ' ');
}

/** URLs name documents elsewhere on purpose; they are not citations of this repository's documents. */
function withoutUrls(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s)>\]"'`]+/gi, ' ');
}

const normalized = (text: string) => text.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** The headings of a Markdown document, outside its fenced code. */
function headingsOf(markdown: string): string[] {
  return [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)].map((m) => normalized(m[1]));
}

/** A cited section is a heading, or the start of one up to a word boundary ("Findings" for "Findings: the facts …"). */
function hasSection(markdown: string, cited: string): boolean {
  const wanted = normalized(cited.replace(/(…|\.\.\.)$/, ''));
  return headingsOf(markdown).some((heading) => heading === wanted || (heading.startsWith(wanted) && !/[\p{L}\p{N}]/u.test(heading[wanted.length] ?? '')));
}

/** Where a cited document is: beside the citing file, at the root, or in docs/. */
function located(repository: Repository, from: string, document: string): string | undefined {
  const name = document === 'README' ? 'README.md' : document;
  const candidates = name.includes('/') ? [join(dirname(from), name), name] : [join(dirname(from), name), name, `docs/${name}`];
  return candidates.map((c) => c.replace(/\\/g, '/')).find((c) => !c.startsWith('..') && repository.exists(c));
}

const DOCUMENT = String.raw`((?:[\w.-]+\/)*[\w-][\w.-]*\.md|README)`;
const QUOTE = String.raw`"([^"\n]{1,160})"|“([^”\n]{1,160})”`;
/** A document's name, then `, "Section"`, ` ("Section"`, ` "Section"` (more after `and`/`or`), or `: "words"`. */
const CITATION = new RegExp(String.raw`(?<![\w./-])${DOCUMENT}(?![\w-])(?:(\s*(?:,|\(|)\s*)(?:${QUOTE})((?:\s*(?:,|and|or)\s*(?:${QUOTE}))*)|(:\s*)(?:${QUOTE}))?`, 'g');
const MORE_QUOTES = new RegExp(QUOTE, 'g');

function brokenCitations(files: SourceFile[], repository: Repository): string[] {
  const broken: string[] = [];
  for (const file of files) {
    // In Markdown a link's target is checked as a link below; its text stays, so `[API.md](API.md), "Writes"` is a citation.
    const prose = file.path.endsWith('.md') ? file.text.replace(/\[([^\]\n]*)\]\([^)\s]*\)/g, '$1') : file.text;
    const text = withoutUrls(joined(prose));
    for (const match of text.matchAll(CITATION)) {
      const [, document, sectionLead, section1, section1zh, more, , , colon, words, wordsZh] = match;
      const bare = document === 'README';
      if (bare && sectionLead === undefined && colon === undefined) continue; // "the README", not a citation
      const target = located(repository, file.path, document);
      if (!target) {
        broken.push(`${file.path}: cites ${document}, which is not in the repository`);
        continue;
      }
      const sections = sectionLead !== undefined ? [section1 ?? section1zh, ...[...(more ?? '').matchAll(MORE_QUOTES)].map((m) => m[1] ?? m[2])] : [];
      const markdown = target.endsWith('.md') ? repository.read(target) : '';
      for (const section of sections) {
        if (!hasSection(markdown, section)) broken.push(`${file.path}: cites ${document}, "${section}", but ${target} has no such heading`);
      }
      const quoted = colon !== undefined ? (words ?? wordsZh) : undefined;
      if (quoted !== undefined && !normalized(joined(markdown)).includes(normalized(quoted))) {
        broken.push(`${file.path}: quotes ${document}: "${quoted}", which ${target} does not say`);
      }
    }
    if (file.path.endsWith('.md')) {
      for (const link of file.text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = decodeURI(link[1].split('#')[0]);
        if (href === '' || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
        const target = join(dirname(file.path), href).replace(/\\/g, '/');
        if (target.startsWith('..') || !repository.exists(target.replace(/\/$/, '') || '.')) broken.push(`${file.path}: links to ${link[1]}, which is not in the repository`);
      }
    }
  }
  return broken;
}

const onDisk: Repository = {
  exists: (path) => existsSync(join(ROOT, path)),
  read: (path) => readFileSync(join(ROOT, path), 'utf8'),
};

describe('documents cited in the repository', () => {
  it('resolve inside it, each quoted section to a heading of its document', () => {
    const files = filesOf('');
    expect(files.length).toBeGreaterThan(500);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['README.md', 'libs/policy/rulesets/CN.yaml', 'apps/api/src/app.ts']));
    expect(brokenCitations(files, onDisk)).toEqual([]);
  });

  describe('the check itself', () => {
    // Names built at run time, so that this file does not cite them itself.
    const api = ['API', 'md'].join('.');
    const missing = ['NOWHERE', 'md'].join('.');
    const guide = ['docs/guide', 'md'].join('.');
    const readme = ['README', 'md'].join('.');
    const repository: Repository = {
      exists: (path) => ['docs/' + api, guide, readme].includes(path) || path === 'docs',
      read: (path) => (path === 'docs/' + api ? '# The contract\n\n## Conventions\n\nDates are in China Standard Time.\n\n### Findings: the facts\n' : '# Read me\n'),
    };
    const check = (path: string, text: string) => brokenCitations([{ path, text }], repository);

    it('finds a document in docs/ and accepts a heading, the start of one, and quoted words', () => {
      expect(check('libs/x.ts', `/** (${api}, "Conventions") and ${api}, "Findings" */`)).toEqual([]);
      expect(check('libs/x.ts', `// ${api} ("Conventions"\n// ) says: ${api}: "Dates are in China\n// Standard Time"`)).toEqual([]);
      expect(check(guide, `See [the contract](${api}#conventions) and [home](../${readme}).`)).toEqual([]);
    });

    it('reports a document that is not in the repository, a section it lacks, words it does not say, a dead link', () => {
      expect(check('libs/x.ts', `// as ${missing} says`)).toEqual([`libs/x.ts: cites ${missing}, which is not in the repository`]);
      expect(check('libs/x.ts', `// ${api}, "Find" and "Lists"`)).toEqual([
        `libs/x.ts: cites ${api}, "Find", but docs/${api} has no such heading`,
        `libs/x.ts: cites ${api}, "Lists", but docs/${api} has no such heading`,
      ]);
      expect(check('libs/x.ts', `# ${api}: "dates are local"`)).toEqual([`libs/x.ts: quotes ${api}: "dates are local", which docs/${api} does not say`]);
      const bare = readme.replace('.md', '');
      expect(check('libs/x.yaml', `# ${bare}, "Configuration"`)).toEqual([`libs/x.yaml: cites ${bare}, "Configuration", but ${readme} has no such heading`]);
      expect(check(guide, `[gone](${missing})`)).toEqual([`${guide}: links to ${missing}, which is not in the repository`]);
    });

    it('leaves URLs alone', () => {
      expect(check('deploy/x.yaml', `# https://example.org/guide/${missing}#types`)).toEqual([]);
    });
  });
});
