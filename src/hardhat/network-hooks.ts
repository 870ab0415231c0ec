/** The `onRequest` network hook of `plugin.ts`: retries reads of `http` networks. */
import type { NetworkHooks } from "hardhat/types/hooks";
import type { NetworkConnection } from "hardhat/types/network";
import {
  isReadMethod,
  NodeUnreachableError,
  retryTransient,
  transientReason,
  type Endpoint,
} from "../sdk/transport/retry.js";

/** Hardhat's LimitExceededError: an HTTP 429 its provider gave up retrying. */
const rateLimited = (error: unknown) => (error as { code?: unknown } | null)?.code === -32005;

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/;

/** How to start a dev node on 127.0.0.1:8545 from the project folder (either works with the suite). */
export const START_LOCAL_NODE =
  "npx anvil, or ./node_modules/.bin/node ./node_modules/.bin/hardhat node --hostname 127.0.0.1";

/** Where the node is, for messages: the URL only when it is loopback (a remote URL may hold a key). */
async function endpointOf(connection: NetworkConnection<string>): Promise<Endpoint> {
  const config = connection.networkConfig;
  let url: string | undefined;
  if (config.type === "http") {
    try {
      url = await config.url.get();
    } catch {
      url = undefined;
    }
  }
  return endpointFor(connection.networkName, url);
}

/** How messages name the node of network `name` at `url`, and what they tell the user to do. */
export function endpointFor(name: string, url: string | undefined): Endpoint {
  const where = url !== undefined && LOOPBACK.test(url) ? url : `network "${name}"`;
  const hint =
    name === "localhost"
      ? `start it (${START_LOCAL_NODE}) or set LOCALHOST_RPC_URL`
      : `check that the node is up and network "${name}"'s url in hardhat.config.ts`;
  return { where, hint };
}

export default async (): Promise<Partial<NetworkHooks>> => {
  const endpoints = new WeakMap<object, Promise<Endpoint>>();
  return {
    async onRequest(context, networkConnection, jsonRpcRequest, next) {
      if (networkConnection.networkConfig.type !== "http" || !isReadMethod(jsonRpcRequest.method))
        return next(context, networkConnection, jsonRpcRequest);
      let endpoint = endpoints.get(networkConnection);
      if (endpoint === undefined) {
        endpoint = endpointOf(networkConnection as NetworkConnection<string>);
        endpoints.set(networkConnection, endpoint);
      }
      const resolved = await endpoint;
      try {
        return await retryTransient(() => next(context, networkConnection, jsonRpcRequest), {
          method: jsonRpcRequest.method,
          endpoint: resolved,
          // Hardhat's HTTP provider already retried an HTTP 429 (honouring Retry-After): not again.
          classify: (error) => (rateLimited(error) ? undefined : transientReason(error)),
        });
      } catch (error) {
        if (!rateLimited(error)) throw error;
        throw new NodeUnreachableError(resolved, jsonRpcRequest.method, 1, "rate limited (HTTP 429)", {
          cause: error,
          message: `node at ${resolved.where} kept answering HTTP 429 (rate limited) to ${jsonRpcRequest.method} after Hardhat's retries: wait, lower the request rate or use another RPC url`,
        });
      }
    },
  };
};
