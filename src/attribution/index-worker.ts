/** Worker thread of the index build (index-store.ts): runs the tasks of index-tasks.ts it is sent. */
import { parentPort } from "node:worker_threads";
import { AttributionInputError } from "./corpus.js";
import { runIndexTask, type IndexTaskRequest } from "./index-tasks.js";

parentPort!.on("message", (req: IndexTaskRequest) => {
  runIndexTask(req).then(
    (reply) => {
      const transfer =
        "ids" in reply ? [reply.ids.buffer as ArrayBuffer, reply.docLengths.buffer as ArrayBuffer] : [];
      parentPort!.postMessage(reply, transfer);
    },
    (error: unknown) =>
      parentPort!.postMessage({
        id: req.id,
        error: error instanceof Error ? error.message : String(error),
        inputError: error instanceof AttributionInputError,
      }),
  );
});
