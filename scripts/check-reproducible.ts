/**
 * `npm run check:reproducible`: builds the extension a second time and checks that every store zip
 * (Chrome, Firefox, Chrome with deep capture) comes out byte for byte the same as the first build's
 * (addons.mozilla.org reviewers rebuild from source and compare). Run after `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

function zipHashes(): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const name of readdirSync(dist)
    .filter((n) => n.endsWith('.zip'))
    .sort()) {
    hashes.set(
      name,
      createHash('sha256')
        .update(readFileSync(join(dist, name)))
        .digest('hex'),
    );
  }
  return hashes;
}

/** What `npm run build` writes (scripts/zip.ts): a zip missing from either build fails the check. */
const EXPECTED = ['chrome', 'firefox', 'chrome-deep'];

const first = zipHashes();
if (first.size === 0) throw new Error('no zips in dist/: run `npm run build` first');
for (const build of EXPECTED) {
  if (![...first.keys()].some((name) => new RegExp(`^sse-devtools-${build}-\\d`).test(name)))
    throw new Error(`no ${build} zip in dist/: run \`npm run build\` first`);
}
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'ignore' });
const second = zipHashes();
let same = true;
for (const [name, hash] of first) {
  const again = second.get(name);
  console.log(`${name}: ${hash === again ? 'same' : 'DIFFERENT'} (${hash.slice(0, 16)}…)`);
  if (hash !== again) same = false;
}
if (!same) {
  console.error('The build is not reproducible: two builds of the same tree gave different zips.');
  process.exit(1);
}
