/* Oberih questionnaire runtime. Plain ES2018, no dependencies, no network, no eval.
   Reads the compiled form from <script type="text/plain" id="form-data"> (JSON, deflated, in
   base64: src/forms/packed.rs) and runs it with OberihExpr (expr.js, put before the runtime).
   A form that encrypts records or drafts also gets OberihSeal (seal.js, between the two) and the
   encrypted export and draft controls (form_seal.js).

   The runtime is one function written in several files, which the build joins in the order of
   form.parts: this one opens the function and holds the interview's state and the helpers for
   text and elements; form_questions.js draws the questions; form_flow.js runs the logic, the
   steps and the errors; form_record.js shows the result and makes and reads the record files;
   form_events.js wires the toolbar, the language switch, quick exit and input; form_seal.js
   comes next in a form that encrypts; form_start.js starts the questionnaire and closes the
   function.

   Privacy rules the runtime keeps: answers live only in memory (the variables below); nothing is
   written to any browser storage or cookie; exports and drafts leave only as files the user asks
   for; anything that must be encrypted is encrypted with WebCrypto or not written at all. Quick
   exit wipes the answers and replaces this page in the history with a neutral one. */

(async () => {
  'use strict';
  // OberihSeal (seal.js) is on the page only when the form encrypts records or drafts.
  var X = OberihExpr;
  function $(id) { return document.getElementById(id); }
  var F = await formData();
  if (!F) return;
  var steps = F.presentation === 'steps';
  // Texts are arrays in F.languages order; `at` is the index of the language shown.
  var lang = F.lang, at = F.languages.indexOf(lang);
  var form = $('form'), app = $('app');

  // The interview, in memory only.
  var vals = {};     // answer by key: "id" or, in a repeated section, "section.index.id"
  var bad = {};      // key -> error code for input that is not a valid value (e.g. "3x" for a number)
  var counts = {};   // repeated section id -> number of entries
  var started = null, finished = null;
  var recordId = null;  // the exported record's id, made at its first export

  // The page.
  var slots = {};    // key -> a rendered question
  var painted = [];  // [element, text] pairs painted again on a language switch
  var state = null;  // the last compute()
  var shown = {};    // key -> error code shown next to the field
  var step = 0, inSummary = false, busy = false, urls = [], onPicked = null;
  // The encrypted export and drafts (form_seal.js) when the form has them: { tools, notices }.
  var sealing = null;

  // ------------------------------------------------------------------ text and elements

  // The browser inflates the data itself; one without DecompressionStream (before 2023 in
  // Firefox and Safari) cannot run the form, and the page says so instead of staying blank.
  async function formData() {
    if (typeof DecompressionStream === 'undefined') { $('old-browser').hidden = false; return null; }
    var deflated = Uint8Array.from(atob($('form-data').textContent), (c) => c.charCodeAt(0));
    var json = new Blob([deflated]).stream().pipeThrough(new DecompressionStream('deflate'));
    return JSON.parse(await new Response(json).text());
  }

  function pick(t) {
    if (t == null) return '';
    if (typeof t === 'string') return t;
    return t[at] != null ? t[at] : t[0] != null ? t[0] : '';
  }
  function ui(key, vars) {
    var s = pick(F.ui[key]) || key;
    return s.replace(/\{(\w+)\}/g, (m, k) => vars && vars[k] != null ? String(vars[k]) : m);
  }
  // A text the shown language lacks is null: pick() shows the default language's (the first)
  // and marks() gives its element that language, so screen readers read it in its own voice.
  function marks(e, t) {
    t = typeof t === 'function' ? t.texts : t;
    if (t && at && t[at] == null) e.lang = F.languages[0]; else e.removeAttribute('lang');
  }
  function has(map, key) { return Object.prototype.hasOwnProperty.call(map, key); }
  function eachSlot(fn) { Object.keys(slots).forEach((k) => { fn(slots[k], k); }); }
  function uiText(key, vars) { var f = () => ui(key, vars); f.texts = F.ui[key]; return f; }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach((c) => { if (c != null) e.append(c); });
    return e;
  }
  function paint(src) { return typeof src === 'function' ? src() : pick(src); }
  // Paints text now and again after every language switch. `src`: a text per language, or a
  // function. With `links`, `[words](form:ID)` in the text becomes a link to that form.
  function tr(e, src, links) {
    painted.push([e, src, links]);
    fillText(e, paint(src), links);
    marks(e, src);
    return e;
  }
  function fillText(e, text, links) {
    if (!links && !NUMBER.test(text)) { e.textContent = text; return; }
    e.textContent = '';
    e.append(...(links ? linked(text) : unbroken(text)));
  }
  // A phone number written in groups («116 123») is kept on one line.
  var NUMBER = /\d+(?: \d+)+/;
  function unbroken(text) {
    var out = [], at = 0, m, re = new RegExp(NUMBER.source, 'g');
    while ((m = re.exec(text))) {
      out.push(text.slice(at, m.index), el('span', { class: 'nowrap', text: m[0] }));
      at = re.lastIndex;
    }
    out.push(text.slice(at));
    return out;
  }
  // The text as nodes, each `[words](form:ID)` a link to form ID's questionnaire in the language
  // shown: the syntax of src/forms/links.rs, which checks at build time that the form exists.
  function linked(text) {
    var out = [], at = 0, m, re = /\[([^[\]]+)\]\(form:([a-z][a-z0-9-]*)\)/g;
    while ((m = re.exec(text))) {
      if (!m[1].trim()) continue;
      out.push(...unbroken(text.slice(at, m.index)), el('a', { href: F.form_href.replace('{lang}', lang).replace('{id}', m[2]), text: m[1] }));
      at = re.lastIndex;
    }
    out.push(...unbroken(text.slice(at)));
    return out;
  }
  function say(text) { $('status').textContent = text; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function today() { var d = new Date(); return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }
  function stamp() { var d = new Date(); return today().replace(/-/g, '') + '-' + pad(d.getHours()) + pad(d.getMinutes()); }
  function message(name, n) {
    var m = F.messages && F.messages[name];
    if (!m) return null;
    // Forms in the default language, when the shown one has none, follow that language's rules.
    var l = m[lang] ? lang : F.languages[0], forms = m[l] || {}, cat = 'other';
    try { cat = new Intl.PluralRules(l).select(n); } catch (e) { cat = 'other'; }
    return (forms[cat] || forms.other || '').replace('{n}', n);
  }
