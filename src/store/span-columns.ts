/**
 * otel_traces column data for one export request, encoded when the request is accepted, and joined with other
 * requests' into one Native block when their batch is written. Encoding early lets the decoded span objects die
 * within the request instead of living until the batch commits.
 */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type Attributes, type Span } from '../span.js';
import { NativeBlockWriter } from './native-block.js';

type Spans = readonly Span[];

/**
 * The table's columns in order, each with how to write one request's values (a loop per column, so the hot path
 * calls no function per value). A Map column is three sections: cumulative entry offsets, keys, values.
 */
const COLUMNS: readonly ({ name: string; type: string } & ({ write: (w: NativeBlockWriter, spans: Spans) => void } | { map: (s: Span) => Attributes }))[] = [
  { name: 'Timestamp', type: 'DateTime64(9)', write: (w, spans) => { for (const s of spans) w.int64(s.startNs); } },
  { name: 'TraceId', type: 'String', write: (w, spans) => { for (const s of spans) w.ascii(s.traceId); } },
  { name: 'SpanId', type: 'String', write: (w, spans) => { for (const s of spans) w.ascii(s.spanId); } },
  { name: 'ParentSpanId', type: 'String', write: (w, spans) => { for (const s of spans) w.ascii(s.parentSpanId); } },
  { name: 'TraceState', type: 'String', write: (w, spans) => { for (const s of spans) w.string(s.traceState); } },
  { name: 'SpanName', type: 'String', write: (w, spans) => { for (const s of spans) w.string(s.name); } },
  { name: 'SpanKind', type: 'String', write: (w, spans) => { for (const s of spans) w.ascii(SPAN_KIND_NAMES[s.kind]); } },
  { name: 'ServiceName', type: 'String', write: (w, spans) => { for (const s of spans) w.string(s.serviceName); } },
  { name: 'ResourceAttributes', type: 'Map(String, String)', map: (s) => s.resource },
  { name: 'ScopeName', type: 'String', write: (w, spans) => { for (const s of spans) w.string(s.scopeName); } },
  { name: 'ScopeVersion', type: 'String', write: (w, spans) => { for (const s of spans) w.string(s.scopeVersion); } },
  { name: 'SpanAttributes', type: 'Map(String, String)', map: (s) => s.attributes },
  { name: 'Duration', type: 'UInt64', write: (w, spans) => { for (const s of spans) w.uint64(s.durationNs); } },
  { name: 'StatusCode', type: 'String', write: (w, spans) => { for (const s of spans) w.ascii(STATUS_CODE_NAMES[s.statusCode]); } },
  { name: 'StatusMessage', type: 'String', write: (w, spans) => { for (const s of spans) w.string(s.statusMessage); } },
];

export interface SpanColumns {
  rows: number;
  /** Every section's bytes, back to back, in column order. */
  data: Buffer;
  /** End offset in `data` of each section. */
  ends: number[];
}

export function encodeSpanColumns(spans: Spans): SpanColumns {
  const w = new NativeBlockWriter(undefined, spans.length, 256);
  const ends: number[] = [];
  const end = () => ends.push(w.length);
  for (const col of COLUMNS) {
    if ('map' in col) writeMaps(w, spans, col.map, end);
    else {
      col.write(w, spans);
      end();
    }
  }
  return { rows: spans.length, data: Buffer.from(w.finish()), ends };
}

function writeMaps(w: NativeBlockWriter, spans: Spans, map: (s: Span) => Attributes, end: () => void): void {
  let offset = 0;
  for (const s of spans) {
    for (const k in map(s)) if (k !== undefined) offset++;
    w.uint64(offset);
  }
  end();
  for (const s of spans) for (const k in map(s)) w.string(k);
  end();
  for (const s of spans) {
    const m = map(s);
    for (const k in m) w.string(m[k]!);
  }
  end();
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
  const copySection = () => {
    for (const c of chunks) w.bytes(c.data.subarray(section === 0 ? 0 : c.ends[section - 1]!, c.ends[section]!));
    section++;
  };
  for (const col of COLUMNS) {
    w.column(col.name, col.type);
    if (!('map' in col)) {
      copySection();
      continue;
    }
    // Offsets are cumulative across the whole block: shift each chunk's by the entries before it.
    let base = 0;
    for (const c of chunks) {
      const from = section === 0 ? 0 : c.ends[section - 1]!;
      let last = 0;
      for (let at = from; at < c.ends[section]!; at += 8) {
        last = c.data.readUInt32LE(at) + c.data.readUInt32LE(at + 4) * 0x1_0000_0000;
        w.uint64(base + last);
      }
      base += last;
    }
    section++;
    copySection();
    copySection();
  }
  return w.finish();
}
