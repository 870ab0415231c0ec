/** Help texts of the options several task groups take, worded once. */

export const MODEL_ID = "Model id (required)";
export const EPOCH = "Epoch (required)";
/** A (model, epoch) pair, in that --help order. */
export const MODEL_EPOCH = { model: MODEL_ID, epoch: EPOCH };
/** An account that defaults to the signer. */
export const ACCOUNT = "Address or account index (default: --from)";
/** An amount of OPEN that must be given. */
export const AMOUNT = "Amount of OPEN, e.g. 100 or 2.5 (required)";
