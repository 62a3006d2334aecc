import type { CallResource, CommsNotification, CommsOperation, ToneInfo } from './graph_ivr.js';


/** What every graph-ivr function throws for bad arguments or a bad state. */
export declare class GraphIvrError extends Error {
  constructor(code: GraphIvrErrorCode, message: string, path?: string, hint?: string);
  name: 'GraphIvrError';
  /** Stable: branch on it, not on the message. */
  code: GraphIvrErrorCode;
  /** JSON Pointer to the refused option (for 'invalidArgument'). */
  path?: string;
  /** A likely fix for the refusal (`did you mean "audience"?`), also said in the message. */
  hint?: string;
}
export type GraphIvrErrorCode = 'invalidArgument' | 'invalidState' | 'deliveryFailed';

// The generated classes have `[Symbol.dispose]()` (`using sim = new CallSimulator()`); this
// declares the symbol for projects whose `lib` predates esnext.disposable, as @types/node does.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A notification about a media operation. */
export type OperationNotification = CommsNotification & { resourceData: CommsOperation };
/** A notification about the call itself: its state, a hang-up, a tone. */
export type CallNotification = CommsNotification & { resourceData: CallResource };
/** A DTMF tone the caller pressed (after subscribeToTone). */
export type ToneNotification = CommsNotification & { resourceData: CallResource & { toneInfo: ToneInfo } };
/** Whether `x` is a commsOperation (any of the four subtypes, or the base type). Meant for a
 *  validated `value`, where `@odata.type` is always written. */
export declare function isOperation(x: unknown): x is CommsOperation;
export declare function isOperationNotification(n: CommsNotification): n is OperationNotification;
export declare function isCallNotification(n: CommsNotification): n is CallNotification;
/** `n.resourceData.toneInfo` is there. */
export declare function isToneNotification(n: CommsNotification): n is ToneNotification;
