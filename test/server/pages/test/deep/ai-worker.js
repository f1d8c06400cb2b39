// An AI chat client that runs in a dedicated Worker, as many do to keep the page responsive: it
// POSTs a prompt to the playground's OpenAI Chat Completions route and reads the streamed answer
// with fetch. The page tap does not run in workers; deep capture sees it on the wire.
self.onmessage = async function (event) {
  var query = 'delay=5&run=' + encodeURIComponent(event.data.run);
  var response = await fetch('/ai/openai-chat?' + query, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'demo', stream: true, messages: [{ role: 'user', content: event.data.prompt }] }),
  });
  var reader = response.body.getReader();
  var decoder = new TextDecoder();
  var text = '';
  for (;;) {
    var step = await reader.read();
    if (step.done) break;
    text += decoder.decode(step.value, { stream: true });
  }
  self.postMessage(text);
};
