/* Oberih offline copy, the page's side: offers to save the portal's languages for use without a
   connection (with the size before anything is downloaded), shows the download and what is
   stored, offers a new version when the portal changed, and deletes the copy. Only over https
   or localhost: from a folder (file://) the portal works offline as it is, and nothing here runs.
   Nothing is downloaded or registered until the reader asks. */
(function () {
  "use strict";
  var box = document.getElementById("offline");
  var island = document.getElementById("offline-i18n");
  var secure = window.isSecureContext && location.protocol !== "file:";
  if (!box || !island || !secure || !("serviceWorker" in navigator) || !window.caches) return;
  // The web app manifest is named here, not in the page: from a folder the browser refuses to
  // read it and says so in the console.
  var manifest = document.createElement("link");
  manifest.rel = "manifest";
  manifest.href = box.getAttribute("data-manifest");
  document.head.appendChild(manifest);
  var t = JSON.parse(island.textContent);
  var bar = document.getElementById("offline-update");
  var lang = document.body.getAttribute("data-lang") || document.documentElement.lang;
  var root = new URL(box.getAttribute("data-site-root") || "./", location.href).href;
  var PREFIX = "oberih " + root + " ";
  var names = {};
  var links = document.querySelectorAll(".lang-switch a[hreflang]");
  for (var i = 0; i < links.length; i++) names[links[i].getAttribute("hreflang")] = links[i].textContent.trim();
  var summary = null;
  var note = "";
  var reloadWhenSaved = false;

  function fill(text, vars) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? vars[k] : m; });
  }

  function size(bytes) {
    var num = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    if (bytes >= 104858) return num.format(bytes / 1048576) + "\u00a0" + t.mb;
    return num.format(Math.max(1, Math.round(bytes / 1024))) + "\u00a0" + t.kb;
  }

  function pages(n) {
    var cat = "other";
    try { cat = new Intl.PluralRules(lang).select(n); } catch (e) { cat = "other"; }
    return (t["pages_" + cat] || t.pages_other).replace("{n}", n);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function readState() {
    // `caches.match` with a name, not `caches.open`: looking must not make a cache.
    return caches.match(root + "offline-state", { cacheName: PREFIX + "state" })
      .then(function (r) { return r ? r.json() : {}; });
  }

  function languageSize(l) {
    return fill(t.size, { language: names[l] || l, size: size(summary[l].bytes) });
  }

  function render(state) {
    var saved = Object.keys(state);
    box.textContent = "";
    box.appendChild(el("h2", "offline-title", t.title));
    if (note) box.appendChild(el("p", "offline-note", note));
    if (saved.length) {
      var bytes = 0;
      saved.forEach(function (l) { bytes += state[l].bytes; });
      var list = saved.map(function (l) { return names[l] || l; }).join(", ");
      box.appendChild(el("p", "offline-status", fill(t.saved, { languages: list, size: size(bytes) })));
      if (navigator.storage && navigator.storage.persisted) {
        navigator.storage.persisted().then(function (p) {
          if (!p) box.insertBefore(el("p", "offline-note", t.persist_denied), del);
        });
      }
      var del = el("button", "offline-delete", t["delete"]);
      del.type = "button";
      del.addEventListener("click", remove);
      box.appendChild(del);
    } else if (summary && summary[lang]) {
      var save = el("button", "offline-save");
      save.type = "button";
      save.appendChild(el("span", "offline-save-label", t.save));
      save.appendChild(el("span", "offline-size", languageSize(lang) + " · " + pages(summary[lang].pages)));
      save.addEventListener("click", function () { start([lang], false); });
      box.appendChild(save);
      var others = Object.keys(summary).filter(function (l) { return l !== lang; });
      if (others.length) {
        var p = el("p", "offline-others", t.other + " ");
        others.forEach(function (l) {
          var b = el("button", "offline-other", languageSize(l));
          b.type = "button";
          b.lang = l;
          b.addEventListener("click", function () { start([l], false); });
          p.appendChild(b);
        });
        box.appendChild(p);
      }
    }
    box.hidden = !saved.length && !(summary && summary[lang]);
    offerUpdate(state);
  }

  function offerUpdate(state) {
    if (!bar || !summary) return;
    var stale = Object.keys(state).filter(function (l) { return summary[l] && summary[l].build !== state[l].build; });
    bar.textContent = "";
    bar.hidden = !stale.length;
    if (!stale.length) return;
    var parts = t.update.split("{button}");
    var b = el("button", "offline-update-button", t.update_button);
    b.type = "button";
    b.addEventListener("click", function () { start(stale, true); });
    bar.appendChild(document.createTextNode(parts[0]));
    bar.appendChild(b);
    bar.appendChild(document.createTextNode(parts[1] || ""));
  }

  function showProgress(done, total) {
    var meter = box.querySelector("progress");
    if (!meter) {
      box.textContent = "";
      box.appendChild(el("h2", "offline-title", t.title));
      var status = el("p", "offline-status");
      status.id = "offline-progress";
      box.appendChild(status);
      meter = el("progress");
      meter.setAttribute("aria-labelledby", "offline-progress");
      box.appendChild(meter);
    }
    meter.max = total || 1;
    meter.value = done;
    box.querySelector(".offline-status").textContent = fill(t.saving, { done: size(done), total: size(total) });
    box.hidden = false;
  }

  function start(langs, reload) {
    note = "";
    reloadWhenSaved = reload;
    if (bar) bar.hidden = true;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    var total = 0;
    langs.forEach(function (l) { total += summary[l] ? summary[l].bytes : 0; });
    showProgress(0, total);
    navigator.serviceWorker.register(root + "sw.js", { scope: root }).then(function (reg) {
      var send = function (w) { w.postMessage({ type: "save", langs: langs }); };
      if (reg.active) return send(reg.active);
      var w = reg.installing || reg.waiting;
      w.addEventListener("statechange", function () { if (w.state === "activated") send(w); });
    }).catch(function () { failed("offline"); });
  }

  function failed(reason) {
    note = fill(t.failed, { reason: t[reason] || t.offline });
    readState().then(render);
  }

  function remove() {
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0; })
        .map(function (k) { return caches["delete"](k); }));
    }).then(function () { return navigator.serviceWorker.getRegistration(root); })
      .then(function (reg) { return reg && reg.scope === root ? reg.unregister() : null; })
      .then(function () { note = t.deleted; render({}); });
  }

  navigator.serviceWorker.addEventListener("message", function (e) {
    var d = e.data || {};
    if (d.type === "progress") showProgress(d.done, d.total);
    else if (d.type === "saved" && reloadWhenSaved) location.reload();
    else if (d.type === "saved") render(d.state);
    else if (d.type === "failed") failed(d.reason);
  });
  navigator.serviceWorker.startMessages();

  // What each language's copy would take, from the portal as it is now: a script, not a
  // request (the pages' policy allows no `connect-src`), fresh each time, never from the copy.
  window.OberihOffline = {
    copy: function (s) {
      summary = s;
      readState().then(render);
    },
  };
  if (navigator.onLine === false) {
    readState().then(render);
    return;
  }
  var script = document.createElement("script");
  script.src = root + "offline-copy.js?" + Date.now();
  script.onerror = function () { readState().then(render); };
  document.head.appendChild(script);
})();
