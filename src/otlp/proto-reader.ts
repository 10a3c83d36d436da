/**
 * A minimal protobuf wire-format reader over a Buffer: just what the OTLP trace decoder needs.
 * Hand-written so the hot path makes no intermediate message objects.
 */
import { InputError } from '../errors.js';
import { StringCache } from './string-cache.js';

/** Shared by all readers: the process decodes one message at a time. */
const repeatedStrings = new StringCache();

export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    public end = buf.length,
  ) {
    this.pos = start;
  }

  /** Varint up to 32 bits (tags, lengths, enums, small counts). */
  uint32(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw truncated();
      const b = buf[this.pos++]!;
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) result += (b & 0x7f) * 2 ** 28;
      // Bits above 32 are dropped (protobuf truncates int32), but the bytes are consumed.
      if (b < 0x80) return shift === 28 ? result : result >>> 0;
      shift += 7;
      if (shift > 63) throw new InputError('malformed protobuf: varint longer than 10 bytes');
    }
  }

  /** Varint as a signed 64-bit value, exact. */
  int64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw truncated();
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
      if (shift > 63n) throw new InputError('malformed protobuf: varint longer than 10 bytes');
    }
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw truncated();
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw truncated();
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the end offset of the field, checked against the enclosing message. */
  lengthDelimitedEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw truncated();
    return end;
  }

  string(): string {
    const end = this.lengthDelimitedEnd();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  /** A string likely to repeat across spans (attribute keys and values, names): decoded through a small cache. */
  repeatedString(): string {
    const end = this.lengthDelimitedEnd();
    const s = repeatedStrings.decode(this.buf, this.pos, end);
    this.pos = end;
    return s;
  }

  hex(): string {
    const end = this.lengthDelimitedEnd();
    const s = this.buf.toString('hex', this.pos, end);
    this.pos = end;
    return s;
  }

  base64(): string {
    const end = this.lengthDelimitedEnd();
    const s = this.buf.toString('base64', this.pos, end);
    this.pos = end;
    return s;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        while (this.pos < this.end && this.buf[this.pos++]! >= 0x80);
        return;
      case WireType.I64:
        this.pos += 8;
        break;
      case WireType.LEN:
        this.pos = this.lengthDelimitedEnd();
        return;
      case WireType.I32:
        this.pos += 4;
        break;
      default:
        throw new InputError(`malformed protobuf: unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw truncated();
  }
}

function truncated(): InputError {
  return new InputError('malformed protobuf: message truncated');
}
