import type { TaskGroupSpec } from "../../src/cli/options.js";

/** The `guardian` task group: the emergency pause of the money contracts. */
export const guardian: TaskGroupSpec = {
  description: "Emergency pause: status of both money contracts, pause (guardian) or unpause (governance)",
  tasks: [
    {
      name: "status",
      description: "Show whether payments and commitments are paused, and until when",
    },
    {
      name: "pause",
      description:
        "Pause new payments and commitments for 7 days (GUARDIAN_ROLE); claims and withdrawals go on",
      options: { contract: "distributor, attribution or both (default: both)" },
    },
    {
      name: "unpause",
      description:
        "Lift the pause before it ends by itself (GOVERNANCE_ROLE: the deployer on a local network; in production a governance proposal)",
      options: { contract: "distributor, attribution or both (default: both paused ones)" },
    },
  ],
};
