import "./style.css";
import { NodeDown, WrongChain, connect, isNodeFailure } from "./chain.js";
import { ConfigError, loadConfig, loadDemo } from "./config.js";
import { banner, h, show } from "./dom.js";
import { billPage } from "./pages/bill.js";
import { evidencePage } from "./pages/evidence.js";
import { tracePage } from "./pages/trace.js";
import { currentRoute, type Page } from "./router.js";

const main = document.querySelector("main")!;
const nav = document.querySelector("nav")!;

/** Every failure a page meets ends here: a node that does not answer, a wrong chain, or a bug shown as such. */
async function failure(error: unknown, where?: Element): Promise<void> {
  const result = where ?? main.querySelector(".result") ?? main;
  if (error instanceof WrongChain) {
    show(result, banner("nodedown", "Wrong chain", error.message, ". The site's configuration and the node do not belong together."));
  } else if (isNodeFailure(error)) {
    const url = error instanceof NodeDown ? error.url : (await loadConfig().catch(() => undefined))?.rpcUrl ?? "?";
    const reason = error instanceof NodeDown ? error.reason : (error as Error).message;
    show(result, banner("nodedown", "The node is not answering", `The node at ${url} does not answer (${reason}). Nothing can be checked until it is back: try again later, or ask its operator.`));
  } else if (error instanceof ConfigError) {
    show(result, banner("nodedown", "Not configured", error.message));
  } else {
    console.error(error);
    show(result, banner("warning", "The check could not finish", String((error as Error)?.message ?? error)));
  }
}

async function home(): Promise<void> {
  const demo = await loadDemo();
  show(
    main,
    h("h1", {}, "Check it yourself"),
    h("p", { class: "lead" }, "This site reads a trustbase chain directly, in your browser, and checks what it shows against the hashes the contracts keep. Nothing to install, nothing uploaded."),
    h(
      "ul",
      { class: "cards" },
      h("li", {}, h("a", { href: "#/trace" }, h("strong", {}, "Trace a product")), h("p", {}, "Scan or type the GS1 Digital Link on the pack: its journey, its sensor data, and whether it was recalled.")),
      h("li", {}, h("a", { href: "#/evidence" }, h("strong", {}, "Check evidence")), h("p", {}, "Drop a document or a proof bundle: when it was anchored, who witnessed it, who handled it.")),
      h("li", {}, h("a", { href: "#/bill" }, h("strong", {}, "Check a bill of lading")), h("p", {}, "Legs, parties, pledge and the verified history of an electronic bill of lading.")),
    ),
    demo === undefined
      ? null
      : h(
          "section",
          { class: "examples" },
          h("h2", {}, "Demo data on this node"),
          h(
            "ul",
            {},
            h("li", {}, h("a", { href: `#/trace?link=${encodeURIComponent(demo.trace.verified)}` }, "A rice lot with its journey and sensor proofs")),
            h("li", {}, h("a", { href: `#/trace?link=${encodeURIComponent(demo.trace.recalled)}` }, "A recalled rice lot")),
            h("li", {}, h("a", { href: `#/bill?id=${demo.bill.id}` }, `A bill of lading: ${demo.bill.description}`)),
            h("li", {}, "Documents to drop on the evidence page: ", h("a", { href: demo.evidence.file, download: "" }, "loan contract"), ", ", h("a", { href: demo.evidence.disputedFile, download: "" }, "a disputed delivery note"), ", ", h("a", { href: demo.evidence.bundle, download: "" }, "a proof bundle"), ", ", h("a", { href: demo.evidence.alteredBundle, download: "" }, "an altered proof bundle")),
          ),
        ),
  );
}

const pages: Record<Exclude<Page, "home">, typeof tracePage> = { trace: tracePage, evidence: evidencePage, bill: billPage };

function render(): void {
  const { page, params } = currentRoute();
  for (const link of nav.querySelectorAll("a")) link.toggleAttribute("aria-current", link.getAttribute("href") === `#/${page === "home" ? "" : page}`);
  document.title = `${page === "home" ? "trustbase" : `${page[0].toUpperCase()}${page.slice(1)}`} · verify`;
  if (page === "home") {
    home().catch((error) => failure(error));
    return;
  }
  pages[page](params, main, connect, failure);
}

window.addEventListener("hashchange", render);
render();
