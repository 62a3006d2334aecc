// The README's code is real: the quick start is examples/quickstart.mjs, run here, and the
// issue-code table lists every code the validators can emit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

function block(after, lang) {
  const start = readme.indexOf(after);
  assert.ok(start >= 0, `README has ${after}`);
  const open = readme.indexOf('```' + lang + '\n', start) + lang.length + 4;
  return readme.slice(open, readme.indexOf('```', open));
}

test('the quick start in the README is examples/quickstart.mjs, and prints what the README says', () => {
  const code = readFileSync(join(root, 'examples', 'quickstart.mjs'), 'utf8');
  assert.equal(block('## Quick start', 'js'), code);
  const printed = execFileSync(process.execPath, [join(root, 'examples', 'quickstart.mjs')], { encoding: 'utf8' });
  assert.equal(printed, block('prints', 'text'));
});

test('the README lists every issue code with its line', () => {
  const source = readFileSync(join(root, 'src', 'validate', 'issue.rs'), 'utf8');
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
