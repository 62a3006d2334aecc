// The README's code is real: the quick start is examples/quickstart.mjs, run here, and the
// issue-code table lists every code the validators can emit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('every example in the README is its file verbatim, and prints what the README says', () => {
  const examples = [...readme.matchAll(/<!-- example: (\S+) -->\n```js\n([\s\S]*?)```\n\nprints\n\n```text\n([\s\S]*?)```/g)];
  assert.deepEqual(examples.map((m) => m[1]), [
    'examples/quickstart.mjs',
    'examples/test-a-bot.mjs',
    'examples/scenario.mjs',
    'examples/find-bugs.mjs',
    'examples/verify-in-process.mjs',
    'examples/verify-callback.mjs',
    'examples/build-request.mjs',
    'examples/validate-notification.mjs',
    'examples/track-operations.mjs',
    'examples/json-schema.mjs',
  ]);
  for (const [, file, code, output] of examples) {
    assert.equal(code, readFileSync(join(root, file), 'utf8'), `${file} as shown`);
    const env = { ...process.env };
    delete env.GRAPH_TOKEN;
    assert.equal(execFileSync(process.execPath, [join(root, file)], { encoding: 'utf8', env }), output, `${file} output as shown`);
  }
});

test('every TypeScript example in the README is its file verbatim (tsc checks it: package.test.mjs)', () => {
  const examples = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
  assert.deepEqual(examples.map((m) => m[1]), ['examples/narrow-notifications.ts']);
  for (const [, file, code] of examples) assert.equal(code, readFileSync(join(root, file), 'utf8'), `${file} as shown`);
});

test('the README lists every issue code with its line', () => {
  const source = readFileSync(join(root, 'src', 'contract', 'issue.rs'), 'utf8');
  const codes = [...source.matchAll(/^\s+\w+ = "(\w+)": "((?:[^"\\]|\\.)*)",$/gm)];
  assert.ok(codes.length >= 25);
  for (const [, code, line] of codes) {
    assert.ok(readme.includes(`| \`${code}\` | ${line.replace(/\\"/g, '"')} |`), `README row for ${code}`);
  }
  const dts = readFileSync(join(root, 'src', 'wasm', 'types.d.ts'), 'utf8');
  for (const [, code] of codes) assert.ok(dts.includes(`'${code}'`), `IssueCode type lists ${code}`);
});

test('the README names the two set-up commands', () => {
  assert.match(readme, /^npm start\s/m);
  assert.match(readme, /^npm test\s/m);
});
