/* OberihSeal: encryption of records and drafts. The record envelope is documented in
   src/envelope/mod.rs; `oberih decrypt` reads it. Drafts are for this page only. */
var OberihSeal = (() => {
  'use strict';
  var subtle = window.crypto && window.crypto.subtle;
  var enc = new TextEncoder();
  var ITERATIONS = 600000;
  var AES256 = { name: 'AES-GCM', length: 256 };

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
  function gcm(iv, aad) { return { name: 'AES-GCM', iv: iv, additionalData: aad }; }

  function aadOf(format, meta) {
    return enc.encode('oberih-record/' + format + '\n' + meta.form + '\n' + meta.version + '\n' + meta.fingerprint);
  }

  // Format 1 (RSA keys). The deterministic core: tests call it with a fixed key and IV to compare
  // with golden vectors.
  async function sealWith(text, meta, rawKey, iv) {
    var office = await subtle.importKey('spki', unb64(meta.spki), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
    var key = await subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt']);
    var wrapped = await subtle.encrypt({ name: 'RSA-OAEP' }, office, rawKey);
    return envelope(1, 'RSA-OAEP-256+A256GCM', meta, iv, key, text, 'wrapped_key', wrapped);
  }

  // Format 2 (P-256 keys): a fresh ECDH key pair per record, of which only the public point is
  // kept; HKDF-SHA-256 (salt: that point, info: the additional data) turns the shared secret into
  // the AES-256-GCM key, which is never extractable.
  async function sealEc(text, meta, iv) {
    var ecdh = { name: 'ECDH', namedCurve: 'P-256' };
    var office = await subtle.importKey('spki', unb64(meta.spki), ecdh, false, []);
    var pair = await subtle.generateKey(ecdh, false, ['deriveBits']);
    var epk = await subtle.exportKey('raw', pair.publicKey);
    var shared = await subtle.deriveBits({ name: 'ECDH', public: office }, pair.privateKey, 256);
    var ikm = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    var key = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: epk, info: aadOf(2, meta) }, ikm,
      AES256, false, ['encrypt']);
    return envelope(2, 'ECDH-ES+HKDF-SHA256+A256GCM', meta, iv, key, text, 'epk', epk);
  }

  async function envelope(format, alg, meta, iv, key, text, lockName, lock) {
    var ct = await subtle.encrypt(gcm(iv, aadOf(format, meta)), key, enc.encode(text));
    return JSON.stringify({
      oberih: 'encrypted-record', format: format, alg: alg, form: meta.form, version: meta.version, key: meta.fingerprint,
      [lockName]: b64(lock), iv: b64(iv), ciphertext: b64(ct)
    });
  }

  // Sealed with the kind of key the build found; a fresh AES key (or ephemeral key) and IV per
  // record; a raw AES key is zeroed once wrapped. A key of any other kind fails to import as an
  // RSA-OAEP key, so nothing is sealed.
  async function seal(text, meta) {
    if (meta.kind === 'p256') return sealEc(text, meta, random(12));
    var raw = random(32);
    try { return await sealWith(text, meta, raw, random(12)); } finally { raw.fill(0); }
  }

  async function draftKey(pass, salt, iterations, use) {
    var k = await subtle.importKey('raw', enc.encode(pass), 'PBKDF2', false, ['deriveKey']);
    return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations }, k, AES256, false, [use]);
  }
  function draftAad(form, version, iterations) {
    return enc.encode('oberih-draft/1\n' + form + '\n' + version + '\n' + iterations);
  }

  // A draft: PBKDF2-SHA-256 (600,000 iterations, recorded in the file) + AES-256-GCM.
  async function sealDraft(text, pass, meta) {
    var salt = random(16), iv = random(12);
    var k = await draftKey(pass, salt, ITERATIONS, 'encrypt');
    var ct = await subtle.encrypt(gcm(iv, draftAad(meta.form, meta.version, ITERATIONS)), k, enc.encode(text));
    return JSON.stringify({
      oberih: 'encrypted-draft', format: 1, alg: 'PBKDF2-SHA-256+A256GCM', form: meta.form, version: meta.version,
      iterations: ITERATIONS, salt: b64(salt), iv: b64(iv), ciphertext: b64(ct)
    });
  }

  // Rejects (and loads nothing) on a wrong passphrase, a changed file or a weakened KDF.
  async function openDraft(env, pass) {
    if (!env || env.oberih !== 'encrypted-draft' || env.format !== 1 || !(env.iterations >= ITERATIONS)) {
      throw new Error('not a draft');
    }
    var k = await draftKey(pass, unb64(env.salt), env.iterations, 'decrypt');
    var aad = draftAad(env.form, env.version, env.iterations);
    return new TextDecoder().decode(await subtle.decrypt(gcm(unb64(env.iv), aad), k, unb64(env.ciphertext)));
  }

  return {
    available: () => !!(subtle && window.crypto.getRandomValues),
    seal: seal, sealWith: sealWith, sealDraft: sealDraft, openDraft: openDraft, unb64: unb64
  };
})();
