/**
 * The prompt, read from a request body of any of the protocols we know: OpenAI Chat Completions
 * (`messages`), OpenAI Responses (`instructions`, `input`), Anthropic (`system`, `messages` of
 * content blocks), Gemini (`systemInstruction`, `contents` of parts), Vercel AI SDK `useChat`
 * (`messages` of `parts`), Ollama (`messages`, or `prompt`), and JSON-RPC (MCP).
 */
import { arr, asText, isObject, obj, str, tryParse, type Json } from './json';
import { isJsonRpc } from './protocols/mcp';
import type { Prompt, PromptMessage, PromptTool } from './types';

/** Request fields shown in their own place, so not repeated under params. */
const STRUCTURAL = new Set([
  'model',
  'messages',
  'system',
  'tools',
  'input',
  'instructions',
  'contents',
  'systemInstruction',
  'system_instruction',
  'prompt',
]);

export function parsePrompt(body: string | undefined, url: string): Prompt {
  const prompt: Prompt = { messages: [], tools: [], params: {} };
  const modelInUrl = /\/models\/([^/:?#]+)/.exec(url)?.[1];
  if (modelInUrl !== undefined) prompt.model = decodeURIComponent(modelInUrl);
  if (body === undefined || body.trim() === '') return prompt;
  const json = tryParse(body);
  if (json === undefined) return prompt;
  if (isJsonRpc(json)) {
    prompt.jsonRpc = Array.isArray(json) ? json : [json];
    return prompt;
  }
  if (!isObject(json)) return prompt;

  prompt.model = str(json.model) ?? prompt.model;
  const system: string[] = [];
  const addSystem = (value: Json | undefined) => {
    const text = value === undefined ? '' : contentText(value).text;
    if (text !== '') system.push(text);
  };
  addSystem(json.system);
  addSystem(json.instructions);
  addSystem(obj(json.systemInstruction ?? json.system_instruction) as Json | undefined);

  const take = (message: PromptMessage) => {
    if (message.role === 'system' || message.role === 'developer') {
      if (message.text !== '') system.push(message.text);
    } else {
      prompt.messages.push(message);
    }
  };
  for (const value of arr(json.messages)) take(messageOf(value));
  if (typeof json.input === 'string') take({ role: 'user', text: json.input });
  else for (const value of arr(json.input)) take(messageOf(value));
  for (const value of arr(json.contents)) take(messageOf(value));
  if (typeof json.prompt === 'string') take({ role: 'user', text: json.prompt });
  if (system.length > 0) prompt.system = system.join('\n\n');

  for (const value of arr(json.tools)) prompt.tools.push(...toolsOf(value));
  for (const [key, value] of Object.entries(json)) if (!STRUCTURAL.has(key)) prompt.params[key] = value;
  return prompt;
}

/** Text of a content value (a string, a list of parts, `{parts: [...]}`), other parts described. */
function contentText(value: Json): { text: string; attachments: string[]; toolCalls: { name: string; arguments: string }[] } {
  const out = { text: '', attachments: [] as string[], toolCalls: [] as { name: string; arguments: string }[] };
  const texts: string[] = [];
  const visit = (part: Json) => {
    if (typeof part === 'string') {
      texts.push(part);
      return;
    }
    if (Array.isArray(part)) {
      for (const one of part) visit(one);
      return;
    }
    const o = obj(part);
    if (o === undefined) return;
    if (Array.isArray(o.parts)) {
      visit(o.parts);
      return;
    }
    const type = str(o.type) ?? '';
    const text = str(o.text);
    if (text !== undefined && o.thought !== true && type !== 'reasoning') {
      texts.push(text);
      return;
    }
    const call = obj(o.functionCall);
    if (call !== undefined) {
      out.toolCalls.push({ name: str(call.name) ?? '?', arguments: asText(call.args ?? {}) });
      return;
    }
    if (type === 'tool_use') {
      out.toolCalls.push({ name: str(o.name) ?? '?', arguments: asText(o.input ?? {}) });
      return;
    }
    if (type === 'tool_result') {
      out.attachments.push(`tool result ${str(o.tool_use_id) ?? ''}`.trim());
      const inner = o.content === undefined ? '' : contentText(o.content).text;
      if (inner !== '') texts.push(inner);
      return;
    }
    const response = obj(o.functionResponse);
    if (response !== undefined) {
      out.attachments.push(`function response ${str(response.name) ?? ''}`.trim());
      texts.push(asText(response.response ?? {}));
      return;
    }
    if (type.startsWith('tool-')) {
      // Vercel AI SDK UI message part of a tool (`tool-getWeather`): its input and output.
      out.toolCalls.push({ name: type.slice('tool-'.length), arguments: asText(o.input ?? {}) });
      return;
    }
    const name = str(o.filename) ?? str(o.name) ?? str(obj(o.file)?.filename);
    if (type === 'reasoning' || o.thought === true) return;
    out.attachments.push(name === undefined ? type || Object.keys(o)[0] || 'part' : `${type || 'file'} ${name}`);
  };
  visit(value);
  out.text = texts.join('\n');
  return out;
}

function messageOf(value: Json): PromptMessage {
  const o = obj(value);
  if (o === undefined) return { role: 'user', text: asText(value) };
  const type = str(o.type);
  // Responses API input items that are not messages.
  if (type === 'function_call')
    return { role: 'assistant', text: '', toolCalls: [{ name: str(o.name) ?? '?', arguments: str(o.arguments) ?? '' }] };
  if (type === 'function_call_output')
    return {
      role: 'tool',
      text: asText(o.output ?? ''),
      ...(str(o.call_id) === undefined ? {} : { toolCallId: str(o.call_id) }),
    };
  const role = str(o.role) ?? 'user';
  const content = contentText((o.content ?? o.parts ?? '') as Json);
  const message: PromptMessage = { role, text: content.text };
  if (content.attachments.length > 0) message.attachments = content.attachments;
  const toolCalls = [...content.toolCalls];
  for (const call of arr(o.tool_calls)) {
    const fn = obj(obj(call)?.function);
    if (fn !== undefined) toolCalls.push({ name: str(fn.name) ?? '?', arguments: asText(fn.arguments ?? '') });
  }
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  const callId = str(o.tool_call_id);
  if (callId !== undefined) message.toolCallId = callId;
  return message;
}

function toolsOf(value: Json): PromptTool[] {
  const o = obj(value);
  if (o === undefined) return [];
  // Gemini: {functionDeclarations: [...]} or a built-in tool ({googleSearch: {}}).
  const declarations = arr(o.functionDeclarations ?? o.function_declarations);
  if (declarations.length > 0) return declarations.flatMap(toolsOf);
  const fn = obj(o.function);
  const source = fn ?? o;
  const name = str(source.name);
  if (name === undefined) {
    const builtIn = str(o.type) ?? Object.keys(o)[0];
    return builtIn === undefined ? [] : [{ name: builtIn }];
  }
  const tool: PromptTool = { name };
  const description = str(source.description);
  if (description !== undefined) tool.description = description;
  const parameters = source.parameters ?? source.input_schema ?? source.inputSchema;
  if (parameters !== undefined) tool.parameters = parameters;
  return [tool];
}
