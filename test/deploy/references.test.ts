import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Repository paths a text names: markdown links, and words that start with one of the repository's folders. */
function referencedPaths(text: string): string[] {
  const words = [
    ...text.matchAll(/(?<![\w./$-])(?:deploy|src|test|bench|docs|data|proto|scripts|\.ci)\/[\w./-]*/g),
  ].map((m) => m[0].replace(/\.+$/, ''));
  const links = [...text.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
  return [...new Set([...words, ...links])];
}

test('the README and the deploy files point only to files that exist', () => {
  const deploy = readdirSync(path.join(repo, 'deploy'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(repo, path.join(e.parentPath, e.name)));
  const missing: string[] = [];
  let checked = 0;
  for (const file of ['README.md', ...deploy]) {
    for (const ref of referencedPaths(readFileSync(path.join(repo, file), 'utf8'))) {
      checked++;
      if (!existsSync(path.join(repo, ref))) missing.push(`${file}: ${ref}`);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(checked >= 10, `only ${checked} references found: the pattern no longer matches the README`);
});

test('the reference finder sees links and repository paths, not URLs or paths inside other paths', () => {
  assert.deepEqual(referencedPaths('see [x](deploy/a.yaml), `src/b.ts`. and docs/c.md.'), [
    'deploy/a.yaml',
    'src/b.ts',
    'docs/c.md',
  ]);
  assert.deepEqual(referencedPaths('[u](https://example.com/src/x) node $DIR/dist/src/cli/main.js /data/cifar'), []);
});

/** The README's "## Layout" section, up to the next heading of its level. */
function layoutSection(readme: string): string {
  const start = readme.indexOf('\n## Layout\n');
  assert.ok(start >= 0, 'README.md has no "## Layout" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

test("the README's Layout section names every folder of src/ two levels down, and only folders that exist", () => {
  const layout = layoutSection(readFileSync(path.join(repo, 'README.md'), 'utf8'));
  const folders = readdirSync(path.join(repo, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.relative(repo, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => f.split('/').length <= 3);
  assert.ok(folders.includes('src/coordinator/checkpoint'), `src/ was not read: ${folders.join(', ')}`);
  const unnamed = folders.filter((f) => !layout.includes(`\`${f}/\``));
  assert.deepEqual(unnamed, [], "folders of src/ the README's Layout section does not name (as `src/x/y/`)");
  const named = [...layout.matchAll(/`(src\/[\w/]+)\/`/g)].map((m) => m[1]);
  assert.deepEqual(
    named.filter((f) => !folders.includes(f)),
    [],
    'folders the Layout section names that src/ does not have',
  );
});
