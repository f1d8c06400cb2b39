import { describe, expect, it } from 'vitest';
import type { LoggedItem } from '../log-store';
import type { SseItem } from '../sse-types';
import { connectionFixture } from '../../../test/fixtures/stores';
import {
  ACCENT,
  DEFAULT_GAP_THRESHOLD_MS,
  LANE_BACKGROUND,
  MIN_SPAN_MS,
  NON_EVENT_KEYS,
  TimelineIndex,
  TypeTable,
  axisTicks,
  bucketLane,
  buildLaneIndex,
  buildTimeline,
  clampWindow,
  contrastRatio,
  fitAll,
  formatDuration,
  formatTickLabel,
  gapAt,
  hslToHex,
  laneGaps,
  laneLabel,
  nearestPosition,
  nonEventKind,
  pan,
  pickEvent,
  rateSeries,
  tickStep,
  tickType,
  timeToX,
  typeColor,
  typeHue,
  xToTime,
  zoomAt,
} from '.';

// ---------------------------------------------------------------------------------------------
// helpers

const connection = connectionFixture;

let nextId = 0;
function logged(connectionId: string, item: SseItem): LoggedItem {
  const id = nextId++;
  return { id, seq: id, connectionId, item };
}
const ev = (time: number, type = 'message', data = 'x', connectionId = 'c1'): LoggedItem =>
  logged(connectionId, { kind: 'event', type, data, lastEventId: '', time });
const comment = (time: number, connectionId = 'c1'): LoggedItem => logged(connectionId, { kind: 'comment', text: 'ping', time });
const events = (times: number[], type = 'message'): LoggedItem[] => times.map((time) => ev(time, type));

function index(items: LoggedItem[], types = new TypeTable()) {
  return buildLaneIndex(items, types);
}

// ---------------------------------------------------------------------------------------------

describe('tick types and colours', () => {
  it('keys events by type and the other kinds by reserved keys', () => {
    expect(tickType({ kind: 'event', type: 'tick', data: '', lastEventId: '', time: 0 })).toBe('tick');
    expect(tickType({ kind: 'comment', text: '', time: 0 })).toBe(NON_EVENT_KEYS.comment);
    expect(tickType({ kind: 'retry', milliseconds: 1, time: 0 })).toBe(NON_EVENT_KEYS.retry);
    expect(nonEventKind(NON_EVENT_KEYS.warning)).toBe('warning');
    expect(nonEventKind('comment')).toBeNull();
  });

  it('gives message the accent colour in each theme', () => {
    expect(typeColor('message', 'light')).toBe(ACCENT.light);
    expect(typeColor('message', 'dark')).toBe(ACCENT.dark);
    expect(typeColor(NON_EVENT_KEYS.comment, 'light')).toBe('#5f6368');
  });

  it('converts HSL and measures contrast like WCAG', () => {
    expect(hslToHex(0, 100, 50)).toBe('#ff0000');
    expect(hslToHex(120, 100, 25)).toBe('#008000');
    expect(hslToHex(240, 100, 50)).toBe('#0000ff');
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });

  it('hashes any other type to a stable colour with enough contrast, away from the accent hue', () => {
    const names = ['tick', 'update', 'delta', 'done', 'error', 'constructor', '__proto__', 'toString', '', '事件'];
    for (let i = 0; i < 300; i++) names.push(`type-${i}`);
    for (const name of names) {
      for (const theme of ['light', 'dark'] as const) {
        const color = typeColor(name, theme);
        expect(color).toMatch(/^#[0-9a-f]{6}$/);
        expect(typeColor(name, theme)).toBe(color);
        expect(contrastRatio(color, LANE_BACKGROUND[theme])).toBeGreaterThanOrEqual(4);
      }
      const hue = typeHue(name);
      expect(hue >= 189 && hue < 239).toBe(false);
      expect(hue).toBeLessThan(360);
    }
    expect(typeColor('tick')).not.toBe(typeColor('update'));
  });
});

describe('lane index', () => {
  it('copies times and interns types', () => {
    const types = new TypeTable();
    const lane = index([ev(10, 'a'), comment(20), ev(30, 'b'), ev(40, 'a')], types);
    expect(lane.length).toBe(4);
    expect([...lane.times.subarray(0, 4)]).toEqual([10, 20, 30, 40]);
    expect([...lane.types.subarray(0, 4)]).toEqual([0, 1, 2, 0]);
    expect(types.names).toEqual(['a', NON_EVENT_KEYS.comment, 'b']);
    expect(lane.firstEventTime).toBe(10);
  });

  it('places an item stamped earlier than the one before at that one’s time', () => {
    const lane = index(events([10, 30, 20, 40]));
    expect([...lane.times.subarray(0, 4)]).toEqual([10, 30, 30, 40]);
  });

  it('finds the nearest position', () => {
    const lane = index(events([10, 20, 40]));
    expect(nearestPosition(lane.times, lane.length, 0)).toBe(0);
    expect(nearestPosition(lane.times, lane.length, 15)).toBe(0);
    expect(nearestPosition(lane.times, lane.length, 16)).toBe(1);
    expect(nearestPosition(lane.times, lane.length, 31)).toBe(2);
    expect(nearestPosition(lane.times, lane.length, 99)).toBe(2);
    expect(nearestPosition(lane.times, 0, 5)).toBe(-1);
  });

  it('indexes only new items when the same array grows or a copy keeps the prefix', () => {
    const cache = new TimelineIndex();
    const items = events([1, 2, 3]);
    const first = cache.lane('c1', items);
    items.push(ev(4, 'tick'));
    const grown = cache.lane('c1', items);
    expect(grown).toBe(first);
    expect(grown.length).toBe(4);
    expect(grown.times[3]).toBe(4);

    const copy = [...items, ev(5)];
    const appended = cache.lane('c1', copy);
    expect(appended).toBe(first);
    expect(appended.length).toBe(5);
    expect(appended.items).toBe(copy);

    // A re-filtered copy (an item in the middle left out): indexed again.
    const filtered = [copy[0]!, copy[2]!, copy[3]!, copy[4]!, ev(6), ev(7)];
    const rebuilt = cache.lane('c1', filtered);
    expect(rebuilt).not.toBe(first);
    expect([...rebuilt.times.subarray(0, rebuilt.length)]).toEqual([1, 3, 4, 5, 6, 7]);

    // Fewer items: indexed again.
    expect(cache.lane('c1', filtered.slice(0, 2)).length).toBe(2);
  });

  it('grows its arrays past their first capacity', () => {
    const cache = new TimelineIndex();
    const items: LoggedItem[] = [];
    for (let i = 0; i < 100; i++) {
      items.push(ev(i));
      cache.lane('c1', items);
    }
    const lane = cache.lane('c1', items);
    expect(lane.length).toBe(100);
    expect(lane.times[99]).toBe(99);
    expect(lane.times[50]).toBe(50);
  });
});

describe('buckets', () => {
  it('counts items per pixel column, the window inclusive at both ends', () => {
    const types = new TypeTable();
    const lane = index(events([-1, 0, 5, 9.99, 10, 55, 100, 100.5]), types);
    const buckets = bucketLane(lane, { from: 0, to: 100 }, 10, types.names.length);
    expect([...buckets.counts]).toEqual([3, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(buckets.total).toBe(6);
    expect(buckets.max).toBe(3);
    expect([...buckets.types]).toEqual([0, 0, -1, -1, -1, 0, -1, -1, -1, 0]);
  });

  it('colours a column by its most frequent type, the first to get there on a tie', () => {
    const types = new TypeTable();
    const lane = index([ev(1, 'a'), ev(2, 'b'), ev(3, 'b'), ev(11, 'a'), ev(12, 'b'), comment(25)], types);
    const buckets = bucketLane(lane, { from: 0, to: 30 }, 3, types.names.length);
    // a=0, b=1, comment=2
    expect([...buckets.types]).toEqual([1, 0, 2]);
    expect([...buckets.counts]).toEqual([3, 2, 1]);
  });

  it('is empty for an empty lane, a zero width or an empty window', () => {
    const types = new TypeTable();
    const lane = index(events([5]), types);
    expect(bucketLane(index([]), { from: 0, to: 10 }, 10, 0).total).toBe(0);
    expect(bucketLane(lane, { from: 0, to: 10 }, 0, 1).counts.length).toBe(0);
    expect(bucketLane(lane, { from: 10, to: 10 }, 10, 1).total).toBe(0);
  });
});

describe('gaps', () => {
  const start = 0;
  const lane = index(events([1000, 2000, 9000, 9500, 20_000]));
  const all = { from: -1e9, to: 1e9 };

  it('finds silences longer than the threshold, the tail to the end included', () => {
    expect(laneGaps(lane, start, 26_000, all)).toEqual([
      { from: 2000, to: 9000 },
      { from: 9500, to: 20_000 },
      { from: 20_000, to: 26_000 },
    ]);
    expect(laneGaps(lane, start, undefined, all)).toEqual([
      { from: 2000, to: 9000 },
      { from: 9500, to: 20_000 },
    ]);
    expect(laneGaps(lane, start, 26_000, all, 6500)).toEqual([
      { from: 2000, to: 9000 },
      { from: 9500, to: 20_000 },
    ]);
  });

  it('needs strictly more than the threshold', () => {
    expect(DEFAULT_GAP_THRESHOLD_MS).toBe(5000);
    expect(laneGaps(index(events([0, 5000, 10_001])), 0, undefined, all)).toEqual([{ from: 5000, to: 10_001 }]);
  });

  it('reports a silence from the start to the first item, or to the end when there is none', () => {
    expect(laneGaps(index(events([6000, 7000])), 0, undefined, all)).toEqual([{ from: 0, to: 6000 }]);
    expect(laneGaps(index([]), 0, 7000, all)).toEqual([{ from: 0, to: 7000 }]);
    expect(laneGaps(index([]), 0, 4000, all)).toEqual([]);
    expect(laneGaps(index([]), 0, undefined, all)).toEqual([]);
  });

  it('keeps the gaps that overlap the window, whole, including those touching its edges', () => {
    // The window ends exactly where a gap starts, and starts exactly where one ends.
    expect(laneGaps(lane, start, 26_000, { from: 0, to: 2000 })).toEqual([{ from: 2000, to: 9000 }]);
    expect(laneGaps(lane, start, 26_000, { from: 20_000, to: 30_000 })).toEqual([
      { from: 9500, to: 20_000 },
      { from: 20_000, to: 26_000 },
    ]);
    // Inside one gap, with no item in view.
    expect(laneGaps(lane, start, 26_000, { from: 12_000, to: 13_000 })).toEqual([{ from: 9500, to: 20_000 }]);
    // Between two items closer than the threshold.
    expect(laneGaps(lane, start, 26_000, { from: 9100, to: 9400 })).toEqual([]);
    // Past the end.
    expect(laneGaps(lane, start, 26_000, { from: 26_001, to: 30_000 })).toEqual([]);
    expect(laneGaps(lane, start, 26_000, { from: 25_000, to: 30_000 })).toEqual([{ from: 20_000, to: 26_000 }]);
  });

  it('finds the gap under a time', () => {
    const gaps = laneGaps(lane, start, 26_000, all);
    expect(gapAt(gaps, 10_000)).toEqual({ from: 9500, to: 20_000 });
    expect(gapAt(gaps, 9200)).toBeNull();
  });
});

describe('rate', () => {
  it('averages over a column when columns are a second or wider', () => {
    const rate = rateSeries([index(events([100, 200, 1500, 9999]))], { from: 0, to: 10_000 }, 10);
    expect(rate.windowMs).toBe(1000);
    expect([...rate.perSecond]).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(rate.max).toBe(2);
    const wide = rateSeries([index(events([0, 1, 2]))], { from: 0, to: 20_000 }, 10);
    expect(wide.windowMs).toBe(2000);
    expect(wide.perSecond[0]).toBe(1.5);
  });

  it('counts the second centred on a narrower column, across lanes', () => {
    const rate = rateSeries([index(events([0, 400])), index(events([900]))], { from: 0, to: 1000 }, 10);
    // Column c counts [c*100 + 50 - 500, c*100 + 50 + 500).
    expect([...rate.perSecond]).toEqual([2, 2, 2, 2, 3, 2, 2, 2, 2, 1]);
    expect(rate.max).toBe(3);
  });

  it('is zero without items in reach', () => {
    const rate = rateSeries([index(events([50_000])), index([])], { from: 0, to: 1000 }, 4);
    expect([...rate.perSecond]).toEqual([0, 0, 0, 0]);
  });
});

describe('buildTimeline', () => {
  it('makes one lane per connection, in order, with label, buckets, gaps and time to first event', () => {
    const c1 = connection('c1', 1000, { lastTime: 20_000 });
    const c2 = connection('c2', 500, { method: 'POST', url: 'https://x.test/chat', state: 'closed', endTime: 3000 });
    const c3 = connection('c3', 2000, { url: '(unknown stream)', method: '' });
    const items: Record<string, LoggedItem[]> = {
      c1: [comment(1200), ev(1500, 'tick'), ev(12_000)],
      c2: [ev(600, 'message', 'x', 'c2')],
      c3: [],
    };
    const model = buildTimeline([c2, c1, c3], (id) => items[id] ?? [], {
      window: { from: 0, to: 20_000 },
      width: 200,
      now: 20_000,
    });
    expect(model.lanes.map((lane) => lane.label)).toEqual(['POST /chat', 'GET /c1?x=1', '(unknown stream)']);
    const [l2, l1, l3] = model.lanes;
    expect(l1!.timeToFirstEvent).toBe(500);
    expect(l1!.firstEventTime).toBe(1500);
    expect(l2!.timeToFirstEvent).toBe(100);
    expect(l3!.timeToFirstEvent).toBeNull();
    expect(l1!.gaps).toEqual([
      { from: 1500, to: 12_000 },
      { from: 12_000, to: 20_000 },
    ]);
    // c2 closed at 3000: its lane ends there, not at "now".
    expect(l2!.end).toBe(3000);
    expect(l2!.gaps).toEqual([]);
    expect(l3!.gaps).toEqual([{ from: 2000, to: 20_000 }]);
    expect(model.totalItems).toBe(4);
    expect(model.visibleItems).toBe(4);
    expect(l1!.buckets.counts[12]).toBe(1); // 1200 ms at 100 ms/px
    expect(model.typeNames[l1!.buckets.types[15]!]).toBe('tick');
    expect(model.maxCount).toBe(1);
    expect(laneLabel(c1)).toBe('GET /c1?x=1');
  });
});

describe('pickEvent', () => {
  const lanes = [{ index: index(events([105, 108, 500])) }, { index: index(events([300])) }];
  const geometry = { window: { from: 0, to: 1000 }, width: 100, laneHeight: 20 };

  it('finds the tick under the pointer in the lane under it', () => {
    const hit = pickEvent(lanes, geometry, 10.5, 5);
    expect(hit?.lane).toBe(0);
    expect(hit?.item.item.time).toBe(105);
    expect(hit?.distance).toBe(0);
    expect(hit?.columnCount).toBe(2);
    // Of the items sharing a column, the one nearest in time to the pointer.
    expect(pickEvent(lanes, geometry, 14, 5)?.item.item.time).toBe(108);
    expect(pickEvent(lanes, geometry, 7, 5)?.item.item.time).toBe(105);
    expect(pickEvent(lanes, geometry, 50, 19)?.item.item.time).toBe(500);
    expect(pickEvent(lanes, geometry, 30.5, 25)?.item.item.time).toBe(300);
  });

  it('finds nothing away from ticks or lanes', () => {
    expect(pickEvent(lanes, geometry, 16, 5)).toBeNull();
    expect(pickEvent(lanes, geometry, 30.5, 45)).toBeNull();
    expect(pickEvent(lanes, geometry, 30.5, -1)).toBeNull();
    expect(pickEvent([{ index: index([]) }], geometry, 10, 5)).toBeNull();
  });

  it('accounts for scrolled lanes', () => {
    expect(pickEvent(lanes, { ...geometry, top: -20 }, 30.5, 5)?.item.item.time).toBe(300);
  });
});

describe('zoom and pan', () => {
  const bounds = { from: 0, to: 10_000 };

  it('zooms around the anchor', () => {
    expect(zoomAt({ from: 0, to: 1000 }, 250, 0.5, bounds)).toEqual({ from: 125, to: 625 });
    expect(zoomAt({ from: 1000, to: 2000 }, 1500, 2, bounds)).toEqual({ from: 500, to: 2500 });
  });

  it('stops zooming out at the bounds and zooming in at the minimum span', () => {
    expect(zoomAt({ from: 0, to: 1000 }, 500, 100, bounds)).toEqual(bounds);
    expect(zoomAt({ from: 0, to: 1000 }, 500, 1e-9, bounds)).toEqual({ from: 499.5, to: 500.5 });
    expect(MIN_SPAN_MS).toBe(1);
  });

  it('keeps the zoomed window inside the bounds', () => {
    expect(zoomAt({ from: 9000, to: 10_000 }, 10_000, 3, bounds)).toEqual({ from: 7000, to: 10_000 });
    expect(zoomAt({ from: 0, to: 1000 }, 0, 3, bounds)).toEqual({ from: 0, to: 3000 });
  });

  it('pans within the bounds', () => {
    expect(pan({ from: 0, to: 1000 }, 500, bounds)).toEqual({ from: 500, to: 1500 });
    expect(pan({ from: 9000, to: 10_000 }, 500, bounds)).toEqual({ from: 9000, to: 10_000 });
    expect(pan({ from: 100, to: 1100 }, -500, bounds)).toEqual({ from: 0, to: 1000 });
  });

  it('centres the window on bounds narrower than the minimum span', () => {
    expect(clampWindow({ from: 0, to: 100 }, { from: 50, to: 50 })).toEqual({ from: 49.5, to: 50.5 });
  });

  it('maps time and x both ways', () => {
    expect(timeToX(250, { from: 0, to: 1000 }, 200)).toBe(50);
    expect(xToTime(50, { from: 0, to: 1000 }, 200)).toBe(250);
  });
});

describe('fitAll', () => {
  it('spans every connection and item, padded', () => {
    const c1 = connection('c1', 1000, { lastTime: 5000 });
    const c2 = connection('c2', 2000, { lastTime: 9000, endTime: 11_000, state: 'closed' });
    expect(fitAll([c1, c2], () => [])).toEqual({ from: 800, to: 11_200 });
  });

  it('includes items and, for open connections, now', () => {
    const c1 = connection('c1', 1000, { lastTime: 1000 });
    expect(fitAll([c1], () => [ev(500), ev(5500)])).toEqual({ from: 400, to: 5600 });
    expect(fitAll([c1], () => [], 11_000)).toEqual({ from: 800, to: 11_200 });
    const closed = connection('c2', 1000, { lastTime: 2000, state: 'closed' });
    expect(fitAll([closed], () => [], 11_000)).toEqual({ from: 980, to: 2020 });
  });

  it('gives a lone instant some room, and nothing without connections', () => {
    expect(fitAll([connection('c1', 1000)], () => [])).toEqual({ from: 998, to: 1102 });
    expect(fitAll([], () => [])).toBeNull();
  });
});

describe('axis', () => {
  it('picks a round step for the spacing', () => {
    expect(tickStep({ from: 0, to: 10_000 }, 1000, 90)).toBe(1000);
    expect(tickStep({ from: 0, to: 10_000 }, 1000, 150)).toBe(2000);
    expect(tickStep({ from: 0, to: 1 }, 1000, 90)).toBe(0.1);
    expect(tickStep({ from: 0, to: 3_600_000 }, 800, 90)).toBe(600_000);
  });

  it('puts ticks on whole local seconds with clock labels', () => {
    const t0 = new Date(2024, 0, 1, 12, 0, 0, 500).getTime();
    const ticks = axisTicks({ from: t0, to: t0 + 10_000 }, 1000, 90);
    expect(ticks.map((tick) => tick.label)).toEqual([
      '12:00:01',
      '12:00:02',
      '12:00:03',
      '12:00:04',
      '12:00:05',
      '12:00:06',
      '12:00:07',
      '12:00:08',
      '12:00:09',
      '12:00:10',
    ]);
    expect(ticks[0]!.x).toBe(50);
    expect(ticks[9]!.x).toBe(950);
  });

  it('puts minute ticks on whole local minutes', () => {
    const t0 = new Date(2024, 0, 1, 12, 7, 30).getTime();
    const ticks = axisTicks({ from: t0, to: t0 + 3_600_000 }, 800, 90);
    expect(ticks.map((tick) => tick.label)).toEqual(['12:10', '12:20', '12:30', '12:40', '12:50', '13:00']);
  });

  it('shows as many decimals as the step needs', () => {
    const t0 = new Date(2024, 0, 1, 9, 5, 7, 250).getTime();
    expect(formatTickLabel(t0, 60_000)).toBe('09:05');
    expect(formatTickLabel(t0 - 250, 1000)).toBe('09:05:07');
    expect(formatTickLabel(t0, 500)).toBe('09:05:07.3');
    expect(formatTickLabel(t0, 50)).toBe('09:05:07.25');
    expect(formatTickLabel(t0 + 0.5, 5)).toBe('09:05:07.251');
    expect(formatTickLabel(t0 + 0.25, 0.5)).toBe('09:05:07.2503');
    expect(formatTickLabel(t0 + 999.99999, 0.01)).toBe('09:05:08.25000');
  });

  it('formats durations', () => {
    expect(formatDuration(0.4213)).toBe('0.42 ms');
    expect(formatDuration(12.54)).toBe('12.5 ms');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('scale', () => {
  it('indexes and buckets a million events quickly', () => {
    const count = 1_000_000;
    const start = 1_700_000_000_000;
    const types = ['message', 'tick', 'update', 'done'];
    const items: LoggedItem[] = new Array(count);
    for (let i = 0; i < count; i++) {
      items[i] = {
        id: i,
        seq: i,
        connectionId: 'big',
        item: {
          kind: 'event',
          type: types[i % 7 === 0 ? 1 : i % 13 === 0 ? 2 : 0]!,
          data: '',
          lastEventId: '',
          time: start + i * 3.6,
        },
      };
    }
    const big = connection('big', start, { lastTime: start + count * 3.6 });
    const cache = new TimelineIndex();
    const window = fitAll([big], () => items)!;

    let began = performance.now();
    const model = buildTimeline([big], () => items, { window, width: 2000, index: cache });
    const first = performance.now() - began;
    expect(model.visibleItems).toBe(count);
    expect(model.lanes[0]!.buckets.counts.reduce((a, b) => a + b, 0)).toBe(count);
    expect(model.typeNames[model.lanes[0]!.buckets.types[1000]!]).toBe('message');
    expect(model.rate.max).toBeGreaterThan(200);
    expect(first).toBeLessThan(3000);

    // Redraws reuse the index: only bucketing, gaps and rate remain.
    began = performance.now();
    for (let i = 0; i < 5; i++) buildTimeline([big], () => items, { window, width: 2000, index: cache });
    const redraw = (performance.now() - began) / 5;
    expect(redraw).toBeLessThan(500);

    // Streaming: a few more items cost only their own indexing.
    for (let i = 0; i < 1000; i++) items.push(ev(start + count * 3.6 + i, 'message', '', 'big'));
    began = performance.now();
    expect(cache.lane('big', items).length).toBe(count + 1000);
    expect(performance.now() - began).toBeLessThan(100);

    // A zoomed-in window touches only its own items.
    began = performance.now();
    const zoomed = buildTimeline([big], () => items, {
      window: { from: start + 1000, to: start + 2000 },
      width: 2000,
      index: cache,
    });
    expect(zoomed.visibleItems).toBe(278); // 1000 ms / 3.6 ms, both ends included
    expect(performance.now() - began).toBeLessThan(50);
  }, 30_000);
});
