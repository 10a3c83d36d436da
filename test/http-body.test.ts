/** zstd bodies (issue 27): a declared size over the limit is refused before any work, and a bomb yields to others. */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readBody, zstdDeclaredSize, zstdLeastSize } from '../src/http-body.js';
import { zstdFrame } from './helpers/zstd-frame.js';

const request = (body: Buffer): IncomingMessage =>
  Object.assign(Readable.from([body]), { headers: { 'content-encoding': 'zstd' } }) as unknown as IncomingMessage;

/** A single-segment frame header declaring `size` bytes (8-byte Frame_Content_Size), then one RLE block. */
function declaringFrame(size: bigint): Buffer {
  const header = Buffer.alloc(5 + 8);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = (3 << 6) | (1 << 5);
  header.writeBigUInt64LE(size, 5);
  const block = Buffer.from([1 | (1 << 1) | (10 << 3), 0, 0, 0x41]);
  return Buffer.concat([header, block]);
}

describe('readBody with zstd', () => {
  it('reads the declared content size of a frame, or none', () => {
    expect(zstdDeclaredSize(declaringFrame(10n))).toBe(10);
    expect(zstdDeclaredSize(declaringFrame(5_000_000_000n))).toBe(5_000_000_000);
    expect(zstdDeclaredSize(zstdFrame([{ rle: 0, size: 100 }]))).toBeUndefined();
    expect(zstdDeclaredSize(Buffer.from('not zstd'))).toBeUndefined();
  });

  it('refuses a frame declaring more than the limit before decoding it', async () => {
    await expect(readBody(request(declaringFrame(1_000_000n)), 1000)).rejects.toThrow(/declares 1000000 bytes/);
    expect((await readBody(request(declaringFrame(10n)), 1000)).toString()).toBe('A'.repeat(10));
  });

  it('refuses a bomb of RLE blocks from its block headers, without decoding it', async () => {
    const bomb = zstdFrame([{ rle: 0x41, size: 32 * 2 ** 20 }]);
    expect(bomb.length).toBeLessThan(2000);
    expect(zstdLeastSize(bomb)).toBe(32 * 2 ** 20);
    await expect(readBody(request(bomb), 16 * 2 ** 20)).rejects.toThrow(/expands to at least 33554432 bytes/);
  });

  it('decodes off the event loop: other work keeps its turns while a large body expands', async () => {
    // Another request's work, queued turn after turn: it runs only when the decoder lets go of the event loop.
    let turns = 0;
    let running = true;
    const other = (): void => {
      turns++;
      if (running) setImmediate(other);
    };
    setImmediate(other);
    // 60 MB under a 64 MB limit: it passes the header walk and is decoded (in a worker thread).
    const big = zstdFrame([{ rle: 0x42, size: 60 * 2 ** 20 }]);
    const body = await readBody(request(big), 64 * 2 ** 20);
    running = false;
    expect(body.length).toBe(60 * 2 ** 20);
    expect(body[body.length - 1]).toBe(0x42);
    // A decoder on the event loop would allow the other work one or two turns in all.
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
