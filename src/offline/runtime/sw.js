/* Oberih offline copy: the service worker. It answers from the copy a reader chose to save, and
   saves or updates that copy when a page asks. It stores nothing else: no page it merely passes,
   no request of another origin, nothing a questionnaire holds (answers live in the page's memory
   and never become a request).

   Caches: one per saved language and build, "oberih <scope> <lang> <build>", and
   "oberih <scope> state" naming the copies in use. A copy is filled completely under its own
   name and only then named in the state, so a reader never gets two builds mixed; an unfinished
   one is removed. Files are kept gzipped where the browser can (CompressionStream). */
"use strict";

var SCOPE = self.registration.scope;
var PREFIX = "oberih " + SCOPE + " ";
var STATE = PREFIX + "state";
var STATE_KEY = SCOPE + "offline-state";
var saving = null;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function readState() {
  return caches.match(STATE_KEY, { cacheName: STATE }).then(function (r) { return r ? r.json() : {}; });
}

function writeState(state) {
  var body = new Response(JSON.stringify(state), { headers: { "Content-Type": "application/json" } });
  return caches.open(STATE).then(function (c) { return c.put(STATE_KEY, body); });
}

/* Caches of this scope named in no state: unfinished or replaced copies. */
function removeUnused(state) {
  var used = [STATE];
  Object.keys(state).forEach(function (l) { used.push(state[l].cache); });
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && used.indexOf(n) < 0; })
      .map(function (n) { return caches.delete(n); }));
  });
}

var packs = typeof CompressionStream === "function" && typeof DecompressionStream === "function";

function keep(blob, type) {
  var headers = { "Content-Type": type || "application/octet-stream" };
  if (!packs) return new Response(blob, { headers: headers });
  headers["X-Oberih-Gzip"] = "1";
  return new Response(blob.stream().pipeThrough(new CompressionStream("gzip")), { headers: headers });
}

function unpack(r) {
  if (!r || !r.headers.get("X-Oberih-Gzip")) return r;
  var headers = { "Content-Type": r.headers.get("Content-Type") };
  return new Response(r.body.pipeThrough(new DecompressionStream("gzip")), { headers: headers });
}

/* The saved response for an address: the language folder's copy first, then any saved copy
   (shared assets and root pages are the same file in each). */
function fromCopy(key) {
  return readState().then(function (state) {
    var langs = Object.keys(state);
    var own = key.slice(SCOPE.length).split("/")[0];
    langs.sort(function (a, b) { return (b === own) - (a === own); });
    var i = 0;
    function next() {
      if (i >= langs.length) return null;
      var name = state[langs[i++]].cache;
      return caches.open(name).then(function (c) { return c.match(key); })
        .then(function (r) { return r ? unpack(r) : next(); });
    }
    return next();
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET" || req.url.indexOf(SCOPE) !== 0) return;
  var url = new URL(req.url);
  var path = url.pathname.slice(new URL(SCOPE).pathname.length);
  if (path === "sw.js" || path === "offline-copy.js" || /\/offline\.json$/.test(path)) return;
  if (path === "" || path.slice(-1) === "/") path += "index.html";
  event.respondWith(fromCopy(SCOPE + path).then(function (hit) {
    if (hit) return hit;
    return fetch(req).catch(function (err) {
      if (req.mode !== "navigate") throw err;
      return fromCopy(SCOPE + "404.html").then(function (r) {
        if (!r) throw err;
        // Marked, so that the page says the address is not in the copy, not that it is missing.
        return r.text().then(function (html) {
          return new Response(html.replace("<html ", "<html data-unsaved "),
            { headers: { "Content-Type": "text/html; charset=utf-8" } });
        });
      });
    });
  }));
});

function tell(message) {
  return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (list) {
    list.forEach(function (c) { c.postMessage(message); });
  });
}

function fetchList(lang) {
  return fetch(SCOPE + lang + "/offline.json", { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error("list " + r.status);
    return r.json();
  });
}

/* Hashes of the files of the copy in use, to take unchanged files from it, not the network. */
function previousHashes(old) {
  if (!old) return Promise.resolve({});
  return caches.open(old.cache).then(function (c) { return c.match(SCOPE + old.lang + "/offline.json"); })
    .then(function (r) { return r ? unpack(r).json() : { files: [] }; })
    .then(function (list) {
      var out = {};
      list.files.forEach(function (f) { out[f[0]] = f[3]; });
      return out;
    });
}

function fill(list, old, progress) {
  var name = PREFIX + list.lang + " " + list.build;
  return Promise.all([caches.delete(name).then(function () { return caches.open(name); }), previousHashes(old)])
    .then(function (both) {
      var cache = both[0], hashes = both[1];
      var queue = list.files.slice();
      function one(f) {
        var url = SCOPE + f[0];
        var reuse = old && hashes[f[0]] === f[3]
          ? caches.open(old.cache).then(function (c) { return c.match(url); }).then(unpack)
          : Promise.resolve(null);
        return reuse.then(function (r) {
          return r || fetch(url, { cache: "no-cache" }).then(function (res) {
            if (!res.ok) throw new Error("file " + res.status + " " + f[0]);
            return res;
          });
        }).then(function (res) {
          return res.blob().then(function (blob) {
            if (blob.size !== f[1]) throw new Error("changed");
            return cache.put(url, keep(blob, res.headers.get("Content-Type")));
          });
        }).then(function () { progress(f[2]); });
      }
      function worker() {
        var f = queue.shift();
        return f ? one(f).then(worker) : null;
      }
      return Promise.all([worker(), worker(), worker(), worker()]).then(function () {
        var body = new Blob([JSON.stringify(list)]);
        return cache.put(SCOPE + list.lang + "/offline.json", keep(body, "application/json"));
      });
    })
    .then(function () { return { lang: list.lang, build: list.build, bytes: list.bytes, pages: list.pages, cache: name }; });
}

/* Saves (or updates) the copies of `langs`: every language completely, then all at once in use. */
function save(langs) {
  var done = 0, total = 0, last = 0;
  function progress(n) {
    done += n;
    var now = Date.now();
    if (now - last > 150 || done >= total) {
      last = now;
      tell({ type: "progress", done: done, total: total });
    }
  }
  return Promise.all([readState(), Promise.all(langs.map(fetchList))]).then(function (both) {
    var state = both[0], lists = both[1];
    lists = lists.filter(function (l) { return !state[l.lang] || state[l.lang].build !== l.build; });
    lists.forEach(function (l) { total += l.bytes; });
    tell({ type: "progress", done: 0, total: total });
    var chain = Promise.resolve();
    var saved = [];
    lists.forEach(function (l) {
      chain = chain.then(function () {
        var old = state[l.lang] && { lang: l.lang, cache: state[l.lang].cache };
        return fill(l, old, progress).then(function (s) { saved.push(s); });
      });
    });
    return chain
      // The portal must not have changed while the files came: its lists say the same build.
      .then(function () { return Promise.all(lists.map(function (l) { return fetchList(l.lang); })); })
      .then(function (again) {
        again.forEach(function (l, i) { if (l.build !== lists[i].build) throw new Error("changed"); });
        saved.forEach(function (s) { state[s.lang] = s; });
        return writeState(state);
      })
      .then(function () { return removeUnused(state); })
      .then(function () { return state; });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "save" || !Array.isArray(data.langs)) return;
  if (!saving) {
    saving = save(data.langs)
      .then(function (state) { return tell({ type: "saved", state: state }); },
        function (err) {
          var reason = err && err.name === "QuotaExceededError" ? "no_space"
            : err && err.message === "changed" ? "changed" : "offline";
          return readState().then(removeUnused).then(function () { return tell({ type: "failed", reason: reason }); });
        })
      .then(function () { saving = null; });
  }
  event.waitUntil(saving);
});
