// The simulator workload both bench scripts time: one call of the README's IVR (tone
// subscription, prompts, a record stopped by a tone, a cancel) per seed, through the JS API.

/** Runs `calls` simulated calls on the package `ivr`; returns how many notifications they
 *  produced (their values pushed to `collect` when given). */
export function traffic(ivr, calls, collect) {
  let count = 0;
  for (let seed = 0; seed < calls; seed++) {
    const call = new ivr.CallSimulator({ seed });
    const callId = call.callId;
    const take = (ds) => {
      count += ds.length;
      if (collect) collect.push(...ds.map((d) => d.value));
    };
    call.handle(ivr.buildSubscribeToTone({ callId }));
    call.handle(ivr.buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/a.wav'] }));
    call.handle(ivr.buildRecordResponse({ callId, stopTones: ['#'] }));
    call.handle(ivr.buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/b.wav'] }));
    take(call.advance(4000));
    take(call.pressTone('3'));
    take(call.startSpeaking());
    take(call.advance(1000));
    take(call.pressTone('#'));
    call.handle(ivr.buildRecordResponse({ callId }));
    call.handle(ivr.buildPlayPrompt({ callId, prompts: ['https://cdn.contoso.com/c.wav'] }));
    call.handle(ivr.buildCancelMediaProcessing({ callId }));
    take(call.advance(0));
    take(call.pressTone('9'));
    take(call.hangUp());
    call.free();
  }
  return count;
}
