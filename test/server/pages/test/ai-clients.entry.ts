/**
 * Real client libraries from the npm registry, bundled for the browser at test time
 * (test/e2e/conversation.e2e.test.ts builds this file into `generated/ai-clients.js`), pointed at
 * the AI playground routes of the test server:
 *   - the `openai` SDK: Chat Completions with tools, and the Responses API, both streamed;
 *   - `@microsoft/fetch-event-source`: an Anthropic Messages stream (reasoning) over fetch POST.
 * Each run reports what the library itself assembled, so the test can compare with the panel.
 */
import OpenAI from 'openai';
import { fetchEventSource } from '@microsoft/fetch-event-source';

export interface ClientRun {
  library: string;
  text: string;
  reasoning: string;
  toolArguments: string[];
  events: number;
  error?: string;
}

const PROMPT = 'Why is the sky blue?';
const weather = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
};

function client(scenario: string): OpenAI {
  return new OpenAI({
    apiKey: 'sk-demo-not-a-real-key',
    // The playground answers the SDK's own paths under /ai/openai/v1.
    baseURL: `${location.origin}/ai/openai/v1`,
    dangerouslyAllowBrowser: true,
    defaultQuery: { scenario, delay: '5' },
    maxRetries: 0,
  });
}

async function openaiChat(): Promise<ClientRun> {
  const run: ClientRun = { library: 'openai chat.completions', text: '', reasoning: '', toolArguments: [], events: 0 };
  const stream = await client('tools').chat.completions.create({
    model: 'demo-gpt-4o-mini',
    messages: [{ role: 'user', content: PROMPT }],
    stream: true,
    stream_options: { include_usage: true },
    tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: weather } }],
  });
  for await (const chunk of stream) {
    run.events++;
    for (const choice of chunk.choices) {
      run.text += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? [])
        run.toolArguments[call.index] = (run.toolArguments[call.index] ?? '') + (call.function?.arguments ?? '');
    }
  }
  return run;
}

async function openaiResponses(): Promise<ClientRun> {
  const run: ClientRun = { library: 'openai responses', text: '', reasoning: '', toolArguments: [], events: 0 };
  const stream = await client('reasoning').responses.create({
    model: 'demo-o4-mini',
    input: PROMPT,
    reasoning: { effort: 'low', summary: 'auto' },
    stream: true,
  });
  for await (const event of stream) {
    run.events++;
    if (event.type === 'response.output_text.delta') run.text += event.delta;
    else if (event.type === 'response.reasoning_summary_text.delta') run.reasoning += event.delta;
  }
  return run;
}

async function anthropicWithFetchEventSource(): Promise<ClientRun> {
  const run: ClientRun = { library: '@microsoft/fetch-event-source', text: '', reasoning: '', toolArguments: [], events: 0 };
  await fetchEventSource('/ai/anthropic?scenario=reasoning&delay=5', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'demo-claude-sonnet',
      max_tokens: 1024,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 512 },
    }),
    openWhenHidden: true,
    onmessage(message) {
      run.events++;
      if (message.event !== 'content_block_delta') return;
      const delta = (JSON.parse(message.data) as { delta: { type: string; text?: string; thinking?: string } }).delta;
      if (delta.type === 'text_delta') run.text += delta.text ?? '';
      else if (delta.type === 'thinking_delta') run.reasoning += delta.thinking ?? '';
    },
    onerror(error) {
      throw error; // no retries
    },
  });
  return run;
}

async function settle(library: string, run: () => Promise<ClientRun>): Promise<ClientRun> {
  try {
    return await run();
  } catch (error) {
    return {
      library,
      text: '',
      reasoning: '',
      toolArguments: [],
      events: 0,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Runs every client at once; resolves with what each assembled. */
export function runAll(): Promise<ClientRun[]> {
  return Promise.all([
    settle('openai chat.completions', openaiChat),
    settle('openai responses', openaiResponses),
    settle('@microsoft/fetch-event-source', anthropicWithFetchEventSource),
  ]);
}
