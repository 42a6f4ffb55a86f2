/**
 * The site's whole "framework": `h()` builds DOM elements, `badge()` and `banner()` show verification states.
 * Three read-only pages that render once per query need no reactivity, virtual DOM or component model; plain
 * DOM keeps the bundle to ethers and the SDK, and keeps every state's markup easy to read in one place.
 */

type Child = Node | string | number | bigint | null | undefined | false | Child[];
type Attributes = Record<string, string | number | boolean | EventListener | undefined | null>;

/** `h("p", { class: "note" }, "text", h("b", {}, "bold"))`: attributes starting with `on` are listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** What a check found: each state has its colour and words, the same on every page. */
export type State = "verified" | "tampered" | "notfound" | "recalled" | "disputed" | "nodedown" | "warning" | "info";

const SYMBOL: Record<State, string> = {
  verified: "✓",
  tampered: "✗",
  notfound: "?",
  recalled: "⚠",
  disputed: "⚠",
  nodedown: "⨯",
  warning: "⚠",
  info: "ℹ",
};

/** A small inline verdict: `✓ verified`. */
export function badge(state: State, text: string): HTMLSpanElement {
  return h("span", { class: `badge ${state}`, "data-state": state }, `${SYMBOL[state]} ${text}`);
}

/** A page-wide verdict with a title and details. */
export function banner(state: State, title: string, ...details: Child[]): HTMLDivElement {
  return h(
    "div",
    { class: `banner ${state}`, role: state === "verified" || state === "info" ? "status" : "alert", "data-state": state },
    h("div", { class: "banner-title" }, `${SYMBOL[state]} ${title}`),
    details.length > 0 ? h("div", { class: "banner-details" }, ...details) : null,
  );
}

/** A two-column list of facts. */
export function facts(rows: [string, Child][]): HTMLDListElement {
  return h("dl", { class: "facts" }, ...rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

/** A table with a header row. */
export function table(header: string[], rows: Child[][], className = ""): HTMLTableElement {
  return h(
    "table",
    { class: className },
    h("thead", {}, h("tr", {}, ...header.map((cell) => h("th", {}, cell)))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((cell) => h("td", {}, cell))))),
  );
}

/** A 32-byte hash or an address, shortened for reading, whole in the tooltip and when copied. */
export function hash(value: string): HTMLElement {
  const text = value.length > 20 ? `${value.slice(0, 10)}…${value.slice(-6)}` : value;
  return h("code", { class: "hash", title: value }, text);
}

/** A date and time in UTC from seconds since the epoch. */
export function when(seconds: number | bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** Replaces the content of `container`. */
export function show(container: Element, ...children: Child[]): void {
  container.replaceChildren();
  append(container, children);
}
