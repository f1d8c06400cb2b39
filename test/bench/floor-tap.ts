/**
 * The bench's "floor" contender: plain Chromium with the least a page-world tap that keeps what
 * the page received can do, injected before the page's scripts (no extension). It is neither
 * invisible nor safe (it keeps the page's own chunk objects rather than copies; it subclasses
 * EventSource), and sends nothing anywhere: it is the lower bound of what any tap living in the
 * page pays, measured in the same run as ours.
 *
 * - fetch: every chunk a stream reader hands the page is kept (a reference, no copy);
 * - XHR: on every progress event the response text is read and the latest one kept;
 * - EventSource: one `message` listener a source; each event's data, lastEventId and time kept.
 */
export const FLOOR_TAP = `(() => {
  const kept = [];
  const read = ReadableStreamDefaultReader.prototype.read;
  ReadableStreamDefaultReader.prototype.read = function () {
    return read.call(this).then((result) => {
      if (result.value !== undefined) kept.push(result.value, performance.now());
      return result;
    });
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    const xhr = this;
    const state = { text: '' };
    kept.push(state);
    xhr.addEventListener('progress', () => { state.text = xhr.responseText; });
    xhr.addEventListener('load', () => { state.text = xhr.responseText; });
    return send.apply(this, args);
  };
  const NativeEventSource = EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => { kept.push(event.data, event.lastEventId, performance.now()); });
    }
  };
})();`;
