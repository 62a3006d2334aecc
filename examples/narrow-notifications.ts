import {
  validateNotifications,
  isToneNotification,
  isOperationNotification,
  isCallNotification,
  classifyResult,
} from 'graph-ivr';

/** What a bot's callback makes of one POST: every notification narrowed without a cast. */
export function onCallback(body: string | Uint8Array): string[] {
  const report = validateNotifications(body, { mode: 'tolerant' });
  if (!report.valid) return report.issues.map((issue) => `${issue.code} at ${issue.path}`);
  const seen: string[] = [];
  for (const n of report.value.value) {
    if (isToneNotification(n)) {
      const { toneInfo } = n.resourceData;
      seen.push(`tone ${toneInfo.tone} (sequenceId ${toneInfo.sequenceId})`);
    } else if (isOperationNotification(n)) {
      const op = n.resourceData;
      const outcome = op.resultInfo ? classifyResult(op.resultInfo) : op.status;
      if (op['@odata.type'] === '#microsoft.graph.recordOperation') {
        seen.push(`record ${outcome}: ${op.recordingLocation ?? 'no recording'}`);
      } else {
        seen.push(`${op['@odata.type']} ${outcome}`);
      }
    } else if (isCallNotification(n)) {
      seen.push(`call ${n.resourceData.state ?? n.changeType}`);
    }
  }
  return seen;
}
