/** FAULTLINE_API_TOKEN: /api/* needs the bearer token; health and metrics do not. Plus the error shape. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    FAULTLINE_API_TOKEN: 's3cret-token',
    FAULTLINE_API_MAX_BODY_BYTES: '2048',
    FAULTLINE_WEBHOOK_MAX_BODY_BYTES: '2048',
  });
});
afterAll(() => h.stop());

const auth = { authorization: 'Bearer s3cret-token' };

describe('API auth and errors', () => {
  it('refuses /api/* without the token (401 with the error shape), accepts it with the token', async () => {
    const none = await fetch(`${h.api}/api/v1/services`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toEqual({ error: { code: 'unauthorized', message: 'missing Authorization: Bearer <token>' } });
    expect((await fetch(`${h.api}/api/v1/services`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${h.api}/api/v1/services`, { headers: auth })).status).toBe(200);
  });

  it('protects the webhook too', async () => {
    const body = JSON.stringify(alertmanagerWebhook([{ service: 'x', startsAt: new Date() }]));
    expect(
      (await fetch(`${h.api}/api/v1/alerts/alertmanager`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...auth },
        })
      ).status,
    ).toBe(202);
  });

  it('serves health, readiness and metrics without the token', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${h.api}${path}`)).status).toBe(200);
  });

  it('answers 413 for an oversized body, 400 for a body that is no webhook, a skip for a malformed alert, 404 for unknown incidents and routes', async () => {
    const big = JSON.stringify({ alerts: [], pad: 'x'.repeat(4096) });
    expect(
      (
        await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
          method: 'POST',
          body: big,
          headers: { 'content-type': 'application/json', ...auth },
        })
      ).status,
    ).toBe(413);
    const notWebhook = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      body: JSON.stringify({ alerts: 'none' }),
      headers: { 'content-type': 'application/json', ...auth },
    });
    expect(notWebhook.status).toBe(400);
    // One malformed alert must not cost the others (Alertmanager drops a whole batch on a 4xx).
    const bad = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      body: JSON.stringify({ alerts: [{ status: 'firing', labels: {}, startsAt: 'yesterday' }] }),
      headers: { 'content-type': 'application/json', ...auth },
    });
    expect(bad.status).toBe(202);
    expect(((await bad.json()) as { skipped: { reason: string }[] }).skipped[0]!.reason).toContain('alerts[0].startsAt');
    expect((await fetch(`${h.api}/api/v1/incidents/inc_nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${h.api}/api/v1/nothing`, { headers: auth })).status).toBe(404);
  });

  it('skips a firing alert with no service label and says why', async () => {
    const payload = alertmanagerWebhook([{ service: 'x', startsAt: new Date(), labelName: 'team' }]);
    const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      body: JSON.stringify(payload),
      headers: { 'content-type': 'application/json', ...auth },
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { incidents: unknown[]; skipped: { reason: string }[] };
    expect(body.incidents).toEqual([]);
    expect(body.skipped[0]!.reason).toMatch(/no service label/);
  });
});
