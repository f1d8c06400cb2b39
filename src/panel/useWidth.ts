/**
 * The width of an element, kept up to date (the panel is resized with DevTools); 0 until laid
 * out. Pass the returned callback as the element's `ref`.
 */
import { useLayoutEffect, useState } from 'preact/hooks';

export function useWidth<T extends HTMLElement>(): [(element: T | null) => void, number] {
  const [element, setElement] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (element === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, width];
}
