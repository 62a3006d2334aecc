import { createRequire } from 'node:module';
import Ajv from 'ajv';

const schema = createRequire(import.meta.url)('graph-ivr/schema/commsNotifications.schema.json');
const validate = new Ajv().compile(schema);
const payload = {
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [{
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'deleted',
    resourceUrl: '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5',
    resourceData: { '@odata.type': '#microsoft.graph.recordOperation', status: 'completed', recordingLocation: 'https://x.example/r' },
  }],
};
console.log(validate(payload));
payload.value[0].resourceData.status = 'done';
console.log(validate(payload), validate.errors.find((e) => e.keyword === 'enum')?.instancePath);
