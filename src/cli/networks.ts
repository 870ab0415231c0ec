/**
 * The http networks of hardhat.config.ts as data, readable without loading Hardhat: the config
 * builds its `networks` from this table, and the fast entry (bin/openledger.js) reads a url here
 * exactly as Hardhat would, or leaves the command to Hardhat.
 */

/** The url `localhost` takes when LOCALHOST_RPC_URL is not set. */
export const LOCALHOST_DEFAULT_URL = "http://127.0.0.1:8545";

/**
 * Where each http network's url comes from: `env` with a `fallback` (read when the config loads),
 * or a Hardhat configuration variable (`variable`: the environment first, else Hardhat's keystore).
 */
export const HTTP_NETWORK_URLS = {
  // Any standard JSON-RPC node on loopback (hardhat node, anvil); the port can be moved for tests.
  localhost: { env: "LOCALHOST_RPC_URL", fallback: LOCALHOST_DEFAULT_URL },
  testnet: { variable: "TESTNET_RPC_URL" },
} as const;

/** `localhost`'s url as the config reads it. */
export function localhostUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env[HTTP_NETWORK_URLS.localhost.env] || HTTP_NETWORK_URLS.localhost.fallback;
}

/**
 * The url of http network `name` as Hardhat would read it from `env`; undefined for a network
 * that is not an http one of the config, or whose url only Hardhat can read (a configuration
 * variable not set in the environment: Hardhat then asks its keystore).
 */
export function httpNetworkUrl(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (name === "localhost") return localhostUrl(env);
  if (name === "testnet") return env[HTTP_NETWORK_URLS.testnet.variable] || undefined;
  return undefined;
}
