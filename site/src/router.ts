/** Hash routes: `#/trace?link=…`, `#/evidence`, `#/bill?id=…`; the page's query string stays for the config. */
export type Page = "home" | "trace" | "evidence" | "bill";

export function currentRoute(): { page: Page; params: URLSearchParams } {
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?", 2);
  const page = (["trace", "evidence", "bill"] as const).find((name) => name === path) ?? "home";
  return { page, params: new URLSearchParams(query) };
}

export function navigate(page: Page, params: Record<string, string> = {}): void {
  const query = new URLSearchParams(params).toString();
  const hash = `#/${page === "home" ? "" : page}${query === "" ? "" : `?${query}`}`;
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}
