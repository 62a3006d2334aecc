// Shared helpers of the JS tests: where the docs' fixtures are, and error assertions.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesPath } from '../../scripts/contract.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The fixtures folder, or null (with a note) when absent outside CI; absent under CI=true fails. */
export function fixturesDir() {
  const dir = fixturesPath();
  if (existsSync(dir)) return dir;
  if (process.env.CI === 'true') throw new Error(`fixtures folder ${dir} is missing; CI must run beside ../shared`);
  console.log(`# note: fixtures folder ${dir} not found; skipping fixture tests`);
  return null;
}

export const fixture = (dir, name) => readFileSync(join(dir, name), 'utf8');

/** Asserts that `fn` throws a GraphIvrError with `code` (and `path`, when given). */
export function assertRefused(fn, code, path, messagePart) {
  let thrown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown, 'expected a throw');
  assert.ok(thrown instanceof Error, `a real Error, got ${typeof thrown}: ${thrown}`);
  assert.equal(thrown.name, 'GraphIvrError');
  assert.equal(thrown.code, code, thrown.message);
  if (path !== undefined) assert.equal(thrown.path, path, thrown.message);
  if (messagePart !== undefined) assert.match(thrown.message, messagePart);
  return thrown;
}

/** `code@path` of each issue of a report, errors and warnings apart. */
export function summary(report) {
  const of = (severity) => report.issues.filter((i) => i.severity === severity).map((i) => `${i.code}@${i.path}`);
  return { valid: report.valid, errors: of('error'), warnings: of('warning') };
}

/** Runs `npx graph-ivr-emulator` with `args`: `{url, child}` once it listens, or `{code, err}`
 *  when it exits first (a bad argument). */
export function runEmulator(args) {
  const bin = join(root, 'pkg', 'bin', 'graph-ivr-emulator.cjs');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
      const match = /graph-ivr emulator: (\S+)\n/.exec(out);
      if (match) resolve({ url: match[1], child });
    });
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => resolve({ code, err }));
  });
}
