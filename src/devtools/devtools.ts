/**
 * DevTools page: runs once per DevTools window and registers the "SSE" panel. The panel page
 * (src/panel/panel.html) does all the work.
 */
import browser from 'webextension-polyfill';

/** The panel's title is the product's name in every language: "SSE". */
export const PANEL_TITLE = 'SSE';

void browser.devtools.panels.create(PANEL_TITLE, '/icons/icon-32.png', '/src/panel/panel.html');
