// The docs' contract is found one way: scripts/contract.mjs for scripts and JS tests,
// tests/common/mod.rs for the Rust tests. No other file spells out where it lies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'node:test';
import { root } from './helpers.mjs';
import { contractPath, fixturesPath } from '../../scripts/contract.mjs';

const SELF = join('tests', 'js', 'contract-location.test.mjs');
const LOCATORS = new Set(['scripts/contract.mjs', 'tests/common/mod.rs']);
const SKIPPED = new Set(['node_modules', 'target', '.git', 'pkg', 'site', 'corpus', 'artifacts', 'test-output']);
const CODE = /\.(rs|mjs|cjs|js|ts|py|sh)$/;
// The folder's path spelled as a path or as path segments.
const SPELLED = [/shared\/contract/, /'shared',\s*'contract'/, /"shared",\s*"contract"/];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIPPED.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (CODE.test(name) || dir.endsWith('.ci')) yield path;
  }
}

test('only the two locators spell out where the contract lies', () => {
  const spelling = [];
  for (const path of files(root)) {
    const text = readFileSync(path, 'utf8');
    const name = relative(root, path);
    if (name === SELF) continue; // this test spells the patterns it looks for
    if (SPELLED.some((re) => re.test(text)) && !LOCATORS.has(name)) spelling.push(name);
  }
  assert.deepEqual(spelling, []);
  for (const locator of LOCATORS) {
    assert.ok(SPELLED.some((re) => re.test(readFileSync(join(root, locator), 'utf8'))), `${locator} locates the contract`);
  }
});

test('both locators honour GRAPH_IVR_FIXTURES and default to ../shared beside the checkout', () => {
  const rust = readFileSync(join(root, 'tests', 'common', 'mod.rs'), 'utf8');
  assert.match(rust, /GRAPH_IVR_FIXTURES/);
  assert.match(rust, /\.\.\/shared\/contract\/fixtures/);
  assert.equal(relative(root, fixturesPath()), process.env.GRAPH_IVR_FIXTURES ? relative(root, process.env.GRAPH_IVR_FIXTURES) : join('..', 'shared', 'contract', 'fixtures'));
  assert.equal(contractPath(), join(fixturesPath(), '..'));
});
