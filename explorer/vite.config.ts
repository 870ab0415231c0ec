/**
 * The explorer's build (`npm run explorer:build`, or on demand by `npm run explorer`). A static
 * build for any web host reads where the indexer's API and the chain's JSON-RPC are from
 * OPENLEDGER_INDEXER_URL and OPENLEDGER_RPC_URL (default: /api and /rpc on the same origin, as
 * `npm run explorer` serves them), writes them to dist/config.json and puts a
 * Content-Security-Policy in index.html that allows connections to those two origins only.
 * Vite and Preact collect no telemetry; nothing here downloads anything.
 */
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const indexer = process.env.OPENLEDGER_INDEXER_URL ?? "/api";
const rpc = process.env.OPENLEDGER_RPC_URL ?? "/rpc";

const origin = (url: string) => {
  if (url.startsWith("/")) return undefined;
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new Error(`${url} is not an http(s) URL: set OPENLEDGER_INDEXER_URL / OPENLEDGER_RPC_URL to one`);
  return u.origin;
};

function deployment(): Plugin {
  const connect = ["'self'", ...new Set([origin(indexer), origin(rpc)].filter(Boolean))].join(" ");
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
  return {
    name: "openledger-explorer-deployment",
    transformIndexHtml: {
      order: "post",
      handler: (html, ctx) =>
        // The dev server injects inline scripts; the policy is for the built app.
        ctx.server
          ? html
          : html.replace(
              "<head>",
              `<head>\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`,
            ),
    },
    generateBundle: {
      order: "post",
      handler(_options, bundle) {
        this.emitFile({
          type: "asset",
          fileName: "config.json",
          source: JSON.stringify({ indexer, rpc }) + "\n",
        });
        // Hosts without rewrites (GitHub Pages and the like) serve 404.html for unknown paths: the
        // app's router then reads the URL, so every page stays a shareable link.
        const html = bundle["index.html"];
        if (html && html.type === "asset")
          this.emitFile({ type: "asset", fileName: "404.html", source: html.source });
      },
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  plugins: [deployment()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
});
