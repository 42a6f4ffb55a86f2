import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The verification site (site/): a static single page built by Vite, reading the chain from the browser. It
 * imports the SDK (../sdk) and the typed bindings (../typechain-types) from the repository, so the dev server
 * may read the whole repository. `base: "./"`: the built files work from any folder of any web server.
 */
const site = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig(({ command }) => ({
  root: site,
  base: "./",
  // public/ holds what `npm run site` writes for the dev server (config.json for its node, the demo data): a
  // build for a real deployment leaves it out; the deployer serves its own config.json next to index.html.
  publicDir: command === "build" ? false : "public",
  clearScreen: false,
  server: { host: "127.0.0.1", strictPort: true, fs: { allow: [path.resolve(site, "..")] } },
  preview: { host: "127.0.0.1", strictPort: true },
  build: {
    outDir: path.join(site, "dist"),
    emptyOutDir: true,
    target: "es2022",
    // ethers and three typed bindings (with their bytecode): one chunk of about 1 MB, 250 kB gzipped.
    chunkSizeWarningLimit: 1500,
  },
}));
