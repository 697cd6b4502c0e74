// The same answers given to Oberih's questionnaire and to the form's XLSForm export running in the
// ODK web engine (enketo-transformer's browser build + enketo-core, bundled with esbuild at test
// time), both in headless Chromium. Run by tests/xlsform.rs:
//   node tests/browser/xlsform_diff.js PUBLIC_DIR XFORM_DIR WORK_DIR COUNT FORM_ID...
// PUBLIC_DIR is a built portal, XFORM_DIR holds FORM_ID.xml (pyxform's output), WORK_DIR is a
// scratch folder. For each form, COUNT answer sets are generated from the form itself (blanks,
// «missing» answers, values that end the interview, values that break a constraint, 0-3 repeat
// entries), filled in form order into whichever questions each engine shows, and the two must
// agree on: the questions shown, the constraints that fail, the alerts and the ending shown, the
// indicators fired and the outcome. Prints one JSON line: {failures: [...], forms: {...}}.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, fileUrl } = require("./lib.js");
const { planFor } = require("./xlsform_plan.js");
const { bundle } = require("./enketo_bundle.js");

const [pub, xformDir, work, countArg, ...formIds] = process.argv.slice(2);
const COUNT = Number(countArg);
const failures = [];
const report = { failures, forms: {} };

// ------------------------------------------------------------------ in-page drivers
// Both engines get the same plan and the same walk (runPlan): each question, in form order, is
// answered only if that engine shows it at that moment. Then each reports what it shows and
// computes. The walk and the drivers run inside the page.

const COMMON = `
window.runPlan = function (plan, D) {
  function walk(steps, prefix) {
    steps.forEach(function (st) {
      if (st.repeat) {
        D.entries(st.repeat, st.rows.length);
        st.rows.forEach(function (row, i) { walk(row, st.repeat + '.' + i + '.'); });
        return;
      }
      var key = prefix + st.id;
      if (st.value === null || st.value === undefined || !D.shown(key)) return;
      D.set(key, st.type, st.value);
    });
  }
  walk(plan.steps, '');
  // Enketo checks constraints asynchronously: read once they are settled.
  return new Promise(function (done) { setTimeout(done, 30); }).then(function () { return report(plan, D); });
};
window.report = function (plan, D) {
  var out = { shown: [], invalid: [], alerts: [], ended: [] };
  plan.keys.forEach(function (k) {
    if (!D.exists(k.key)) return;
    if (D.shown(k.key)) out.shown.push(k.key);
    if (k.constraint && D.invalid(k.key)) out.invalid.push(k.key);
    if (k.alert && D.alert(k.key)) out.alerts.push(k.key);
    if (k.end && D.end(k.key)) out.ended.push(k.key);
  });
  var r = D.result();
  out.indicators = r.indicators.sort();
  out.outcome = r.outcome;
  return out;
};`;

const OBERIH = `
window.OberihDriver = {
  box: function (key) { return document.getElementById('w-' + key.replace(/\\./g, '-')); },
  exists: function (key) { return !!this.box(key); },
  shown: function (key) { var b = this.box(key); return !!b && !b.hidden; },
  entries: function (id, n) {
    var have = document.querySelectorAll('#s-' + id + ' button[data-remove]').length;
    for (var i = have; i < n; i++) document.querySelector('button[data-add="' + id + '"]').click();
  },
  set: function (key, type, value) {
    var name = 'q-' + key.replace(/\\./g, '-');
    var fire = function (el) { el.dispatchEvent(new Event('change', { bubbles: true })); };
    if (type === 'choice' || type === 'multi_choice') {
      var values = [].concat(value);
      document.querySelectorAll('input[name="' + name + '"]').forEach(function (i) {
        var on = values.indexOf(i.value) >= 0;
        if (i.checked !== on) { i.checked = on; fire(i); }
      });
    } else {
      var el = document.getElementById(name);
      el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      fire(el);
    }
  },
  invalid: function (key) { var e = document.getElementById('q-' + key.replace(/\\./g, '-') + '-error'); return !!e && !e.hidden; },
  alert: function (key) { var a = this.box(key).querySelector('.alert'); return this.shown(key) && !!a && !!a.firstChild; },
  end: function (key) { var e = this.box(key).querySelector('.end'); return !!e && !e.hidden; },
  result: function () {
    window.dispatchEvent(new Event('beforeprint'));
    var o = document.getElementById('outcome');
    return {
      outcome: o ? o.getAttribute('data-outcome') : null,
      indicators: Array.from(document.querySelectorAll('#result li[data-indicator]')).map(function (l) { return l.getAttribute('data-indicator'); })
    };
  }
};`;

const ENKETO = `
window.confirm = function () { return true; };
window.EnketoDriver = {
  input: function (key, value) {
    var parts = key.split('.'), scope = document.querySelector('#host form');
    if (parts.length === 3) {
      scope = document.querySelectorAll('.or-repeat[name$="/' + parts[0] + '"]')[+parts[1]];
      if (!scope) return null;
    }
    var id = parts[parts.length - 1];
    var sel = '[data-name$="/' + id + '"], [name$="/' + id + '"]';
    var all = Array.from(scope.querySelectorAll(sel)).filter(function (el) { return !el.closest('.or-repeat-info'); });
    if (value !== undefined) all = all.filter(function (el) { return el.value === value; });
    return all[0] || null;
  },
  exists: function (key) { return !!this.input(key); },
  shown: function (key) { var i = this.input(key); return !!i && !i.closest('.disabled'); },
  entries: function (id, n) {
    var reps = function () { return document.querySelectorAll('.or-repeat[name$="/' + id + '"]'); };
    var guard = 0;
    while (reps().length > n && guard++ < 10) reps()[reps().length - 1].querySelector('button.remove').click();
    while (reps().length < n && guard++ < 20) document.querySelector('.or-repeat-info[data-name$="/' + id + '"] button.add-repeat-btn').click();
  },
  set: function (key, type, value) {
    var fire = function (el) { el.dispatchEvent(new Event('change', { bubbles: true })); };
    var self = this;
    if (type === 'choice') {
      var r = self.input(key, value); r.checked = true; fire(r);
    } else if (type === 'multi_choice') {
      [].concat(value).forEach(function (v) { var c = self.input(key, v); c.checked = true; fire(c); });
    } else {
      var el = self.input(key); el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true })); fire(el);
    }
  },
  invalid: function (key) { var i = this.input(key); var q = i && i.closest('.question'); return !!q && q.classList.contains('invalid-constraint'); },
  alert: function (key) { return this.noteShown(key, '_alert'); },
  end: function (key) { return this.noteShown(key, '_end'); },
  noteShown: function (key, suffix) {
    var parts = key.split('.'); parts[parts.length - 1] += suffix;
    var k = parts.join('.');
    return this.exists(k) && this.shown(k);
  },
  result: function () {
    var doc = new DOMParser().parseFromString(window.enketoForm.model.getStr(), 'text/xml');
    var val = function (name) { var n = doc.getElementsByTagName(name)[0]; return n ? n.textContent : ''; };
    var ind = [];
    Array.from(doc.getElementsByTagName('*')).forEach(function (n) {
      if (/^ind_/.test(n.localName) && n.textContent === '1') ind.push(n.localName.slice(4));
    });
    return { outcome: val('outcome') || null, indicators: ind };
  }
};
window.startEnketo = function () {
  var host = document.getElementById('host');
  host.innerHTML = window.survey.form;
  var form = new window.Enketo.Form(host.querySelector('form'), { modelStr: window.survey.model }, {});
  var errors = form.init();
  window.enketoForm = form;
  return errors;
};`;

// ------------------------------------------------------------------ comparing

function differences(a, b) {
  const out = [];
  for (const k of ["shown", "invalid", "alerts", "ended", "indicators"]) {
    const onlyA = a[k].filter((x) => !b[k].includes(x));
    const onlyB = b[k].filter((x) => !a[k].includes(x));
    if (onlyA.length || onlyB.length) out.push(`${k}: only Oberih ${JSON.stringify(onlyA)}, only Enketo ${JSON.stringify(onlyB)}`);
  }
  if (a.outcome !== b.outcome) out.push(`outcome: Oberih ${a.outcome}, Enketo ${b.outcome}`);
  return out;
}

async function formData(page) {
  return page.evaluate(async () => {
    const deflated = Uint8Array.from(atob(document.getElementById("form-data").textContent), (c) => c.charCodeAt(0));
    const json = new Blob([deflated]).stream().pipeThrough(new DecompressionStream("deflate"));
    return JSON.parse(await new Response(json).text());
  });
}

async function diffForm(context, enketoHtml, id) {
  const stats = { sets: 0, outcomes: {}, ended: 0, invalid: 0, shownKeys: {}, problems: [] };
  const oberih = await context.newPage();
  oberih.on("pageerror", (e) => stats.problems.push("oberih pageerror: " + e.message));
  const formUrl = fileUrl(path.join(pub, "uk", "forms", id, "index.html"));
  await oberih.goto(formUrl);
  const F = await formData(oberih);
  const enketo = await context.newPage();
  enketo.on("pageerror", (e) => stats.problems.push("enketo pageerror: " + e.message));
  await enketo.goto(fileUrl(enketoHtml));
  await enketo.evaluate(COMMON + ENKETO);
  const xform = fs.readFileSync(path.join(xformDir, id + ".xml"), "utf8");
  const loadErrors = await enketo.evaluate(async (x) => {
    window.survey = await window.Enketo.transform({ xform: x });
    return window.startEnketo();
  }, xform);
  if (loadErrors && loadErrors.length) failures.push(`${id}: Enketo could not load the form: ${loadErrors.join("; ")}`);
  for (let n = 0; n < COUNT; n++) {
    const plan = planFor(F, n);
    await oberih.goto(formUrl);
    await oberih.waitForSelector("#app:not([hidden])");
    await oberih.evaluate(COMMON + OBERIH);
    const a = await oberih.evaluate((p) => window.runPlan(p, window.OberihDriver), plan);
    const b = await enketo.evaluate((p) => { window.startEnketo(); return window.runPlan(p, window.EnketoDriver); }, plan);
    stats.sets++;
    stats.outcomes[a.outcome] = (stats.outcomes[a.outcome] || 0) + 1;
    if (a.ended.length) stats.ended++;
    if (a.invalid.length) stats.invalid++;
    a.shown.forEach((k) => { stats.shownKeys[k] = true; });
    const d = differences(a, b);
    if (d.length) failures.push(`${id}, answer set ${n} ${JSON.stringify(plan.answers)}:\n  ${d.join("\n  ")}`);
    if (failures.length > 20) break;
  }
  stats.shownKeys = Object.keys(stats.shownKeys).length;
  stats.problems.forEach((p) => failures.push(`${id}: ${p}`));
  await oberih.close();
  await enketo.close();
  return stats;
}

(async () => {
  const { context } = await launch();
  try {
    const html = await bundle(work);
    for (const id of formIds) report.forms[id] = await diffForm(context, html, id);
  } catch (e) {
    failures.push("exception: " + (e.stack || e));
  } finally {
    await context.close();
  }
  console.log(JSON.stringify(report));
})();
