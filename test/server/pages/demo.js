// SSE DevTools demo page. Plain browser JS; everything received is shown with textContent.
'use strict';

const MAX_LOG_LINES = 200;

function clockTime() {
  return new Date().toLocaleTimeString([], { hour12: false });
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * A minimal incremental SSE parser for the fetch and XHR cards (EventSource parses by itself).
 * Feed it text as it arrives; it calls onEvent({type, data, id}) and onComment(text).
 */
function sseParser(onEvent, onComment = () => {}) {
  let buffer = '';
  let data = [];
  let type = '';
  let id = '';
  return (text) => {
    buffer += text;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) onEvent({ type: type || 'message', data: data.join('\n'), id });
        data = [];
        type = '';
      } else if (line.startsWith(':')) {
        onComment(line.slice(1).trim());
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') type = value;
        else if (field === 'id') id = value;
      }
    }
  };
}

/**
 * Wires one card: its toggle button, its log, and start()/stop(). `run(ctx)` starts the scenario and
 * returns a stop function; the scenario calls ctx.finished() when its stream ended on its own.
 */
function scenario(key, run, labels = { start: 'Start', stop: 'Stop' }) {
  const section = document.querySelector(`[data-scenario="${key}"]`);
  const button = section.querySelector('button.toggle');
  const logEl = section.querySelector('.log');
  let current = null; // { stop } while running

  const el = (role) => section.querySelector(`[data-role="${role}"]`);
  const log = (text) => {
    const atBottom = logEl.scrollTop + logEl.clientHeight >= logEl.scrollHeight - 4;
    logEl.append(document.createTextNode(`${clockTime()}  ${text}\n`));
    while (logEl.childNodes.length > MAX_LOG_LINES) logEl.firstChild.remove();
    if (atBottom) logEl.scrollTop = logEl.scrollHeight;
  };
  const setIdle = () => {
    current = null;
    button.textContent = labels.start;
    button.classList.remove('running');
  };

  const card = {
    start() {
      if (current) return;
      const thisRun = { stop: null };
      current = thisRun;
      button.textContent = labels.stop;
      button.classList.add('running');
      // finished() from an older run (e.g. an aborted fetch settling late) must not end a newer one.
      thisRun.stop = run({ el, log, finished: () => current === thisRun && setIdle() });
    },
    stop() {
      if (!current) return;
      const { stop } = current;
      setIdle();
      stop();
      log('stopped');
    },
  };
  button.addEventListener('click', () => (current ? card.stop() : card.start()));
  return card;
}

// 1. Clock: EventSource, default "message" events with ids.
const clock = scenario('clock', (card) => {
  const es = new EventSource('/sse/clock');
  es.onopen = () => card.log('connected');
  es.onmessage = (e) => {
    card.el('time').textContent = new Date(e.data).toLocaleTimeString([], { hour12: false });
    card.log(`#${e.lastEventId}  ${e.data}`);
  };
  es.onerror = () => card.log(es.readyState === EventSource.CLOSED ? 'failed' : 'connection lost, retrying…');
  return () => es.close();
});

// 2. Notifications: EventSource with custom event types.
const notifications = scenario('notifications', (card) => {
  const es = new EventSource('/sse/notifications');
  es.onopen = () => card.log('connected');
  for (const type of ['notification', 'alert', 'presence']) {
    es.addEventListener(type, (e) => {
      const value = safeJson(e.data) || {};
      const text =
        type === 'presence'
          ? `${value.user} is ${value.status}`
          : type === 'alert'
            ? `${value.level}: ${value.text}`
            : value.text;
      card.log(`[${type}] #${e.lastEventId}  ${text}`);
    });
  }
  es.onerror = () => card.log(es.readyState === EventSource.CLOSED ? 'failed' : 'connection lost, retrying…');
  return () => es.close();
});

// 3. Long job: an XMLHttpRequest reading the stream from responseText as it grows.
let jobCounter = 0;
const job = scenario('job', (card) => {
  const id = `job-${++jobCounter}`;
  const xhr = new XMLHttpRequest();
  let seen = 0;
  const parse = sseParser((e) => {
    const value = safeJson(e.data) || {};
    if (e.type === 'progress') {
      card.el('progress').value = value.percent;
      card.el('percent').textContent = `${value.percent}%`;
      card.log(`progress ${value.percent}%`);
    } else if (e.type === 'complete') {
      card.log(`complete: ${value.status}, ${value.output} in ${value.durationMs} ms`);
    }
  });
  card.el('progress').value = 0;
  card.el('percent').textContent = '0%';
  xhr.open('GET', `/sse/job?id=${id}`);
  xhr.onprogress = () => {
    parse(xhr.responseText.slice(seen));
    seen = xhr.responseText.length;
  };
  xhr.onload = () => {
    parse(xhr.responseText.slice(seen));
    card.log(`${id} finished (HTTP ${xhr.status})`);
    card.finished();
  };
  xhr.onerror = () => {
    card.log(`${id} failed`);
    card.finished();
  };
  xhr.send();
  card.log(`started ${id}`);
  return () => xhr.abort();
});

// 4. AI chat: fetch POST with a JSON body, the answer streamed as token deltas.
const chat = scenario(
  'chat',
  (card) => {
    const controller = new AbortController();
    const prompt = card.el('prompt').value;
    const answer = card.el('answer');
    answer.textContent = '';
    card.log(`POST /api/chat ${JSON.stringify({ prompt })}`);
    (async () => {
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ prompt }),
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      let tokens = 0;
      const parse = sseParser((e) => {
        if (e.data === '[DONE]') {
          card.log(`[DONE] after ${tokens} tokens`);
          return;
        }
        const content = safeJson(e.data)?.choices?.[0]?.delta?.content;
        if (typeof content === 'string') {
          tokens++;
          answer.textContent += content;
        }
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parse(value);
      }
    })()
      .catch((err) => {
        if (err.name !== 'AbortError') card.log(`failed: ${err.message}`);
      })
      .finally(() => card.finished());
    return () => controller.abort();
  },
  { start: 'Send', stop: 'Cancel' },
);

// 5. Dropping & resuming: EventSource reconnects and sends Last-Event-ID; we close on "done".
const resumable = scenario('resumable', (card) => {
  const es = new EventSource('/sse/resumable');
  let lastId = '';
  es.onopen = () => card.log(lastId ? `reconnected, the browser sent Last-Event-ID: ${lastId}` : 'connected');
  es.onmessage = (e) => {
    lastId = e.lastEventId;
    const value = safeJson(e.data) || {};
    card.log(`#${e.lastEventId}  event ${value.n} of ${value.of}`);
  };
  es.addEventListener('done', () => {
    card.log('done: all events received');
    es.close();
    card.finished();
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      card.log('failed');
      card.finished();
    } else {
      card.log('connection dropped, EventSource will reconnect…');
    }
  };
  return () => es.close();
});

// 6. Heartbeats only: a fetch stream shown raw, because EventSource never exposes comments.
const heartbeat = scenario('heartbeat', (card) => {
  const controller = new AbortController();
  (async () => {
    const response = await fetch('/sse/heartbeat-only', { signal: controller.signal });
    card.log(`HTTP ${response.status} ${response.headers.get('content-type')}`);
    const parse = sseParser(
      (e) => card.log(`event ${e.type}: ${e.data}`),
      (text) => card.log(`comment ": ${text}"`),
    );
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parse(value);
    }
    card.log('stream ended');
  })()
    .catch((err) => {
      if (err.name !== 'AbortError') card.log(`failed: ${err.message}`);
    })
    .finally(() => card.finished());
  return () => controller.abort();
});

// 7. Parallel tasks: three EventSources at once.
const tasks = scenario('tasks', (card) => {
  const sources = [];
  let remaining = 3;
  for (const n of [1, 2, 3]) {
    const bar = card.el(`task${n}`);
    const label = card.el(`task${n}-text`);
    bar.value = 0;
    label.textContent = '';
    const es = new EventSource(`/sse/task?id=${n}`);
    sources.push(es);
    es.addEventListener('step', (e) => {
      const value = safeJson(e.data) || {};
      bar.max = value.of;
      bar.value = value.step;
      label.textContent = `${value.step}/${value.of}`;
      card.log(`task ${n}: step ${value.step}/${value.of}`);
    });
    es.addEventListener('done', () => {
      es.close();
      label.textContent = 'done';
      card.log(`task ${n}: done`);
      if (--remaining === 0) card.finished();
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        card.log(`task ${n}: failed`);
        if (--remaining === 0) card.finished();
      }
    };
  }
  return () => sources.forEach((es) => es.close());
});

const all = [clock, notifications, job, chat, resumable, heartbeat, tasks];
document.getElementById('run-all').addEventListener('click', () => all.forEach((card) => card.start()));
document.getElementById('stop-all').addEventListener('click', () => all.forEach((card) => card.stop()));
