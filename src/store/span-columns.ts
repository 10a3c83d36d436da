/**
 * otel_traces column data for one export request, encoded when the request is accepted, and joined with other
 * requests' into one Native block when their batch is written. Encoding early lets the decoded span objects die
 * within the request instead of living until the batch commits.
 */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type Attributes, type Span } from '../span.js';
import { NativeBlockWriter } from './native-block.js';

type Spans = readonly Span[];
type Writer = NativeBlockWriter;

/**
 * A column's data is one or more sections. `offsets` sections (of Arrays and Maps) hold cumulative UInt64 counts,
 * which joinSpanColumns shifts when it puts several requests' sections together; `data` sections are copied as they are.
 */
type Section = 'offsets' | 'data';

interface Column {
  name: string;
  type: string;
  sections: readonly Section[];
  /** Writes this column for one request's spans, calling `end` after each section. */
  write(w: Writer, spans: Spans, end: () => void): void;
}

/** A plain column: one section, a loop per column, so the hot path calls no function per value. */
const plain = (name: string, type: string, write: (w: Writer, spans: Spans) => void): Column => ({
  name,
  type,
  sections: ['data'],
  write: (w, spans, end) => {
    write(w, spans);
    end();
  },
});

/** Map(String, String) as three sections: cumulative entry offsets, keys, values. */
const mapColumn = (name: string, get: (s: Span) => Attributes): Column => ({
  name,
  type: 'Map(String, String)',
  sections: ['offsets', 'data', 'data'],
  write: (w, spans, end) => writeMaps(w, spans.map(get), end),
});

/**
 * One field of a Nested column (Events.Name, Links.TraceId, ...): an Array per span, a span without events or links
 * having an empty one. Most spans have none, so the common cost is one offset per span and field.
 */
function nestedField<T>(
  name: string,
  type: string,
  list: (s: Span) => readonly T[] | undefined,
  write: (w: Writer, items: readonly T[]) => void,
): Column {
  return {
    name,
    type: `Array(${type})`,
    sections: ['offsets', 'data'],
    write: (w, spans, end) => {
      write(w, flatten(w, spans, list, end));
      end();
    },
  };
}

/** The Attributes field of a Nested column: Array(Map(String, String)). */
function nestedMaps<T>(name: string, list: (s: Span) => readonly T[] | undefined, get: (item: T) => Attributes): Column {
  return {
    name,
    type: 'Array(Map(String, String))',
    sections: ['offsets', 'offsets', 'data', 'data'],
    write: (w, spans, end) => writeMaps(w, flatten(w, spans, list, end).map(get), end),
  };
}

/** Writes the Array offsets of every span's list and returns all their items, in order. */
function flatten<T>(w: Writer, spans: Spans, list: (s: Span) => readonly T[] | undefined, end: () => void): T[] {
  let offset = 0;
  const items: T[] = [];
  for (const s of spans) {
    const l = list(s);
    if (l) for (const x of l) items.push(x);
    offset += l?.length ?? 0;
    w.uint64(offset);
  }
  end();
  return items;
}

const strings =
  <T>(get: (x: T) => string) =>
  (w: Writer, items: readonly T[]): void => {
    for (const x of items) w.string(get(x));
  };
const events = (s: Span) => s.events;
const links = (s: Span) => s.links;

/** The table's columns in order. */
const COLUMNS: readonly Column[] = [
  plain('Timestamp', 'DateTime64(9)', (w, spans) => {
    for (const s of spans) w.int64(s.startNs);
  }),
  plain('TraceId', 'String', (w, spans) => {
    for (const s of spans) w.ascii(s.traceId);
  }),
  plain('SpanId', 'String', (w, spans) => {
    for (const s of spans) w.ascii(s.spanId);
  }),
  plain('ParentSpanId', 'String', (w, spans) => {
    for (const s of spans) w.ascii(s.parentSpanId);
  }),
  plain('TraceState', 'String', (w, spans) => {
    for (const s of spans) w.string(s.traceState);
  }),
  plain('SpanName', 'String', (w, spans) => {
    for (const s of spans) w.string(s.name);
  }),
  plain('SpanKind', 'String', (w, spans) => {
    for (const s of spans) w.ascii(SPAN_KIND_NAMES[s.kind]);
  }),
  plain('ServiceName', 'String', (w, spans) => {
    for (const s of spans) w.string(s.serviceName);
  }),
  mapColumn('ResourceAttributes', (s) => s.resource),
  plain('ScopeName', 'String', (w, spans) => {
    for (const s of spans) w.string(s.scopeName);
  }),
  plain('ScopeVersion', 'String', (w, spans) => {
    for (const s of spans) w.string(s.scopeVersion);
  }),
  mapColumn('SpanAttributes', (s) => s.attributes),
  plain('Duration', 'UInt64', (w, spans) => {
    for (const s of spans) w.uint64(s.durationNs);
  }),
  plain('StatusCode', 'String', (w, spans) => {
    for (const s of spans) w.ascii(STATUS_CODE_NAMES[s.statusCode]);
  }),
  plain('StatusMessage', 'String', (w, spans) => {
    for (const s of spans) w.string(s.statusMessage);
  }),
  nestedField('Events.Timestamp', 'DateTime64(9)', events, (w, items) => {
    for (const e of items) w.int64(e.timeNs);
  }),
  nestedField(
    'Events.Name',
    'String',
    events,
    strings((e) => e.name),
  ),
  nestedMaps('Events.Attributes', events, (e) => e.attributes),
  nestedField(
    'Links.TraceId',
    'String',
    links,
    strings((l) => l.traceId),
  ),
  nestedField(
    'Links.SpanId',
    'String',
    links,
    strings((l) => l.spanId),
  ),
  nestedField(
    'Links.TraceState',
    'String',
    links,
    strings((l) => l.traceState),
  ),
  nestedMaps('Links.Attributes', links, (l) => l.attributes),
];

export interface SpanColumns {
  rows: number;
  /** Every section's bytes, back to back, in column order. */
  data: Buffer;
  /** End offset in `data` of each section. */
  ends: number[];
}

/**
 * Every request is encoded into this one buffer and only its bytes are copied out. A fresh buffer per request (sized
 * by guess, then doubled when the guess was short: the shop's spans take ~290 bytes) cost ~1 MB of short-lived
 * memory per 1000 spans, fresh pages the kernel zeroes and the GC frees: decoding and encoding 1000-span requests
 * took 3.5-3.9 us per span, 2.5 with this buffer (in the whole server the gain is within run-to-run noise).
 */
let scratch: Buffer = Buffer.allocUnsafe(0);
/** A scratch buffer grown past this (one huge request) is let go after use rather than held for good. */
const MAX_SCRATCH_BYTES = 16 << 20;

export function encodeSpanColumns(spans: Spans): SpanColumns {
  const w = new NativeBlockWriter(undefined, spans.length, 320, scratch);
  const ends: number[] = [];
  const end = () => ends.push(w.length);
  for (const col of COLUMNS) col.write(w, spans, end);
  const data = Buffer.from(w.finish());
  scratch = w.buffer.length <= MAX_SCRATCH_BYTES ? w.buffer : Buffer.allocUnsafe(0);
  return { rows: spans.length, data, ends };
}

/**
 * Map(String, String) for every span. The spans of one resource share its attributes object (and SDKs put 15-30
 * attributes on a resource: ~850 bytes a span), so a map that is the same object as the previous span's is encoded
 * once and its bytes copied. With SDK-shaped spans (test/sim/sdk-attributes.ts) that took the encode microbench from
 * 4.7 to 1.1-2.0 us per span, and faultline's JS thread at 20k spans/s from 0.44 to 0.32 cores.
 */
function writeMaps(w: Writer, maps: readonly Attributes[], end: () => void): void {
  let offset = 0;
  let prev: Attributes | undefined;
  let size = 0;
  for (const m of maps) {
    if (m !== prev) {
      size = 0;
      for (const k in m) if (k !== undefined) size++;
      prev = m;
    }
    offset += size;
    w.uint64(offset);
  }
  end();
  writeMapParts(w, maps, false);
  end();
  writeMapParts(w, maps, true);
  end();
}

/** Every map's keys, or every map's values, in order. */
function writeMapParts(w: Writer, maps: readonly Attributes[], values: boolean): void {
  let prev: Attributes | undefined;
  let from = 0;
  let to = 0;
  for (const m of maps) {
    if (m === prev) {
      w.repeat(from, to);
      continue;
    }
    from = w.length;
    if (values) for (const k in m) w.string(m[k]!);
    else for (const k in m) w.string(k);
    to = w.length;
    prev = m;
  }
}

/** One Native block for otel_traces holding every chunk's rows, in order. */
export function joinSpanColumns(chunks: readonly SpanColumns[]): Buffer {
  let rows = 0;
  let bytes = 0;
  for (const c of chunks) {
    rows += c.rows;
    bytes += c.data.length;
  }
  // Room for every chunk's bytes plus the column headers: no regrowth while copying.
  const w = new NativeBlockWriter(COLUMNS.length, rows, Math.ceil((bytes + 1024) / Math.max(1, rows)));
  let section = 0;
  for (const col of COLUMNS) {
    w.column(col.name, col.type);
    for (const kind of col.sections) {
      if (kind === 'data') {
        for (const c of chunks) w.bytes(c.data.subarray(section === 0 ? 0 : c.ends[section - 1]!, c.ends[section]!));
      } else {
        // Offsets are cumulative across the whole block: shift each chunk's by the entries before it.
        let base = 0;
        for (const c of chunks) base += w.shiftedOffsets(c.data, section === 0 ? 0 : c.ends[section - 1]!, c.ends[section]!, base);
      }
      section++;
    }
  }
  return w.finish();
}
