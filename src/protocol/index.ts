/**
 * Every message that crosses a boundary of the extension, and the checks applied to what comes
 * from the page (which we do not trust: any script on the page can forge it).
 *
 *   page world (src/page)  --CustomEvent(JSON string)-->  relay (src/relay)        page-world.ts
 *   relay                  <--runtime port "sse-relay"-->  background              extension.ts
 *   background             <--runtime port "sse-panel"-->  panel (src/panel)       extension.ts
 *
 * records.ts: the captured records themselves; validate-records.ts: their checks (background);
 * commands.ts: replay and mock, panel → page and the page's statuses back.
 */
export * from './records';
export * from './page-world';
export * from './commands';
export * from './extension';
export * from './validate-records';
