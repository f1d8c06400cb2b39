/**
 * Starts the demo/test SSE server: `node --import tsx test/server/main.ts [--port N] [--host H]`
 * (also `npm run serve -- --port N`).
 */
import { startServer } from './sse-server.ts';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}`) return args[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

const portArg = option('port');
const port = portArg === undefined ? 0 : Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port: ${portArg}`);
  process.exit(2);
}

const server = await startServer({ port, host: option('host') ?? '127.0.0.1' });
console.log(`SSE demo server listening at ${server.url}`);
console.log(`  demo page:      ${server.url}/demo.html`);
console.log(`  e2e test page:  ${server.url}/test/all-kinds.html?prefix=top`);
console.log(`  request log:    ${server.url}/__requests`);
console.log('Press Ctrl+C to stop.');

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
