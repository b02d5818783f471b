// check-deps enforces the direction of dependencies of ARCHITECTURE.md:
// cli -> api, core; manager -> api, core; agent -> api, core; core imports
// nothing of ours; cli, manager and agent never import each other; dockerode
// only under agent/src/docker/ (the node's engine) and cli/src/docker/ (the
// engine where the CLI runs, which builds the images of `build:` services);
// every bare import is declared in the importing package's package.json.
// No module of a package imports itself back through others (no import
// circles, type imports included): a circle is a sign that one file holds a
// piece the others need, which belongs in a module of its own.
// bench/ uses the packages as a user of them would: through their names
// (@cluster/agent, never a path into packages/ or a deep import), and only
// bare imports some package.json of the repository declares.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const allowed = { api: [], core: [], manager: ['api', 'core'], agent: ['api', 'core'], cli: ['api', 'core'] };
const problems = [];
function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'generated') return [];
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}
for (const pkg of Object.keys(allowed)) {
  const deps = Object.keys(JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')).dependencies ?? {});
  const devOk = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies ?? {});
  for (const file of walk(join(root, 'packages', pkg, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    const isTest = file.endsWith('.test.ts');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)) {
      const spec = m[1];
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (name.startsWith('@cluster/')) {
        const target = name.slice('@cluster/'.length);
        if (!allowed[pkg].includes(target)) problems.push(`${rel}: ${pkg} may not import @cluster/${target}`);
        if (spec !== name) problems.push(`${rel}: deep import "${spec}"; import from "${name}"`);
        continue;
      }
      const dockerOk = rel.startsWith('packages/agent/src/docker/') || rel.startsWith('packages/cli/src/docker/');
      if (name === 'dockerode' && !dockerOk) problems.push(`${rel}: dockerode is imported only under packages/agent/src/docker/ and packages/cli/src/docker/`);
      if (!deps.includes(name) && !(isTest && devOk.includes(name))) problems.push(`${rel}: "${name}" is not a dependency of @cluster/${pkg}`);
    }
  }
}
const anyDeclared = new Set(['.', ...Object.keys(allowed).map((p) => join('packages', p))].flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
}));
for (const f of readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.mjs'))) {
  const rel = join('bench', f);
  const text = readFileSync(join(root, rel), 'utf8');
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)) {
    const spec = m[1];
    if (spec.startsWith('node:')) continue;
    if (spec.startsWith('.')) {
      if (spec.split('/').includes('packages')) problems.push(`${rel}: import "${spec}" reaches into packages/; import the package by its name`);
      continue;
    }
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (name.startsWith('@cluster/') && spec !== name) problems.push(`${rel}: deep import "${spec}"; import from "${name}"`);
    else if (!name.startsWith('@cluster/') && !anyDeclared.has(name)) problems.push(`${rel}: "${name}" is not a dependency of any package of the repository`);
  }
}
// The relative imports of each package's modules (tests left out), and any circle among them.
const graph = new Map();
for (const pkg of Object.keys(allowed)) {
  for (const file of walk(join(root, 'packages', pkg, 'src')).filter((f) => !f.endsWith('.test.ts'))) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.[^']+)'/g)]
      .map((m) => join(dirname(file), m[1].replace(/\.js$/, '.ts')));
    graph.set(file, targets);
  }
}
const state = new Map(); // 1 while on the walk's path, 2 when done
const reported = new Set();
function visit(file, path) {
  state.set(file, 1);
  for (const next of graph.get(file) ?? []) {
    if (!graph.has(next)) continue;
    if (state.get(next) === 1) {
      const circle = [...path.slice(path.indexOf(next)), next].map((f) => relative(root, f));
      const key = [...circle].slice(0, -1).sort().join(' ');
      if (!reported.has(key)) problems.push(`import circle: ${circle.join(' -> ')}`);
      reported.add(key);
    } else if (!state.has(next)) visit(next, [...path, next]);
  }
  state.set(file, 2);
}
for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
if (problems.length > 0) {
  for (const p of problems) console.error(`check-deps: ${p}`);
  process.exit(1);
}
console.log('check-deps: dependency directions hold');
