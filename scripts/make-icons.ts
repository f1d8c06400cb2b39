/**
 * Draws the extension icon (assets/icons/icon-N.png) without any image tool: a blue rounded
 * square with three "event" bars, as PNGs written with node:zlib. Run once after changing the
 * design: `node --import tsx scripts/make-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Coverage (0..1) of pixel (x, y) of an n×n icon, for the shape `inside(u, v)` in unit space. */
function coverage(n: number, x: number, y: number, inside: (u: number, v: number) => boolean): number {
  const samples = 4;
  let hit = 0;
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < samples; j++) {
      if (inside((x + (i + 0.5) / samples) / n, (y + (j + 0.5) / samples) / n)) hit++;
    }
  }
  return hit / (samples * samples);
}

function roundedSquare(u: number, v: number): boolean {
  const r = 0.2;
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

function bars(u: number, v: number): boolean {
  const rows = [
    { y: 0.3, from: 0.2, to: 0.8 },
    { y: 0.5, from: 0.2, to: 0.62 },
    { y: 0.7, from: 0.2, to: 0.72 },
  ];
  return rows.some((row) => Math.abs(v - row.y) <= 0.06 && u >= row.from && u <= row.to);
}

function png(n: number): Buffer {
  const raw = Buffer.alloc(n * (n * 4 + 1));
  for (let y = 0; y < n; y++) {
    raw[y * (n * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < n; x++) {
      const background = coverage(n, x, y, roundedSquare);
      const bar = coverage(n, x, y, bars);
      const offset = y * (n * 4 + 1) + 1 + x * 4;
      // #1a73e8 (DevTools blue) with white bars.
      raw[offset] = Math.round(0x1a + (0xff - 0x1a) * bar);
      raw[offset + 1] = Math.round(0x73 + (0xff - 0x73) * bar);
      raw[offset + 2] = Math.round(0xe8 + (0xff - 0xe8) * bar);
      raw[offset + 3] = Math.round(255 * background);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(n, 0);
  header.writeUInt32BE(n, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 128]) {
  writeFileSync(new URL(`../assets/icons/icon-${size}.png`, import.meta.url), png(size));
}
