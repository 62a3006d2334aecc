// Memory of 10,000 live CallSimulators with 3 queued operations each (run with --expose-gc).
import * as ivr from 'graph-ivr';

const settle = () => {
  for (let i = 0; i < 3; i++) globalThis.gc();
};
const prompts = ['https://cdn.contoso.com/a.wav'];
// Warm the module (wasm memory grows in pages; measure the steady state).
new ivr.CallSimulator().free();
settle();
const before = process.memoryUsage().rss;
const calls = [];
for (let seed = 0; seed < 10_000; seed++) {
  const call = new ivr.CallSimulator({ seed });
  const callId = call.callId;
  call.handle(ivr.buildPlayPrompt({ callId, prompts }));
  call.handle(ivr.buildPlayPrompt({ callId, prompts }));
  call.handle(ivr.buildRecordResponse({ callId }));
  calls.push(call);
}
settle();
const after = process.memoryUsage().rss;
if (calls.some((c) => c.snapshot().queue.length !== 2)) throw new Error('expected a running operation and 2 queued');
console.log(JSON.stringify({ megabytes: (after - before) / 2 ** 20 }));
