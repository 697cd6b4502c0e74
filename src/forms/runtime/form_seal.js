/* The questionnaire's encrypted export and passphrase drafts: a part of the runtime's function
   (see form.parts) only in a form that encrypts records or drafts, so the others do not carry
   it. Uses OberihSeal (seal.js). Never a plaintext fallback: when
   WebCrypto or the office's key is missing, the buttons stay disabled and a notice says why. */

  // ------------------------------------------------------------------ encrypted records and drafts

  var S = OberihSeal;

  function cryptoReady() { return S.available() && (F.export !== 'encrypted' || !!F.key); }
  function meta() { return Object.assign({ form: F.id, version: F.version }, F.key); }

  function exportSealed() {
    if (!cryptoReady()) return;  // the button is disabled and a notice says why; never plaintext
    var file = F.id + '-' + stamp() + '.oberih';
    working(true);
    S.seal(JSON.stringify(record()), meta()).then((text) => {
      working(false);
      save(file, 'application/octet-stream', text);
      offerClear(file);
    }, () => { working(false); say(ui('no_webcrypto')); });
  }

  function working(on) {
    busy = on;
    $('toolbar').querySelectorAll('button').forEach((b) => { b.disabled = on || b.oberihOff; });
    if (on) say(ui('working'));
  }

  // The passphrase form for saving (twice) or opening (once) a draft.
  function askPassphrase(mode, text, name) {
    var f = el('form', { autocomplete: 'off', novalidate: true });
    var one = el('input', { type: 'password', id: 'pass-1', 'aria-describedby': 'pass-help', autocomplete: 'off' });
    var two = el('input', { type: 'password', id: 'pass-2', autocomplete: 'off' });
    var err = el('p', { class: 'error', id: 'pass-error', role: 'alert' });
    f.append(tr(el('label', { for: 'pass-1' }), uiText('passphrase')));
    if (mode === 'save') f.append(tr(el('p', { class: 'hint', id: 'pass-help' }), uiText('passphrase_help')));
    f.append(one);
    if (mode === 'save') f.append(tr(el('label', { for: 'pass-2' }), uiText('passphrase_repeat')), two);
    f.append(err, el('div', { class: 'panel-buttons' }, [
      tr(el('button', { type: 'submit', class: 'primary' }), uiText('ok')), button('cancel', 'close')]));
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      if (busy) return;
      if (mode === 'save' && one.value.length < 8) { err.textContent = ui('passphrase_short'); return; }
      if (mode === 'save' && one.value !== two.value) { err.textContent = ui('passphrase_mismatch'); return; }
      var pass = one.value;
      one.value = two.value = '';
      if (mode === 'save') saveDraft(pass); else openDraft(text, pass, name, err);
    });
    panel([f], one);
  }

  function saveDraft(pass) {
    var file = F.id + '-draft-' + stamp() + '.oberih-draft';
    working(true);
    S.sealDraft(JSON.stringify(record()), pass, meta()).then((text) => {
      working(false);
      save(file, 'application/octet-stream', text);
      closePanel();
      say(ui('draft_saved', { file: file }));
    }, () => { working(false); say(ui('no_webcrypto')); });
  }

  function openDraft(text, pass, name, err) {
    var env = null;
    try { env = JSON.parse(text); } catch (e) { env = null; }
    working(true);
    S.openDraft(env, pass).then((plain) => {
      working(false);
      closePanel();
      loadText(plain, name);
    }, () => {
      working(false);
      err.textContent = ui('draft_wrong');
    });
  }

  sealing = {
    tools: (items) => {
      var off = !cryptoReady();
      if (F.export === 'encrypted') items.push(['export_encrypted', 'export-encrypted', off]);
      if (F.storage === 'encrypted-file') items.push(['save_draft', 'save-draft', off], ['open_draft', 'open-draft', off]);
    },
    notices: (box) => {
      var needsKey = F.export === 'encrypted';
      if (needsKey && !F.key) box.append(tr(el('p', { class: 'notice', id: 'crypto-notice' }), uiText('no_key')));
      else if (!S.available()) box.append(tr(el('p', { class: 'notice', id: 'crypto-notice' }), uiText('no_webcrypto')));
      else if (needsKey) box.append(tr(el('p', { class: 'notice ok' }), uiText('encrypted_note')));
    }
  };
  Object.assign(actions, {
    'export-encrypted': exportSealed,
    'save-draft': () => { askPassphrase('save'); },
    'open-draft': () => { pickFile('.oberih-draft', (text, name) => { askPassphrase('open', text, name); }); }
  });
