/* Oberih questionnaire runtime. Plain ES2018, no dependencies, no network, no eval.
   Reads the compiled form from <script type="text/plain" id="form-data"> (JSON, deflated, in
   base64: src/forms/packed.rs) and runs it with OberihExpr (expr.js, concatenated before this file).
   A form that encrypts records or drafts also gets OberihSeal (seal.js, between the two) and the
   encrypted export and draft controls (form_seal.js, put in at the marker near the end).

   Privacy rules this file keeps: answers live only in memory (the variables below); nothing is
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

  // ------------------------------------------------------------------ building the questions

  // Questions name their choice list by index; choices marked `missing` give env.missing.
  var missing = {};
  F.sections.forEach((s) => {
    s.questions.forEach((q) => {
      if (q.choices == null) return;
      q.choices = F.lists[q.choices];
      var codes = q.choices.filter((c) => c.missing).map((c) => c.value);
      if (codes.length) missing[q.id] = codes;
    });
  });

  // Indicator questions: those an indicator's `when` reads (src/forms/form.rs). One that was asked
  // and left blank counts like "doesn't know", and while one is blank or unknown the screening is
  // incomplete.
  var indicatorQuestion = {};
  F.indicator_questions.forEach((id) => { indicatorQuestion[id] = true; });
  function isMissingAnswer(id, v) {
    var codes = missing[id] || [];
    return [].concat(v).some((c) => codes.indexOf(c) >= 0);
  }

  function build() {
    F.sections.forEach((s) => {
      var box = s.box = el('section', { class: 'sec', id: 's-' + s.id, 'aria-labelledby': 'h-' + s.id });
      s.heading = tr(el('h2', { id: 'h-' + s.id, tabindex: '-1' }), s.title);
      box.append(s.heading);
      if (s.repeat) {
        s.list = el('div');
        s.empty = tr(el('p', { class: 'hint' }), uiText('no_entries'));
        s.add = tr(el('button', { type: 'button', 'data-add': s.id }), uiText('add_entry'));
        counts[s.id] = s.repeat.min;
        box.append(s.list, s.empty, s.add);
        renderEntries(s);
      } else {
        s.questions.forEach((q) => { box.append(renderQuestion(q, q.id, s, null)); });
      }
      form.append(box);
    });
  }

  function renderQuestion(q, key, s, idx) {
    var id = 'q-' + key.replace(/\./g, '-');
    var slot = slots[key] = { q: q, key: key, s: s, idx: idx, id: id, inputs: [], described: [] };
    var group = q.type === 'choice' || q.type === 'multi_choice';
    var box = slot.box = el(group ? 'fieldset' : 'div', { class: 'q', id: 'w-' + id.slice(2) });
    if (q.type === 'note') {
      box.className = 'q note';
      box.append(tr(el('p'), q.label, true));
      return box;
    }
    var head = el(group ? 'legend' : q.type === 'calculate' ? 'p' : 'label', {
      class: 'q-label', for: group || q.type === 'calculate' ? null : id
    });
    if (q.number) head.append(el('span', { class: 'num', text: q.number + '.' }));
    head.append(tr(el('span'), q.label));
    if (q.required) head.append(tr(el('span', { class: 'req' }), () => ' ' + ui('required')));
    box.append(head);
    if (q.hint) box.append(describe(slot, tr(el('p', { class: 'hint', id: id + '-hint' }), q.hint, true)));
    if (q.type === 'multi_choice') box.append(describe(slot, tr(el('p', { class: 'hint', id: id + '-all' }), uiText('tick_all'))));
    if (q.guidance) {
      box.append(el('div', { class: 'guidance' }, [tr(el('b'), uiText('guidance')), tr(el('span'), q.guidance, true)]));
    }
    slot.err = el('p', { class: 'error', id: id + '-error', hidden: true });
    box.append(slot.err);
    if (q.type === 'calculate') {
      box.className = 'q calc';
      slot.out = el('output', { id: id });
      head.append(': ', slot.out);
    } else if (group) {
      box.append(renderOptions(q, slot));
    } else {
      box.append(renderInput(q, slot));
    }
    // Filled when the alert fires: a role=alert region announces inserted content at once.
    slot.alert = el('div', { class: 'alert', role: 'alert' });
    box.append(slot.alert);
    if (q.end_if) {
      slot.end = el('div', { class: 'end', hidden: true }, [
        tr(el('strong'), uiText('ended_title')),
        tr(el('p'), q.end_message || '', true),
        tr(el('button', { type: 'button', class: 'primary', 'data-act': 'finish' }), uiText('end_finish'))
      ]);
      box.append(slot.end);
    }
    return box;
  }

  function describe(slot, e) { slot.described.push(e.id); return e; }

  function renderInput(q, slot) {
    var attrs = {
      id: slot.id, name: slot.id, autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': slot.described.join(' ') || null, 'aria-required': q.required ? 'true' : null
    };
    var e;
    if (q.type === 'long_text') {
      e = el('textarea', attrs);
    } else {
      attrs.type = q.type === 'date' ? 'date' : 'text';
      if (q.type === 'integer' || q.type === 'decimal') {
        attrs.inputmode = q.type === 'integer' ? 'numeric' : 'decimal';
        attrs.class = 'short';
      }
      e = el('input', attrs);
    }
    e.oberihKey = slot.key;
    slot.inputs.push(e);
    return e;
  }

  function renderOptions(q, slot) {
    var box = el('div', { class: 'opts' });
    var type = q.type === 'choice' ? 'radio' : 'checkbox';
    if (slot.described.length) slot.box.setAttribute('aria-describedby', slot.described.join(' '));
    (q.choices || []).forEach((c, i) => {
      var input = el('input', { type: type, id: slot.id + '--' + i, name: slot.id, value: c.value });
      input.oberihKey = slot.key;
      slot.inputs.push(input);
      box.append(el('div', { class: 'opt' }, [input, tr(el('label', { for: input.id }), c.label)]));
    });
    return box;
  }

  // A repeated section's entries, drawn again from the model after an entry is added or removed.
  function renderEntries(s) {
    Object.keys(slots).forEach((k) => { if (slots[k].s === s) delete slots[k]; });
    s.list.textContent = '';
    for (var i = 0; i < counts[s.id]; i++) {
      var fs = el('fieldset', { class: 'entry' });
      fs.append(tr(el('legend'), uiText('entry', { n: i + 1 })));
      s.questions.forEach((q) => {
        var key = s.id + '.' + i + '.' + q.id;
        fs.append(renderQuestion(q, key, s, i));
        writeSlot(slots[key], vals[key]);
      });
      fs.append(tr(el('button', { type: 'button', class: 'link', 'data-remove': s.id, 'data-index': i }),
        uiText('remove_entry', { n: i + 1 })));
      s.list.append(fs);
    }
    s.empty.hidden = counts[s.id] > 0;
    s.add.disabled = s.repeat.max != null && counts[s.id] >= s.repeat.max;
  }

  function entryKeys(s, i) { return s.questions.map((q) => s.id + '.' + i + '.' + q.id); }

  function addEntry(s) {
    if (s.repeat.max != null && counts[s.id] >= s.repeat.max) return;
    counts[s.id]++;
    renderEntries(s);
    update();
    var first = slots[entryKeys(s, counts[s.id] - 1)[0]];
    if (first && first.inputs[0]) first.inputs[0].focus();
  }

  function removeEntry(s, i) {
    var n = counts[s.id];
    for (var j = i; j < n; j++) {
      entryKeys(s, j).forEach((k, qi) => {
        var next = entryKeys(s, j + 1)[qi];
        move(vals, next, k);
        move(bad, next, k);
        delete shown[k];
      });
    }
    counts[s.id] = n - 1;
    renderEntries(s);
    update();
    s.add.focus();
  }
  function move(map, from, to) { if (has(map, from)) map[to] = map[from]; else delete map[to]; delete map[from]; }

  // ------------------------------------------------------------------ reading and writing controls

  function readSlot(slot) {
    var q = slot.q, ins = slot.inputs, v = null, err = null;
    if (q.type === 'choice') {
      ins.forEach((i) => { if (i.checked) v = i.value; });
    } else if (q.type === 'multi_choice') {
      v = ins.filter((i) => i.checked).map((i) => i.value);
      if (!v.length) v = null;
    } else if (q.type === 'integer' || q.type === 'decimal') {
      // Spaces group digits and a comma is the Ukrainian decimal mark: "1 200", "2,5".
      var t = ins[0].value.replace(/\s/g, '').replace(',', '.');
      var ok = q.type === 'integer' ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)$/;
      if (t !== '' && ok.test(t)) v = Number(t);
      else if (t !== '') err = q.type === 'integer' ? 'err_integer' : 'err_number';
    } else if (q.type === 'date') {
      if (ins[0].validity && ins[0].validity.badInput) err = 'err_date';
      else v = ins[0].value || null;
    } else {
      // Whitespace alone is no answer; otherwise the text is kept exactly as typed.
      v = ins[0].value.trim() === '' ? null : ins[0].value;
    }
    if (err) { bad[slot.key] = err; delete vals[slot.key]; return; }
    delete bad[slot.key];
    if (v === null) delete vals[slot.key]; else vals[slot.key] = v;
  }

  function writeSlot(slot, v) {
    slot.inputs.forEach((i) => {
      if (i.type === 'radio') i.checked = v === i.value;
      else if (i.type === 'checkbox') i.checked = Array.isArray(v) && v.indexOf(i.value) >= 0;
      else i.value = v == null ? '' : String(v);
    });
  }

  // Forgets an answer the interview no longer asks for. True if there was one.
  function drop(key) {
    var had = has(vals, key) || has(bad, key);
    delete vals[key];
    delete bad[key];
    delete shown[key];
    if (had && slots[key]) writeSlot(slots[key], null);
    return had;
  }

  // ------------------------------------------------------------------ logic

  function envOf(answers, rep, extra) {
    var env = { answers: answers, repeats: rep, missing: missing, today: today(), rule: F.rule };
    Object.keys(extra || {}).forEach((k) => { env[k] = extra[k]; });
    return env;
  }
  function merged(a, b) { return Object.assign({}, a, b); }

  // Skip logic in form order: an answer that stops being relevant is dropped at once, so it can
  // reach no later condition, no score, no outcome and no export. After an `end_if` fires,
  // nothing later is asked.
  function compute() {
    var st = { rel: {}, sec: {}, alert: {}, invalid: {}, calc: {}, ended: null, dropped: 0, unanswered: [], unknownIndicators: 0 };
    var top = {}, rep = {}, calcs = [];

    function visit(q, key, on, scope, row) {
      var rel = on && !st.ended && (!q.relevant || X.truth(q.relevant, envOf(scope, rep)));
      st.rel[key] = rel;
      if (!rel) {
        if (drop(key)) st.dropped++;
        if (q.type !== 'note') row[q.id] = null;
        return;
      }
      if (q.type === 'note') return;
      if (q.type === 'calculate') {
        calcs.push([q, key, row]);
        row[q.id] = st.calc[key] = X.evaluate(q.calculation, envOf(scope, rep));
        return;
      }
      var v = has(vals, key) ? vals[key] : null;
      row[q.id] = v;
      if (indicatorQuestion[q.id]) {
        if (v === null) st.unanswered.push(key);
        else if (isMissingAnswer(q.id, v)) st.unknownIndicators++;
      }
      var env = envOf(merged(scope, row), rep, { current: v, current_id: q.id });
      st.alert[key] = !!q.alert_if && X.truth(q.alert_if, env);
      if (v !== null && q.constraint && !X.truth(q.constraint, env)) st.invalid[key] = true;
      if (q.end_if && X.truth(q.end_if, env)) st.ended = key;
    }

    F.sections.forEach((s) => {
      var on = !st.ended && (!s.relevant || X.truth(s.relevant, envOf(top, rep)));
      st.sec[s.id] = on;
      if (!s.repeat) {
        s.questions.forEach((q) => { visit(q, q.id, on, top, top); });
        return;
      }
      rep[s.id] = on ? [] : null;
      for (var i = 0; i < counts[s.id]; i++) {
        var row = {};
        if (on) rep[s.id].push(row);
        s.questions.forEach((q) => { visit(q, s.id + '.' + i + '.' + q.id, on, merged(top, row), row); });
      }
    });
    // A calculation may read answers given after it: evaluate again with every answer known.
    calcs.forEach(() => {
      calcs.forEach((c) => {
        var scope = c[2] === top ? top : merged(top, c[2]);
        c[2][c[0].id] = st.calc[c[1]] = X.evaluate(c[0].calculation, envOf(scope, rep));
      });
    });
    var env = envOf(top, rep, { unanswered: st.unanswered.length });
    st.fired = F.indicators.filter((i) => X.truth(i.when, env));
    env.indicators = st.fired.map((i) => { return { dimension: i.dimension, strength: i.strength }; });
    st.outcome = F.outcomes.find((o) => X.truth(o.when, env)) || null;
    // Built in, for every form: the catch-all ("no indicators found") never stands for a screening
    // whose indicator questions were not all answered, nor for one that ended early.
    st.incomplete = st.unanswered.length > 0 || st.unknownIndicators > 0;
    if (st.outcome === F.outcomes[F.outcomes.length - 1] && (st.incomplete || st.ended)) st.outcome = F.incomplete;
    // The answers "doesn't know" and "prefers not to say"; blank questions are counted apart.
    st.unknown = X.evaluate(['unknown_count'], env) - st.unanswered.length;
    st.top = top;
    st.rep = rep;
    return st;
  }

  function update() {
    state = compute();
    if (state.dropped) say(ui('discarded', { n: state.dropped }));
    F.sections.forEach((s) => {
      // A repeated section that is no longer asked keeps no empty entries either.
      if (s.repeat && !state.sec[s.id] && counts[s.id] > (s.repeat.min)) {
        counts[s.id] = s.repeat.min;
        renderEntries(s);
      }
    });
    eachSlot(paintSlot);
    showView();
    refreshErrors();
  }

  function paintSlot(slot) {
    var k = slot.key, q = slot.q;
    slot.box.hidden = !state.rel[k];
    if (q.type === 'calculate') slot.out.textContent = state.calc[k] == null ? '—' : String(state.calc[k]);
    if (slot.end) slot.end.hidden = state.ended !== k;
    if (!slot.alert) return;
    var on = !!state.alert[k];
    if (on && !slot.alert.firstChild) {
      slot.alert.append(tr(el('strong'), uiText('alert_title')), tr(el('span'), q.alert || '', true));
    } else if (!on && slot.alert.firstChild) {
      slot.alert.textContent = '';
    }
  }

  // ------------------------------------------------------------------ views and navigation

  function relevantSections() { return F.sections.filter((s) => state.sec[s.id]); }
  function neighbour(dir) {
    for (var i = step + dir; i >= 0 && i < F.sections.length; i += dir) if (state.sec[F.sections[i].id]) return i;
    return -1;
  }

  function showView() {
    if (steps && !state.sec[F.sections[step].id]) step = Math.max(neighbour(-1), 0);
    F.sections.forEach((s, i) => {
      s.box.hidden = !state.sec[s.id] || (steps && i !== step);
    });
    form.hidden = inSummary;
    $('summary').hidden = !inSummary;
    // The buttons stay the same elements: a field's change event can run between mousedown and
    // mouseup on a button, and a replaced button would lose the click.
    var b = navButtons(), more = steps && neighbour(1) >= 0 && !state.ended;
    // An ended interview's box carries the one button that goes on, where it is shown.
    var endShown = state.ended && (!steps || slots[state.ended].s === F.sections[step]);
    b.edit.hidden = !inSummary;
    b.prev.hidden = inSummary || !steps || neighbour(-1) < 0;
    b.next.hidden = inSummary || !more;
    b.finish.hidden = inSummary || more || !!endShown;
    progress();
  }

  var nav = null;
  function navButtons() {
    if (nav) return nav;
    nav = {};
    [['prev', 'previous'], ['next', 'next', 1], ['finish', 'finish', 1], ['edit', 'change_answers']].forEach((b) => {
      nav[b[0]] = $('step-nav').appendChild(button(b[1], b[0], b[2]));
    });
    return nav;
  }

  function progress() {
    var text = $('progress-text'), bar = $('progress'), n, total;
    if (steps) {
      var rel = relevantSections();
      total = rel.length;
      n = inSummary ? total : rel.indexOf(F.sections[step]) + 1;
      text.textContent = ui('step_of', { n: n, total: total });
    } else {
      var asked = Object.keys(slots).filter((k) => {
        var t = slots[k].q.type;
        return state.rel[k] && t !== 'note' && t !== 'calculate';
      });
      total = asked.length;
      n = asked.filter((k) => has(vals, k)).length;
      text.textContent = ui('answered_of', { n: n, total: total });
    }
    bar.max = Math.max(total, 1);
    bar.value = n;
  }

  function goStep(i) {
    step = i;
    inSummary = false;
    update();
    F.sections[step].heading.focus();
  }

  function next() {
    update();
    // A typed answer committed just now may have ended the interview: its end box says what next.
    if (state.ended) return slots[state.ended].end.querySelector('button').focus();
    if (!validate(sectionKeys(F.sections[step]))) return;
    if (neighbour(1) < 0) finish(); else goStep(neighbour(1));
  }

  function finish() {
    update();
    if (!validate(Object.keys(slots))) return;
    finished = new Date().toISOString();
    if (!started) started = finished;
    inSummary = true;
    update();
    renderSummary();
    // Saving, printing and clearing are what the result is for: their group opens here.
    $('tools').open = true;
    $('result-title').focus();
  }

  function edit() {
    inSummary = false;
    finished = null;
    update();
    (steps ? F.sections[step].heading : $('form-title')).focus();
  }

  function sectionKeys(s) { return Object.keys(slots).filter((k) => slots[k].s === s); }

  // ------------------------------------------------------------------ errors

  function problem(slot) {
    var k = slot.key, t = slot.q.type;
    if (!state.rel[k] || t === 'note' || t === 'calculate') return null;
    if (bad[k]) return bad[k];
    if (!has(vals, k)) return slot.q.required ? 'err_required' : null;
    return state.invalid[k] ? 'constraint' : null;
  }
  function errorText(slot, code) {
    if (code !== 'constraint') return ui(code);
    return slot.q.constraint_message ? pick(slot.q.constraint_message) : ui('err_constraint');
  }

  // Shows every problem among `keys`; false (and the error summary focused) if there is one.
  function validate(keys) {
    shown = {};
    keys.forEach((k) => { var p = problem(slots[k]); if (p) shown[k] = p; });
    var first = Object.keys(shown).sort(byPosition)[0];
    if (first && steps && !inSummary) {
      var at = F.sections.indexOf(slots[first].s);
      if (at !== step) { step = at; showView(); }
    }
    eachSlot((slot, k) => { paintError(slot, shown[k]); });
    paintErrorSummary();
    if (first) $('errors').focus();
    return !first;
  }

  function refreshErrors() {
    Object.keys(slots).forEach((k) => {
      if (shown[k]) shown[k] = problem(slots[k]);
      if (!shown[k]) delete shown[k];
      paintError(slots[k], shown[k]);
    });
    paintErrorSummary();
  }

  function byPosition(a, b) {
    return slots[a].box.compareDocumentPosition(slots[b].box) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  function paintError(slot, code) {
    if (!slot.err) return;
    var on = !!code, group = slot.box.tagName === 'FIELDSET';
    slot.err.hidden = !on;
    slot.err.textContent = on ? errorText(slot, code) : '';
    slot.box.classList.toggle('invalid', on);
    var ids = slot.described.concat(on ? [slot.err.id] : []).join(' ');
    (group ? [slot.box] : slot.inputs).forEach((e) => {
      if (ids) e.setAttribute('aria-describedby', ids); else e.removeAttribute('aria-describedby');
    });
    slot.inputs.forEach((i) => {
      if (on) i.setAttribute('aria-invalid', 'true'); else i.removeAttribute('aria-invalid');
    });
  }

  var summaryDrawn = '';
  function paintErrorSummary() {
    var box = $('errors'), keys = Object.keys(shown).sort(byPosition);
    // Redrawn only when it changes, so a click on one of its links is never lost.
    var drawn = lang + keys.map((k) => k + shown[k]).join();
    box.hidden = !keys.length;
    if (drawn === summaryDrawn) return;
    summaryDrawn = drawn;
    box.textContent = '';
    if (!keys.length) return;
    var list = el('ul');
    keys.forEach((k) => {
      var slot = slots[k], q = slot.q;
      var name = (q.number ? q.number + '. ' : '') + pick(q.label);
      if (slot.idx != null) name = ui('entry', { n: slot.idx + 1 }) + ': ' + name;
      list.append(el('li', {}, [el('a', { href: '#' + slot.inputs[0].id, 'data-focus': k, text: name + ' — ' + errorText(slot, shown[k]) })]));
    });
    box.append(el('h2', { text: ui('error_title') }), list);
  }

  // ------------------------------------------------------------------ result and record

  function renderSummary() {
    var res = $('result'), st = state;
    res.textContent = '';
    res.append(el('h2', { id: 'result-title', tabindex: '-1', text: ui('result_title') }));
    if (!finished) res.append(el('p', { class: 'notice', text: ui('partial') }));
    var alerts = Object.keys(st.alert).filter((k) => st.alert[k] && st.rel[k]);
    if (alerts.length) {
      res.append(el('div', { class: 'alert' }, [el('strong', { text: ui('alerts_title') })].concat(
        alerts.map((k) => { return el('p', {}, linked(pick(slots[k].q.alert))); }))));
    }
    if (st.ended) {
      res.append(el('div', { class: 'end' }, [el('strong', { text: ui('ended_title') }),
        el('p', {}, linked(pick(slots[st.ended].q.end_message)))]));
    }
    if (st.outcome) {
      res.append(el('div', { class: 'outcome', id: 'outcome', 'data-outcome': st.outcome.id }, [
        el('p', { class: 'meta', text: ui('outcome') }),
        el('h3', {}, linked(pick(st.outcome.label))),
        st.outcome.action ? el('p', {}, linked(pick(st.outcome.action))) : null
      ]));
    }
    // An interview that ended early asked too little to sum up: only indicators it did find show.
    if (!st.ended || st.fired.length) renderWhy(res, st);
    renderRecord($('record'));
  }

  // What led to the outcome: the indicators found, the questions left blank or unknown, and a
  // "none found" only when every indicator question that was asked has an answer.
  function renderWhy(res, st) {
    res.append(el('h3', { text: ui('why') }));
    [st.fired.length ? message('indicators_found', st.fired.length) : null,
      st.unanswered.length ? message('unanswered', st.unanswered.length) : null,
      st.unknown ? message('unknown_answers', st.unknown) : null]
      .forEach((m) => { if (m) res.append(el('p', { text: m })); });
    if (!st.fired.length) res.append(el('p', { text: ui(st.incomplete ? 'incomplete_note' : 'no_indicators') }));
    F.dimensions.forEach((d) => {
      var list = st.fired.filter((i) => i.dimension === d.id);
      if (!list.length) return;
      res.append(el('div', { class: 'dim' }, [el('h4', { text: pick(d.label) }), el('ul', {}, list.map((i) => {
        return el('li', { 'data-indicator': i.id, text: pick(i.label) + ' (' + ui(i.strength) + ')' });
      }))]));
    });
  }

  function renderRecord(box) {
    box.textContent = '';
    box.append(el('h3', { text: ui('answers_title') }), el('p', { class: 'meta', text: ui('marks_legend') }));
    if (started) box.append(el('p', { class: 'meta', text: ui('started', { date: started.slice(0, 10) }) }));
    F.sections.forEach((s) => {
      box.append(el('h4', { text: pick(s.title) }));
      if (!s.repeat) { box.append(answerList(s.questions, (q) => q.id)); return; }
      if (!state.sec[s.id]) { box.append(el('p', { class: 'not-asked', text: '⊘ ' + ui('mark_not_asked') })); return; }
      if (!counts[s.id]) box.append(el('p', { text: ui('no_entries') }));
      for (var i = 0; i < counts[s.id]; i++) {
        box.append(el('h5', { text: ui('entry', { n: i + 1 }) }), answerList(s.questions, keyIn(s, i)));
      }
    });
  }
  function keyIn(s, i) { return (q) => s.id + '.' + i + '.' + q.id; }

  // Asked questions with their answers; a numbered question the logic skipped shows its text, dimmed,
  // with a mark.
  function answerList(questions, keyOf) {
    var dl = el('dl');
    questions.forEach((q) => {
      var key = keyOf(q), num = q.number ? q.number + '. ' : '';
      if (q.type === 'note' || (!state.rel[key] && !q.number)) return;
      if (!state.rel[key]) {
        dl.append(el('dt', { class: 'not-asked', text: num + pick(q.label) }), el('dd', { class: 'not-asked' }, [el('span', { class: 'mark', text: '⊘' }), ui('mark_not_asked')]));
        return;
      }
      dl.append(el('dt', { text: num + pick(q.label) }), el('dd', {}, answerNodes(q, key)));
    });
    return dl;
  }

  function answerNodes(q, key) {
    var v = q.type === 'calculate' ? state.calc[key] : vals[key];
    if (v == null) return [el('span', { class: 'mark', text: '○' }), ui('mark_not_answered')];
    if (q.type !== 'choice' && q.type !== 'multi_choice') return [String(v)];
    var chosen = (q.choices || []).filter((c) => [].concat(v).indexOf(c.value) >= 0);
    var missing = chosen.some((c) => c.missing);
    return [missing ? el('span', { class: 'mark', text: '✕' }) : null,
      chosen.map((c) => pick(c.label)).join('; ')];
  }

  // ------------------------------------------------------------------ records and files

  function clean(v) { return v === undefined ? null : v; }

  // The record the form's JSON Schema describes: every answer by id, null when not asked or left
  // blank; `not_asked` tells the two apart (JSON Pointers to what was not asked).
  function record() {
    state = compute();
    if (!started) started = new Date().toISOString();
    if (!recordId) recordId = newRecordId();
    var answers = {}, notAsked = [];
    function keep(o, q, v, key, at) { o[q.id] = clean(v); if (!state.rel[key]) notAsked.push(at); }
    F.sections.forEach((s) => {
      var asked = s.questions.filter((q) => q.type !== 'note');
      if (!s.repeat) { asked.forEach((q) => { keep(answers, q, state.top[q.id], q.id, '/' + q.id); }); return; }
      if (!state.rep[s.id]) notAsked.push('/' + s.id);
      answers[s.id] = state.rep[s.id] && state.rep[s.id].map((row, i) => {
        var o = {};
        asked.forEach((q) => { keep(o, q, row[q.id], s.id + '.' + i + '.' + q.id, '/' + s.id + '/' + i + '/' + q.id); });
        return o;
      });
    });
    return {
      id: recordId, form: F.id, version: F.version, region: F.region || null, language: lang,
      started: started, finished: finished,
      answers: answers, outcome: state.outcome ? state.outcome.id : null,
      indicators: state.fired.map((i) => i.id),
      // JSON Pointers into `answers`: "jobs.0.job_pay" is /jobs/0/job_pay.
      unanswered: state.unanswered.map((k) => '/' + k.split('.').join('/')),
      not_asked: notAsked
    };
  }

  // A random UUID (version 4) for the interview, kept until the form is cleared, so exporting the
  // same interview again is recognised as the same record. getRandomValues works from file://.
  function newRecordId() {
    var h = Array.from(crypto.getRandomValues(new Uint8Array(16)),
      (x, i) => ((i === 6 ? x & 15 | 64 : i === 8 ? x & 63 | 128 : x) + 256).toString(16).slice(1)).join('');
    return h.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
  }

  // One row with stable columns; the same cells as record_csv in src/records/csv.rs.
  function csv(r) {
    var head = ['form', 'version', 'language', 'started', 'finished', 'outcome', 'indicators', 'unanswered'];
    var row = head.map((k) => cell(r[k]));
    Object.keys(r.answers).forEach((k) => { head.push(k); row.push(cell(r.answers[k])); });
    return '\ufeff' + head.map(quote).join(',') + '\r\n' + row.map(quote).join(',') + '\r\n';
  }
  function cell(v) {
    if (v == null) return '';
    if (typeof v === 'string') return defuse(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return defuse(v.join(';'));
    return JSON.stringify(v);
  }
  function defuse(s) { return /^[=+\-@\t\r]/.test(s) ? "'" + s : s; }
  function quote(s) { return /[",\n\r]|^ | $/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }

  function save(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    urls.push(url);
    var a = el('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  }
  function forgetFiles() { urls.forEach((u) => { URL.revokeObjectURL(u); }); urls = []; }

  // A form that exports sealed records never writes a plain one: form_seal.js exports.
  function exportRecord(kind) {
    if (F.export === 'encrypted') return;
    var file = F.id + '-' + stamp() + (kind === 'csv' ? '.csv' : '.json');
    save(file, kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/json', kind === 'csv' ? csv(record()) : JSON.stringify(record(), null, 2));
    offerClear(file);
  }

  function panel(children, focus) {
    var p = $('panel');
    p.textContent = '';
    p.append(...children);
    p.hidden = false;
    (focus || p.querySelector('button, input')).focus();
  }
  function closePanel() { $('panel').hidden = true; $('panel').textContent = ''; }
  function button(key, act, primary) {
    return tr(el('button', { type: 'button', class: primary ? 'primary' : null, 'data-act': act }), uiText(key));
  }

  function offerClear(file) {
    var msg = el('p', { tabindex: '-1', text: ui('exported', { file: file }) });
    panel([msg, el('div', { class: 'panel-buttons' }, [button('clear_now', 'clear-yes', true), button('keep_working', 'close')])], msg);
  }

  function confirmClear() {
    var msg = el('p', { tabindex: '-1', text: ui('clear_confirm') });
    panel([msg, el('div', { class: 'panel-buttons' }, [button('clear_yes', 'clear-yes', true), button('cancel', 'close')])], msg);
  }

  function resetModel() {
    vals = {}; bad = {}; shown = {}; started = null; finished = null; recordId = null;
    F.sections.forEach((s) => { if (s.repeat) counts[s.id] = s.repeat.min; });
  }

  // Clears every control and the record in memory, and forgets the files made for download.
  function clearAll(quiet) {
    form.reset();
    resetModel();
    forgetFiles();
    closePanel();
    F.sections.forEach((s) => { if (s.repeat) renderEntries(s); });
    eachSlot((slot) => { writeSlot(slot, null); });
    inSummary = false;
    step = 0;
    $('result').textContent = '';
    $('record').textContent = '';
    update();
    if (quiet) return;
    say(ui('cleared'));
    $('form-title').focus();
  }

  // Asks for a file; `then(text, name)` reads it.
  function pickFile(accept, then) {
    var input = $('file-input');
    onPicked = then;
    input.value = '';
    input.accept = accept;
    input.click();
  }

  function onFile() {
    var file = $('file-input').files[0];
    if (file) file.text().then((text) => { onPicked(text, file.name); });
  }

  function loadText(text, name) {
    var r = null;
    try { r = JSON.parse(text); } catch (e) { r = null; }
    if (!r || typeof r !== 'object' || !r.answers || typeof r.answers !== 'object') {
      return say(ui('load_failed', { reason: ui('load_not_answers') }));
    }
    if (r.form !== F.id) return say(ui('load_failed', { reason: ui('load_other_form') }));
    var skipped = applyRecord(r);
    say(ui('loaded', { file: name }) + (skipped ? ' ' + ui('load_skipped', { n: skipped }) : ''));
    (steps ? F.sections[step].heading : $('form-title')).focus();
  }

  // Puts a saved record back into the form; returns how many answers did not fit.
  function applyRecord(r) {
    var a = r.answers, skipped = 0, known = {};
    resetModel();
    F.sections.forEach((s) => {
      if (!s.repeat) {
        s.questions.forEach((q) => { known[q.id] = 1; skipped += put(q, q.id, a[q.id]); });
        return;
      }
      known[s.id] = 1;
      var rows = Array.isArray(a[s.id]) ? a[s.id] : [];
      var max = s.repeat.max != null ? Math.min(s.repeat.max, rows.length) : rows.length;
      skipped += rows.length - max;
      counts[s.id] = Math.max(s.repeat.min, max);
      rows.slice(0, max).forEach((row, i) => {
        s.questions.forEach((q) => { skipped += put(q, s.id + '.' + i + '.' + q.id, row && row[q.id]); });
      });
      renderEntries(s);
    });
    Object.keys(a).forEach((k) => { if (!known[k]) skipped++; });
    started = typeof r.started === 'string' ? r.started : null;
    recordId = typeof r.id === 'string' ? r.id : null;
    eachSlot((slot, k) => { writeSlot(slot, vals[k]); });
    inSummary = false;
    step = 0;
    update();
    return skipped;
  }

  function put(q, key, v) {
    if (v == null || q.type === 'note' || q.type === 'calculate') return 0;
    if (!fits(q, v)) return 1;
    vals[key] = v;
    return 0;
  }
  function fits(q, v) {
    var codes = (q.choices || []).map((c) => c.value);
    switch (q.type) {
      case 'choice': return codes.indexOf(v) >= 0;
      case 'multi_choice': return Array.isArray(v) && v.length > 0 && v.every((c) => codes.indexOf(c) >= 0);
      case 'integer': return Number.isInteger(v);
      case 'decimal': return typeof v === 'number' && isFinite(v);
      case 'date': return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      default: return typeof v === 'string';
    }
  }

  // ------------------------------------------------------------------ toolbar and notices

  function toolbar() {
    var items = F.export === 'encrypted' ? [] : [['export_json', 'export-json'], ['export_csv', 'export-csv'], ['open_file', 'open-file']];
    if (sealing) sealing.tools(items);
    items.push(['print', 'print'], ['clear', 'clear']);
    items.forEach((it) => {
      var b = button(it[0], it[1]);
      b.disabled = b.oberihOff = !!it[2];
      $('toolbar').append(b);
    });
    if (sealing) sealing.notices($('notices'));
    $('notices').append(el('p', { id: 'status', class: 'notice ok', role: 'status' }));
  }

  function setLang(l) {
    if (F.languages.indexOf(l) < 0) return;
    lang = l;
    at = F.languages.indexOf(l);
    document.documentElement.lang = l;
    document.title = pick(F.title);
    $('form-title').textContent = pick(F.title);
    marks($('form-title'), F.title);
    $('form-version').textContent = ui('version', { version: F.version });
    painted = painted.filter((p) => p[0].isConnected);
    painted.forEach((p) => { fillText(p[0], paint(p[1]), p[2]); marks(p[0], p[1]); });
    document.querySelectorAll('[data-t]').forEach((e) => { var k = e.getAttribute('data-t'); e.textContent = ui(k); marks(e, F.ui[k]); });
    document.querySelectorAll('[data-t-label]').forEach((e) => { e.setAttribute('aria-label', ui(e.getAttribute('data-t-label'))); });
    document.querySelectorAll('button[data-lang]').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === l));
    });
    // The contacts, and the notice that some texts are in the default language, of each language.
    document.querySelectorAll('.contacts-lang, .notice[data-lang]').forEach((d) => { d.hidden = d.getAttribute('data-lang') !== l; });
    refreshErrors();
    showView();
    if (inSummary) renderSummary();
  }

  // ------------------------------------------------------------------ quick exit

  // Blank the page, wipe answers and files, then leave without a history entry to come back to.
  function quickExit(e) {
    if (e) e.preventDefault();
    document.documentElement.classList.add('exiting');
    $('exit-cover').hidden = false;
    try { clearAll(true); form.textContent = ''; } catch (err) { form.textContent = ''; }
    location.replace(F.neutral);
  }

  // GOV.UK's pattern: Shift pressed three times within five seconds, any other key resets.
  var shifts = 0, shiftTimer = null;
  function onKey(e) {
    if (e.key !== 'Shift') { shifts = 0; return; }
    if (e.repeat) return;
    shifts++;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(() => { shifts = 0; $('live').textContent = ''; }, 5000);
    if (shifts >= 3) quickExit();
    else $('live').textContent = ui('shift_more', { n: 3 - shifts });
  }

  // ------------------------------------------------------------------ events

  // A typed answer counts once its field is left (change) or on Next and Finish; a choice counts at
  // once. So the "4" of "45" raises no alert, ends nothing and hides nothing on a screen the person
  // interviewed may see.
  function typed(slot) { return slot.q.type !== 'choice' && slot.q.type !== 'multi_choice'; }

  function onEdit(e) {
    var key = e.target.oberihKey;
    if (!key || !slots[key]) return;
    if (!started) started = new Date().toISOString();
    finished = null;
    readSlot(slots[key]);
    if (e.type === 'input' && typed(slots[key])) return typing(slots[key]);
    update();
    // Format and constraint problems show when the field is left; "required" waits for Next.
    var p = e.type === 'change' && problem(slots[key]);
    if (p && p !== 'err_required') { shown[key] = p; refreshErrors(); }
  }

  // While typing, an error shown for the field goes as soon as the text is a valid value; any
  // other check waits for the field to be left.
  function typing(slot) {
    if (!shown[slot.key] || bad[slot.key]) return;
    delete shown[slot.key];
    paintError(slot);
    paintErrorSummary();
  }

  var actions = {
    next: next, prev: () => { goStep(neighbour(-1)); }, finish: finish, edit: edit,
    'export-json': () => { exportRecord('json'); }, 'export-csv': () => { exportRecord('csv'); },
    'open-file': () => { pickFile('.json,application/json', loadText); },
    print: () => { window.print(); }, clear: confirmClear, 'clear-yes': () => { clearAll(false); },
    close: closePanel
  };

  function onClick(e) {
    var t = e.target.closest('button, a');
    if (!t) return;
    var act = t.getAttribute('data-act');
    if (act && actions[act]) { e.preventDefault(); if (!busy || act === 'close') actions[act](); return; }
    if (t.hasAttribute('data-add')) return addEntry(sectionById(t.getAttribute('data-add')));
    if (t.hasAttribute('data-remove')) return removeEntry(sectionById(t.getAttribute('data-remove')), +t.getAttribute('data-index'));
    if (t.hasAttribute('data-focus')) {
      e.preventDefault();
      var slot = slots[t.getAttribute('data-focus')];
      if (slot) slot.inputs[0].focus();
    }
  }
  function sectionById(id) { return F.sections.find((s) => s.id === id); }

  function start() {
    build();
    toolbar();
    app.hidden = false;
    update();
    form.addEventListener('input', onEdit);
    form.addEventListener('change', onEdit);
    form.addEventListener('submit', (e) => { e.preventDefault(); });
    app.addEventListener('click', onClick);
    $('file-input').addEventListener('change', onFile);
    document.querySelectorAll('button[data-lang]').forEach((b) => {
      b.addEventListener('click', () => { setLang(b.getAttribute('data-lang')); });
    });
    if (F.quick_exit && $('quick-exit')) {
      $('quick-exit').addEventListener('click', quickExit);
      document.addEventListener('keydown', onKey);
    }
    window.addEventListener('beforeprint', () => { state = compute(); renderSummary(); });
    // Coming back from the back/forward cache shows a clean form.
    window.addEventListener('pageshow', (e) => {
      if (!e.persisted) return;
      clearAll(true);
      document.documentElement.classList.remove('exiting');
      if ($('exit-cover')) $('exit-cover').hidden = true;
    });
  }

  /* form_seal.js */

  start();
})();
