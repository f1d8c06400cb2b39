import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Message {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

const read = (locale: string): Record<string, Message> =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../../assets/_locales/${locale}/messages.json`), 'utf8'));
const en = read('en');
const zh = read('zh_CN');

describe('_locales', () => {
  it('en and zh_CN have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message has a description for translators, in both files', () => {
    for (const [key, message] of [...Object.entries(en), ...Object.entries(zh)]) {
      expect(message.description?.trim(), key).toBeTruthy();
      expect(message.message.trim(), key).not.toBe('');
    }
  });

  it('each translation uses the placeholders its English message declares', () => {
    const names = (m: Message) => Object.keys(m.placeholders ?? {}).sort();
    const used = (m: Message) =>
      [...new Set([...m.message.matchAll(/\$([A-Z_0-9]+)\$/gi)].map((x) => x[1]!.toUpperCase()))].sort();
    for (const key of Object.keys(en)) {
      expect(names(zh[key]!), key).toEqual(names(en[key]!));
      expect(used(en[key]!), `${key} (en)`).toEqual(names(en[key]!).map((n) => n.toUpperCase()));
      expect(used(zh[key]!), `${key} (zh_CN)`).toEqual(names(en[key]!).map((n) => n.toUpperCase()));
    }
  });

  it('keys are valid message names (letters, digits, _ and @ only)', () => {
    for (const key of Object.keys(en)) expect(key, key).toMatch(/^[A-Za-z0-9_@]+$/);
  });
});
