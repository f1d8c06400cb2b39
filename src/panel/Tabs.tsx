/**
 * A tab strip (WAI-ARIA tabs, automatic activation): one tab stop, ←/→ (and Home/End) move and
 * select. The selected tab's panel is rendered by the caller inside `<TabPanel>`.
 */
import type { ComponentChildren } from 'preact';

export interface TabSpec<Id extends string> {
  id: Id;
  label: string;
  /** Shown after the label (e.g. an event count). */
  badge?: string;
}

export interface TabsProps<Id extends string> {
  /** Prefix of the tabs' and panels' element ids. */
  idPrefix: string;
  label: string;
  tabs: TabSpec<Id>[];
  selected: Id;
  onSelect(id: Id): void;
}

export function Tabs<Id extends string>({ idPrefix, label, tabs, selected, onSelect }: TabsProps<Id>) {
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length]!;
    onSelect(next.id);
    const strip = event.currentTarget as HTMLElement;
    // Focus follows the selection once the strip has re-rendered.
    queueMicrotask(() => strip.querySelector<HTMLElement>(`#${CSS.escape(`${idPrefix}-tab-${next.id}`)}`)?.focus());
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          type="button"
          role="tab"
          key={tab.id}
          id={`${idPrefix}-tab-${tab.id}`}
          class={`tab${tab.id === selected ? ' selected' : ''}`}
          aria-selected={tab.id === selected}
          aria-controls={`${idPrefix}-panel-${tab.id}`}
          tabIndex={tab.id === selected ? 0 : -1}
          data-tab={tab.id}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {tab.badge !== undefined ? <span class="tab-badge">{tab.badge}</span> : null}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({
  idPrefix,
  id,
  children,
  class: className,
}: {
  idPrefix: string;
  id: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div
      role="tabpanel"
      id={`${idPrefix}-panel-${id}`}
      aria-labelledby={`${idPrefix}-tab-${id}`}
      class={`tab-panel${className ? ` ${className}` : ''}`}
      tabIndex={-1}
    >
      {children}
    </div>
  );
}
