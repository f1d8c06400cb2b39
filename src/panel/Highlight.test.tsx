// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { compileSearch, isSearchError, type Matcher } from '../core/search';
import { Highlight } from './Highlight';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function matcher(text: string, regex = false): Matcher {
  const compiled = compileSearch({ text, regex, caseSensitive: false });
  if (isSearchError(compiled)) throw new Error(compiled.error);
  return compiled;
}

const marks = () => [...container.querySelectorAll('mark')].map((mark) => mark.textContent);

describe('Highlight', () => {
  it('renders the text alone without ranges', () => {
    render(<Highlight text="hello world" />, container);
    expect(container.innerHTML).toBe('hello world');
    render(<Highlight text="hello world" ranges={[]} />, container);
    expect(container.innerHTML).toBe('hello world');
    render(<Highlight text="hello world" matcher={matcher('')} />, container);
    expect(container.querySelector('mark')).toBeNull();
  });

  it('wraps each range in <mark class="match">', () => {
    render(
      <Highlight
        text="hello world"
        ranges={[
          [0, 2],
          [6, 11],
        ]}
      />,
      container,
    );
    expect(container.innerHTML).toBe('<mark class="match">he</mark>llo <mark class="match">world</mark>');
  });

  it('takes ranges from a matcher (all matches, case-insensitive)', () => {
    render(<Highlight text="Alpha beta ALPHA" matcher={matcher('alpha')} />, container);
    expect(marks()).toEqual(['Alpha', 'ALPHA']);
    expect(container.textContent).toBe('Alpha beta ALPHA');
    render(<Highlight text="a1 b22 c333" matcher={matcher('\\d+', true)} />, container);
    expect(marks()).toEqual(['1', '22', '333']);
  });

  it('explicit ranges win over the matcher', () => {
    render(<Highlight text="abcdef" ranges={[[1, 2]]} matcher={matcher('e')} />, container);
    expect(marks()).toEqual(['b']);
  });

  it('ignores out-of-range, empty, overlapping and non-finite ranges', () => {
    render(
      <Highlight
        text="abcdef"
        ranges={[
          [-5, 1],
          [2, 2],
          [3, 5],
          [4, 6],
          [Number.NaN, 3],
          [5, 99],
        ]}
      />,
      container,
    );
    expect(marks()).toEqual(['a', 'de', 'f']);
    expect(container.textContent).toBe('abcdef');
  });

  it('renders hostile text as text, never as HTML', () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    render(<Highlight text={hostile} matcher={matcher('onerror')} />, container);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toBe(hostile);
    expect(marks()).toEqual(['onerror']);
    render(<Highlight text={hostile} ranges={[[0, hostile.length]]} />, container);
    expect(container.querySelector('img')).toBeNull();
    expect(marks()).toEqual([hostile]);
  });
});
