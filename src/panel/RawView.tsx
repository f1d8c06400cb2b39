/**
 * The exact wire text of the selected item (fetch/XHR: its span of the stream as the page read it),
 * one line per row with its line ending made visible (␍␊, ␊, ␍), field names styled the way the
 * parser reads them, and invisible characters (BOM, NUL, tabs...) named. EventSource items have no
 * raw bytes: a reconstruction is shown instead, labelled as such. Page text is rendered as text only.
 */
import { useMemo, useState } from 'preact/hooks';
import { rawSliceOf, type Connection, type LoggedItem } from '../core/log-store';
import { reconstructWire, splitRawLines, visibleSegments, type RawLine } from '../core/raw-lines';
import { copyText } from './clipboard';
import { t, type MessageKey } from './i18n';

/** Code units of raw text shown at most (a 50 MB line would otherwise be rendered whole). */
export const RAW_MAX_CHARS = 256 * 1024;
/** Lines shown at most, and code units per line. */
const RAW_MAX_LINES = 5_000;
const RAW_MAX_LINE = 10_000;

interface Props {
  logged: LoggedItem;
  connection: Connection | undefined;
}

export function RawView({ logged, connection }: Props) {
  const item = logged.item;
  const span = item.span;
  const hasRaw = span !== undefined && connection !== undefined && connection.kind !== 'eventsource';
  // Read the span's ends now: its end can move by one when a following chunk brings the LF of a CR LF.
  const start = span?.start ?? 0;
  const end = span?.end ?? 0;
  const shownEnd = Math.min(end, start + RAW_MAX_CHARS);
  const chunkCount = connection?.chunks.length ?? 0;
  const raw = useMemo(
    () => (hasRaw && connection !== undefined ? rawSliceOf(connection, start, shownEnd) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the connection's chunks grow in place
    [hasRaw, connection, start, shownEnd, chunkCount],
  );

  if (raw !== null) {
    return (
      <div class="raw-view">
        <RawToolbar text={raw} />
        {end - start > RAW_MAX_CHARS ? <p class="notice">{t('rawCutNotice', [RAW_MAX_CHARS, end - start])}</p> : null}
        <RawLines raw={raw} label={t('rawLinesLabel')} />
      </div>
    );
  }

  const reconstruction = reconstructWire(item);
  return (
    <div class="raw-view">
      <p class="raw-unavailable">
        {connection?.kind === 'eventsource' || connection === undefined ? t('rawUnavailableEventSource') : t('rawUnavailable')}
      </p>
      {reconstruction !== null ? (
        <section class="raw-reconstruction" aria-label={t('rawReconstructionHeading')}>
          <h3 class="raw-reconstruction-heading">{t('rawReconstructionHeading')}</h3>
          <p class="raw-reconstruction-note">{t('rawReconstructionNote')}</p>
          <RawLines raw={reconstruction} label={t('rawReconstructionHeading')} />
        </section>
      ) : null}
    </div>
  );
}

function RawToolbar({ text }: { text: string }) {
  const [status, setStatus] = useState('');
  return (
    <div class="detail-actions">
      <button type="button" onClick={() => void copyText(text).then((ok) => setStatus(ok ? t('copied') : t('copyFailed')))}>
        {t('copyRaw')}
      </button>
      <span class="detail-status" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

const ENDING_TITLE: Record<RawLine['ending'], MessageKey> = { '\r\n': 'eolCrLf', '\n': 'eolLf', '\r': 'eolCr', '': 'eolNone' };

export function RawLines({ raw, label }: { raw: string; label: string }) {
  const { lines, omittedLines } = useMemo(() => splitRawLines(raw, RAW_MAX_LINE, RAW_MAX_LINES), [raw]);
  return (
    <>
      <ol class="raw-lines" aria-label={label}>
        {lines.map((line) => (
          <li key={line.start} class={`raw-line raw-${line.kind}`}>
            {line.kind === 'comment' ? (
              <span class="raw-comment">
                <span class="raw-sep">:</span>
                <Visible text={line.value} />
              </span>
            ) : line.kind === 'blank' ? null : (
              <>
                <span class="raw-name">
                  <Visible text={line.name} />
                </span>
                {line.separator !== '' ? <span class="raw-sep">{line.separator}</span> : null}
                <span class="raw-value">
                  <Visible text={line.value} />
                </span>
              </>
            )}
            {line.cut > 0 ? <span class="raw-cut">{t('rawLineCut', [line.cut])}</span> : null}
            <span class={line.ending === '' ? 'raw-eol raw-eol-none' : 'raw-eol'} title={t(ENDING_TITLE[line.ending])}>
              {line.ending === '' ? '⊣' : line.endingLabel}
            </span>
          </li>
        ))}
      </ol>
      {omittedLines > 0 ? <p class="notice">{t('rawLinesOmitted', [omittedLines])}</p> : null}
    </>
  );
}

/** Text with invisible characters shown by name (as text: never HTML). */
function Visible({ text }: { text: string }) {
  const segments = visibleSegments(text);
  return (
    <>
      {segments.map((segment, i) =>
        'special' in segment ? (
          <span key={i} class="raw-special" title={`U+${segment.text.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`}>
            {segment.special}
          </span>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
