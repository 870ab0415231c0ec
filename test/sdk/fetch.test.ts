/**
 * The network policy of the published-file reader (src/verifier/fetch.ts). The policy checks run
 * on URLs of public hosts without sending anything; every request goes to a server on 127.0.0.1.
 */
import { expect } from "chai";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { keccak256, toUtf8Bytes } from "ethers";
import {
  addressScope,
  checkFetchUrl,
  checkResolvedAddress,
  fetchBytes,
  FETCH_MAX_BYTES,
  policyFromEnv,
  UriRefusedError,
  type FetchPolicy,
} from "../../src/verifier/fetch.js";

const DEFAULT = policyFromEnv({});
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(UriRefusedError);
    return (error as Error).message;
  }
  expect.fail("expected a refusal");
};

describe("fetch policy (src/verifier/fetch.ts)", function () {
  describe("policyFromEnv", function () {
    it("should default to https anywhere public, http on loopback, 512 MiB, 30 s silence", function () {
      expect(DEFAULT).to.deep.include({ allowHttp: false, allowPrivate: false, maxBytes: FETCH_MAX_BYTES });
      expect(DEFAULT.timeoutMs).to.equal(30_000);
    });

    it("should read OPENLEDGER_ALLOW_HTTP, OPENLEDGER_ALLOW_PRIVATE and OPENLEDGER_FETCH_MAX_MB", function () {
      const p = policyFromEnv({
        OPENLEDGER_ALLOW_HTTP: "1",
        OPENLEDGER_ALLOW_PRIVATE: "true",
        OPENLEDGER_FETCH_MAX_MB: "2",
      });
      expect(p).to.deep.include({ allowHttp: true, allowPrivate: true, maxBytes: 2 * 1024 * 1024 });
      expect(policyFromEnv({ OPENLEDGER_FETCH_MAX_MB: "none" }).maxBytes).to.equal(FETCH_MAX_BYTES);
    });
  });

  describe("checkFetchUrl (sends nothing)", function () {
    it("should allow https to a public host name or address", function () {
      for (const uri of ["https://tables.example.org/m1-e0.json", "https://93.184.216.34/t.json"])
        expect(checkFetchUrl(uri, DEFAULT).href).to.equal(uri);
    });

    it("should refuse plain http to a public host and say how to allow it; allowHttp allows it", function () {
      const message = refusal(() => checkFetchUrl("http://tables.example.org/t.json", DEFAULT));
      expect(message).to.match(/host "tables\.example\.org" is not a loopback address/);
      expect(message).to.contain("OPENLEDGER_ALLOW_HTTP=1");
      expect(
        checkFetchUrl("http://tables.example.org/t.json", { ...DEFAULT, allowHttp: true }).host,
      ).to.equal("tables.example.org");
    });

    it("should allow plain http to loopback hosts, literal or named", function () {
      for (const uri of [
        "http://127.0.0.1:8642/files/x",
        "http://127.9.9.9/x",
        "http://localhost:1/x",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
      ])
        expect(() => checkFetchUrl(uri, DEFAULT), uri).not.to.throw();
    });

    it("should refuse private, link-local and unspecified addresses even over https; allowPrivate allows them", function () {
      for (const uri of [
        "https://10.0.0.5/t.json",
        "https://172.16.0.1/t.json",
        "https://192.168.1.10/t.json",
        "http://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/t.json",
        "https://0.0.0.0/t.json",
        "https://[fd00::1]/t.json",
        "https://[fe80::1]/t.json",
        "https://[::ffff:10.0.0.1]/t.json",
      ]) {
        expect(
          refusal(() => checkFetchUrl(uri, DEFAULT)),
          uri,
        ).to.contain("OPENLEDGER_ALLOW_PRIVATE=1");
        expect(
          () => checkFetchUrl(uri, { ...DEFAULT, allowPrivate: true, allowHttp: true }),
          uri,
        ).not.to.throw();
      }
    });

    it("should refuse a redirect from a public host to a loopback or private one, whatever the policy", function () {
      const from = new URL("https://tables.example.org/t.json");
      const open: FetchPolicy = { ...DEFAULT, allowHttp: true, allowPrivate: true };
      for (const to of ["http://127.0.0.1:8545/", "https://10.0.0.1/x", "http://localhost/x"])
        expect(
          refusal(() => checkFetchUrl(to, open, from)),
          to,
        ).to.contain("redirected to a");
      expect(() => checkFetchUrl("https://cdn.example.net/t.json", DEFAULT, from)).not.to.throw();
    });

    it("should refuse other schemes and malformed URLs, naming what is read", function () {
      expect(refusal(() => checkFetchUrl("ftp://example.org/t.json", DEFAULT))).to.contain("https gateway");
      expect(refusal(() => checkFetchUrl("http://", DEFAULT))).to.contain("not a valid URL");
    });
  });

  describe("checkResolvedAddress (DNS answers)", function () {
    it("should refuse a public name resolving to this machine or a private network", function () {
      for (const address of ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fd12::1"])
        expect(
          refusal(() => checkResolvedAddress("tables.example.org", address, DEFAULT)),
          address,
        ).to.contain(`resolves to ${address}`);
    });

    it("should accept public answers, localhost on loopback, and anything with allowPrivate", function () {
      expect(() => checkResolvedAddress("tables.example.org", "93.184.216.34", DEFAULT)).not.to.throw();
      expect(() => checkResolvedAddress("localhost", "127.0.0.1", DEFAULT)).not.to.throw();
      expect(() =>
        checkResolvedAddress("nas.lan.example", "192.168.1.2", { ...DEFAULT, allowPrivate: true }),
      ).not.to.throw();
    });

    it("addressScope: should classify loopback, private and public addresses", function () {
      expect(["127.0.0.1", "::1", "::ffff:127.0.0.2"].map(addressScope)).to.deep.equal([
        "loopback",
        "loopback",
        "loopback",
      ]);
      expect(["10.0.0.1", "172.31.255.255", "192.168.0.1", "fe80::1", "::"].map(addressScope)).to.deep.equal(
        Array(5).fill("private"),
      );
      expect(["172.32.0.1", "8.8.8.8", "2001:db8::1"].map(addressScope)).to.deep.equal(
        Array(3).fill("public"),
      );
    });
  });

  describe("fetchBytes over a loopback server", function () {
    let server: Server;
    let base: string;
    const body = "the published table";
    const routes: Record<string, (res: ServerResponse) => void> = {
      "/table.json": (res) => res.end(body),
      "/moved": (res) => res.writeHead(302, { location: "/table.json" }).end(),
      "/loop": (res) => res.writeHead(302, { location: "/loop" }).end(),
      "/big": (res) => res.writeHead(200, { "content-length": "2048" }).end(Buffer.alloc(2048)),
      "/big-chunked": (res) => {
        res.write(Buffer.alloc(700));
        res.end(Buffer.alloc(700));
      },
      "/silent": () => undefined,
      [`/files/${keccak256(toUtf8Bytes(body))}`]: (res) => res.end(body),
      [`/files/${keccak256(toUtf8Bytes("other"))}`]: (res) => res.end(body),
    };

    before(async function () {
      server = createServer((req, res) => {
        const route = routes[req.url ?? ""];
        if (route) route(res);
        else res.writeHead(404).end();
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async function () {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    });

    const text = async (path: string, policy: FetchPolicy = DEFAULT) =>
      new TextDecoder().decode(await fetchBytes(`${base}${path}`, undefined, policy));
    const failure = async (path: string, policy: FetchPolicy = DEFAULT): Promise<string> => {
      try {
        await fetchBytes(`${base}${path}`, undefined, policy);
      } catch (error) {
        return (error as Error).message;
      }
      return expect.fail(`${path} was read`);
    };

    it("should read a file, and the same through localhost", async function () {
      expect(await text("/table.json")).to.equal(body);
      const { port } = server.address() as AddressInfo;
      const viaName = await fetchBytes(`http://localhost:${port}/table.json`, undefined, DEFAULT).catch(
        (error: Error) => error,
      );
      // localhost may resolve to ::1 first where the server listens on 127.0.0.1 only: then the
      // connection is refused, but never by the policy.
      if (viaName instanceof Error) expect(viaName).not.to.be.instanceOf(UriRefusedError);
      else expect(new TextDecoder().decode(viaName)).to.equal(body);
    });

    it("should follow a redirect on loopback and stop after maxRedirects", async function () {
      expect(await text("/moved")).to.equal(body);
      expect(await failure("/loop", { ...DEFAULT, maxRedirects: 2 })).to.contain("more than 2 redirects");
    });

    it("should refuse a file over maxBytes, declared or streamed, saying how to raise the limit", async function () {
      const small = { ...DEFAULT, maxBytes: 1024 };
      expect(await failure("/big", small)).to.contain("OPENLEDGER_FETCH_MAX_MB");
      expect(await failure("/big-chunked", small)).to.contain("over the limit of 1024");
      expect((await fetchBytes(`${base}/big`, undefined, DEFAULT)).length).to.equal(2048);
    });

    it("should give up on a silent server after timeoutMs, saying how long it waited", async function () {
      expect(await failure("/silent", { ...DEFAULT, timeoutMs: 200 })).to.contain("no answer for 0.2 s");
    });

    it("should check a content-addressed URL's bytes against its name", async function () {
      expect(await text(`/files/${keccak256(toUtf8Bytes(body))}`)).to.equal(body);
      expect(await failure(`/files/${keccak256(toUtf8Bytes("other"))}`)).to.contain(
        "the published file was altered",
      );
    });

    it("should name the HTTP status of a missing file", async function () {
      expect(await failure("/missing.json")).to.match(/answered HTTP 404/);
    });
  });
});
