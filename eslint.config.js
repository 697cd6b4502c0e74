// ESLint (the `recommended` rules) over the browser runtimes the build ships
// (themes/default/runtime/*.js, src/forms/runtime/*.js, src/search/runtime/*.js) and the Node scripts the tests run. `npx eslint .` runs it;
// scripts/test does, and any finding fails the run.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");
const fs = require("fs");
const path = require("path");

// form_seal.js is not a script of its own: the build puts it into form.js at this marker (see
// src/forms/interactive.rs), and there it is linted, in the scope it runs in. Findings in the rest
// of form.js are left to the lint of form.js itself.
const SEAL_SLOT = "/* form_seal.js */";
const sealPlaces = new Map();
const formSeal = {
  preprocess(text, filename) {
    const form = fs.readFileSync(path.join(path.dirname(filename), "form.js"), "utf8");
    const at = form.indexOf(SEAL_SLOT);
    const before = form.slice(0, at).split("\n");
    sealPlaces.set(filename, { line: before.length - 1, column: before[before.length - 1].length, lines: text.split("\n").length });
    return [form.slice(0, at) + text + form.slice(at + SEAL_SLOT.length)];
  },
  postprocess(messages, filename) {
    const { line, column, lines } = sealPlaces.get(filename);
    const inside = (l) => l > line && l <= line + lines;
    const place = (l, c) => (l === line + 1 ? [1, c - column] : [l - line, c]);
    return messages[0].filter((m) => inside(m.line)).map((m) => {
      const [l, c] = place(m.line, m.column);
      const moved = { ...m, line: l, column: c };
      if (m.endLine !== undefined) [moved.endLine, moved.endColumn] = place(m.endLine, m.endColumn);
      return moved;
    });
  },
};

const recommended = {
  ...js.configs.recommended.rules,
  // ES2018 has no `catch {}` without a binding, so an unused `catch (e)` is the only way to write it.
  "no-unused-vars": ["error", { caughtErrors: "none" }],
};

// Classic <script>s in ES2018: no modules, browser globals only.
const runtime = { ecmaVersion: 2018, sourceType: "script", globals: globals.browser };

module.exports = [
  { ignores: ["target/**", "node_modules/**", "tests/lint/**"] },
  {
    // tests/lint holds broken runtimes that show the lint fails (tests/lint.rs lints them).
    files: ["themes/**/*.js", "src/**/runtime/*.js", "tests/lint/**/*.js"],
    languageOptions: runtime,
    rules: {
      ...recommended,
      // The runtimes define the globals the others and the tests call (OberihExpr, OberihSeal...).
      "no-unused-vars": ["error", { caughtErrors: "none", varsIgnorePattern: "^Oberih" }],
    },
  },
  {
    // The build joins expr.js, seal.js and form.js into one script: form.js uses the other two.
    files: ["src/forms/runtime/form.js", "src/forms/runtime/form_seal.js"],
    languageOptions: { globals: { OberihExpr: "readonly", OberihSeal: "readonly" } },
  },
  {
    files: ["src/forms/runtime/form_seal.js"],
    processor: formSeal,
  },
  {
    // Word characters are matched with the zero-width joiner and non-joiner among them (IGNORABLE):
    // each is meant as a character of its own, never joined to its neighbour.
    files: ["src/search/runtime/analysis.js"],
    rules: { "no-misleading-character-class": "off" },
  },
  {
    // The offline copy's service worker runs in a worker, not a page.
    files: ["src/offline/runtime/sw.js"],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    // Node scripts; tests/browser also hands functions to the page (page.evaluate).
    files: ["tests/**/*.js", "eslint.config.js"],
    ignores: ["tests/lint/**"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
    rules: recommended,
  },
  {
    files: ["tests/browser/**/*.js"],
    languageOptions: { globals: { ...globals.node, ...globals.browser, OberihSeal: "readonly" } },
  },
];
