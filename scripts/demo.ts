/**
 * The main job (for now): deploy OPEN through Ignition and print its address and supply.
 * Run: `npm run demo` (in-process chain) or `npm run demo -- --network localhost`.
 */
import { network } from "hardhat";
import OpenTokenModule from "../deploy/modules/OpenToken.js";

const connection = await network.getOrCreate();
const { ethers, ignition } = connection;
const { token } = await ignition.deploy(OpenTokenModule);
const { chainId } = await ethers.provider.getNetwork();
const [deployer] = await ethers.getSigners();
const supply = await token.totalSupply();
const symbol = await token.symbol();

console.log(`network:   ${connection.networkName} (chain id ${chainId})`);
console.log(`OPEN:      ${await token.getAddress()}`);
console.log(`supply:    ${ethers.formatEther(supply)} ${symbol}`);
console.log(
  `recipient: ${deployer.address} holds ${ethers.formatEther(await token.balanceOf(deployer.address))} ${symbol}`,
);
