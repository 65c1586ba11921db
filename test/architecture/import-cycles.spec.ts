import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * No file of the project imports itself through others (STYLE.md, "Lessons of 2026-12: the shape to grow back into": a
 * circle means two files share one fact, or a leaf grew into a hub). Every import between the
 * project's own files counts, type-only ones too: a walk of the TypeScript imports of apps/,
 * libs/, bench/ and test/, resolved as the compiler resolves them (relative paths and the
 * `@cadre-ledger/*` paths of tsconfig.json), and Tarjan's strongly connected components.
 */
const ROOT = resolve(__dirname, '../..');
const { compilerOptions } = ts.parseConfigFileTextToJson('tsconfig.json', readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).config as { compilerOptions: ts.CompilerOptions };
const options = ts.convertCompilerOptionsFromJson(compilerOptions, ROOT).options;
const host = ts.createCompilerHost(options);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each project file → the project files it imports (`import`, `export … from`, `require`, `import()`). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.flatMap(({ fileName }) => {
      const resolved = ts.resolveModuleName(fileName, file, options, host).resolvedModule?.resolvedFileName;
      return resolved && !resolved.includes('node_modules') && resolved.startsWith(ROOT) && existsSync(resolved) ? [resolve(resolved)] : [];
    });
    graph.set(resolve(file), [...new Set(targets)]);
  }
  return graph;
}

/** The circles of a graph: its strongly connected components of more than one file (or a file importing itself). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('imports between the files of the project', () => {
  it('finds a circle where there is one (the walk works)', () => {
    expect(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(circles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('resolves the project\'s own imports, relative and through the @cadre-ledger paths', () => {
    const graph = importGraph([join(ROOT, 'libs/application/src/ledger.ts')]);
    const imported = graph.get(join(ROOT, 'libs/application/src/ledger.ts'))!.map((file) => relative(ROOT, file));
    expect(imported).toEqual(expect.arrayContaining(['libs/application/src/handle-command.ts', 'libs/domain/src/index.ts']));
  });

  it('form no circle', () => {
    const files = ['apps', 'libs', 'bench', 'test'].flatMap((dir) => sources(join(ROOT, dir)));
    const found = circles(importGraph(files)).map((circle) => circle.map((file) => relative(ROOT, file)));
    expect(found).toEqual([]);
  });
});
