// Answer sets for the differential test (xlsform_diff.js), generated from the compiled form the
// questionnaire page carries. Set n of a form is always the same (a seeded generator), so a
// failure can be replayed. Each answer may be blank, a «missing» code, a value an `end_if` or
// `alert_if` names, a value out of a constraint's range, or an ordinary value.
"use strict";

/** mulberry32: a small seeded generator, enough for test data. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every text literal of an expression tree (the JSON the page runs). */
function literals(ast, out = []) {
  if (typeof ast === "string") out.push(ast);
  else if (Array.isArray(ast)) ast.slice(1).forEach((a) => literals(a, out));
  return out;
}

/** For each question id, the text literals of the indicator and outcome conditions that read it:
 *  the answers that may fire something. */
function firingValues(F) {
  const out = {};
  const refs = (ast, acc = []) => {
    if (Array.isArray(ast)) {
      if (ast[0] === "ref") acc.push(ast[1]);
      else ast.slice(1).forEach((a) => refs(a, acc));
    }
    return acc;
  };
  for (const item of F.indicators.concat(F.outcomes)) {
    const lits = literals(item.when);
    for (const id of refs(item.when)) out[id] = (out[id] || []).concat(lits);
  }
  return out;
}

function weighted(rnd, items) {
  const total = items.reduce((s, [w]) => s + w, 0);
  let x = rnd() * total;
  for (const [w, v] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return items[items.length - 1][1];
}

const EDGES = [-1, 0, 11, 12, 13, 17, 18, 24, 25, 120, 121];

/** The numbers a question's own conditions name, and their neighbours: where a constraint, an
 *  alert or an ending turns. */
function boundaries(q) {
  const out = [];
  const walk = (ast) => {
    if (typeof ast === "number") out.push(ast - 1, ast, ast + 1);
    else if (Array.isArray(ast)) ast.slice(1).forEach(walk);
  };
  [q.constraint, q.alert_if, q.end_if].forEach(walk);
  return out;
}

// Each set follows one profile, so that every outcome comes up: ordinary answers; careful answers
// (few blanks or unknowns, rarely an answer an indicator or outcome looks for); many
// «missing» answers and blanks; the first option often.
const PROFILES = [
  { blank: 0.4, missing: 0.5, first: 1, stop: 0.15, typedBlank: 0.12 },
  { blank: 0.02, missing: 0.02, first: 1, stop: 0.04, typedBlank: 0.02, calm: true },
  { blank: 0.6, missing: 2, first: 1, stop: 0.1, typedBlank: 0.3 },
  { blank: 0.2, missing: 0.3, first: 2.5, stop: 0.1, typedBlank: 0.1 },
];

function answer(rnd, F, q, p) {
  const choices = q.choices == null ? [] : F.lists[q.choices];
  // Values that end the interview are rare, so most sets reach the later questions.
  const stops = literals(q.end_if);
  const scored = F.indicator_questions.includes(q.id);
  const fires = (p.calm && firingValues(F)[q.id]) || [];
  const weight = (c, i) => stops.includes(c.value) ? p.stop : c.missing ? p.missing : fires.includes(c.value) ? 0.03
    : i === 0 && scored ? p.first : 1;
  switch (q.type) {
    case "choice":
      return weighted(rnd, [[p.blank, null], ...choices.map((c, i) => [weight(c, i), c.value])]);
    case "multi_choice": {
      if (rnd() < p.typedBlank) return null;
      const picked = choices.filter((c) => rnd() < (c.missing ? 0.08 : fires.includes(c.value) ? 0.02 : 0.3)).map((c) => c.value);
      return picked.length ? picked : null;
    }
    case "integer":
    case "decimal": {
      const r = rnd();
      if (r < p.typedBlank) return null;
      if (p.calm) return q.end_if ? 18 + Math.floor(rnd() * 63) : Math.floor(rnd() * 11);
      if (r < p.typedBlank + 0.2) {
        const edges = EDGES.concat(boundaries(q), boundaries(q));
        return edges[Math.floor(rnd() * edges.length)];
      }
      if (r < 0.45) return Math.floor(rnd() * 31);
      const n = 18 + Math.floor(rnd() * 63);
      return q.type === "decimal" ? n + 0.5 : n;
    }
    case "date": {
      if (rnd() < p.typedBlank) return null;
      const y = 1950 + Math.floor(rnd() * 70), m = 1 + Math.floor(rnd() * 12), d = 1 + Math.floor(rnd() * 28);
      return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    }
    case "text":
    case "long_text":
      return rnd() < p.typedBlank ? null : "м’ята ʼ' відповідь";
    default:
      return null;
  }
}

/** The n-th answer set of form F: the steps to fill and the keys to compare. */
function planFor(F, n) {
  let seed = n + 1;
  for (const ch of F.id) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const rnd = generator(seed);
  const profile = PROFILES[n % PROFILES.length];
  const steps = [], keys = [], answers = {};
  const key = (q, k) => ({ key: k, constraint: !!q.constraint, alert: !!q.alert_if, end: !!q.end_if });
  const asked = (q) => q.type !== "calculate";
  for (const s of F.sections) {
    if (!s.repeat) {
      for (const q of s.questions.filter(asked)) {
        const value = answer(rnd, F, q, profile);
        steps.push({ id: q.id, type: q.type, value });
        keys.push(key(q, q.id));
        if (value !== null) answers[q.id] = value;
      }
      continue;
    }
    const count = weighted(rnd, [[0.3, 0], [0.35, 1], [0.25, 2], [0.1, Math.min(3, (s.repeat.max || 3))]]);
    const rows = [];
    for (let i = 0; i < count; i++) {
      const row = [];
      for (const q of s.questions.filter(asked)) {
        const value = answer(rnd, F, q, profile);
        row.push({ id: q.id, type: q.type, value });
        keys.push(key(q, `${s.id}.${i}.${q.id}`));
        if (value !== null) answers[`${s.id}.${i}.${q.id}`] = value;
      }
      rows.push(row);
    }
    steps.push({ repeat: s.id, rows });
  }
  return { steps, keys, answers };
}

module.exports = { planFor };
