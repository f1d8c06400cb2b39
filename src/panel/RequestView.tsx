/**
 * The Request tab: what was asked and what came back for one connection, as the Network panel's
 * Headers tab shows it — URL, method, status, request and response headers, the request body
 * (pretty-printed when it is JSON), and timing (start, response headers, first event, duration,
 * state changes) — plus "Copy as cURL/fetch". (The stream's facts — mislabelled, listened types,
 * reconnects — are shown above the Events table.) Page data is text only.
 */
import type { ComponentChildren } from 'preact';
import type { Connection, LoggedItem } from '../core/log-store';
import type { HeaderEntry } from '../protocol';
import { byteSize, clockTime, duration } from '../core/format';
import { CopyRequestActions } from './CopyActions';
import { STATE_KEY } from './ConnectionList';
import { wireShortfallText } from './ConnectionFacts';
import { t, type MessageKey } from './i18n';

/** Characters of a request body shown (a body can be megabytes). */
export const BODY_SHOWN = 100_000;

/** The body as shown: JSON pretty-printed (two spaces), anything else as it is. */
export function prettyBody(text: string, mimeType: string): string {
  const looksJson = /json/i.test(mimeType) || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Headers({ headers }: { headers: HeaderEntry[] }) {
  if (headers.length === 0) return <p class="request-none">{t('requestNone')}</p>;
  return (
    <dl class="request-headers">
      {headers.map((header, index) => (
        <div class="request-header" key={index}>
          <dt>{header.name}</dt>
          <dd>{header.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Section({ title, children }: { title: MessageKey; children: ComponentChildren }) {
  return (
    <section class="request-section" aria-label={t(title)}>
      <h2>{t(title)}</h2>
      {children}
    </section>
  );
}

interface Props {
  connection: Connection;
  items: LoggedItem[];
  includeSensitive: boolean;
  now: number;
}

export function RequestView({ connection, items, includeSensitive, now }: Props) {
  const response = connection.response;
  const body = connection.requestBody;
  const firstEvent = items.find((logged) => logged.item.kind === 'event');
  const since = (time: number) => duration(time - connection.startTime);
  const shownBody = body === undefined ? '' : prettyBody(body.text.slice(0, BODY_SHOWN), body.mimeType);
  return (
    <div class="request-view">
      <div class="request-actions">
        <CopyRequestActions connection={connection} includeSensitive={includeSensitive} />
      </div>
      <Section title="requestGeneral">
        <dl class="request-facts">
          <dt>{t('requestUrl')}</dt>
          <dd class="request-url">{connection.url}</dd>
          <dt>{t('requestMethod')}</dt>
          <dd>{connection.method || '—'}</dd>
          <dt>{t('requestStatusCode')}</dt>
          <dd class={response !== undefined && response.status >= 400 ? 'status-bad' : ''}>
            {response === undefined ? t('requestNoResponse') : `${response.status} ${response.statusText}`.trim()}
          </dd>
          {response?.redirected && response.url ? (
            <>
              <dt>{t('requestFinalUrl')}</dt>
              <dd class="request-url">{response.url}</dd>
            </>
          ) : null}
          {connection.withCredentials !== undefined ? (
            <>
              <dt>{t('requestCredentials')}</dt>
              <dd>{String(connection.withCredentials)}</dd>
            </>
          ) : null}
          {connection.frameUrl !== '' ? (
            <>
              <dt>{t('requestFrame')}</dt>
              <dd class="request-url">{connection.frameUrl}</dd>
            </>
          ) : null}
          {connection.seen === 'both' || connection.seenOn === 'wire' ? (
            <>
              <dt>{t('requestSeen')}</dt>
              <dd class="request-seen">
                {t(
                  connection.seen !== 'both'
                    ? 'seenWireBadgeTitle'
                    : connection.wireShortfall !== undefined
                      ? 'seenBothShortTitle'
                      : 'seenBothBadgeTitle',
                )}
              </dd>
            </>
          ) : null}
          {connection.wireShortfall !== undefined ? (
            <>
              <dt>{t('requestWireCapture')}</dt>
              <dd class="request-wire-incomplete">{wireShortfallText(connection.wireShortfall)}</dd>
            </>
          ) : null}
        </dl>
      </Section>
      <Section title="timingHeading">
        <dl class="request-facts">
          <dt>{t('timingStarted')}</dt>
          <dd>{clockTime(connection.startTime)}</dd>
          {response !== undefined ? (
            <>
              <dt>{t('timingResponse')}</dt>
              <dd>{since(response.time)}</dd>
            </>
          ) : null}
          {firstEvent !== undefined ? (
            <>
              <dt>{t('timingFirstEvent')}</dt>
              <dd>{since(firstEvent.item.time)}</dd>
            </>
          ) : null}
          <dt>{t('timingDuration')}</dt>
          <dd>{connection.endTime !== undefined ? since(connection.endTime) : t('timingStillOpen', [since(now)])}</dd>
          <dt>{t('timingStates')}</dt>
          <dd>
            <ol class="request-states">
              {connection.transitions.map((transition, index) => (
                <li key={index}>
                  <span class={`state state-${transition.state}`}>{t(STATE_KEY[transition.state])}</span> +
                  {since(transition.time)}
                  {transition.reason ? ` (${transition.reason}${transition.detail ? `: ${transition.detail}` : ''})` : ''}
                </li>
              ))}
            </ol>
          </dd>
        </dl>
      </Section>
      <Section title="requestHeaders">
        <Headers headers={connection.requestHeaders} />
      </Section>
      <Section title="requestBody">
        {body === undefined || body.text === '' ? (
          <p class="request-none">{t('requestNone')}</p>
        ) : (
          <>
            <pre class="request-body" tabIndex={0}>
              {shownBody}
            </pre>
            {body.truncated || body.text.length > BODY_SHOWN ? (
              <p class="notice">{t('requestBodyTruncated', [byteSize(body.size ?? body.text.length)])}</p>
            ) : null}
          </>
        )}
      </Section>
      <Section title="responseHeaders">
        {response === undefined ? <p class="request-none">{t('requestNoResponse')}</p> : <Headers headers={response.headers} />}
      </Section>
    </div>
  );
}
