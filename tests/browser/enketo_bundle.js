// The ODK web engine for the browser tests: enketo-transformer's browser build (it transforms
// with the browser's own XSLT) and enketo-core, bundled into one script with the pinned esbuild,
// beside a blank page that loads it. Returns the page's path.
"use strict";
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

async function bundle(work) {
  await esbuild.build({
    stdin: {
      contents: "import { transform } from 'enketo-transformer/web';" +
        " import { Form, FormModel } from 'enketo-core'; window.Enketo = { transform, Form, FormModel };",
      resolveDir: path.join(__dirname, "..", ".."),
      loader: "js",
    },
    bundle: true,
    format: "iife",
    platform: "browser",
    // Only the Node build of the transformer reaches for libxslt; the browser build never loads it.
    external: ["libxslt"],
    loader: { ".css": "empty", ".png": "empty", ".svg": "empty", ".gif": "empty" },
    outfile: path.join(work, "enketo.js"),
    logLevel: "error",
  });
  const html = path.join(work, "enketo.html");
  fs.writeFileSync(html, '<!doctype html><meta charset="utf-8"><div id="host"></div><script src="enketo.js"></script>');
  return html;
}

module.exports = { bundle };
