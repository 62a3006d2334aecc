import { validateNotifications, classifyResult } from 'graph-ivr';

// What arrived at the bot's callback, as live traffic sends it (legacy `resource`, PascalCase).
const body = JSON.stringify({
  value: [{
    changeType: 'Deleted',
    resource: '/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5',
    resourceData: {
      '@odata.type': '#microsoft.graph.recordOperation',
      status: 'failed',
      resultInfo: { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' },
    },
  }],
});

for (const mode of ['strict', 'tolerant']) {
  const report = validateNotifications(body, { mode });
  console.log(`${mode}: valid=${report.valid}`);
  for (const issue of report.issues) console.log(`  ${issue.severity} ${issue.code} at ${issue.path}`);
}
const { value } = validateNotifications(body, { mode: 'tolerant' });
const op = value.value[0].resourceData;
console.log(value.value[0].resourceUrl, classifyResult(op.resultInfo));
