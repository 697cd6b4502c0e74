/* The questionnaire runtime, part of the function form.js opens (see form.parts): the toolbar
   and notices, the language switch, quick exit, the input and click handlers, and start(). */

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
