
/** What every graph-ivr function throws for bad arguments or a bad state. */
export declare class GraphIvrError extends Error {
  constructor(code: GraphIvrErrorCode, message: string, path?: string);
  name: 'GraphIvrError';
  /** Stable: branch on it, not on the message. */
  code: GraphIvrErrorCode;
  /** JSON Pointer to the refused option (for 'invalidArgument'). */
  path?: string;
}
export type GraphIvrErrorCode = 'invalidArgument' | 'invalidState' | 'deliveryFailed';

// The generated classes have `[Symbol.dispose]()` (`using sim = new CallSimulator()`); this
// declares the symbol for projects whose `lib` predates esnext.disposable, as @types/node does.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
