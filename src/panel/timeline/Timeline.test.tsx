// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { LoggedItem } from '../../core/log-store';
import type { TimeRange } from '../../core/timeline';
import { Timeline, type TimelineProps } from './Timeline';
import { connectionFixture } from '../../../test/fixtures/stores';

vi.mock('../i18n', () => import('../i18n.test-double'));

// ---------------------------------------------------------------------------------------------
// fixtures: c1 opens at T0 and gets events at +100, +200 and +10 s; c2 (a POST) gets none.
// Everything spans [T0, T0 + 10 s], so "fit" shows [T0 - 200, T0 + 10 200] (2 % padding).

const T0 = 1_700_000_000_000;
const FIT = { from: T0 - 200, to: T0 + 10_200 };
const SPAN = FIT.to - FIT.from;
const WIDTH = 1000;

const connection = connectionFixture;

let nextId = 0;
function event(time: number, type = 'message', data = 'x', lastEventId = ''): LoggedItem {
  const id = nextId++;
  return { id, seq: id, connectionId: 'c1', item: { kind: 'event', type, data, lastEventId, time } };
}

const HOSTILE = '<img src=x onerror="globalThis.hacked=1">&amp;';

function fixture() {
  const c1 = connection('c1', T0, {
    lastTime: T0 + 10_000,
    eventTypes: new Map([
      ['message', 2],
      ['tick', 1],
    ]),
  });
  const c2 = connection('c2', T0 + 50, {
    method: 'POST',
    url: 'https://api.example.com/chat',
    state: 'closed',
    endTime: T0 + 3000,
    lastTime: T0 + 3000,
  });
  const items: Record<string, LoggedItem[]> = {
    c1: [event(T0 + 100, 'message', HOSTILE, '7'), event(T0 + 200, 'tick'), event(T0 + 10_000)],
    c2: [],
  };
  return { connections: [c1, c2], items };
}

// ---------------------------------------------------------------------------------------------
// harness

let host: HTMLDivElement;
const rectStub = () =>
  ({ left: 0, top: 0, right: WIDTH, bottom: 200, width: WIDTH, height: 200, x: 0, y: 0, toJSON: () => ({}) }) as DOMRect;
const originalRect = HTMLElement.prototype.getBoundingClientRect;

beforeEach(() => {
  // happy-dom does no layout: every element is WIDTH px wide, 200 px tall, at (0, 0).
  HTMLElement.prototype.getBoundingClientRect = rectStub;
  host = document.createElement('div');
  document.body.append(host);
});

afterEach(() => {
  render(null, host);
  host.remove();
  HTMLElement.prototype.getBoundingClientRect = originalRect;
});

function mount(overrides: Partial<TimelineProps> = {}) {
  const { connections, items } = fixture();
  const onBrush = vi.fn<(range: TimeRange | null) => void>();
  const onSelectItem = vi.fn<(item: LoggedItem) => void>();
  const props: TimelineProps = {
    connections,
    itemsByConnection: (id) => items[id] ?? [],
    range: null,
    onBrush,
    onSelectItem,
    theme: 'light',
    ...overrides,
  };
  act(() => render(<Timeline {...props} />, host));
  const rerender = (next: Partial<TimelineProps>) => {
    Object.assign(props, next);
    act(() => render(<Timeline {...props} />, host));
  };
  return { props, items, onBrush, onSelectItem, rerender };
}

const root = () => host.querySelector<HTMLElement>('[data-testid="timeline"]')!;
const byTestId = (id: string) => host.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
const windowOf = () => ({ from: Number(root().dataset.windowFrom), to: Number(root().dataset.windowTo) });
const span = () => windowOf().to - windowOf().from;

function key(name: string, init: KeyboardEventInit = {}) {
  act(() => {
    root().dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init }));
  });
}

function pointer(target: Element, type: string, clientX: number, clientY = 5) {
  act(() => {
    target.dispatchEvent(new PointerEvent(type, { clientX, clientY, pointerId: 1, button: 0, bubbles: true }));
  });
}

function click(target: Element) {
  act(() => (target as HTMLElement).click());
}

/** Lets the animation frame that draws (and builds the hover model) run. */
async function frame() {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 40));
  });
}

const xOf = (time: number) => ((time - FIT.from) / SPAN) * WIDTH;

// ---------------------------------------------------------------------------------------------

describe('Timeline', () => {
  it('renders one labelled lane per connection with its time to first event', () => {
    mount();
    const labels = [...host.querySelectorAll('.tl-lane-label')];
    expect(labels.map((label) => label.querySelector('.tl-lane-name')!.textContent)).toEqual(['GET /c1?x=1', 'POST /chat']);
    expect(labels[0]!.getAttribute('title')).toBe('GET https://api.example.com/c1?x=1\ntimelineFirstEvent(100 ms)');
    expect([...host.querySelectorAll('[data-testid="timeline-ttfe"]')].map((node) => node.textContent)).toEqual([
      'timelineFirstEvent(100 ms)',
      'timelineNoEvent',
    ]);
  });

  it('summarizes the drawing for assistive technology and exposes its state', () => {
    mount();
    const canvas = byTestId('timeline-canvas');
    expect(canvas.tagName).toBe('CANVAS');
    expect(canvas.getAttribute('role')).toBe('img');
    expect(canvas.getAttribute('aria-label')).toMatch(
      /^timelineCanvasLabel\(2\|3\|\d\d:\d\d:\d\d\.\d{3}\|\d\d:\d\d:\d\d\.\d{3}\)$/,
    );
    expect(root().getAttribute('tabindex')).toBe('0');
    expect(root().getAttribute('aria-describedby')).toBe(host.querySelector('.tl-hint')!.id);
    expect(windowOf()).toEqual(FIT);
    expect(root().dataset.view).toBe('fit');
    expect(root().dataset.lanes).toBe('2');
    expect(root().dataset.items).toBe('3');
    expect(root().dataset.brushFrom).toBeUndefined();
  });

  it('labels its buttons', () => {
    mount();
    expect(byTestId('timeline-zoom-in').getAttribute('aria-label')).toBe('timelineZoomIn');
    expect(byTestId('timeline-zoom-out').getAttribute('aria-label')).toBe('timelineZoomOut');
    expect(byTestId('timeline-fit').textContent).toBe('timelineFit');
    expect(byTestId('timeline-brush-view').textContent).toBe('timelineBrushView');
    expect(byTestId('timeline-clear-brush').textContent).toBe('timelineClearBrush');
    expect([...host.querySelectorAll('.tl-legend li')].map((li) => li.textContent)).toEqual(['message', 'tick']);
  });

  it('zooms with the buttons and fits again', () => {
    mount();
    expect((byTestId('timeline-zoom-out') as HTMLButtonElement).disabled).toBe(true);
    click(byTestId('timeline-zoom-in'));
    expect(span()).toBeCloseTo(SPAN / 2, 2);
    expect(windowOf().from).toBeCloseTo(FIT.from + SPAN / 4, 2);
    expect(root().dataset.view).toBe('fixed');
    click(byTestId('timeline-zoom-in'));
    expect(span()).toBeCloseTo(SPAN / 4, 2);
    click(byTestId('timeline-zoom-out'));
    expect(span()).toBeCloseTo(SPAN / 2, 2);
    click(byTestId('timeline-fit'));
    expect(windowOf()).toEqual(FIT);
    expect(root().dataset.view).toBe('fit');
  });

  it('returns to "fit" when zoomed back out, whatever the float rounding of epoch-ms times', () => {
    // Times as the page reports them (performance.timeOrigin + now()): fractional epoch ms.
    const start = T0 + 0.123456789;
    const c1 = connection('c1', start, { lastTime: start + 777.777, eventTypes: new Map([['message', 2]]) });
    const items = [event(start + 111.111), event(start + 777.777)];
    mount({ connections: [c1], itemsByConnection: (id) => (id === 'c1' ? items : []) });
    const fit = windowOf();
    for (const button of ['timeline-zoom-in', 'timeline-zoom-in', 'timeline-zoom-out', 'timeline-zoom-out'])
      click(byTestId(button));
    expect(windowOf()).toEqual(fit);
    expect(root().dataset.view).toBe('fit');
    expect((byTestId('timeline-zoom-out') as HTMLButtonElement).disabled).toBe(true);
  });

  it('zooms and pans with the keyboard when focused', () => {
    mount();
    key('+');
    const zoomed = windowOf();
    expect(zoomed.to - zoomed.from).toBeCloseTo(SPAN / 2, 2);
    key('ArrowRight');
    expect(windowOf().from).toBeCloseTo(zoomed.from + (SPAN / 2) * 0.1, 2);
    key('ArrowLeft');
    key('ArrowLeft');
    expect(windowOf().from).toBeCloseTo(zoomed.from - (SPAN / 2) * 0.1, 2);
    key('End');
    expect(windowOf().to).toBe(FIT.to);
    expect(root().dataset.view).toBe('tail');
    key('Home');
    expect(windowOf().from).toBe(FIT.from);
    expect(root().dataset.view).toBe('fixed');
    // Panning stops at the data's edge.
    key('ArrowLeft', { shiftKey: true });
    expect(windowOf().from).toBe(FIT.from);
    key('-');
    expect(windowOf()).toEqual(FIT);
    key('=');
    key('0');
    expect(root().dataset.view).toBe('fit');
    // Keys with Ctrl/⌘ are the browser's.
    key('+', { ctrlKey: true });
    expect(root().dataset.view).toBe('fit');
  });

  it('follows new data: everything in "fit", the latest span once scrolled to the end', () => {
    const { props, items, rerender } = mount();
    items.c1!.push(event(T0 + 20_000));
    props.connections[0]!.lastTime = T0 + 20_000;
    rerender({ connections: [...props.connections] });
    expect(windowOf()).toEqual({ from: T0 - 400, to: T0 + 20_400 });
    expect(root().dataset.items).toBe('4');

    key('+');
    key('End');
    const before = windowOf();
    items.c1!.push(event(T0 + 30_000));
    props.connections[0]!.lastTime = T0 + 30_000;
    rerender({ connections: [...props.connections] });
    const after = windowOf();
    expect(after.to - after.from).toBeCloseTo(before.to - before.from, 2);
    expect(after.to).toBe(T0 + 30_600);

    // A window away from the end stays put.
    key('Home');
    const fixed = windowOf();
    items.c1!.push(event(T0 + 40_000));
    props.connections[0]!.lastTime = T0 + 40_000;
    rerender({ connections: [...props.connections] });
    expect(windowOf()).toEqual(fixed);
  });

  it('brushes a time range by dragging on the axis strip', () => {
    const { onBrush } = mount();
    const area = byTestId('timeline-brush-area');
    pointer(area, 'pointerdown', 100);
    pointer(area, 'pointermove', 250);
    expect(area.querySelector('.tl-brush.pending')).not.toBeNull();
    pointer(area, 'pointermove', 300);
    pointer(area, 'pointerup', 300);
    expect(onBrush).toHaveBeenCalledTimes(1);
    const range = onBrush.mock.calls[0]![0]!;
    expect(range.from).toBeCloseTo(FIT.from + SPAN * 0.1, 2);
    expect(range.to).toBeCloseTo(FIT.from + SPAN * 0.3, 2);
    expect(area.querySelector('.tl-brush.pending')).toBeNull();

    // Right to left gives the same ordered range.
    pointer(area, 'pointerdown', 300);
    pointer(area, 'pointermove', 100);
    pointer(area, 'pointerup', 100);
    expect(onBrush.mock.calls[1]![0]!.from).toBeCloseTo(range.from, 2);
    expect(onBrush.mock.calls[1]![0]!.to).toBeCloseTo(range.to, 2);
  });

  it('shows the brush given, and clears it by button, click on the axis or Escape', () => {
    const range = { from: T0 + 1000, to: T0 + 2000 };
    const { onBrush } = mount({ range });
    expect(root().dataset.brushFrom).toBe(String(range.from));
    expect(root().dataset.brushTo).toBe(String(range.to));
    const overlay = byTestId('timeline-brush-area').querySelector<HTMLElement>('.tl-brush')!;
    expect(parseFloat(overlay.style.left)).toBeCloseTo(xOf(range.from), 2);
    expect(parseFloat(overlay.style.width)).toBeCloseTo(xOf(range.to) - xOf(range.from), 2);
    expect(byTestId('timeline-readout').textContent).toContain('timelineRangeReadout(');

    click(byTestId('timeline-clear-brush'));
    expect(onBrush).toHaveBeenLastCalledWith(null);

    const area = byTestId('timeline-brush-area');
    pointer(area, 'pointerdown', 400);
    pointer(area, 'pointerup', 401);
    expect(onBrush).toHaveBeenCalledTimes(2);
    expect(onBrush).toHaveBeenLastCalledWith(null);

    key('Escape');
    expect(onBrush).toHaveBeenCalledTimes(3);
  });

  it('disables "clear" without a brush, and brushes the visible window on request', () => {
    const { onBrush } = mount();
    expect((byTestId('timeline-clear-brush') as HTMLButtonElement).disabled).toBe(true);
    click(byTestId('timeline-brush-view'));
    expect(onBrush).toHaveBeenCalledWith(FIT);
    key('Escape');
    expect(onBrush).toHaveBeenCalledTimes(1);
  });

  it('shows the hovered event as text, and selects it on click', async () => {
    const { onSelectItem, items } = mount();
    await frame();
    const canvas = byTestId('timeline-canvas');
    const x = Math.floor(xOf(T0 + 100)) + 0.5;
    pointer(canvas, 'pointermove', x, 5);
    const tooltip = byTestId('timeline-tooltip');
    expect(tooltip.textContent).toContain(HOSTILE);
    expect(tooltip.textContent).toContain('message');
    expect(tooltip.textContent).toContain('colId7');
    expect(tooltip.textContent).toContain('timelineSinceOpen(100 ms)');
    expect(tooltip.querySelector('img')).toBeNull();
    expect((globalThis as { hacked?: number }).hacked).toBeUndefined();
    expect(host.querySelector('.tl-cursor')).not.toBeNull();

    pointer(canvas, 'pointerleave', x, 5);
    expect(host.querySelector('[data-testid="timeline-tooltip"]')).toBeNull();

    pointer(canvas, 'pointerdown', x, 5);
    pointer(canvas, 'pointerup', x, 5);
    expect(onSelectItem).toHaveBeenCalledWith(items.c1![0]);
  });

  it('describes a gap under the pointer', async () => {
    mount();
    await frame();
    pointer(byTestId('timeline-canvas'), 'pointermove', xOf(T0 + 5000), 5);
    expect(byTestId('timeline-tooltip').textContent).toContain('timelineGapTooltip(9.8 s)');
    // c2's lane (closed at +3 s, no events): silent from its start to its end is under 5 s.
    pointer(byTestId('timeline-canvas'), 'pointermove', xOf(T0 + 1000), 27);
    expect(host.querySelector('[data-testid="timeline-tooltip"]')).toBeNull();
  });

  it('pans by dragging the lanes, without selecting', async () => {
    const { onSelectItem } = mount();
    await frame();
    key('+');
    const before = windowOf();
    const canvas = byTestId('timeline-canvas');
    pointer(canvas, 'pointerdown', 500, 5);
    pointer(canvas, 'pointermove', 400, 5);
    pointer(canvas, 'pointerup', 400, 5);
    expect(windowOf().from).toBeCloseTo(before.from + (before.to - before.from) * 0.1, 2);
    expect(onSelectItem).not.toHaveBeenCalled();
  });

  it('zooms with Ctrl/⌘+wheel at the pointer and pans with the wheel', () => {
    mount();
    const canvas = byTestId('timeline-canvas');
    const wheel = (deltaY: number, ctrlKey: boolean, clientX = 500) => {
      const event = new WheelEvent('wheel', { deltaY, bubbles: true, cancelable: true });
      // happy-dom's WheelEvent is no MouseEvent: no pointer position, no modifier keys.
      Object.defineProperty(event, 'ctrlKey', { value: ctrlKey });
      Object.defineProperty(event, 'clientX', { value: clientX });
      act(() => {
        canvas.dispatchEvent(event);
      });
      return event;
    };
    const zoom = wheel(-100, true, 250);
    expect(zoom.defaultPrevented).toBe(true);
    const zoomed = windowOf();
    expect(zoomed.to - zoomed.from).toBeCloseTo(SPAN * Math.exp(-0.2), 2);
    // The time under the pointer stays under it.
    expect(zoomed.from + (zoomed.to - zoomed.from) * 0.25).toBeCloseTo(FIT.from + SPAN * 0.25, 2);
    wheel(100, false);
    expect(windowOf().from).toBeCloseTo(zoomed.from + (zoomed.to - zoomed.from) * 0.1, 2);
  });

  it('redraws at most once per animation frame', async () => {
    mount();
    await frame();
    const spy = vi.spyOn(globalThis, 'requestAnimationFrame');
    key('+');
    key('ArrowRight');
    key('ArrowRight');
    expect(spy).toHaveBeenCalledTimes(1);
    await frame();
    key('ArrowLeft');
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  it('paints lanes, ticks, gaps and the rate strip on a 2D context', async () => {
    const recorded = { calls: new Map<string, number>(), styles: new Set<string>(), texts: [] as string[] };
    const context = new Proxy({} as Record<string | symbol, unknown>, {
      get(target, property) {
        if (property in target) return target[property];
        if (property === 'measureText') return (text: string) => ({ width: text.length * 6 });
        return (...args: unknown[]) => {
          recorded.calls.set(String(property), (recorded.calls.get(String(property)) ?? 0) + 1);
          if (property === 'fillText') recorded.texts.push(String(args[0]));
        };
      },
      set(target, property, value) {
        target[property] = value;
        if (property === 'fillStyle') recorded.styles.add(String(value));
        return true;
      },
    });
    const getContext = vi
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockImplementation(() => context as unknown as CanvasRenderingContext2D);
    try {
      mount();
      await frame();
      const canvas = byTestId('timeline-canvas') as HTMLCanvasElement;
      expect(canvas.width).toBe(WIDTH * (globalThis.devicePixelRatio || 1));
      expect(recorded.calls.get('setTransform')).toBe(2);
      expect(recorded.calls.get('rect')).toBeGreaterThan(3);
      expect(recorded.styles.has('#1a73e8')).toBe(true); // 'message' ticks in the accent colour
      expect(recorded.texts.some((text) => text.startsWith('timelineRatePeak('))).toBe(true);
      expect(recorded.texts).toContain('9.8 s'); // the gap's length
    } finally {
      getContext.mockRestore();
    }
  });

  it('draws without a 2D context and with no connections', async () => {
    const { rerender } = mount();
    await frame();
    rerender({ connections: [] });
    await frame();
    expect(root().dataset.windowFrom).toBeUndefined();
    expect((byTestId('timeline-zoom-in') as HTMLButtonElement).disabled).toBe(true);
    expect(byTestId('timeline-canvas').getAttribute('aria-label')).toBe('timelineCanvasLabel(0|0|—|—)');
  });
});
