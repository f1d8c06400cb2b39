/* global importScripts, deepStreamUrl, readSseData */
// Service worker: when a page asks, fetches an SSE stream itself and answers with what it read.
importScripts('streams.js', 'read-sse.js');
self.addEventListener('install', function () {
  self.skipWaiting();
});
self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});
self.addEventListener('message', function (event) {
  event.waitUntil(
    fetch(deepStreamUrl('serviceWorker', event.data.run))
      .then(readSseData)
      .then(function (heard) {
        event.source.postMessage(heard);
      }),
  );
});
