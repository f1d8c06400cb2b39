// Reads an SSE response body to its end and returns the data of each event (a tiny parser: the
// fixture's streams use only `data:`, `event:` and `id:` lines, one chunk per event).
/* exported readSseData */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- used by the scripts that load this one
async function readSseData(response) {
  var reader = response.body.getReader();
  var decoder = new TextDecoder();
  var text = '';
  for (;;) {
    var step = await reader.read();
    if (step.done) break;
    text += decoder.decode(step.value, { stream: true });
  }
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
