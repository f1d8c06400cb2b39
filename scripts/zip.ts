/**
 * Packs dist/chrome, dist/firefox and dist/chrome-deep (the Chrome build with deep capture, which
 * asks for `debugger` at install: see vite.config.ts) into store-ready zips
 * (dist/sse-devtools-<build>-<version>.zip).
 * fflate: small, maintained, no native parts, deterministic output.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

const root = resolve(import.meta.dirname, '..');
const version = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')).version as string;

function filesOf(dir: string, base = dir, into: Zippable = {}): Zippable {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesOf(path, base, into);
    // A fixed date keeps the zip identical for identical inputs.
    else into[relative(base, path).split('\\').join('/')] = [readFileSync(path), { mtime: new Date('2026-01-01T00:00:00Z') }];
  }
  return into;
}

const dist = join(root, 'dist');
for (const build of ['chrome', 'firefox', 'chrome-deep']) {
  const dir = join(dist, build);
  const out = join(dist, `sse-devtools-${build}-${version}.zip`);
  const zip = zipSync(filesOf(dir), { level: 9 });
  writeFileSync(out, zip);
  console.log(`${relative(root, out)}  ${(zip.byteLength / 1024).toFixed(1)} kB`);
}
