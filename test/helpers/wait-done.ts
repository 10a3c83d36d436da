/** Polls an incident until its analysis is done or failed (30 s at most). */
import type { Report } from '../../src/rca/report.js';

export async function waitDone(api: string, id: string): Promise<Report> {
  for (let i = 0; i < 600; i++) {
    const r = (await (await fetch(`${api}/api/v1/incidents/${id}`)).json()) as Report;
    if (r.status === 'done' || r.status === 'failed') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('analysis did not finish');
}
