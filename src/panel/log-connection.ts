/**
 * The panel's link to the background: asks for its tab's log, then applies every append/reset to
 * a LogStore and tells the view to redraw (at most once per animation frame).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { LogStore } from '../core/log-store';
import { PORT_NAME, type BackgroundToPanel, type PanelRequest } from '../protocol';

export class LogConnection {
  readonly store = new LogStore();
  preserve = false;
  private port: Runtime.Port | undefined;
  private frameRequested = false;

  /** `tabId` undefined: a viewer of imported files, with no live log. */
  constructor(
    readonly tabId: number | undefined,
    private readonly onChange: () => void,
  ) {}

  get live(): boolean {
    return this.tabId !== undefined;
  }

  connect(): void {
    if (this.tabId === undefined) return;
    const tabId = this.tabId;
    const port = browser.runtime.connect({ name: PORT_NAME.panel });
    this.port = port;
    port.onMessage.addListener((message: unknown) => this.receive(message as BackgroundToPanel));
    port.onDisconnect.addListener(() => {
      // The worker restarted: ask again for the log (it arrives as a fresh snapshot).
      this.port = undefined;
      setTimeout(() => this.connect(), 100);
    });
    this.send({ type: 'panel-hello', tabId });
  }

  send(request: PanelRequest): void {
    this.port?.postMessage(request);
  }

  clear(): void {
    this.send({ type: 'clear' });
  }

  setPreserve(preserve: boolean): void {
    this.preserve = preserve;
    this.send({ type: 'set-preserve', preserve });
    this.changed();
  }

  private receive(message: BackgroundToPanel): void {
    switch (message.type) {
      case 'snapshot':
        this.store.reset();
        this.preserve = message.preserve;
        this.store.apply(message.records, message.stats);
        break;
      case 'append':
        this.store.apply(message.records, message.stats);
        break;
      case 'reset':
        this.store.reset();
        break;
    }
    this.changed();
  }

  private changed(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.onChange();
    });
  }
}
