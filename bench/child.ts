/**
 * A benchmark in a child process (its own heap, so its peak RSS is its own): `tsx <args>`, stdout
 * read for the last line that is a JSON object, which the promise resolves with.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const tsx = join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "cli.mjs");

export function runChild(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; quietStderr?: boolean } = {},
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [tsx, ...args], {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: ["ignore", "pipe", options.quietStderr ? "ignore" : "inherit"],
    });
    let out = "";
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.on("error", reject);
    p.on("close", (code) => {
      const line = out
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith("{"));
      if (code !== 0 || !line) reject(new Error(`${args.join(" ")} exited ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}
