/** Both OTLP decoders on one case suite (decoder-cases.ts): the same spans, the same rejections, the same reasons. */
import { describe, expect, it } from 'vitest';
import { decodeExportRequestJson } from '../../src/otlp/decode-json.js';
import { decodeExportRequestProto } from '../../src/otlp/decode-protobuf.js';
import type { DecodedExport } from '../../src/otlp/decoded-export.js';
import { loadOtlpRoot } from '../helpers/reference-decoder.js';
import { DECODER_CASES, jsonObject, protoObject } from './decoder-cases.js';

const Req = loadOtlpRoot().lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

const reasons = (d: DecodedExport): string[] => {
  // "N invalid span(s) rejected: where: reason; where: reason" -> the reasons, in order.
  const body = d.errorMessage.replace(/^\d+ invalid span\(s\) rejected: /, '').replace(/; and \d+ more$/, '');
  return body === '' ? [] : body.split('; ').map((r) => r.replace(/^[^:]*: /, ''));
};

describe.each(DECODER_CASES)('$name', (c) => {
  const proto = decodeExportRequestProto(Buffer.from(Req.encode(Req.fromObject(protoObject(c))).finish()));
  const json = decodeExportRequestJson(JSON.stringify(jsonObject(c)));

  it('both decoders keep the expected spans and return the same ones', () => {
    expect(proto.spans).toHaveLength(c.expect.kept);
    expect(json.spans).toEqual(proto.spans);
  });

  it('both reject the same spans, for the expected reasons', () => {
    expect(proto.rejected).toBe(c.expect.rejectedReasons.length);
    expect(json.rejected).toBe(proto.rejected);
    const [p, j] = [reasons(proto), reasons(json)];
    expect(j).toEqual(p);
    c.expect.rejectedReasons.slice(0, 5).forEach((re, i) => expect(p[i]).toMatch(re));
  });
});
