/* The questionnaire runtime, part of the function form.js opens (see form.parts): the result
   and the answers shown back; the record the form's JSON Schema describes, its plain export, and
   clearing or loading a record file. */

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
