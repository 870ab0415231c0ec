/**
 * The wire format of the pay-per-inference protocol between a client app and a model server
 * (JSON; bigints as decimal strings), and the model server's HTTP front (node:http, loopback by
 * default) over a {@link UsageService}:
 * - `POST /infer {payer, prompt}` -> `{output, receipt, voucher}`: the voucher to sign covers every
 *   receipt so far (402 while the previous one is unvouched or the balance is short);
 * - `POST /voucher {voucher, signature}` -> `{accepted: true}`;
 * - `POST /redeem` -> `{vouchers, charged, txHash}` (when the server was given a redeemer);
 * - `GET /proof?payer=&output=` -> a receipt proof; `GET /status` -> the model, price and payers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getAddress } from "ethers";
import { receiptFromJson, receiptToJson, type ReceiptJson, type ReceiptProof } from "./receipts.js";
import { UsageService, UsageServiceError } from "./service.js";
import type { SignedVoucher, Voucher } from "./voucher.js";

/** JSON form of a voucher. */
export interface VoucherJson {
  payer: string;
  modelId: string;
  cumulativeUnits: string;
  maxPricePerUnit: string;
  usageRoot: string;
  expiry: string;
}

export function voucherToJson(v: Voucher): VoucherJson {
  return {
    payer: v.payer,
    modelId: v.modelId.toString(),
    cumulativeUnits: v.cumulativeUnits.toString(),
    maxPricePerUnit: v.maxPricePerUnit.toString(),
    usageRoot: v.usageRoot,
    expiry: v.expiry.toString(),
  };
}

/** Reads a voucher from JSON, with a one-line message naming the bad field. */
export function voucherFromJson(j: unknown, where = "voucher"): Voucher {
  const o = (typeof j === "object" && j !== null ? j : {}) as Record<string, unknown>;
  const int = (k: string) => {
    if (typeof o[k] !== "string" || !/^[0-9]+$/.test(o[k] as string))
      throw new Error(`${where}.${k} must be a decimal string`);
    return BigInt(o[k] as string);
  };
  if (typeof o.usageRoot !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(o.usageRoot))
    throw new Error(`${where}.usageRoot must be 32 bytes of hex (0x + 64 digits)`);
  let payer: string;
  try {
    payer = getAddress(String(o.payer));
  } catch {
    throw new Error(`${where}.payer must be an address`);
  }
  return {
    payer,
    modelId: int("modelId"),
    cumulativeUnits: int("cumulativeUnits"),
    maxPricePerUnit: int("maxPricePerUnit"),
    usageRoot: o.usageRoot,
    expiry: int("expiry"),
  };
}

/** The answer to `POST /infer`. */
export interface InferResponse {
  output: string;
  receipt: ReceiptJson;
  voucher: VoucherJson;
}

/** JSON form of a receipt proof. */
export interface ReceiptProofJson {
  receipt: ReceiptJson;
  usageRoot: string;
  proof: string[];
}

export function proofFromJson(j: ReceiptProofJson): ReceiptProof {
  return { receipt: receiptFromJson(j.receipt), usageRoot: j.usageRoot, proof: j.proof };
}

/** Redeems vouchers on chain; returns the OPEN charged and the transaction hash. */
export type Redeemer = (vouchers: SignedVoucher[]) => Promise<{ charged: bigint; txHash: string }>;

/** Options of {@link startModelServer}. */
export interface ModelServerOptions {
  service: UsageService;
  /** Current price (for GET /status). */
  pricePerUnit(): Promise<bigint>;
  redeem?: Redeemer;
  port: number;
  /** Default 127.0.0.1; the server is meant for loopback unless put behind a proxy. */
  host?: string;
  /** Largest request body in bytes (default 64 KiB). */
  maxBody?: number;
}

/** A running model server. */
export interface RunningModelServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts the model server's HTTP front; resolves once it listens. */
export async function startModelServer(opts: ModelServerOptions): Promise<RunningModelServer> {
  const host = opts.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((error: unknown) => {
      const status = error instanceof UsageServiceError ? error.status : 500;
      send(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(opts: ModelServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = `${req.method} ${url.pathname}`;
  const service = opts.service;
  switch (route) {
    case "POST /infer": {
      const body = await readJson(req, opts.maxBody);
      const served = await service.serve(body.payer as string, body.prompt as string);
      const answer: InferResponse = {
        output: served.output,
        receipt: receiptToJson(served.receipt),
        voucher: voucherToJson(served.voucher),
      };
      return send(res, 200, answer);
    }
    case "POST /voucher": {
      const body = await readJson(req, opts.maxBody);
      let voucher: Voucher;
      try {
        voucher = voucherFromJson(body.voucher);
      } catch (error) {
        throw new UsageServiceError(400, (error as Error).message);
      }
      if (typeof body.signature !== "string")
        throw new UsageServiceError(400, "signature must be a 0x hex string");
      await service.acceptVoucher({ voucher, signature: body.signature });
      return send(res, 200, { accepted: true });
    }
    case "POST /redeem": {
      if (!opts.redeem) throw new UsageServiceError(404, "this server was started without a redeemer");
      const vouchers = service.toRedeem();
      if (vouchers.length === 0) return send(res, 200, { vouchers: 0, charged: "0", txHash: null });
      const { charged, txHash } = await opts.redeem(vouchers);
      service.markRedeemed(vouchers);
      return send(res, 200, { vouchers: vouchers.length, charged: charged.toString(), txHash });
    }
    case "GET /proof": {
      const p = service.proveOutput(
        url.searchParams.get("payer") ?? "",
        url.searchParams.get("output") ?? "",
      );
      const out: ReceiptProofJson = {
        receipt: receiptToJson(p.receipt),
        usageRoot: p.usageRoot,
        proof: p.proof,
      };
      return send(res, 200, out);
    }
    case "GET /status":
      return send(res, 200, {
        modelId: service.modelId.toString(),
        chainId: service.domain.chainId.toString(),
        escrow: service.domain.escrow,
        pricePerUnit: (await opts.pricePerUnit()).toString(),
        payers: service.status().map((p) => ({
          payer: p.payer,
          receipts: p.receipts,
          cumulativeUnits: p.cumulativeUnits.toString(),
          vouchedUnits: p.vouchedUnits.toString(),
        })),
      });
    default:
      throw new UsageServiceError(
        404,
        `no route ${route}: use POST /infer, POST /voucher, POST /redeem, GET /proof, GET /status`,
      );
  }
}

async function readJson(req: IncomingMessage, maxBody = 64 * 1024): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw new UsageServiceError(413, `the request body is above ${maxBody} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    const json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    if (typeof json === "object" && json !== null && !Array.isArray(json))
      return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new UsageServiceError(400, "the request body must be a JSON object");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
