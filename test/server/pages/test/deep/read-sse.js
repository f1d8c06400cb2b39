// Reads a response body to its end with a stream reader (as an SSE client does), as text.
/* exported readText, readSseData */
async function readText(response) {
  var reader = response.body.getReader();
  var decoder = new TextDecoder();
  var text = '';
  for (;;) {
    var step = await reader.read();
    if (step.done) break;
    text += decoder.decode(step.value, { stream: true });
  }
  return text;
}

// Reads an SSE response body to its end and returns the data of each event (a tiny parser: the
// fixture's streams use only `data:`, `event:` and `id:` lines, one chunk per event).
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- used by the scripts that load this one
async function readSseData(response) {
  var text = await readText(response);
  return text
    .split('\n\n')
    .filter(Boolean)
    .map(function (block) {
      return block
        .split('\n')
        .filter(function (line) {
          return line.indexOf('data: ') === 0;
        })
        .map(function (line) {
          return line.slice(6);
        })
        .join('\n');
    });
}
