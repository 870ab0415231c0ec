import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import SuiteModule from "./Suite.js";

/**
 * The suite on a dev chain (the demo, the tests, the bench, `npm run deploy -- --network
 * localhost`): the Suite module, then the deploying account, which holds the OPEN supply and is
 * the default attribution operator there, bonds the minimum in its own pool so that it can commit.
 * Not for production: there the operator bonds its own OPEN (`operator bond`) and the deployer
 * holds none.
 */
export default buildModule("Local", (m) => {
  const suite = m.useModule(SuiteModule);
  const { token, staking } = suite;
  const operator = m.getAccount(0);
  const bond = m.staticCall(staking, "minOperatorBond", [], 0, { id: "readMinOperatorBond" });
  const approve = m.call(token, "approve", [staking, bond], { id: "approveOperatorBond" });
  m.call(staking, "stake", [operator, bond], { id: "bondOperator", after: [approve] });
  return suite;
});
