// Where the docs' contract lies: `$GRAPH_IVR_FIXTURES` (its fixtures folder), else
// `../shared/contract/fixtures` beside the checkout. Every script and JS test finds it here,
// as tests/common/mod.rs does for the Rust tests (tests/js/contract-location.test.mjs holds both to it).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The fixtures folder (it may not exist: callers decide what that means). */
export const fixturesPath = () => process.env.GRAPH_IVR_FIXTURES ?? join(root, '..', 'shared', 'contract', 'fixtures');

/** The contract folder: the fixtures folder's parent (it holds lifecycle/ and the docs). */
export const contractPath = () => dirname(fixturesPath());
