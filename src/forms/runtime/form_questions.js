/* The questionnaire runtime, part of the function form.js opens (see form.parts): draws the
   questions, the repeated sections' entries and their controls from the form's data, and reads
   and writes an answer in its control. */

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
