// An AI chat client that runs in a dedicated Worker, as many do to keep the page responsive: it
// POSTs a prompt to the playground's OpenAI Chat Completions route and reads the streamed answer
// with fetch. The page tap does not run in workers; deep capture sees it on the wire.
/* global importScripts, readText */
importScripts('read-sse.js');

self.onmessage = async function (event) {
  var query = 'delay=5&run=' + encodeURIComponent(event.data.run);
  var response = await fetch('/ai/openai-chat?' + query, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'demo', stream: true, messages: [{ role: 'user', content: event.data.prompt }] }),
  });
  var text = await readText(response);
  self.postMessage(text);
};
