import { flag, withDefault, type TaskGroupSpec } from "../../src/cli/options.js";

/** The `settlement` task group: the watchtower over pending settlement roots. */
export const settlement: TaskGroupSpec = {
  description:
    "Settlement roots: watch the pending ones and dispute any that underpays, omits or over-allocates an account",
  tasks: [
    {
      name: "watch",
      description:
        "Watchtower: follow posted settlement roots, recompute each pending one from public data, and dispute a provably wrong one inside its window (SettlementDisputes; you earn the slash's challenger reward)",
      options: {
        once: flag("Check once and exit (exit code 1 when a wrong root is left undisputed)"),
        interval: withDefault("Seconds between checks when watching", "15"),
        dryRun: flag("Report what would be disputed; send nothing"),
        dump: "Settlement dumps to read instead of the URIs posted on chain, as id=path[,id=path]",
      },
    },
  ],
};
