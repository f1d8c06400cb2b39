/**
 * One chip per event type with its live count: click shows/hides the type, "only" (or Alt+click,
 * Alt+Enter) shows that type alone, "All" shows every type. Arrow keys, Home and End move between
 * chips. Props only: the filter lives in App.
 */
import { useMemo } from 'preact/hooks';
import { t } from './i18n';

export interface TypeChipsProps {
  /** Events per type passing the other filters (`FilteredItems.typeCounts`). */
  counts: ReadonlyMap<string, number>;
  /** Types toggled off (also shown as chips when absent from `counts`, so they can be turned back on). */
  hiddenTypes: ReadonlySet<string>;
  onToggle(type: string): void;
  onOnly(type: string): void;
  onAll(): void;
}

/** Chips stay in a stable (code point) order, so they do not move under the pointer while events stream in. */
function chipTypes(counts: ReadonlyMap<string, number>, hiddenTypes: ReadonlySet<string>): string[] {
  const types = new Set(counts.keys());
  for (const type of hiddenTypes) types.add(type);
  return [...types].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function moveFocus(event: KeyboardEvent): void {
  const keys = ['ArrowLeft', 'ArrowRight', 'Home', 'End'];
  if (!keys.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
  const group = event.currentTarget as HTMLElement;
  const chips = [...group.querySelectorAll<HTMLButtonElement>('button.chip')];
  const current = chips.indexOf(document.activeElement as HTMLButtonElement);
  let next: number;
  if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = chips.length - 1;
  else if (current === -1) {
    // From an "only" button: its own chip is the one before it.
    const owner = (document.activeElement as HTMLElement | null)
      ?.closest('.chip-wrap')
      ?.querySelector<HTMLButtonElement>('button.chip');
    const index = owner ? chips.indexOf(owner) : 0;
    next = event.key === 'ArrowRight' ? index + 1 : index;
  } else next = current + (event.key === 'ArrowRight' ? 1 : -1);
  const target = chips[Math.max(0, Math.min(chips.length - 1, next))];
  if (target === undefined) return;
  event.preventDefault();
  target.focus();
}

export function TypeChips({ counts, hiddenTypes, onToggle, onOnly, onAll }: TypeChipsProps) {
  const types = useMemo(() => chipTypes(counts, hiddenTypes), [counts, hiddenTypes]);
  return (
    <div class="type-chips" role="group" aria-label={t('filterTypesLabel')} onKeyDown={moveFocus}>
      <button
        type="button"
        class="chip chip-all"
        aria-pressed={hiddenTypes.size === 0}
        title={t('filterAllTypesTitle')}
        onClick={onAll}
      >
        {t('filterAllTypes')}
      </button>
      {types.map((type) => {
        const count = counts.get(type) ?? 0;
        const shownCount = count.toLocaleString();
        return (
          <span class="chip-wrap" key={type}>
            <button
              type="button"
              class="chip"
              data-type={type}
              aria-pressed={!hiddenTypes.has(type)}
              title={t('filterChipTitle')}
              onClick={(e) => (e.altKey ? onOnly(type) : onToggle(type))}
              onKeyDown={(e) => {
                if (e.altKey && (e.key === 'Enter' || e.key === ' ')) {
                  e.preventDefault();
                  onOnly(type);
                }
              }}
            >
              {/* The accessible name is the visible text ("message 3") plus a hidden word for screen readers. */}
              <span class="chip-label">{type}</span> <span class="chip-count">{shownCount}</span>
              <span class="visually-hidden"> {t('filterChipEvents')}</span>
            </button>
            <button
              type="button"
              class="chip-only"
              aria-label={t('filterOnlyLabel', [type])}
              title={t('filterOnlyLabel', [type])}
              onClick={() => onOnly(type)}
            >
              {t('filterOnly')}
            </button>
          </span>
        );
      })}
    </div>
  );
}
