/** `npm run lint` also runs `prettier --check .` with the repo's .prettierrc.json: unformatted code fails it. */
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const file = join(import.meta.dirname, '..', '..', 'src', 'example.ts');

describe('formatting', () => {
  it('the repo config refuses unformatted code and accepts it once formatted', async () => {
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    expect(options.printWidth).toBe(140);
    const messy = 'export const  x = { a:1,\n b: "two" }\n';
    expect(await prettier.check(messy, options)).toBe(false);
    expect(await prettier.check(await prettier.format(messy, options), options)).toBe(true);
  });
});
