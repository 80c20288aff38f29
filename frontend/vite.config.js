// Builds the viewer into ../src/zhijian/static/viewer/ (served by Django as static files):
//   zhijian-viewer.js   the viewer, one ES module with its CSS inside (window.ZhijianViewer)
//   web-ifc.wasm        web-ifc's engine, loaded from the same directory (never a CDN)
//   index.html, dev.js  the standalone development and test page (?model=…&findings=…&lang=en)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const WASM = here("./node_modules/web-ifc/web-ifc.wasm");

// Copy web-ifc.wasm (single-threaded build) next to the viewer; in `vite` dev, serve it.
function webIfcWasm() {
  return {
    name: "zhijian-web-ifc-wasm",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "web-ifc.wasm", source: readFileSync(WASM) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url.split("?")[0].endsWith("/web-ifc.wasm")) return next();
        res.setHeader("Content-Type", "application/wasm");
        res.end(readFileSync(WASM));
      });
    },
  };
}

export default defineConfig({
  root: here("./"),
  base: "./",
  publicDir: false,
  plugins: [webIfcWasm()],
  build: {
    outDir: here("../src/zhijian/static/viewer"),
    emptyOutDir: true,
    assetsDir: "",
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { "zhijian-viewer": here("./src/viewer.js"), index: here("./index.html") },
      preserveEntrySignatures: "strict",
      output: {
        entryFileNames: "[name].js",
        chunkFileNames: "[name].js",
        assetFileNames: "[name][extname]",
      },
    },
  },
});
