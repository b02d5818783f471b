import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { contextFiles } from './buildContext.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** context makes a folder holding the given files (path -> content). */
function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
  dirs.push(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

test('without a .dockerignore every file is sent, .git included, as the docker CLI does', () => {
  const dir = context({ Dockerfile: '', 'a/b.txt': '', '.git/HEAD': '' });
  assert.deepEqual(contextFiles(dir), ['.git/HEAD', 'Dockerfile', 'a/b.txt']);
});

test('patterns, ** and comments select what is left out', () => {
  const dir = context({
    '.dockerignore': '# comment\n\n  *.log  \n**/*.tmp\n/secret.txt\nbuild/\n',
    Dockerfile: '',
    'app.log': '',
    'src/app.log': '',
    'src/x.tmp': '',
    'src/deep/y.tmp': '',
    'src/main.js': '',
    'secret.txt': '',
    'src/secret.txt': '',
    'build/out.js': '',
  });
  // `*.log` matches at the root only; `**` at any depth; a leading / changes nothing; a folder goes whole.
  assert.deepEqual(contextFiles(dir), ['.dockerignore', 'Dockerfile', 'src/app.log', 'src/main.js', 'src/secret.txt']);
});

test('! exceptions bring files back; the last matching pattern wins', () => {
  const dir = context({
    '.dockerignore': '*.md\n!README.md\ndocs\n!docs/keep.txt\nREADME*\n!README.md\n',
    Dockerfile: '',
    'README.md': '',
    'CHANGES.md': '',
    'docs/keep.txt': '',
    'docs/drop.txt': '',
  });
  assert.deepEqual(contextFiles(dir), ['.dockerignore', 'Dockerfile', 'README.md', 'docs/keep.txt']);
});

test('an ignored folder is not entered for an exception that does not name a path inside it', () => {
  // The docker CLI skips the folder: `!**/keep.txt` does not start with `vendor/`.
  const dir = context({ '.dockerignore': 'vendor\n!**/keep.txt\n', Dockerfile: '', 'vendor/keep.txt': '', 'keep.txt': '' });
  assert.deepEqual(contextFiles(dir), ['.dockerignore', 'Dockerfile', 'keep.txt']);
});

test('the Dockerfile and .dockerignore are sent even when ignored, also inside an ignored folder', () => {
  const dir = context({
    '.dockerignore': '.dockerignore\nDockerfile\nbuild\n',
    Dockerfile: '',
    'build/Dockerfile.app': '',
    'build/other': '',
  });
  assert.deepEqual(contextFiles(dir), ['.dockerignore', 'Dockerfile']);
  assert.deepEqual(contextFiles(dir, 'build/Dockerfile.app'), ['.dockerignore', 'build/Dockerfile.app']);
  assert.deepEqual(contextFiles(dir, './build//Dockerfile.app'), ['.dockerignore', 'build/Dockerfile.app']);
});

test('a symbolic link to a folder is sent as a link, not followed', () => {
  const dir = context({ Dockerfile: '', 'real/f': '' });
  symlinkSync('real', join(dir, 'link'));
  assert.deepEqual(contextFiles(dir), ['Dockerfile', 'link', 'real/f']);
});
