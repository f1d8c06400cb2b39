/**
 * The filter bar: search (text or regex, case toggle) with its match count or why the regex cannot
 * run, and "Hide comments". Props only: the filter lives in App.
 */
import { useId, useMemo } from 'preact/hooks';
import { compileSearch, isSearchError, type SearchQuery } from '../core/search';
import { t } from './i18n';

const NO_SEARCH: SearchQuery = { text: '', regex: false, caseSensitive: false };

export interface FilterBarProps {
  /** The search as typed; null = none. An invalid regex is shown here and filters nothing. */
  search: SearchQuery | null;
  onSearchChange(search: SearchQuery): void;
  hideComments: boolean;
  onHideCommentsChange(hide: boolean): void;
  /** How many items the search matches (e.g. the filtered list's length); shown while a search is active. */
  matchCount: number | null;
}

export function FilterBar({ search, onSearchChange, hideComments, onHideCommentsChange, matchCount }: FilterBarProps) {
  const query = search ?? NO_SEARCH;
  const id = useId();
  const errorId = `${id}-error`;
  const compiled = useMemo(() => compileSearch(query), [query]);
  const error = isSearchError(compiled) ? compiled : null;
  const active = !isSearchError(compiled) && compiled.active;
  const errorText = error === null ? '' : t('filterRegexInvalid', [error.error]);

  return (
    <div class="filter-bar">
      <span class={`filter-search${error !== null ? ' invalid' : ''}`}>
        <input
          type="search"
          class="filter-input"
          value={query.text}
          placeholder={query.regex ? t('filterSearchRegexPlaceholder') : t('filterSearchPlaceholder')}
          aria-label={t('filterSearchLabel')}
          aria-invalid={error !== null ? 'true' : undefined}
          aria-describedby={error !== null ? errorId : undefined}
          spellcheck={false}
          autocomplete="off"
          onInput={(e) => onSearchChange({ ...query, text: e.currentTarget.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && query.text !== '') {
              e.preventDefault();
              e.stopPropagation();
              onSearchChange({ ...query, text: '' });
            }
          }}
        />
        <button
          type="button"
          class="filter-toggle"
          aria-pressed={query.regex}
          aria-label={t('filterRegex')}
          title={t('filterRegex')}
          onClick={() => onSearchChange({ ...query, regex: !query.regex })}
        >
          <span aria-hidden="true">.*</span>
        </button>
        <button
          type="button"
          class="filter-toggle"
          aria-pressed={query.caseSensitive}
          aria-label={t('filterCaseSensitive')}
          title={t('filterCaseSensitive')}
          onClick={() => onSearchChange({ ...query, caseSensitive: !query.caseSensitive })}
        >
          <span aria-hidden="true">Aa</span>
        </button>
      </span>
      <span class="filter-count" role="status" aria-live="polite">
        {active && matchCount !== null
          ? matchCount === 1
            ? t('filterMatchOne')
            : t('filterMatches', [matchCount.toLocaleString()])
          : ''}
      </span>
      {error !== null ? (
        <span id={errorId} class="filter-error" role="alert" title={error.error}>
          {errorText}
        </span>
      ) : null}
      <label class="check filter-check" title={t('filterHideCommentsTitle')}>
        <input type="checkbox" checked={hideComments} onChange={(e) => onHideCommentsChange(e.currentTarget.checked)} />
        {t('filterHideComments')}
      </label>
    </div>
  );
}
