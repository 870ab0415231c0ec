import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** 1,000,000,000 OPEN with 18 decimals. */
export const DEFAULT_SUPPLY = 1_000_000_000n * 10n ** 18n;

/**
 * Deploys the OPEN token. Parameters (per-network file in deploy/parameters/):
 * `name` ("OpenLedger"), `symbol` ("OPEN"), `supply` (1e9 OPEN) and `supplyRecipient`
 * (default: the deploying account).
 */
export default buildModule("OpenToken", (m) => {
  const name = m.getParameter("name", "OpenLedger");
  const symbol = m.getParameter("symbol", "OPEN");
  const supply = m.getParameter("supply", DEFAULT_SUPPLY);
  const supplyRecipient = m.getParameter("supplyRecipient", m.getAccount(0));
  const token = m.contract("OpenToken", [name, symbol, supplyRecipient, supply]);
  return { token };
});
