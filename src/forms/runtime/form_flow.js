/* The questionnaire runtime, part of the function form.js opens (see form.parts): the skip
   logic, scoring and outcome in form order; the steps, the summary and moving between them; and
   the errors shown beside the questions and in the summary at the top. */

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
