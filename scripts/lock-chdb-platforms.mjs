// Keeps chdb's per-platform engine packages listed in package-lock.json even when `npm install` ran where the
// registry lacks some of them (npm then drops them and `npm ci` refuses the lockfile). Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const chdb = lock.packages['node_modules/chdb'];
const wanted = chdb?.optionalDependencies ?? {};
const platforms = {
  '@chdb/lib-darwin-arm64': { cpu: ['arm64'], os: ['darwin'] },
  '@chdb/lib-darwin-x64': { cpu: ['x64'], os: ['darwin'] },
  '@chdb/lib-linux-arm64-gnu': { cpu: ['arm64'], os: ['linux'], libc: ['glibc'] },
  '@chdb/lib-linux-x64-gnu': { cpu: ['x64'], os: ['linux'], libc: ['glibc'] },
};
let added = 0;
for (const [name, version] of Object.entries(wanted)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key] || !platforms[name]) continue;
  lock.packages[key] = { version, ...platforms[name], license: 'Apache-2.0', optional: true };
  added++;
}
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-chdb-platforms: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
