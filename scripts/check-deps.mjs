// check-deps enforces the direction of dependencies of ARCHITECTURE.md:
// cli -> api, core; manager -> api, core; agent -> api, core; core imports
// nothing of ours; cli, manager and agent never import each other; dockerode
// only under agent/src/docker/ (the node's engine) and cli/src/docker/ (the
// engine where the CLI runs, which builds the images of `build:` services);
// every bare import is declared in the importing package's package.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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
if (problems.length > 0) {
  for (const p of problems) console.error(`check-deps: ${p}`);
  process.exit(1);
}
console.log('check-deps: dependency directions hold');
