/** Reading the inference outputs of one model and epoch: a JSONL file, one `{ id, text }` per line. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { AttributionInputError } from "./corpus.js";
import type { InferenceOutput } from "./span-index.js";

/** Parses one JSONL line (`where` names it in errors). */
export function parseOutputLine(line: string, where: string): InferenceOutput {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new AttributionInputError(
      `${where}: not valid JSON; each line must be {"id": "...", "text": "..."}`,
    );
  }
  const o = v as Partial<Record<"id" | "text", unknown>>;
  if (
    typeof v !== "object" ||
    v === null ||
    typeof o.text !== "string" ||
    (typeof o.id !== "string" && typeof o.id !== "number")
  ) {
    throw new AttributionInputError(`${where}: each line must be {"id": "...", "text": "..."}`);
  }
  return { id: String(o.id), text: o.text };
}

/** Streams the outputs of a JSONL file line by line (blank lines are skipped). */
export async function* readOutputsJsonl(path: string): AsyncGenerator<InferenceOutput> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    yield parseOutputLine(line, `${path}:${n}`);
  }
}

/** Counts the non-blank lines of a file by streaming it (for the progress bar's total). */
export async function countJsonlLines(path: string): Promise<number> {
  let count = 0;
  let inLine = false;
  for await (const chunk of createReadStream(path)) {
    for (const byte of chunk as Buffer) {
      if (byte === 10) {
        if (inLine) count++;
        inLine = false;
      } else if (byte !== 13 && byte !== 32 && byte !== 9) inLine = true;
    }
  }
  return inLine ? count + 1 : count;
}
