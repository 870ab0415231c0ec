/**
 * Gas floors: the least any implementation could spend on an operation, from the EVM gas
 * schedule (Cancun/Prague, EIP-2929 cold access, EIP-2028 calldata, EIP-2200/3529 SSTORE):
 * the 21,000 base, the transaction's calldata, the storage writes the operation cannot avoid,
 * and the log an indexer needs. Each floor carries its arithmetic so the report can show it.
 */

/** Schedule constants used below. */
export const GAS = {
  tx: 21_000,
  calldataZeroByte: 4,
  calldataNonZeroByte: 16,
  /** SSTORE zero -> non-zero of a cold slot: 20,000 + 2,100 cold access. */
  newSlot: 22_100,
  /** SSTORE non-zero -> non-zero of a cold slot: 2,900 + 2,100 cold access. */
  updateSlot: 5_000,
  /** Cold SLOAD. */
  coldRead: 2_100,
  /** First call into another contract (cold account). */
  coldCall: 2_600,
  log: 375,
  logTopic: 375,
  logDataByte: 8,
  /** keccak256 of 64 bytes: 30 + 6 * 2 words (one proof step). */
  hashPair: 42,
} as const;

/** One line of a floor's arithmetic. */
export interface FloorPart {
  what: string;
  gas: number;
}

/** A floor: its total and the parts it adds up. */
export interface Floor {
  gas: number;
  parts: FloorPart[];
  /** "21000 + 1234 (calldata) + ..." */
  arithmetic: string;
}

/** Calldata gas of a transaction's input (hex string). */
export function calldataGas(data: string): number {
  const hex = data.startsWith("0x") ? data.slice(2) : data;
  let gas = 0;
  for (let i = 0; i < hex.length; i += 2) {
    gas += hex.slice(i, i + 2) === "00" ? GAS.calldataZeroByte : GAS.calldataNonZeroByte;
  }
  return gas;
}

/** Gas of one LOG with `topics` topics (event signature included) and `dataBytes` of data. */
export function logGas(topics: number, dataBytes: number): number {
  return GAS.log + GAS.logTopic * topics + GAS.logDataByte * dataBytes;
}

/** ERC-20 transfer inside a call: cold token account, two balance updates, Transfer log. */
export function tokenTransferParts(receiverNew: boolean): FloorPart[] {
  return [
    { what: "cold call into the token", gas: GAS.coldCall },
    { what: "sender balance update", gas: GAS.updateSlot },
    {
      what: receiverNew ? "receiver balance new slot" : "receiver balance update",
      gas: receiverNew ? GAS.newSlot : GAS.updateSlot,
    },
    { what: "Transfer log (3 topics, 32 B)", gas: logGas(3, 32) },
  ];
}

/** Builds a floor from the transaction's calldata and the unavoidable parts. */
export function floor(txData: string, parts: FloorPart[]): Floor {
  const all: FloorPart[] = [
    { what: "transaction base", gas: GAS.tx },
    { what: "calldata", gas: calldataGas(txData) },
    ...parts,
  ];
  const gas = all.reduce((s, p) => s + p.gas, 0);
  return { gas, parts: all, arithmetic: all.map((p) => `${p.gas} (${p.what})`).join(" + ") + ` = ${gas}` };
}

/** Per-item floor of a batch: the item's share of the base and calldata plus its own parts. */
export function batchItemFloor(txData: string, items: number, perItemParts: FloorPart[]): Floor {
  const shared = Math.ceil((GAS.tx + calldataGas(txData)) / items);
  const all: FloorPart[] = [{ what: `(21000 + calldata) / ${items}`, gas: shared }, ...perItemParts];
  const gas = all.reduce((s, p) => s + p.gas, 0);
  return { gas, parts: all, arithmetic: all.map((p) => `${p.gas} (${p.what})`).join(" + ") + ` = ${gas}` };
}
