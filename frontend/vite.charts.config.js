// Builds the dashboard charts into ../src/zhijian/static/charts/zhijian-charts.js (one ES module:
// ECharts' bar and line charts on canvas, nothing else of ECharts; served by Django as a static
// file, never from a CDN). Kept apart from the viewer's build so each empties only its own directory.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("./"),
  base: "./",
  publicDir: false,
  build: {
    outDir: here("../src/zhijian/static/charts"),
    emptyOutDir: true,
    assetsDir: "",
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024, // ECharts' bar and line charts are about 0.5 MB minified
    rollupOptions: {
      input: { "zhijian-charts": here("./src/charts.js") },
      preserveEntrySignatures: "strict",
      output: { entryFileNames: "[name].js", chunkFileNames: "[name].js", assetFileNames: "[name][extname]" },
    },
  },
});
