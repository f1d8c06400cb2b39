// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { DeepCaptureToggle } from './DeepCaptureToggle';
import type { DeepCaptureState } from '../protocol';

vi.mock('./i18n', () => import('./i18n.test-double'));

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

const state = (fields: Partial<DeepCaptureState>): DeepCaptureState => ({
  type: 'deep-capture',
  available: true,
  on: false,
  ...fields,
});
const toggle = () => container.querySelector<HTMLInputElement>('.deep-capture-toggle')!;

function click(element: HTMLElement): void {
  act(() => {
    element.click();
  });
}

describe('DeepCaptureToggle', () => {
  it('is absent when the build cannot capture on the wire', () => {
    render(<DeepCaptureToggle state={state({ available: false })} onChange={() => {}} />, container);
    expect(container.innerHTML).toBe('');
  });

  it('explains the debugging bar before anything is asked, and asks only on confirm', () => {
    const onChange = vi.fn();
    render(<DeepCaptureToggle state={state({})} onChange={onChange} />, container);
    click(toggle());
    expect(container.querySelector('.deep-capture-explain')?.textContent).toContain('deepCaptureExplain');
    expect(onChange).not.toHaveBeenCalled();
    click(container.querySelector<HTMLButtonElement>('.deep-capture-confirm')!);
    expect(onChange).toHaveBeenCalledWith(true);
    expect(container.querySelector('.deep-capture-explain')).toBeNull();
  });

  it('cancel asks nothing; unticking when on turns it off at once', () => {
    const onChange = vi.fn();
    render(<DeepCaptureToggle state={state({})} onChange={onChange} />, container);
    click(toggle());
    click([...container.querySelectorAll('button')].find((b) => b.textContent === 'deepCaptureCancel')!);
    expect(onChange).not.toHaveBeenCalled();
    expect(toggle().checked).toBe(false);
    render(<DeepCaptureToggle state={state({ on: true })} onChange={onChange} />, container);
    expect(toggle().checked).toBe(true);
    click(toggle());
    expect(onChange).toHaveBeenCalledWith(false);
  });

  it('shows what was asked until the background answers: ticked after confirm, unticked after unticking', async () => {
    const onChange = vi.fn();
    const show = (shown: DeepCaptureState) =>
      act(() => {
        render(<DeepCaptureToggle state={shown} onChange={onChange} />, container);
      });
    const off = state({});
    await show(off);
    click(toggle());
    click(container.querySelector<HTMLButtonElement>('.deep-capture-confirm')!);
    // The debugger is being attached: the state is still "off", the box stays ticked, marked busy.
    await show(off);
    expect(toggle().checked).toBe(true);
    expect([toggle().dataset.state, toggle().getAttribute('aria-busy')]).toEqual(['turning-on', 'true']);
    // The answer: on.
    await show(state({ on: true }));
    expect(toggle().checked).toBe(true);
    expect([toggle().dataset.state, toggle().getAttribute('aria-busy')]).toEqual(['on', 'false']);
    // Unticked: unticked at once, though the state still says on until the answer.
    const on = state({ on: true });
    await show(on);
    click(toggle());
    expect(onChange).toHaveBeenLastCalledWith(false);
    await show(on);
    expect(toggle().checked).toBe(false);
    expect(toggle().dataset.state).toBe('turning-off');
    await show(state({}));
    expect(toggle().checked).toBe(false);
    expect(toggle().dataset.state).toBe('off');
    // Asked for, and refused: unticked, with the reason.
    click(toggle());
    click(container.querySelector<HTMLButtonElement>('.deep-capture-confirm')!);
    expect(toggle().checked).toBe(true);
    await show(state({ error: 'Another debugger is already attached' }));
    expect(toggle().checked).toBe(false);
    expect(container.querySelector('.deep-capture-error')?.textContent).toBe(
      'deepCaptureOff(Another debugger is already attached)',
    );
  });

  it('in Firefox (webRequest) explains the access it will ask for, not a debugging bar', () => {
    const onChange = vi.fn();
    render(<DeepCaptureToggle state={state({ mechanism: 'webRequest' })} onChange={onChange} />, container);
    expect(container.querySelector('label')?.title).toBe('deepCaptureTitleFirefox');
    click(toggle());
    expect(container.querySelector('.deep-capture-explain p')?.textContent).toBe('deepCaptureExplainFirefox');
    expect(onChange).not.toHaveBeenCalled();
    click(container.querySelector<HTMLButtonElement>('.deep-capture-confirm')!);
    expect(onChange).toHaveBeenCalledWith(true);
  });

  it('says why it went off', () => {
    render(<DeepCaptureToggle state={state({ error: 'canceled_by_user' })} onChange={() => {}} />, container);
    expect(container.querySelector('.deep-capture-error')?.textContent).toBe('deepCaptureOff(canceled_by_user)');
  });
});
