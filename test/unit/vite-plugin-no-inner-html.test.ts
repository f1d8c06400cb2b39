import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewritePreactInnerHtml } from '../../scripts/vite-plugin-no-inner-html';

const PREACT = resolve(import.meta.dirname, '../../node_modules/preact');

describe('rewritePreactInnerHtml', () => {
  for (const build of ['dist/preact.module.js', 'dist/preact.mjs']) {
    it(`finds exactly one innerHTML assignment in ${build} and turns it into textContent`, () => {
      const source = readFileSync(resolve(PREACT, build), 'utf8');
      const { code, count } = rewritePreactInnerHtml(source);
      expect(count).toBe(1);
      expect(code).not.toMatch(/\.innerHTML=[^"']/);
      expect(code.length).toBe(source.length + 'textContent'.length - 'innerHTML'.length);
    });
  }
});
