/**
 * A JSON value as a collapsible tree (WAI-ARIA tree pattern): ↑/↓ move, → expands or enters, ←
 * collapses or goes to the parent, Home/End, Enter toggles; C (or Ctrl/⌘+C) copies the value and
 * P the path of the focused node. Containers deeper than two levels start collapsed, children are
 * shown a page at a time. Everything from the page is rendered as text.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import {
  formatValue,
  isJsonContainer,
  jsonPath,
  jsonSize,
  jsonType,
  scalarPreview,
  type JsonContainer,
  type JsonValue,
} from '../core/json-view';
import { copyText } from './clipboard';
import { t } from './i18n';

/** Children shown per page of a large array or object. */
export const JSON_PAGE = 100;
/** Levels (1 = the root's children) expanded by default. */
const DEFAULT_LEVELS = 2;
/** Rows the default expansion may open, so a wide value does not start with thousands of rows. */
const DEFAULT_ROW_BUDGET = 400;

type Segment = string | number;

interface Node {
  key: string;
  segments: Segment[];
  value: JsonValue;
  level: number;
  parent: string | null;
  /** A "show more" row of the container `parent`. */
  more?: boolean;
}

interface Props {
  value: JsonValue;
  /** Accessible name of the tree. */
  label: string;
}

const keyOf = (segments: readonly Segment[]) => JSON.stringify(segments);

/** Object keys, cached per object (a render may ask several times). */
const keysCache = new WeakMap<object, string[]>();
function objectKeys(value: { [key: string]: JsonValue }): string[] {
  let keys = keysCache.get(value);
  if (keys === undefined) {
    keys = Object.keys(value);
    keysCache.set(value, keys);
  }
  return keys;
}
function childAt(value: JsonContainer, index: number): [Segment, JsonValue] {
  if (Array.isArray(value)) return [index, value[index]!];
  const key = objectKeys(value)[index]!;
  return [key, value[key]!];
}

/** Keys of the containers open by default: levels 1..DEFAULT_LEVELS, in display order, within a row budget. */
function defaultExpanded(root: JsonValue): Set<string> {
  const open = new Set<string>();
  if (!isJsonContainer(root)) return open;
  let rows = Math.min(jsonSize(root), JSON_PAGE);
  const visit = (value: JsonContainer, segments: Segment[], level: number) => {
    const count = Math.min(jsonSize(value), JSON_PAGE);
    for (let i = 0; i < count; i++) {
      const [segment, child] = childAt(value, i);
      if (!isJsonContainer(child) || jsonSize(child) === 0) continue;
      const childSegments = [...segments, segment];
      const size = Math.min(jsonSize(child), JSON_PAGE);
      if (level > DEFAULT_LEVELS || rows + size > DEFAULT_ROW_BUDGET) continue;
      open.add(keyOf(childSegments));
      rows += size;
      visit(child, childSegments, level + 1);
    }
  };
  visit(root, [], 1);
  return open;
}

/** What a key looks like in the tree: itself, or quoted when empty or holding invisible characters. */
function keyLabel(segment: Segment): string {
  if (typeof segment === 'number') return String(segment);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be quoted
  return segment === '' || /[\u0000-\u001f\u007f\u00a0\u2028\u2029\ufeff]/.test(segment) || segment.trim() !== segment
    ? JSON.stringify(segment)
    : segment;
}

function containerPreview(value: JsonContainer): string {
  const size = jsonSize(value);
  if (Array.isArray(value)) return size === 0 ? '[]' : size === 1 ? t('jsonItemsOne') : t('jsonItems', [size]);
  return size === 0 ? '{}' : size === 1 ? t('jsonKeysOne') : t('jsonKeys', [size]);
}

export function JsonTree({ value, label }: Props) {
  const defaults = useMemo(() => defaultExpanded(value), [value]);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(new Map());
  const [active, setActive] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const tree = useRef<HTMLUListElement>(null);
  const focusPending = useRef(false);
  const statusTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(statusTimer.current), []);

  const isExpanded = (key: string) => overrides.get(key) ?? defaults.has(key);

  // Build the visible rows (display order) and their elements together.
  const order: Node[] = [];
  const byKey = new Map<string, Node>();
  const add = (node: Node) => {
    order.push(node);
    byKey.set(node.key, node);
  };
  const rootIsContainer = isJsonContainer(value);

  const renderChildren = (
    container: JsonContainer,
    segments: Segment[],
    level: number,
    parentKey: string | null,
  ): ComponentChildren[] => {
    const size = jsonSize(container);
    const containerKey = keyOf(segments);
    const count = Math.min(size, shown.get(containerKey) ?? JSON_PAGE);
    const items: ComponentChildren[] = [];
    for (let i = 0; i < count; i++) {
      const [segment, child] = childAt(container, i);
      items.push(renderNode([...segments, segment], child, level, parentKey, i + 1, size));
    }
    if (count < size) {
      const key = `${containerKey}#more`;
      add({ key, segments, value: container, level, parent: parentKey, more: true });
      items.push(
        <li
          key={key}
          role="treeitem"
          aria-level={level}
          data-key={key}
          tabIndex={-1}
          class="jt-item jt-more"
          onClick={() => showMore(containerKey)}
        >
          <div class="jt-row" style={{ paddingLeft: `${(level - 1) * 14 + 16}px` }}>
            {t('jsonShowMore', [count, size])}
          </div>
        </li>,
      );
    }
    return items;
  };

  const renderNode = (
    segments: Segment[],
    node: JsonValue,
    level: number,
    parent: string | null,
    position: number,
    setSize: number,
  ) => {
    const key = keyOf(segments);
    add({ key, segments, value: node, level, parent });
    const container = isJsonContainer(node) && jsonSize(node) > 0 ? node : null;
    const expanded = container !== null && isExpanded(key);
    const type = jsonType(node);
    return (
      <li
        key={key}
        role="treeitem"
        aria-level={level}
        aria-setsize={setSize}
        aria-posinset={position}
        aria-expanded={container === null ? undefined : expanded}
        data-key={key}
        tabIndex={-1}
        class="jt-item"
      >
        <div class="jt-row" style={{ paddingLeft: `${(level - 1) * 14}px` }} onClick={() => rowClick(key, container !== null)}>
          <span class="jt-toggle" aria-hidden="true">
            {container === null ? '' : expanded ? '▾' : '▸'}
          </span>
          {segments.length > 0 ? (
            <>
              <span class={typeof segments[segments.length - 1] === 'number' ? 'jt-key jt-index' : 'jt-key'}>
                {keyLabel(segments[segments.length - 1]!)}
              </span>
              <span class="jt-colon">: </span>
            </>
          ) : null}
          <span class={`jt-value jt-${type}`}>{isJsonContainer(node) ? containerPreview(node) : scalarPreview(node)}</span>
          <span class="jt-actions">
            <button
              type="button"
              tabIndex={-1}
              title={t('jsonCopyValueTitle')}
              onClick={(e) => {
                e.stopPropagation();
                copy('value', key);
              }}
            >
              {t('jsonCopyValue')}
            </button>
            <button
              type="button"
              tabIndex={-1}
              title={t('jsonCopyPathTitle')}
              onClick={(e) => {
                e.stopPropagation();
                copy('path', key);
              }}
            >
              {t('jsonCopyPath')}
            </button>
          </span>
        </div>
        {expanded && container !== null ? (
          <ul role="group" class="jt-group">
            {renderChildren(container, segments, level + 1, key)}
          </ul>
        ) : null}
      </li>
    );
  };

  const rows: ComponentChildren[] =
    rootIsContainer && jsonSize(value) > 0 ? renderChildren(value, [], 1, null) : [renderNode([], value, 1, null, 1, 1)];

  const activeKey = active !== null && byKey.has(active) ? active : (order[0]?.key ?? null);

  // Move DOM focus to the active row after a keyboard move (never on mount: do not steal focus).
  // A layout effect: focus must have moved before the next key press is handled.
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    const element = findItem(tree.current, activeKey);
    element?.focus();
    element?.scrollIntoView?.({ block: 'nearest' });
  });

  // Roving tabindex: only the active row is in the tab order.
  useLayoutEffect(() => {
    const root = tree.current;
    if (root === null) return;
    for (const element of root.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
      element.tabIndex = element.dataset.key === activeKey ? 0 : -1;
    }
  });

  function moveTo(key: string | undefined) {
    if (key === undefined) return;
    focusPending.current = true;
    setActive(key);
  }

  function setExpanded(key: string, open: boolean) {
    setOverrides((previous) => new Map(previous).set(key, open));
  }

  function showMore(containerKey: string) {
    setShown((previous) => new Map(previous).set(containerKey, (previous.get(containerKey) ?? JSON_PAGE) + JSON_PAGE));
  }

  function rowClick(key: string, expandable: boolean) {
    setActive(key);
    if (expandable) setExpanded(key, !isExpanded(key));
    focusPending.current = true;
  }

  function say(text: string) {
    setStatus(text);
    clearTimeout(statusTimer.current);
    statusTimer.current = setTimeout(() => setStatus(''), 4000);
  }

  function copy(what: 'value' | 'path', key: string) {
    const node = byKey.get(key);
    if (node === undefined || node.more === true) return;
    const path = jsonPath(node.segments);
    const text = what === 'value' ? formatValue(node.value) : path;
    void copyText(text).then((ok) =>
      say(ok ? (what === 'value' ? t('jsonCopiedValue', [path]) : t('jsonCopiedPath', [path])) : t('copyFailed')),
    );
  }

  function onKeyDown(event: KeyboardEvent) {
    // The row the key was pressed on (focus may have moved without a focusin, e.g. by script).
    const targetKey = (event.target as HTMLElement).closest?.<HTMLElement>('[role="treeitem"]')?.dataset.key ?? activeKey;
    if (targetKey === null) return;
    const index = order.findIndex((node) => node.key === targetKey);
    const node = order[index];
    if (node === undefined) return;
    const expandable = node.more !== true && isJsonContainer(node.value) && jsonSize(node.value) > 0;
    const modifier = event.ctrlKey || event.metaKey;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(order[index + 1]?.key);
        break;
      case 'ArrowUp':
        moveTo(order[index - 1]?.key);
        break;
      case 'Home':
        moveTo(order[0]?.key);
        break;
      case 'End':
        moveTo(order[order.length - 1]?.key);
        break;
      case 'ArrowRight':
        if (expandable && !isExpanded(node.key)) setExpanded(node.key, true);
        else if (expandable) moveTo(order[index + 1]?.key);
        break;
      case 'ArrowLeft':
        if (expandable && isExpanded(node.key)) setExpanded(node.key, false);
        else if (node.parent !== null) moveTo(node.parent);
        break;
      case 'Enter':
      case ' ':
        if (node.more === true) {
          showMore(keyOf(node.segments));
          focusPending.current = true;
        } else if (expandable) {
          setExpanded(node.key, !isExpanded(node.key));
        } else {
          handled = false;
        }
        break;
      case 'c':
      case 'C':
        if (modifier && hasTextSelection()) handled = false;
        else if (!event.altKey && !event.shiftKey) copy('value', node.key);
        else handled = false;
        break;
      case 'p':
      case 'P':
        if (!modifier && !event.altKey) copy('path', node.key);
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  return (
    <div class="json-tree">
      <ul
        ref={tree}
        role="tree"
        aria-label={label}
        class="jt-root"
        onKeyDown={onKeyDown}
        onFocusIn={(event) => {
          const key = (event.target as HTMLElement).dataset?.key;
          if (key !== undefined && key !== activeKey) setActive(key);
        }}
      >
        {rows}
      </ul>
      <p class="jt-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

function findItem(root: HTMLElement | null, key: string | null): HTMLElement | null {
  if (root === null || key === null) return null;
  for (const element of root.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
    if (element.dataset.key === key) return element;
  }
  return null;
}

function hasTextSelection(): boolean {
  const selection = typeof window.getSelection === 'function' ? window.getSelection() : null;
  return selection !== null && !selection.isCollapsed && selection.toString() !== '';
}
