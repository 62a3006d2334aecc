// The classic cases of the media queue, as scenarios (seeded steps the simulator replays): the
// demo's preset buttons and the <graph-ivr-call scenario="…"> element share them.

/** Steps: a builder's options (`play`, `record`, `subscribe`, `cancel`), a `keepalive`,
 *  `advance` ms, the caller's `tone`, `speak`, `quiet`, `hangup`. A preset may set Graph's
 *  `faults` (and the `seed` that draws them). */
export const PRESETS = {
  'Cancel during a record': {
    durations: { 'https://cdn.contoso.com/leave-message.wav': 2000, 'https://cdn.contoso.com/menu.wav': 4000 },
    steps: [
      { t: 'subscribe' },
      { t: 'record', options: { prompts: ['https://cdn.contoso.com/leave-message.wav'], maxRecordDurationInSeconds: 20, stopTones: ['#'], clientContext: 'voicemail' } },
      { t: 'play', options: { prompts: ['https://cdn.contoso.com/menu.wav'], clientContext: 'menu' } },
      { t: 'advance', ms: 3000 },
      { t: 'cancel' },
      { t: 'tone', key: '5' },
    ],
  },
  'Barge-in': {
    durations: { 'https://cdn.contoso.com/welcome.wav': 3000, 'https://cdn.contoso.com/menu.wav': 4000 },
    steps: [
      { t: 'play', options: { prompts: ['https://cdn.contoso.com/welcome.wav'], clientContext: 'welcome' } },
      { t: 'play', options: { prompts: ['https://cdn.contoso.com/menu.wav'], clientContext: 'menu' } },
      { t: 'advance', ms: 1000 },
      { t: 'record', options: { bargeInAllowed: true, playBeep: false, maxSilenceTimeoutInSeconds: 2, clientContext: 'barge-in' } },
      { t: 'speak' },
      { t: 'advance', ms: 2000 },
      { t: 'quiet' },
      { t: 'advance', ms: 2000 },
    ],
  },
  'Stop tone ends a record': {
    durations: { 'https://cdn.contoso.com/leave-message.wav': 2000 },
    steps: [
      { t: 'subscribe' },
      { t: 'record', options: { prompts: ['https://cdn.contoso.com/leave-message.wav'], stopTones: ['#'], maxRecordDurationInSeconds: 30, clientContext: 'voicemail' } },
      { t: 'advance', ms: 2500 },
      { t: 'speak' },
      { t: 'advance', ms: 3000 },
      { t: 'tone', key: '#' },
    ],
  },
  'Hang up with a record running': {
    durations: {},
    steps: [
      { t: 'record', options: { playBeep: false, maxRecordDurationInSeconds: 60, clientContext: 'voicemail' } },
      { t: 'advance', ms: 1500 },
      { t: 'speak' },
      { t: 'advance', ms: 2000 },
      { t: 'hangup' },
    ],
  },
  'Throttled cancel': {
    // Graph throttles a share of requests: this seed throttles the first cancel; the bot sends
    // it again once Retry-After (2 s) has passed, and the menu ends canceled then.
    seed: 29,
    faults: { throttle: { rate: 0.3, retryAfterSeconds: 2 } },
    durations: { 'https://cdn.contoso.com/menu.wav': 6000 },
    steps: [
      { t: 'subscribe' },
      { t: 'play', options: { prompts: ['https://cdn.contoso.com/menu.wav'], clientContext: 'menu' } },
      { t: 'advance', ms: 1500 },
      { t: 'cancel' },
      { t: 'advance', ms: 2000 },
      { t: 'cancel' },
    ],
  },
  'The call that ended silently': {
    // The caller hangs up and the call's `deleted` notification never comes (dropTerminated):
    // the bot learns it from keepAlive, which answers 404.
    faults: { dropTerminated: true },
    durations: { 'https://cdn.contoso.com/greeting.wav': 4000 },
    steps: [
      { t: 'play', options: { prompts: ['https://cdn.contoso.com/greeting.wav'], clientContext: 'greeting' } },
      { t: 'advance', ms: 1500 },
      { t: 'hangup' },
      { t: 'advance', ms: 1000 },
      { t: 'keepalive' },
    ],
  },
};

const dashed = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
/** `cancel-during-record` for 'Cancel during a record' (articles dropped). */
export const slug = (name) => dashed(name.replace(/\b(a|an|the)\b/gi, ' '));

/** A preset by its name, its slug, or its name dashed. */
export const preset = (key) => Object.entries(PRESETS).find(([name]) => [name, slug(name), dashed(name)].includes(key))?.[1];
