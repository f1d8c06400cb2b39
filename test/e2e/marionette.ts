/**
 * A minimal Marionette client (Firefox's built-in remote protocol; no geckodriver, no npm package).
 * Wire format: each frame is `<byte length>:<json>`; the server first sends a handshake object; a
 * request is `[0, id, "Command:Name", params]`, its answer `[1, id, error, result]`.
 */
import { connect, type Socket } from 'node:net';

export class MarionetteError extends Error {
  constructor(
    readonly command: string,
    readonly error: { error: string; message: string; stacktrace?: string },
  ) {
    super(`${command}: ${error.error}: ${error.message}`);
  }
}

export class Marionette {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { command: string; resolve(value: any): void; reject(error: Error): void }>();
  private handshake?: (value: unknown) => void;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => this.failAll(new Error('Marionette connection closed')));
    socket.on('error', (error) => this.failAll(error));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<Marionette> {
    const socket = connect(port, host);
    const client = new Marionette(socket);
    await new Promise((resolve, reject) => {
      client.handshake = resolve;
      socket.once('error', reject);
    });
    return client;
  }

  /** Sends a command and resolves with its result (`value` unwrapped when that is all there is). */
  send<T = any>(command: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, command, params]), 'utf8');
    this.socket.write(`${body.length}:`);
    this.socket.write(body);
    return new Promise((resolve, reject) => this.pending.set(id, { command, resolve, reject }));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('latin1'));
      if (this.buffer.length < colon + 1 + length) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (!Array.isArray(message)) {
        this.handshake?.(message);
        continue;
      }
      const [, id, error, result] = message as [1, number, MarionetteError['error'] | null, any];
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (waiter === undefined) continue;
      if (error) waiter.reject(new MarionetteError(waiter.command, error));
      else
        waiter.resolve(
          result !== null && typeof result === 'object' && Object.keys(result).length === 1 && 'value' in result
            ? result.value
            : result,
        );
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
