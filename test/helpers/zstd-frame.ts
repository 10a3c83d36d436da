/**
 * Builds zstd frames from raw and RLE blocks (RFC 8878 3.1.1): valid zstd that needs no encoder, which Node 20 lacks.
 * Raw blocks carry a body as it is; an RLE block repeats one byte, which makes a small frame that expands a lot.
 */
const MAX_BLOCK = 128 * 1024;

type Block = { raw: Buffer } | { rle: number; size: number };

export function zstdFrame(blocks: Block[]): Buffer {
  // Magic number; frame header descriptor 0 (no content size, not single-segment, no checksum, no dictionary);
  // window descriptor: exponent 7 -> window log 17 (128 KiB).
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3])];
  const all = blocks.flatMap(split);
  all.forEach((b, i) => {
    const last = i === all.length - 1 ? 1 : 0;
    const [type, size, body] = 'raw' in b ? [0, b.raw.length, b.raw] : [1, b.size, Buffer.from([b.rle])];
    const header = last | (type << 1) | (size << 3);
    parts.push(Buffer.from([header & 0xff, (header >>> 8) & 0xff, (header >>> 16) & 0xff]), body);
  });
  return Buffer.concat(parts);
}

function split(b: Block): Block[] {
  const out: Block[] = [];
  if ('raw' in b) {
    for (let at = 0; at < b.raw.length; at += MAX_BLOCK) out.push({ raw: b.raw.subarray(at, at + MAX_BLOCK) });
  } else {
    for (let left = b.size; left > 0; left -= MAX_BLOCK) out.push({ rle: b.rle, size: Math.min(MAX_BLOCK, left) });
  }
  return out;
}
