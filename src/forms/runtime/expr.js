/* Oberih form expressions: the browser interpreter. Mirrors src/forms/expr (eval.rs) exactly;
   tests/expr/cases.toml is run through both. Plain ES2018, no eval, no new Function.

   OberihExpr.evaluate(ast, env) -> null | boolean | number | string | string[]
   OberihExpr.truth(ast, env)    -> true only if the value is true (how conditions are decided)

   ast: the JSON that the Rust compiler emits (Expr::to_json):
     14, "yes", true, null        literals          ["ref", id]   an answer     ["."]  current
     ["neg", e] ["not", e]        [op, a, b] with op = or and = != < <= > >= + - * / mod
     [fname, args...]             a call; ["any", "jobs", e] / ["count", "jobs", e] name the repeat

   env (every key optional):
     answers:    {id: value}      value: null, boolean, number, string (text, choice code or
                                  'YYYY-MM-DD' date) or array of strings (multi_choice).
                                  Non-relevant questions must be absent or null.
     current:    value of "."     current_id: the id "." stands for (for is_missing(.))
     missing:    {id: [codes]}    option values with missing = true ("dk", "refused")
     indicators: [{dimension, strength}]   fired indicators; strength "strong"|"medium"|"weak"
     unanswered: n                indicator questions asked and left blank; unknown_count adds them
     today:      'YYYY-MM-DD'     (absent: today() is null)
     rule:       {any_of: [{strong, medium, weak, medium_or_weak}]}  (absent: the ILO/EC rule)
     repeats:    {id: [ {id: value}, ... ] | null}   entries of a repeat section; null or absent
                                  when the section is not relevant */
var OberihExpr = (() => {
  'use strict';
  var DEFAULT_RULE = { any_of: [{ strong: 2 }, { strong: 1, medium_or_weak: 1 }, { medium: 3 }, { medium: 2, weak: 1 }] };

  function isArr(v) { return Array.isArray(v); }
  function isStr(v) { return typeof v === 'string'; }
  function isNum(v) { return typeof v === 'number'; }
  function isBool(v) { return typeof v === 'boolean'; }
  function has(o, k) { return o != null && Object.prototype.hasOwnProperty.call(o, k); }
  function num(n) { return isFinite(n) ? n : null; }
  function norm(v) { return v === undefined || v === '' || (isArr(v) && v.length === 0) ? null : v; }

  function parseDate(s) {
    var m = isStr(s) && /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3];
    var leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
    return days && d >= 1 && d <= days ? [y, mo, d] : null;
  }

  function and3(a, b) { return a === false || b === false ? false : a === true && b === true ? true : null; }
  function or3(a, b) { return a === true || b === true ? true : a === false && b === false ? false : null; }
  function b3(v) { return isBool(v) ? v : null; }

  function missingCode(env, id, code) {
    var list = has(env.missing, id) && env.missing[id];
    return !!list && list.indexOf(code) >= 0;
  }
  function isMissingValue(env, id, v) {
    if (isStr(v)) return missingCode(env, id, v);
    if (isArr(v)) return v.some((c) => { return missingCode(env, id, c); });
    return false;
  }

  function unknownCount(env) {
    var n = isNum(env.unanswered) ? env.unanswered : 0, k, r, i, row;
    for (k in env.answers || {}) if (has(env.answers, k) && isMissingValue(env, k, env.answers[k])) n++;
    for (r in env.repeats || {}) {
      if (!has(env.repeats, r) || !isArr(env.repeats[r])) continue;
      for (i = 0; i < env.repeats[r].length; i++) {
        row = env.repeats[r][i];
        for (k in row) if (has(row, k) && isMissingValue(env, k, row[k])) n++;
      }
    }
    return n;
  }

  function countStrength(env, s) {
    return (env.indicators || []).filter((f) => { return f.strength === s; }).length;
  }

  function dimPositive(env, d) {
    var s = 0, m = 0, w = 0;
    (env.indicators || []).forEach((f) => {
      if (f.dimension !== d) return;
      if (f.strength === 'strong') s++; else if (f.strength === 'medium') m++; else if (f.strength === 'weak') w++;
    });
    return (env.rule || DEFAULT_RULE).any_of.some((c) => {
      var cs = c.strong || 0, cm = c.medium || 0, cw = c.weak || 0, cmw = c.medium_or_weak || 0;
      return s >= cs && m >= cm && w >= cw && (m - cm) + (w - cw) >= cmw;
    });
  }

  function compare(op, a, b) {
    if (op === '=' || op === '!=') {
      var same = (isBool(a) && isBool(b)) || (isNum(a) && isNum(b)) || (isStr(a) && isStr(b));
      return same ? (a === b) === (op === '=') : null;
    }
    var ok = (isNum(a) && isNum(b)) || (parseDate(a) && parseDate(b));
    if (!ok) return null;
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }

  function arith(op, a, b) {
    if (!isNum(a) || !isNum(b)) return null;
    if (op === '+') return num(a + b);
    if (op === '-') return num(a - b);
    if (op === '*') return num(a * b);
    if (b === 0) return null;
    return num(op === '/' ? a / b : a % b);
  }

  function evaluate(ast, env) {
    env = env || {};
    var rows = [];

    function lookup(id) {
      for (var i = rows.length - 1; i >= 0; i--) {
        var row = env.repeats[rows[i][0]][rows[i][1]];
        if (has(row, id)) return norm(row[id]);
      }
      return has(env.answers, id) ? norm(env.answers[id]) : null;
    }

    function ev(n) {
      if (!isArr(n)) return isNum(n) ? num(n) : n === undefined ? null : n;
      var h = n[0];
      switch (h) {
        case 'ref': return lookup(n[1]);
        case '.': return norm(env.current === undefined ? null : env.current);
        case 'neg': var x = ev(n[1]); return isNum(x) ? num(-x) : null;
        case 'not': var y = b3(ev(n[1])); return y === null ? null : !y;
        case 'and': return and3(b3(ev(n[1])), b3(ev(n[2])));
        case 'or': return or3(b3(ev(n[1])), b3(ev(n[2])));
        case '=': case '!=': case '<': case '<=': case '>': case '>=': return compare(h, ev(n[1]), ev(n[2]));
        case '+': case '-': case '*': case '/': case 'mod': return arith(h, ev(n[1]), ev(n[2]));
        default: return callFunction(h, n, ev, env, rows);
      }
    }

    return ev(ast);
  }

  /* A call of function `f` on the arguments in `n` (from n[1]), evaluated by `ev`; `any` and
   * `count` look at each row of a repeat in turn, pushed on `rows`. */
  function callFunction(f, n, ev, env, rows) {
    var a, b, t;
    switch (f) {
      case 'selected':
        a = ev(n[1]); b = ev(n[2]);
        if (!isStr(b)) return null;
        return isStr(a) ? a === b : isArr(a) ? a.indexOf(b) >= 0 : null;
      case 'count_selected':
        a = ev(n[1]);
        return isStr(a) ? 1 : isArr(a) ? a.length : null;
      case 'answered': return ev(n[1]) !== null;
      case 'is_missing':
        var id = isArr(n[1]) && n[1][0] === 'ref' ? n[1][1] : isArr(n[1]) && n[1][0] === '.' ? env.current_id : null;
        return id == null ? false : isMissingValue(env, id, ev(n[1]));
      case 'coalesce': a = ev(n[1]); return a !== null ? a : ev(n[2]);
      case 'if': return ev(n[1]) === true ? ev(n[2]) : ev(n[3]);
      case 'today': return parseDate(env.today) ? env.today : null;
      case 'age_years':
        a = parseDate(ev(n[1])); t = parseDate(env.today);
        if (!a || !t) return null;
        return t[0] - a[0] - (t[1] < a[1] || (t[1] === a[1] && t[2] < a[2]) ? 1 : 0);
      case 'length': a = ev(n[1]); return isStr(a) ? Array.from(a).length : null;
      case 'any': case 'count':
        var list = has(env.repeats, n[1]) ? env.repeats[n[1]] : null;
        if (!isArr(list)) return null;
        var any = false, count = 0;
        for (var i = 0; i < list.length; i++) {
          rows.push([n[1], i]);
          var v = b3(ev(n[2]));
          rows.pop();
          any = or3(any, v);
          if (v === true) count++;
        }
        return f === 'any' ? any : count;
      case 'strong_count': return countStrength(env, 'strong');
      case 'medium_count': return countStrength(env, 'medium');
      case 'weak_count': return countStrength(env, 'weak');
      case 'unknown_count': return unknownCount(env);
      case 'dim_positive': a = ev(n[1]); return isStr(a) ? dimPositive(env, a) : null;
      default: return null;
    }
  }

  return {
    evaluate: evaluate,
    truth: (ast, env) => { return evaluate(ast, env) === true; }
  };
})();
