// A JSON Schema of the same shapes validateNotifications checks (as far as JSON Schema can say
// them), for ajv with `discriminator` on @odata.type and `allErrors`: the validation baseline.
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
const odataType = (type) => ({ const: type });
const resultInfo = {
  type: 'object',
  required: ['code', 'subcode'],
  properties: { '@odata.type': odataType('#microsoft.graph.resultInfo'), code: int32, subcode: int32, message: { type: ['string', 'null'] } },
};
const nullable = (schema) => ({ anyOf: [{ type: 'null' }, schema] });
const operation = (type, extra = {}) => ({
  type: 'object',
  required: ['@odata.type', 'status'],
  properties: {
    '@odata.type': odataType(type),
    '@odata.id': { type: 'string' },
    '@odata.etag': { type: 'string' },
    id: { type: 'string' },
    clientContext: { type: ['string', 'null'], maxLength: 256 },
    status: { enum: ['notStarted', 'running', 'completed', 'failed'] },
    resultInfo: nullable(resultInfo),
    completionReason: { type: ['string', 'null'] },
    ...extra,
  },
});
const call = {
  type: 'object',
  required: ['@odata.type'],
  properties: {
    '@odata.type': odataType('#microsoft.graph.call'),
    id: { type: 'string' },
    state: { enum: ['incoming', 'establishing', 'ringing', 'established', 'hold', 'transferring', 'transferAccepted', 'redirecting', 'terminating', 'terminated', 'unknownFutureValue'] },
    resultInfo: nullable(resultInfo),
    toneInfo: nullable({
      type: 'object',
      required: ['sequenceId', 'tone'],
      properties: {
        '@odata.type': odataType('#microsoft.graph.toneInfo'),
        sequenceId: { type: 'integer' },
        tone: { enum: ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'] },
      },
    }),
  },
};
const recording = { recordingLocation: { type: ['string', 'null'] }, recordingAccessToken: { type: ['string', 'null'] } };

export const notificationsSchema = {
  type: 'object',
  required: ['@odata.type', 'value'],
  properties: {
    '@odata.type': odataType('#microsoft.graph.commsNotifications'),
    value: {
      type: 'array',
      items: {
        type: 'object',
        required: ['@odata.type', 'changeType', 'resourceUrl', 'resourceData'],
        properties: {
          '@odata.type': odataType('#microsoft.graph.commsNotification'),
          changeType: { enum: ['created', 'updated', 'deleted'] },
          resourceUrl: { type: 'string', pattern: '^/communications/calls/[^/]+' },
          resourceData: {
            type: 'object',
            discriminator: { propertyName: '@odata.type' },
            required: ['@odata.type'],
            oneOf: [
              operation('#microsoft.graph.playPromptOperation'),
              operation('#microsoft.graph.recordOperation', recording),
              operation('#microsoft.graph.cancelMediaProcessingOperation'),
              operation('#microsoft.graph.subscribeToToneOperation'),
              call,
            ],
          },
        },
      },
    },
  },
};
