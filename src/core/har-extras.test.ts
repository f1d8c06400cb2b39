import { describe, expect, it } from 'vitest';
import { buildHar } from './har';
import { readSseDevtoolsExtras } from './har-extras';
import { BadField } from './har-fields';
import { richStore } from '../../test/fixtures/stores';

describe('the _sseDevtools schema: what the writer writes, the reader reads', () => {
  const store = richStore();
  const har = buildHar(store.connectionList, store.items, { creatorVersion: '0.1.0', includeSensitive: true });

  it('every entry our writer makes passes the reader, field for field', () => {
    for (const [index, entry] of har.log.entries.entries()) {
      const read = readSseDevtoolsExtras(JSON.parse(JSON.stringify(entry._sseDevtools)), `log.entries[${index}]._sseDevtools`);
      const written = entry._sseDevtools;
      expect(read.streamId).toBe(written.streamId);
      expect(read.kind).toBe(written.kind);
      expect(read.transitions).toEqual(written.transitions.map((t) => ({ reason: undefined, detail: undefined, ...t })));
      expect(read.chunks).toEqual(written.chunks);
      expect(read.comments).toEqual(written.comments);
      expect(read.warnings).toEqual(written.warnings);
      expect(read.itemOrder).toBe(written.itemOrder);
      expect(read.listenedTypes).toEqual(written.listenedTypes ?? []);
    }
  });

  it('a field of the wrong type names its path', () => {
    const extras = JSON.parse(JSON.stringify(har.log.entries[0]!._sseDevtools));
    extras.retries = [{ time: 1, milliseconds: 'soon' }];
    expect(() => readSseDevtoolsExtras(extras, 'x')).toThrow(new BadField('x.retries[0].milliseconds', 'a number'));
    expect(() => readSseDevtoolsExtras([], 'x')).toThrow('x should be an object');
  });
});
