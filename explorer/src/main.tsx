/**
 * The explorer: every contribution, model, payment and claim of the suite, from the indexer's API
 * and the chain. Each page is a shareable URL; the router below reads `location.pathname`.
 */
import { render, type ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { boot } from "./api.js";
import { Failure, Loading } from "./format.js";
import { AccountPage, SearchPage, TxPage } from "./pages/account.js";
import { BooksPage, Overview } from "./pages/books.js";
import { ContributionPage, DatanetPage } from "./pages/datanet.js";
import { EpochPage, ModelPage } from "./pages/model.js";
import { SettlementPage, SettlementsPage } from "./pages/settlements.js";
import { StakingPage } from "./pages/staking.js";
import { WalletBadge } from "./wallet.js";
import "./style.css";

type Route = [RegExp, (m: RegExpExecArray, go: (path: string) => void) => ComponentChildren];

const ROUTES: Route[] = [
  [/^\/$/, () => <Overview />],
  [/^\/books$/, () => <BooksPage />],
  [/^\/staking$/, () => <StakingPage />],
  [/^\/settlements$/, () => <SettlementsPage />],
  [/^\/settlements\/(\d+)$/, (m) => <SettlementPage id={m[1]} />],
  [/^\/datanets\/(\d+)$/, (m) => <DatanetPage id={m[1]} />],
  [/^\/contributions\/(0x[0-9a-fA-F]{64})$/, (m) => <ContributionPage id={m[1]} />],
  [/^\/models\/(\d+)$/, (m) => <ModelPage id={m[1]} />],
  [/^\/models\/(\d+)\/epochs\/(\d+)$/, (m) => <EpochPage id={m[1]} epoch={m[2]} />],
  [/^\/accounts\/(0x[0-9a-fA-F]{40})$/, (m) => <AccountPage address={m[1]} />],
  [/^\/tx\/(0x[0-9a-fA-F]{64})$/, (m) => <TxPage hash={m[1]} />],
];

function go(path: string) {
  window.history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
  window.scrollTo(0, 0);
}

function usePath() {
  const [path, setPath] = useState(window.location.pathname + window.location.search);
  useEffect(() => {
    const update = () => setPath(window.location.pathname + window.location.search);
    window.addEventListener("popstate", update);
    // Links inside the app change the page without a reload; others (external, new tab) are left alone.
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a");
      if (!a || a.target || a.origin !== window.location.origin) return;
      e.preventDefault();
      go(a.pathname + a.search);
    };
    document.addEventListener("click", click);
    return () => {
      window.removeEventListener("popstate", update);
      document.removeEventListener("click", click);
    };
  }, []);
  return path;
}

function SearchBox() {
  const [q, setQ] = useState("");
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) go(`/search?q=${encodeURIComponent(q.trim())}`);
      }}
    >
      <input
        name="q"
        type="search"
        placeholder="address, model or datanet id, content hash, tx hash"
        value={q}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        aria-label="search"
      />
      <button type="submit">Search</button>
    </form>
  );
}

function Page({ path }: { path: string }) {
  const url = new URL(path, window.location.origin);
  if (url.pathname === "/search")
    return <SearchPage key={url.search} q={url.searchParams.get("q") ?? ""} go={go} />;
  for (const [pattern, view] of ROUTES) {
    const m = pattern.exec(url.pathname);
    if (m) return <>{view(m, go)}</>;
  }
  return <Failure error={`no page at ${url.pathname}: see the overview`} />;
}

function App() {
  const path = usePath();
  const [ready, setReady] = useState<{ error?: string; ok?: boolean }>({});
  useEffect(() => {
    boot().then(
      () => setReady({ ok: true }),
      (error: unknown) => setReady({ error: (error as Error).message }),
    );
  }, []);
  return (
    <>
      <header>
        <a class="brand" href="/">
          OpenLedger explorer
        </a>
        <nav>
          <a href="/">Overview</a> <a href="/books">Books</a> <a href="/staking">Staking</a>{" "}
          <a href="/settlements">Settlements</a>
        </nav>
        <SearchBox />
        {ready.ok ? <WalletBadge /> : null}
      </header>
      <main>
        {ready.error ? (
          <Failure error={ready.error} />
        ) : ready.ok ? (
          <Page key={path} path={path} />
        ) : (
          <Loading />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
