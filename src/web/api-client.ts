/** Reads faultline's JSON API with the token the user entered once (kept in this browser's localStorage). */
const TOKEN_KEY = 'faultline-token';

export class Unauthorized extends Error {}

/** The API answered 404: the page says what was not found instead of failing. */
export class NotFound extends Error {}

export function setToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export async function api<T>(path: string): Promise<T> {
  const token = localStorage.getItem(TOKEN_KEY);
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status === 401) throw new Unauthorized('a token is needed');
  if (res.status === 404) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new NotFound(body?.error?.message ?? `${path} was not found`);
  }
  if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as T;
}
