// The TypeScript loader of the `ledger` CLI from a checkout, also loaded (with -r) by the CLI's
// worker threads: TypeScript files are transpiled one by one (no type checking: that is
// `npm run typecheck`) and the output is cached by content in node_modules/.cache, because loading
// the compiler and transpiling the libraries on every run costs seconds, and auditors and scripts
// run the CLI many times. The @cadre-ledger/* paths of tsconfig.json resolve as in the apps.
// Registered once per thread.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function register() {
  const tsconfig = require(path.join(root, 'tsconfig.json'));
  const cacheDir = path.join(root, 'node_modules', '.cache', 'ledger-cli');
  const nodeModules = path.join(root, 'node_modules') + path.sep;

  let typescript;
  const compiler = () => (typescript ??= require('typescript'));
  const compilerOptions = () => ({
    ...compiler().convertCompilerOptionsFromJson(tsconfig.compilerOptions, root).options,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
    declaration: false,
  });

  const transpile = (filename, text) => {
    const key = crypto.createHash('sha256').update(filename).update('\0').update(text).update('\0').update(JSON.stringify(tsconfig.compilerOptions)).digest('hex');
    const cached = path.join(cacheDir, `${key}.js`);
    try {
      return fs.readFileSync(cached, 'utf8');
    } catch {
      const output = compiler().transpileModule(text, { compilerOptions: compilerOptions(), fileName: filename }).outputText;
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        // Write then rename: two CLIs started at once never read a half-written file.
        const temporary = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, output);
        fs.renameSync(temporary, cached);
      } catch {
        // A read-only checkout still works, just without the cache.
      }
      return output;
    }
  };

  require.extensions['.ts'] = function loadTypeScript(module, filename) {
    if (filename.startsWith(nodeModules)) throw new Error(`ledger: refusing to transpile ${filename}`);
    module._compile(transpile(filename, fs.readFileSync(filename, 'utf8')), filename);
  };
  process.setSourceMapsEnabled(true);
  require('tsconfig-paths').register({ baseUrl: root, paths: tsconfig.compilerOptions.paths });
}

if (!require.extensions['.ts']) register();
