/* global importScripts, deepStreamUrl, readSseData */
// Dedicated worker: fetches an SSE stream and reads it with a stream reader.
importScripts('streams.js', 'read-sse.js');
onmessage = async function (event) {
  var response = await fetch(deepStreamUrl('worker', event.data.run));
  postMessage(await readSseData(response));
};
