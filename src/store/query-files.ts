/** Loads SQL from `queries/` by name. All SQL lives there; TypeScript only names it. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandName, QueryName } from './query-catalog.js';
import { fileURLToPath } from 'node:url';

/** The repository's `queries/` folder, found from this file whether it runs from src/ or dist/src/. */
export const QUERIES_DIR = findQueriesDir(dirname(fileURLToPath(import.meta.url)));

function findQueriesDir(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'queries');
    if (existsSync(join(candidate, 'migrations'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`queries/ folder not found above ${start}`);
    dir = parent;
  }
}

const cache = new Map<string, string>();

/** The text of `queries/<name>.sql`, read once. */
export function loadQuery(name: QueryName | CommandName): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid query name ${name}`);
    sql = readFileSync(join(QUERIES_DIR, `${name}.sql`), 'utf8')
      .trim()
      .replace(/;\s*$/, '');
    cache.set(name, sql);
  }
  return sql;
}

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

/** `queries/migrations/NNNN_name.sql`, in version order. */
export function loadMigrationFiles(): MigrationFile[] {
  const dir = join(QUERIES_DIR, 'migrations');
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
}
