// The AI playground page: builds each provider's request body, POSTs it with fetch and shows the
// raw stream as it arrives (text only: the page never renders stream data as markup).
'use strict';

const $ = (id) => document.getElementById(id);

/** Path and request body per protocol, in each provider's own request shape. */
function request(protocol, prompt, scenario) {
  const system = 'You are a demo model on the SSE DevTools playground.';
  const weatherSchema = {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
    required: ['city'],
  };
  const tools = scenario === 'tools';
  switch (protocol) {
    case 'openai-chat':
      return {
        path: '/ai/openai-chat',
        body: {
          model: 'demo-gpt-4o-mini',
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: prompt },
          ],
          stream: true,
          stream_options: { include_usage: true },
          temperature: 0.7,
          ...(tools
            ? {
                tools: [
                  {
                    type: 'function',
                    function: { name: 'get_weather', description: 'Current weather', parameters: weatherSchema },
                  },
                ],
              }
            : {}),
        },
      };
    case 'openai-responses':
      return {
        path: '/ai/openai-responses',
        body: {
          model: 'demo-o4-mini',
          instructions: system,
          input: [{ role: 'user', content: [{ type: 'input_text', text: prompt }] }],
          stream: true,
          ...(scenario === 'reasoning' ? { reasoning: { effort: 'low', summary: 'auto' } } : {}),
          ...(tools ? { tools: [{ type: 'function', name: 'get_weather', parameters: weatherSchema }] } : {}),
        },
      };
    case 'anthropic':
      return {
        path: '/ai/anthropic',
        body: {
          model: 'demo-claude-sonnet',
          max_tokens: 1024,
          system,
          messages: [{ role: 'user', content: prompt }],
          stream: true,
          ...(scenario === 'reasoning' ? { thinking: { type: 'enabled', budget_tokens: 512 } } : {}),
          ...(tools ? { tools: [{ name: 'get_weather', description: 'Current weather', input_schema: weatherSchema }] } : {}),
        },
      };
    case 'gemini':
      return {
        path: '/ai/gemini/models/demo-gemini-flash:streamGenerateContent?alt=sse',
        body: {
          systemInstruction: { parts: [{ text: system }] },
          contents: [{ role: 'user', parts: [{ text: prompt }] }],
          generationConfig: { temperature: 0.7 },
          ...(tools
            ? {
                tools: [
                  { functionDeclarations: [{ name: 'get_weather', description: 'Current weather', parameters: weatherSchema }] },
                ],
              }
            : {}),
        },
      };
    case 'vercel-ui':
      return {
        path: '/ai/vercel-ui',
        body: {
          id: 'chat-demo',
          messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: prompt }] }],
          trigger: 'submit-message',
        },
      };
    case 'vercel-data':
      return { path: '/ai/vercel-data', body: { messages: [{ role: 'user', content: prompt }] } };
    case 'ollama':
      return {
        path: '/ai/ollama',
        body: { model: 'demo-llama3.2', messages: [{ role: 'user', content: prompt }], stream: true },
      };
    case 'mcp':
      return {
        path: '/ai/mcp',
        headers: { Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
        body: {
          jsonrpc: '2.0',
          id: Math.floor(Math.random() * 1000),
          method: 'tools/call',
          params: { name: 'search_docs', arguments: { query: prompt }, _meta: { progressToken: 'demo' } },
        },
      };
    case 'mcp-sse':
      return { path: '/ai/mcp-sse', method: 'GET', headers: { Accept: 'text/event-stream' } };
  }
  throw new Error(`Unknown protocol ${protocol}`);
}

function card(title, meta) {
  const section = document.createElement('section');
  const h2 = document.createElement('h2');
  h2.textContent = title;
  const span = document.createElement('span');
  span.className = 'meta';
  span.textContent = meta;
  h2.append(span);
  const status = document.createElement('div');
  status.className = 'status';
  const pre = document.createElement('pre');
  section.append(h2, status, pre);
  $('results').prepend(section);
  return { status, pre };
}

async function send(protocol) {
  const scenario = $('scenario').value;
  const delay = $('delay').value;
  const { path, body, headers = {}, method = 'POST' } = request(protocol, $('prompt').value, scenario);
  const url = `${path}${path.includes('?') ? '&' : '?'}scenario=${encodeURIComponent(scenario)}&delay=${encodeURIComponent(delay)}`;
  const view = card($('protocol').querySelector(`option[value="${protocol}"]`).textContent, `${method} ${url}`);
  const started = performance.now();
  view.status.textContent = 'Waiting for the response…';
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    view.status.textContent = `${response.status} ${response.headers.get('content-type') ?? ''} — streaming…`;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let first = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first) {
        view.status.textContent += ` first bytes after ${Math.round(performance.now() - started)} ms`;
        first = false;
      }
      view.pre.append(decoder.decode(value, { stream: true }));
      view.pre.scrollTop = view.pre.scrollHeight;
    }
    view.status.textContent = `${response.status} ${response.headers.get('content-type') ?? ''} — done in ${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    view.status.textContent = `Failed: ${error && error.message ? error.message : String(error)}`;
    view.status.classList.add('error');
  }
}

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  void send($('protocol').value);
});
$('send-all').addEventListener('click', () => {
  for (const option of $('protocol').options) void send(option.value);
});
$('clear').addEventListener('click', () => $('results').replaceChildren());
