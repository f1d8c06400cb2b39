import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { noInnerHtml } from './scripts/vite-plugin-no-inner-html.ts';
import baseManifest from './manifest.json' with { type: 'json' };

/**
 * `vite build` writes the Chrome extension to dist/chrome; `vite build --mode firefox` writes the
 * Firefox one to dist/firefox from the same manifest.json, with the few keys Firefox needs added.
 */
/**
 * `vite build --mode chrome-deep` (`npm run build` runs it after the two above; `SSE_DEEP_CAPTURE=1
 * vite build` is the same): the Chrome build with the `debugger` permission, which enables the
 * panel's Deep capture toggle (src/background/deep-capture.ts), written to dist/chrome-deep. Chrome
 * does not accept `debugger` as an optional permission (`permissions.request` answers "Only
 * permissions specified in the manifest may be requested"), so asking for it is a build-time
 * choice: users pick the build; the default one does not ask, and installs without the "read and
 * change all your data" warning.
 */
const deepCaptureEnv = process.env.SSE_DEEP_CAPTURE === '1';

export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox';
  const deepCapture = !firefox && (mode === 'chrome-deep' || deepCaptureEnv);
  const manifest = firefox ? firefoxManifest() : deepCapture ? deepCaptureManifest() : baseManifest;
  return {
    // assets/ holds icons and _locales: copied as-is to the extension's root.
    publicDir: 'assets',
    plugins: [
      preact(),
      // Takes Preact's one innerHTML assignment (dangerouslySetInnerHTML, never used by us) out of the
      // bundle, so addons.mozilla.org's linter has nothing of ours to flag (see the plugin's header).
      noInnerHtml(),
      crx({
        manifest: manifest as ManifestV3Export,
        browser: firefox ? 'firefox' : 'chrome',
        contentScripts: {
          // The MAIN-world tap must run before the page's first script, and the relay must listen
          // from the first moment: both are built as self-contained files, with no async loader.
          standaloneFiles: ['src/page/index.ts', 'src/relay/index.ts'],
        },
      }),
    ],
    // The panel's HAR import worker is started as a module worker (`{ type: 'module' }`).
    worker: { format: 'es' },
    build: {
      outDir: firefox ? 'dist/firefox' : deepCapture ? 'dist/chrome-deep' : 'dist/chrome',
      emptyOutDir: true,
      target: 'es2022',
      // Extension code is read by reviewers and by users debugging us: keep it readable.
      minify: false,
      sourcemap: false,
      rolldownOptions: {
        // The panel page is named only at run time (devtools.panels.create), so list it here; so is
        // the page that asks Firefox for deep capture's permissions (opened by the background).
        input: {
          panel: resolve(import.meta.dirname, 'src/panel/panel.html'),
          ...(firefox ? { permission: resolve(import.meta.dirname, 'src/permission/deep-capture.html') } : {}),
        },
      },
    },
  };
});

function deepCaptureManifest() {
  return { ...baseManifest, permissions: [...baseManifest.permissions, 'debugger'] };
}

/**
 * Firefox's manifest: an event page instead of the service worker, the add-on id, and
 * - `strict_min_version`: the oldest Firefox the end-to-end suite drives our panel in
 *   (firefox-esr 153, test/e2e/firefox-browser.ts); raise it when the tested Firefox moves on;
 * - `data_collection_permissions`: we collect and transmit nothing (everything stays in the
 *   browser; exports are files the user saves), which addons.mozilla.org spells `required: ["none"]`;
 * - deep capture's permissions, all optional, asked for when the user turns it on in the panel
 *   (src/background/deep-capture-firefox.ts): webRequest + webRequestBlocking for
 *   `webRequest.filterResponseData`, plus webRequestFilterResponse, which Firefox (110+) wants of
 *   an MV3 extension for it; and host access to every origin, as the page may stream from any.
 */
function firefoxManifest() {
  // Chrome-only keys: Firefox's messaging is structured clone already.
  const { background, minimum_chrome_version: _chromeOnly, message_serialization: _chromeSerialization, ...rest } = baseManifest;
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: background.type },
    optional_permissions: ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'],
    optional_host_permissions: ['<all_urls>'],
    browser_specific_settings: {
      gecko: {
        id: 'sse-devtools@sse-devtools.dev',
        strict_min_version: '153.0',
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
