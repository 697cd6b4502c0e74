/* OberihSeal: encryption of records and drafts. The record envelope is documented in
   src/envelope/mod.rs; `oberih decrypt` reads it. Drafts are for this page only. */
var OberihSeal = (() => {
  'use strict';
  var subtle = window.crypto && window.crypto.subtle;
  var enc = new TextEncoder();
  var ITERATIONS = 600000;

  function b64(buf) {
    var bytes = new Uint8Array(buf), s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function unb64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function random(n) { return window.crypto.getRandomValues(new Uint8Array(n)); }

  // The deterministic core: tests call it with a fixed key and IV to compare with golden vectors.
  function sealWith(text, meta, rawKey, iv) {
    var aad = enc.encode('oberih-record/1\n' + meta.form + '\n' + meta.version + '\n' + meta.fingerprint);
    var rsa = { name: 'RSA-OAEP', hash: 'SHA-256' };
    return Promise.all([
      subtle.importKey('spki', unb64(meta.spki), rsa, false, ['encrypt']),
      subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt'])
    ]).then((keys) => {
      return Promise.all([
        subtle.encrypt({ name: 'AES-GCM', iv: iv, additionalData: aad }, keys[1], enc.encode(text)),
        subtle.encrypt({ name: 'RSA-OAEP' }, keys[0], rawKey)
      ]);
    }).then((out) => {
      return JSON.stringify({
        oberih: 'encrypted-record', format: 1, alg: 'RSA-OAEP-256+A256GCM', form: meta.form,
        version: meta.version, key: meta.fingerprint, wrapped_key: b64(out[1]), iv: b64(iv), ciphertext: b64(out[0])
      });
    });
  }

  // A fresh AES key and IV per record; the raw key is zeroed once wrapped.
  function seal(text, meta) {
    var raw = random(32);
    return sealWith(text, meta, raw, random(12)).then(
      (s) => { raw.fill(0); return s; },
      (e) => { raw.fill(0); throw e; });
  }

  function draftKey(pass, salt, iterations, use) {
    return subtle.importKey('raw', enc.encode(pass), 'PBKDF2', false, ['deriveKey']).then((k) => {
      return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations },
        k, { name: 'AES-GCM', length: 256 }, false, [use]);
    });
  }
  function draftAad(form, version, iterations) {
    return enc.encode('oberih-draft/1\n' + form + '\n' + version + '\n' + iterations);
  }

  // A draft: PBKDF2-SHA-256 (600,000 iterations, recorded in the file) + AES-256-GCM.
  function sealDraft(text, pass, meta) {
    var salt = random(16), iv = random(12);
    return draftKey(pass, salt, ITERATIONS, 'encrypt').then((k) => {
      var aad = draftAad(meta.form, meta.version, ITERATIONS);
      return subtle.encrypt({ name: 'AES-GCM', iv: iv, additionalData: aad }, k, enc.encode(text));
    }).then((ct) => {
      return JSON.stringify({
        oberih: 'encrypted-draft', format: 1, alg: 'PBKDF2-SHA-256+A256GCM', form: meta.form, version: meta.version,
        iterations: ITERATIONS, salt: b64(salt), iv: b64(iv), ciphertext: b64(ct)
      });
    });
  }

  // Rejects (and loads nothing) on a wrong passphrase, a changed file or a weakened KDF.
  function openDraft(env, pass) {
    if (!env || env.oberih !== 'encrypted-draft' || env.format !== 1 || !(env.iterations >= ITERATIONS)) {
      return Promise.reject(new Error('not a draft'));
    }
    return draftKey(pass, unb64(env.salt), env.iterations, 'decrypt').then((k) => {
      var aad = draftAad(env.form, env.version, env.iterations);
      return subtle.decrypt({ name: 'AES-GCM', iv: unb64(env.iv), additionalData: aad }, k, unb64(env.ciphertext));
    }).then((buf) => new TextDecoder().decode(buf));
  }

  return {
    available: () => !!(subtle && window.crypto.getRandomValues),
    seal: seal, sealWith: sealWith, sealDraft: sealDraft, openDraft: openDraft, unb64: unb64
  };
})();
