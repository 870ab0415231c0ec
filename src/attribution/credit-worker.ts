/** Worker thread of {@link CreditPool}: matches the outputs it is sent against a shared index. */
import { parentPort, workerData } from "node:worker_threads";
import { creditRequest, indexFromParts, type CreditRequest, type SharedIndexParts } from "./shared-index.js";

const { parts, minSpan } = workerData as { parts: SharedIndexParts; minSpan: number };
const index = indexFromParts(parts);

parentPort!.on("message", (req: CreditRequest) => {
  try {
    const reply = creditRequest(index, minSpan, req);
    parentPort!.postMessage(reply, [reply.triples.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({
      id: req.id,
      triples: new Float64Array(0),
      spans: 0,
      matchedTokens: 0,
      outputs: 0,
      error: (error as Error).message,
    });
  }
});
