/**
 * The suite's events typed by TypeChain, and a fold over them by handler table. A reader (the
 * ledger, an indexer) states per contract and event name what to do with an event whose `args`
 * are TypeChain's decoded output object for that event; adding an event type is adding a handler.
 */
import type { TypedContractEvent } from "../../../typechain-types/common.js";
import type { Suite, SuiteContractName } from "../suite.js";
import type { SuiteEvent } from "./events.js";

type OutputOf<T> = T extends TypedContractEvent<infer _I, infer _O, infer O> ? O : never;

/** Event name -> TypeChain's decoded argument object, for one suite contract (signature keys left out). */
export type EventArgsOf<C extends SuiteContractName> = {
  [K in keyof Suite[C]["filters"] as K extends `${string}(${string}` ? never : K & string]: OutputOf<
    Suite[C]["filters"][K]
  >;
};

/** The event names of one suite contract. */
export type EventNameOf<C extends SuiteContractName> = keyof EventArgsOf<C> & string;

/** One event of contract `C` named `N`, its `args` typed by TypeChain. */
export interface TypedSuiteEvent<C extends SuiteContractName, N extends EventNameOf<C>> extends Omit<
  SuiteEvent,
  "contract" | "name" | "args"
> {
  contract: C;
  name: N;
  args: EventArgsOf<C>[N];
}

/** What to do with each event a reader cares about, by contract and event name; `S` is its state. */
export type EventHandlers<S> = {
  [C in SuiteContractName]?: { [N in EventNameOf<C>]?: (event: TypedSuiteEvent<C, N>, state: S) => void };
};

/**
 * Applies `handlers` to `events` in order and returns `state`. Events without a handler are skipped.
 * `readSuiteEvents` decodes every log with its contract's own ABI, so an event's `args` are the
 * object TypeChain describes for its (contract, name).
 */
export function foldEvents<S>(events: readonly SuiteEvent[], handlers: EventHandlers<S>, state: S): S {
  for (const e of events) {
    const byName = handlers[e.contract] as Record<
      string,
      ((event: SuiteEvent, state: S) => void) | undefined
    >;
    byName?.[e.name]?.(e, state);
  }
  return state;
}
