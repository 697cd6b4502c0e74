// Runs the search client (src/search/runtime/*.js) in Node for tests/search_lang.rs.
//
//   node run_stems.js stems  CLIENT_DIR VECTORS_TOML [ANALYZER]
//                                                       analyse every vector
//   node run_stems.js query  CLIENT_DIR LANG_ROOT Q...   rank queries on a built index
//   node run_stems.js page   CLIENT_DIR LANG_ROOT Q      search page + header box
//   node run_stems.js mark   CLIENT_DIR TEXT HIGHLIGHT   ?highlight= marking in <main>
//   node run_stems.js waves  CLIENT_DIR LANG_ROOT Q      the first screen's records in waves
//
// CLIENT_DIR is src/search/runtime (the client's parts are joined as the build joins them).
//
// Each prints one JSON value. The script runs in a vm context with a small
// fake DOM: inserted <script src> elements are executed from disk (as a
// browser does from file://), and assigning innerHTML, outerHTML or calling
// insertAdjacentHTML/document.write throws, so any HTML built from strings
// fails the test.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [mode, clientDir, ...args] = process.argv.slice(2);
const { clientCode } = require("./vm_client");

function escapeText(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

class FakeNode {
  constructor(doc, nodeType, tagName, value) {
    this.doc = doc;
    this.nodeType = nodeType;
    this.tagName = tagName;
    this.nodeValue = value === undefined ? null : value;
    this.childNodes = [];
    this.parentNode = null;
    this.attrs = new Map();
    this.listeners = {};
    this.dataset = {};
    this.hidden = false;
    this.disabled = false;
  }
  get firstChild() {
    return this.childNodes[0] || null;
  }
  get nextSibling() {
    if (!this.parentNode) return null;
    const sibs = this.parentNode.childNodes;
    return sibs[sibs.indexOf(this) + 1] || null;
  }
  get id() {
    return this.getAttribute("id") || "";
  }
  set id(v) {
    this.setAttribute("id", v);
  }
  get className() {
    return this.getAttribute("class") || "";
  }
  set className(v) {
    this.setAttribute("class", v);
  }
  get form() {
    for (let n = this.parentNode; n; n = n.parentNode) if (n.tagName === "FORM") return n;
    return null;
  }
  get textContent() {
    if (this.nodeType === 3) return this.nodeValue;
    return this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(v) {
    this.childNodes.slice().forEach((c) => this.removeChild(c));
    this.appendChild(this.doc.createTextNode(String(v)));
  }
  set innerHTML(v) {
    throw new Error("innerHTML assigned: " + v);
  }
  set outerHTML(v) {
    throw new Error("outerHTML assigned: " + v);
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML called");
  }
  appendChild(c) {
    return this.insertBefore(c, null);
  }
  insertBefore(c, ref) {
    if (c.nodeType === 11) {
      c.childNodes.slice().forEach((x) => this.insertBefore(x, ref));
      return c;
    }
    if (c.parentNode) c.parentNode.removeChild(c);
    const i = ref ? this.childNodes.indexOf(ref) : this.childNodes.length;
    this.childNodes.splice(i, 0, c);
    c.parentNode = this;
    this.doc.inserted(c);
    return c;
  }
  removeChild(c) {
    const i = this.childNodes.indexOf(c);
    if (i < 0) throw new Error("removeChild: not a child");
    this.childNodes.splice(i, 1);
    c.parentNode = null;
    return c;
  }
  replaceChild(n, old) {
    this.insertBefore(n, old);
    this.removeChild(old);
    return old;
  }
  contains(n) {
    for (; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  setAttribute(k, v) {
    this.attrs.set(k, String(v));
  }
  getAttribute(k) {
    return this.attrs.has(k) ? this.attrs.get(k) : null;
  }
  removeAttribute(k) {
    this.attrs.delete(k);
  }
  addEventListener(type, f) {
    (this.listeners[type] = this.listeners[type] || []).push(f);
  }
  fire(type, props) {
    const ev = Object.assign({ type, defaultPrevented: false, target: this }, props);
    ev.preventDefault = () => {
      ev.defaultPrevented = true;
    };
    (this.listeners[type] || []).forEach((f) => f(ev));
    return ev;
  }
  html() {
    if (this.nodeType === 3) return escapeText(this.nodeValue);
    const inner = this.childNodes.map((c) => c.html()).join("");
    if (this.nodeType !== 1) return inner;
    let attrs = "";
    for (const [k, v] of this.attrs) attrs += ` ${k}="${escapeText(v).replace(/"/g, "&quot;")}"`;
    if (this.hidden) attrs += " hidden";
    const tag = this.tagName.toLowerCase();
    return `<${tag}${attrs}>${inner}</${tag}>`;
  }
}

class FakeDocument {
  constructor(ctx) {
    this.ctx = ctx;
    this.created = [];
    this.loaded = [];
    this.documentElement = new FakeNode(this, 1, "HTML");
    this.head = this.element("head");
    this.body = this.element("body");
    this.documentElement.appendChild(this.head);
    this.documentElement.appendChild(this.body);
  }
  element(tag, attrs, children) {
    const e = new FakeNode(this, 1, tag.toUpperCase());
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    (children || []).forEach((c) => e.appendChild(typeof c === "string" ? this.createTextNode(c) : c));
    return e;
  }
  createElement(tag) {
    this.created.push(tag.toLowerCase());
    return new FakeNode(this, 1, tag.toUpperCase());
  }
  createTextNode(text) {
    return new FakeNode(this, 3, "#text", String(text));
  }
  createDocumentFragment() {
    return new FakeNode(this, 11, "#fragment");
  }
  write() {
    throw new Error("document.write called");
  }
  find(pred) {
    const walk = (n) => {
      if (n.nodeType === 1 && pred(n)) return n;
      for (const c of n.childNodes) {
        const r = walk(c);
        if (r) return r;
      }
      return null;
    };
    return walk(this.documentElement);
  }
  getElementById(id) {
    return this.find((n) => n.id === id);
  }
  querySelector(sel) {
    if (!/^[a-z]+$/.test(sel)) throw new Error("fake querySelector supports tag names only: " + sel);
    return this.find((n) => n.tagName === sel.toUpperCase());
  }
  // A script element put into the document runs its file, as from file://.
  inserted(node) {
    if (node.tagName !== "SCRIPT" || !this.documentElement.contains(node)) return;
    const src = String(node.src || "").split("?")[0];
    this.loaded.push(src);
    setImmediate(() => {
      let code;
      try {
        code = fs.readFileSync(src, "utf8");
      } catch (e) {
        if (node.onerror) node.onerror(new Error("missing " + src));
        return;
      }
      vm.runInContext(code, this.ctx, { filename: src });
      if (node.onload) node.onload();
    });
  }
}

function makePage(langRoot, search, build) {
  const ctx = { console, setTimeout, clearTimeout, location: { search, href: "" } };
  vm.createContext(ctx);
  const doc = new FakeDocument(ctx);
  ctx.document = doc;
  doc.body.dataset.langRoot = langRoot;
  doc.body.dataset.lang = "uk";
  if (build) build(doc);
  vm.runInContext(clientCode(clientDir), ctx, { filename: "search client" });
  return { ctx, doc };
}

function until(cond, what) {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    (function poll() {
      if (cond()) return resolve();
      if (Date.now() - start > 5000) return reject(new Error("timed out waiting for " + what));
      setTimeout(poll, 5);
    })();
  });
}

// TOML subset used by the vectors: [section] headers, comments and
// "input" = "expected" lines with JSON-compatible escapes.
function readVectors(file) {
  const pairs = [];
  fs.readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith("#") || /^\[[a-z_]+\]$/.test(t)) return;
    const m = /^("(?:[^"\\]|\\.)*")\s*=\s*("(?:[^"\\]|\\.)*")$/.exec(t);
    if (!m) throw new Error(`${file}:${i + 1}: not a "word" = "stems" line`);
    pairs.push([JSON.parse(m[1]), JSON.parse(m[2])]);
  });
  return pairs;
}

// Each vector of a TOML file through the client's analyser; a mismatch fails the run.
async function stemsMode() {
  const ctx = {};
  vm.createContext(ctx);
  vm.runInContext(clientCode(clientDir), ctx, { filename: "search client" });
  const out = readVectors(args[0]).map(([input, expected]) => {
    const got = ctx.OberihSearch.analyze(input, args[1]).join(" ");
    if (got !== expected) {
      console.error(`mismatch: ${input} → ${got} (file says ${expected})`);
      process.exitCode = 1;
    }
    return [input, got];
  });
  return out;
}

// The ids and terms the client finds for each query in a built index.
async function queryMode() {
  const [root, ...queries] = args;
  const { ctx } = makePage(root, "");
  const S = ctx.OberihSearch;
  const out = [];
  for (const q of queries) {
    const found = await S.search(q);
    const recs = await S.docs(found.hits.map((h) => h.doc));
    out.push({ query: q, ids: recs.map((r) => r[0]), terms: found.terms });
  }
  return out;
}

// The first screen of results as the page loads it: each wave's records and the docs files
// asked for until that wave was in.
async function wavesMode() {
  const [root, query] = args;
  const { ctx, doc } = makePage(root, "");
  const S = ctx.OberihSearch;
  const found = await S.search(query);
  const waves = [];
  for (const wave of await S.screenWaves(found, 6, 3)) {
    const recs = await S.docs(wave);
    const docsFiles = doc.loaded.filter((f) => /\/docs\/\d+\/\d+\.js$/.test(f)).length;
    waves.push({ ids: recs.map((r) => r[0]), docsFiles });
  }
  const all = await S.docs(await S.screenDocs(found, 6, 3));
  return { all: all.map((r) => r[0]), waves };
}

// The search page and the header box on a page of their own, driven by keyboard.
async function pageMode() {
  const [root, query] = args;
  let input, suggest, results;
  const { ctx, doc } = makePage(root, "?q=" + encodeURIComponent(query), (d) => {
    input = d.element("input", { type: "search", id: "search-q", name: "q" });
    suggest = d.element("div", { id: "search-suggest" });
    suggest.hidden = true;
    const form = d.element("form", { class: "site-search", action: root + "search/index.html" }, [
      d.element("label", { for: "search-q" }, ["Пошук"]),
      input,
      suggest,
    ]);
    results = d.element("div", { id: "search-results" });
    d.body.appendChild(form);
    d.body.appendChild(d.element("main", {}, [results]));
  });
  await until(() => results.getAttribute("data-state") !== null, "search results");
  // Type into the header box, then pick the first suggestion by keyboard.
  input.value = query;
  input.fire("input");
  await until(() => !suggest.hidden, "suggestions");
  input.fire("keydown", { key: "ArrowDown" });
  const enter = input.fire("keydown", { key: "Enter" });
  const suggestHtml = suggest.html();
  input.fire("keydown", { key: "Escape" });
  return {
    state: results.getAttribute("data-state"),
    inputValue: input.value,
    results: results.html(),
    suggest: suggestHtml,
    suggestClosed: suggest.hidden,
    enterPrevented: enter.defaultPrevented,
    navigatedTo: ctx.location.href,
    created: Array.from(new Set(doc.created)).sort(),
  };
}

// `?highlight=` marking inside <main>, never inside a script.
async function markMode() {
  const [text, highlight] = args;
  let main;
  const { doc } = makePage("./", "?highlight=" + encodeURIComponent(highlight), (d) => {
    main = d.element("main", {}, [
      d.element("p", {}, [text]),
      d.element("script", {}, [text]),
    ]);
    d.body.appendChild(main);
  });
  return { main: main.html(), created: Array.from(new Set(doc.created)).sort() };
}

async function main() {
  const modes = { stems: stemsMode, query: queryMode, waves: wavesMode, page: pageMode, mark: markMode };
  if (!Object.hasOwn(modes, mode)) throw new Error("unknown mode " + mode);
  return modes[mode]();
}

main().then(
  (out) => {
    process.stdout.write(JSON.stringify(out) + "\n");
  },
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  }
);
