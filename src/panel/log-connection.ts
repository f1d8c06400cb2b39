/**
 * The panel's link to the background: asks for its tab's log, then applies every append/reset to
 * a LogStore and tells the view to redraw (at most once per animation frame). It also sends the
 * panel's commands for the page (replay, mock) and keeps the latest status of each.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { LogStore } from '../core/log-store';
import {
  PORT_NAME,
  type BackgroundToPanel,
  type DeepCaptureState,
  type PageCommand,
  type PageStatus,
  type PanelRequest,
} from '../protocol';

export class LogConnection {
  readonly store = new LogStore();
  preserve = false;
  /** Deep capture of the tab, as the background last said. */
  deep: DeepCaptureState = { type: 'deep-capture', available: false, on: false };
  /** The latest status of each command sent, by command id. */
  readonly statuses = new Map<string, PageStatus>();
  /** For mocks that answered a request: that status (the request, and when), by command id. */
  readonly answers = new Map<string, PageStatus>();
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

  /** Sends `command` to the page world of frame `frameId` of the inspected tab. */
  command(frameId: number, command: PageCommand): void {
    this.statuses.delete(command.id);
    this.send({ type: 'page-command', frameId, command });
  }

  setPreserve(preserve: boolean): void {
    this.preserve = preserve;
    this.send({ type: 'set-preserve', preserve });
    this.changed();
  }

  /** Turns deep capture of the tab on or off (the panel explained the debugging bar first). */
  setDeepCapture(on: boolean): void {
    this.send({ type: 'set-deep-capture', on });
  }

  private receive(message: BackgroundToPanel): void {
    switch (message.type) {
      case 'deep-capture':
        this.deep = message;
        break;
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
      case 'command-status':
        this.statuses.set(message.status.id, message.status);
        if (message.status.state === 'answered') this.answers.set(message.status.id, message.status);
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
