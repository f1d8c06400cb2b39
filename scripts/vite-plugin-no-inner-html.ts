/**
 * Vite plugin: takes the one `innerHTML` assignment out of Preact's bundle.
 *
 * Preact renders `dangerouslySetInnerHTML` with `dom.innerHTML = props.dangerouslySetInnerHTML.__html`.
 * We never pass that prop (page data is only ever rendered as text), but addons.mozilla.org's
 * linter (`web-ext lint`, rule no-unsanitized) flags the assignment in our bundle, whoever wrote it
 * and whether or not it can run, and it allows no inline suppression. This rewrites it to
 * `textContent`: were the prop ever used, it would render as text, never as markup. The build fails
 * when the pattern is no longer found (a Preact update): look at Preact's diff code again then.
 *
 * To wire it (both builds; harmless for Chrome): in vite.config.ts
 *   import { noInnerHtml } from './scripts/vite-plugin-no-inner-html.ts';
 *   plugins: [preact(), noInnerHtml(), crx({...})],
 * Checked: with it, `web-ext lint --source-dir <firefox build>` reports 0 errors, 0 notices,
 * 0 warnings (without it: 1 warning, UNSAFE_VAR_ASSIGNMENT in assets/panel-*.js).
 */
import type { Plugin } from 'vite';

/** Preact's builds that a bundler may pick (package.json "exports": browser / import). */
const PREACT_BUILD = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.(module\.js|mjs)$/;
/** `u.innerHTML=h.__html` in Preact's minified diff (names vary between versions). */
const ASSIGNMENT = /\b([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\b/g;

export function rewritePreactInnerHtml(code: string): { code: string; count: number } {
  let count = 0;
  const rewritten = code.replace(ASSIGNMENT, (_match, element: string, html: string) => {
    count++;
    return `${element}.textContent=${html}.__html`;
  });
  return { code: rewritten, count };
}

export function noInnerHtml(): Plugin {
  return {
    name: 'sse-devtools:no-inner-html',
    transform(code, id) {
      if (!PREACT_BUILD.test(id.split('?')[0]!)) return null;
      const { code: rewritten, count } = rewritePreactInnerHtml(code);
      if (count !== 1)
        this.error(`expected one innerHTML assignment in ${id}, found ${count}: see scripts/vite-plugin-no-inner-html.ts`);
      return { code: rewritten, map: null };
    },
  };
}
