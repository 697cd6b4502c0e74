// Runs the expression conformance vectors through src/forms/runtime/expr.js, or through the
// file named as the first argument (the same source as the build minifies it).
// Input (stdin): {"cases": [{"name", "ast", "env", "expect"}]}, made by tests/expr_cases.rs from
// tests/expr/cases.toml. Output (stdout): {"checked": N, "mismatches": [{"name", "got", "expect"}]}.
// Exit code 0 whenever the report was written; the Rust test decides pass or fail.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const file = process.argv[2] || path.join(__dirname, '..', '..', 'src', 'forms', 'runtime', 'expr.js');
const src = fs.readFileSync(file, 'utf8');
const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
if (/\beval\s*\(|new\s+Function|\bFunction\s*\(/.test(code)) {
  throw new Error('expr.js must not use eval or new Function');
}
// A fresh context with nothing but the language built-ins, as a classic <script> would see it.
const context = vm.createContext({});
vm.runInContext(src, context, { filename: file });
const OberihExpr = context.OberihExpr;
if (!OberihExpr || typeof OberihExpr.evaluate !== 'function') {
  throw new Error('expr.js does not define the global OberihExpr.evaluate');
}

function same(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  return a === b;
}

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const mismatches = [];
let checked = 0;
for (const c of input.cases) {
  let got;
  try {
    // JSON through the context boundary so arrays are plain arrays of the context.
    got = OberihExpr.evaluate(c.ast, c.env);
    if (typeof got === 'number' && !isFinite(got)) got = 'non-finite ' + String(got);
    got = got === undefined ? '<undefined>' : JSON.parse(JSON.stringify(got));
  } catch (e) {
    got = 'threw: ' + e.message;
  }
  let truth;
  try {
    truth = OberihExpr.truth(c.ast, c.env);
  } catch (e) {
    truth = 'threw: ' + e.message;
  }
  if (!same(got, c.expect)) {
    mismatches.push({ name: c.name, got: got, expect: c.expect });
  } else if (truth !== (c.expect === true)) {
    mismatches.push({ name: c.name, got: 'truth() = ' + truth, expect: c.expect });
  }
  checked++;
}
process.stdout.write(JSON.stringify({ checked: checked, mismatches: mismatches }) + '\n');
