// The four streams of the deep-capture fixture, shared by the page, its workers and its service
// worker: each a fixed sequence of bytes (so a test can compare byte for byte) served by
// /test/stream?raw=... in pieces 60 ms apart. `run` keeps the URLs of repeated runs apart.
/* exported deepStreams, deepStreamUrl */
var deepStreams = {
  // Read by a dedicated Worker with fetch + a stream reader.
  worker: ['data: worker-1\n\n', 'event: delta\ndata: {"text":"worker-2"}\n\n', 'data: worker-3\n\n'],
  // Read by a SharedWorker with an EventSource (message events only).
  shared: ['data: shared-1\n\n', 'id: s2\ndata: shared-2\n\n', 'data: shared-3\n\n'],
  // Fetched and read by the page's service worker.
  serviceWorker: ['data: sw-1\n\n', 'data: sw-2\n\n', 'data: sw-3\n\n'],
  // An EventSource in the page that listens for `message` only: `update` is never dispatched.
  unlistened: ['data: page-1\n\n', 'event: update\ndata: unheard-update\n\n', 'data: page-3\n\n'],
};

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- used by the scripts that load this one
function deepStreamUrl(name, run) {
  var query = deepStreams[name]
    .map(function (chunk) {
      var bytes = new TextEncoder().encode(chunk);
      var binary = '';
      for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
      return 'raw=' + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    })
    .join('&');
  return '/test/stream?' + query + '&delay=60&run=' + encodeURIComponent(run) + '&source=' + name;
}
