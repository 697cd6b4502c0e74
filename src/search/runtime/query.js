/* Oberih site search: loading the index and ranking (second of the three
 * parts, after analysis.js).
 *
 * The index lives in <lang>/search/ (format 4, written by
 * src/search/shard.rs). Each file calls OberihSearch.register(kind, n,
 * data); this script inserts <script src> elements for the files a query
 * needs (fetch, modules and workers all fail on file://).
 */
(function (global) {
  "use strict";

  var S = global.OberihSearch;
  var tokenize = S.tokenize;
  var foldLatin = S.foldLatin;
  var termOf = S.termOf;

  /* ---------- Index loading ---------- */

  var FORMAT = 4;
  var DOCS_PER_FOLDER = 1000;
  var store = Object.create(null);
  var loading = Object.create(null);
  var waiting = Object.create(null);
  var config = { base: "", version: "" };

  /* Entries keep their postings encoded until a query needs them, then
   * decoded once: the next keystroke reuses them. */
  function prepareShard(data) {
    var terms = data.terms || [];
    return {
      keys: terms.map(function (t) { return t[0]; }),
      entries: terms.map(function (t) { return { term: t[0], raw: t.slice(1), fields: null }; })
    };
  }

  /* The manifest's pages, each one number in the posting code (documents
   * times two, plus one where a docs file starts with the page), as the
   * first document of each page and of each docs file. */
  function prepareManifest(data) {
    if (data.format !== FORMAT || typeof data.pages !== "string") return data;
    var pageStarts = [];
    var fileStarts = [];
    var s = data.pages;
    var doc = 0;
    for (var i = 0; i < s.length; ) {
      var n = 0;
      var d = DIGIT[s.charCodeAt(i++)];
      while (d >= 32) {
        n = n * 32 + d - 32;
        d = DIGIT[s.charCodeAt(i++)];
      }
      n = n * 32 + d;
      pageStarts.push(doc);
      if (n & 1) fileStarts.push(doc);
      doc += n >> 1;
    }
    data.pageStarts = pageStarts;
    data.docs = fileStarts;
    return data;
  }

  /* Records as [id, title, breadcrumbs, text]: a section's record names
   * only its #anchor, and its breadcrumbs as 1 (the page record's, then its
   * title) or 0 (the record before's). */
  function prepareDocs(data) {
    var before = null;
    data.docs.forEach(function (rec) {
      if (rec[0].charAt(0) === "#") rec[0] = before[0].split("#")[0] + rec[0];
      if (rec[2] === 0) rec[2] = before[2];
      else if (rec[2] === 1) rec[2] = before[2] ? before[2] + TRAIL_SEPARATOR + before[1] : before[1];
      before = rec;
    });
    return data;
  }

  function register(kind, n, data) {
    var key = kind + ":" + n;
    if (kind === "shard") data = prepareShard(data);
    if (kind === "manifest") data = prepareManifest(data);
    if (kind === "docs") data = prepareDocs(data);
    store[key] = data;
    if (waiting[key]) {
      waiting[key](data);
      delete waiting[key];
    }
  }

  function fileName(kind, n) {
    if (kind === "manifest") return "manifest.js";
    if (kind === "shard") return "shard-" + (n < 10 ? "0" + n : String(n)) + ".js";
    return "docs/" + Math.floor(n / DOCS_PER_FOLDER) + "/" + n + ".js";
  }

  function load(kind, n) {
    var key = kind + ":" + n;
    if (store[key] !== undefined) return Promise.resolve(store[key]);
    if (loading[key]) return loading[key];
    var p = new Promise(function (resolve, reject) {
      waiting[key] = resolve;
      var s = document.createElement("script");
      var src = config.base + fileName(kind, n);
      if (kind !== "manifest" && config.version) src += "?v=" + encodeURIComponent(config.version);
      s.src = src;
      s.setAttribute("charset", "utf-8");
      s.async = true;
      s.onload = function () {
        if (store[key] === undefined) fail();
      };
      s.onerror = fail;
      function fail() {
        delete waiting[key];
        delete loading[key];
        reject(new Error("search: cannot load " + src));
      }
      document.head.appendChild(s);
    });
    loading[key] = p;
    return p;
  }

  function manifest() {
    return load("manifest", 0).then(function (m) {
      if (m.format !== FORMAT) throw new Error("search: unknown index format " + m.format);
      config.version = m.version;
      return m;
    });
  }

  /* ---------- Query ---------- */

  var LIVE_PREFIX_TERMS = 30;
  var FUZZY_MIN_LETTERS = 5;
  var FUZZY_PENALTY = 0.3;

  function lastIndexAtMost(sorted, value, get) {
    var lo = 0;
    var hi = sorted.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (get(sorted[mid]) <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  function identity(x) {
    return x;
  }

  /* Shard i holds the terms from man.shards[i] up to, not including,
   * man.shards[i + 1]. */
  function homeShard(man, term) {
    return lastIndexAtMost(man.shards, term, identity);
  }

  /* The shard where terms starting with `prefix` begin, and the next one
   * when they may continue there. */
  function prefixShards(man, prefix) {
    var home = homeShard(man, prefix);
    if (home < 0) return [];
    var out = [home];
    var next = man.shards[home + 1];
    if (next !== undefined && next.slice(0, prefix.length) === prefix) out.push(home + 1);
    return out;
  }

  function lookup(shard, term) {
    var i = lastIndexAtMost(shard.keys, term, identity);
    return i >= 0 && shard.keys[i] === term ? shard.entries[i] : null;
  }

  /* Postings are written by src/search/shard.rs as numbers in a base-64
   * code: digits 0–31 end a number, 32–63 carry five more bits before it. */
  var CODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = (function () {
    var t = [];
    for (var i = 0; i < CODE.length; i++) t[CODE.charCodeAt(i)] = i;
    return t;
  })();

  /* One field's postings, "weight doc doc…" groups joined by commas, each
   * doc number after the first a difference from the one before. Returns
   * {docs, weights} as parallel typed arrays. */
  function decodePostings(s, scale) {
    // A posting takes at least one character, so the string length bounds the count.
    var docs = new Uint32Array(s.length);
    var weights = new Float64Array(s.length);
    var count = 0;
    var i = 0;
    while (i < s.length) {
      var w = -1;
      var doc = 0;
      while (i < s.length) {
        var c = s.charCodeAt(i++);
        if (c === 44) break;
        var n = 0;
        var d = DIGIT[c];
        while (d >= 32) {
          n = n * 32 + d - 32;
          d = DIGIT[s.charCodeAt(i++)];
        }
        n = n * 32 + d;
        if (w < 0) {
          w = n / scale;
        } else {
          doc += n;
          docs[count] = doc;
          weights[count] = w;
          count++;
        }
      }
    }
    return { docs: docs.subarray(0, count), weights: weights.subarray(0, count) };
  }

  function fieldPostings(man, entry, f) {
    if (!entry.fields) entry.fields = [];
    if (!entry.fields[f]) entry.fields[f] = decodePostings(entry.raw[f] || "", man.weightScale);
    return entry.fields[f];
  }

  /* Whether code-point arrays a and b differ by exactly one insertion,
   * deletion, substitution or swap of neighbours. */
  function withinOneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    function rest(x, from) { return x.slice(from).join(""); }
    if (a.length === b.length) {
      if (i === a.length) return false;
      if (rest(a, i + 1) === rest(b, i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, i + 2) === rest(b, i + 2);
    }
    var longer = a.length > b.length ? a : b;
    var shorter = a.length > b.length ? b : a;
    return rest(longer, i + 1) === rest(shorter, i);
  }

  /* Query words with their terms; the last word is matched as a prefix
   * while it is still being typed (no trailing space). */
  function parseQuery(text, analyzer) {
    // Prefixes are compared with index terms, which plain-2 writes folded.
    var words = tokenize(text).map(function (w) { return analyzer === "plain-2" ? foldLatin(w) : w; });
    var typing = !/\s$/.test(text);
    var seen = Object.create(null);
    var tokens = [];
    words.forEach(function (w, i) {
      var term = termOf(w, analyzer);
      var prefix = typing && i === words.length - 1 && Array.from(w).length >= 2;
      var key = (term || "") + "\u0000" + (prefix ? w : "");
      if ((term === null && !prefix) || seen[key]) return;
      seen[key] = true;
      tokens.push({ word: w, term: term, prefix: prefix });
    });
    return tokens;
  }

  function shardsFor(man, tokens) {
    var wanted = Object.create(null);
    tokens.forEach(function (t) {
      if (t.term !== null) {
        var h = homeShard(man, t.term);
        if (h >= 0) wanted[h] = true;
      }
      if (t.prefix) prefixShards(man, t.word).forEach(function (i) { wanted[i] = true; });
    });
    return Object.keys(wanted).map(Number);
  }

  /* Terms of the index matching one query token, with their penalties. */
  function expand(man, tok) {
    var matches = [];
    var seen = Object.create(null);
    function add(entry, penalty) {
      if (!seen[entry.term]) {
        seen[entry.term] = true;
        matches.push([entry, penalty]);
      }
    }
    var home = tok.term === null ? -1 : homeShard(man, tok.term);
    var homeData = home >= 0 ? store["shard:" + home] : null;
    if (homeData) {
      var exact = lookup(homeData, tok.term);
      if (exact) add(exact, 1);
    }
    if (tok.prefix) {
      var wlen = Array.from(tok.word).length;
      prefixShards(man, tok.word).forEach(function (i) {
        var sh = store["shard:" + i];
        var from = Math.max(0, lastIndexAtMost(sh.keys, tok.word, identity));
        for (var x = from; x < sh.keys.length && matches.length < LIVE_PREFIX_TERMS; x++) {
          var key = sh.keys[x];
          if (key.slice(0, tok.word.length) === tok.word) {
            add(sh.entries[x], 0.5 * wlen / Array.from(key).length);
          } else if (key > tok.word) {
            break;
          }
        }
      });
    }
    if (!matches.length && homeData && Array.from(tok.word).length >= FUZZY_MIN_LETTERS) {
      var t = Array.from(tok.term);
      homeData.keys.forEach(function (key, x) {
        if (matches.length < 10 && withinOneEdit(t, Array.from(key))) {
          add(homeData.entries[x], FUZZY_PENALTY);
        }
      });
    }
    return matches;
  }

  /* Per-document scratch arrays, kept between queries: allocating them for
   * every field of every word costs more than the scoring itself. */
  var scratch = { size: -1, best: null, scores: null, total: null, count: null };

  function scratchFor(n) {
    if (scratch.size !== n) {
      scratch = {
        size: n,
        best: new Float64Array(n),
        scores: new Float64Array(n),
        total: new Float64Array(n),
        count: new Uint32Array(n)
      };
    }
    return scratch;
  }

  /* The inner loops of scoring, kept small so that the engine optimises
   * them early on a fresh page. `into` gets each document's score added
   * (`keep` false) or raised to it (`keep` true); documents seen for the
   * first time are pushed to `seen`. */
  function addPostings(postings, factors, into, keep, seen) {
    var docs = postings.docs;
    var weights = postings.weights;
    var idf = factors[0];
    var penalty = factors[1];
    var boost = factors[2];
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i];
      var s = weights[i] * idf * penalty * boost;
      var old = into[doc];
      if (old === 0) seen.push(doc);
      into[doc] = keep ? (s > old ? s : old) : old + s;
    }
  }

  /* Adds one token's scores to `total`: per field the best matching term's
   * elasticlunr score (weight × idf × boost), summed over fields. Returns
   * the documents it scored. The arrays are left zeroed but for `total`. */
  function scoreToken(man, matches, work) {
    var best = work.best;
    var scores = work.scores;
    var touched = [];
    for (var f = 0; f < man.fields.length; f++) {
      // With one matching term (the usual case) its score is the field's best.
      var single = matches.length === 1;
      var found = single ? touched : [];
      for (var m = 0; m < matches.length; m++) {
        var postings = fieldPostings(man, matches[m][0], f);
        var idf = 1 + Math.log(man.docCount / (postings.docs.length + 1));
        addPostings(postings, [idf, matches[m][1], man.fields[f][1]], single ? scores : best, !single, found);
      }
      if (single) continue;
      for (var x = 0; x < found.length; x++) {
        var d = found[x];
        if (scores[d] === 0) touched.push(d);
        scores[d] += best[d];
        best[d] = 0;
      }
    }
    var total = work.total;
    for (var t = 0; t < touched.length; t++) {
      total[touched[t]] += scores[touched[t]];
      scores[touched[t]] = 0;
    }
    return touched;
  }

  /* Ranked documents for `text`: all words must match when any document
   * has them all, otherwise the best documents matching at least half of
   * them (scaled by the share matched). Resolves to {hits: [{doc, score}],
   * terms}. */
  function search(text) {
    return manifest().then(function (man) {
      var tokens = parseQuery(text, man.analyzer);
      if (!tokens.length || !man.shards.length) return { hits: [], terms: [] };
      return Promise.all(shardsFor(man, tokens).map(function (i) { return load("shard", i); }))
        .then(function () { return rank(man, tokens); });
    });
  }

  function countMatches(touched, count, matched) {
    for (var i = 0; i < touched.length; i++) {
      if (count[touched[i]] === 0) matched.push(touched[i]);
      count[touched[i]] += 1;
    }
  }

  function rank(man, tokens) {
    var work = scratchFor(man.docCount);
    var total = work.total;
    var count = work.count;
    var matched = [];
    var terms = [];
    tokens.forEach(function (tok) {
      var matches = expand(man, tok);
      matches.forEach(function (m) { terms.push(m[0].term); });
      countMatches(scoreToken(man, matches, work), count, matched);
    });
    var need = tokens.length;
    var complete = 0;
    for (var i = 0; i < matched.length; i++) if (count[matched[i]] === need) complete++;
    var least = complete ? need : Math.ceil(need / 2);
    var hits = [];
    for (var x = 0; x < matched.length; x++) {
      var doc = matched[x];
      var c = count[doc];
      if (c >= least) hits.push({ doc: doc, score: (total[doc] * c) / need });
      total[doc] = 0;
      count[doc] = 0;
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { hits: hits, terms: terms };
  }

  /* The docs file holding document `d`: the last whose first document is
   * not after it. */
  function docsFile(man, d) {
    var lo = 0;
    var hi = man.docs.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (man.docs[mid] <= d) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /* Document records [id, title, breadcrumbs, text] for document numbers. */
  function docs(nums) {
    return manifest().then(function (man) {
      var files = Object.create(null);
      nums.forEach(function (d) { files[docsFile(man, d)] = true; });
      return Promise.all(Object.keys(files).map(function (f) { return load("docs", Number(f)); }))
        .then(function () {
          return nums.map(function (d) {
            var data = store["docs:" + docsFile(man, d)];
            return data.docs[d - data.first];
          });
        });
    });
  }

  /* The page number of every document, from the manifest's page starts. */
  var pageCache = { man: null, of: null };
  function pageNumbers(man) {
    if (pageCache.man === man) return pageCache.of;
    var of = new Int32Array(man.docCount);
    var starts = man.pageStarts;
    for (var p = 0; p < starts.length; p++) {
      var end = p + 1 < starts.length ? starts[p + 1] : man.docCount;
      for (var d = starts[p]; d < end; d++) of[d] = p;
    }
    pageCache = { man: man, of: of };
    return of;
  }

  /* Hits grouped by page, best page first: [{page, hits: [hit…]}], each
   * page's hits best first, at most `perPage` of them. */
  function groupByPage(man, hits, perPage) {
    var of = pageNumbers(man);
    var groups = [];
    var at = Object.create(null);
    hits.forEach(function (h) {
      var p = of[h.doc];
      var g = at[p];
      if (g === undefined) {
        g = at[p] = { page: p, hits: [] };
        groups.push(g);
      }
      if (g.hits.length < perPage) g.hits.push(h);
    });
    return groups;
  }

  /* Document numbers of the first `pages` pages of results, at most
   * `perPage` sections each: what a screen of results loads. */
  /* The document numbers of the first screen as the page loads them: one
   * list per wave (see `waves`). */
  function screenWaves(found, pages, perPage) {
    return manifest().then(function (man) {
      return waves(man, groupByPage(man, found.hits, perPage).slice(0, pages)).map(function (wave) {
        var nums = [];
        wave.forEach(function (g) { g.hits.forEach(function (h) { nums.push(h.doc); }); });
        return nums;
      });
    });
  }

  function screenDocs(found, pages, perPage) {
    return manifest().then(function (man) {
      var nums = [];
      groupByPage(man, found.hits, perPage).slice(0, pages).forEach(function (g) {
        g.hits.forEach(function (h) { nums.push(h.doc); });
      });
      return nums;
    });
  }

  /* Docs files asked for before the first results are shown: the best
   * pages come first and alone, so a weak connection shows them without
   * sharing its bandwidth with the rest of the screen, which follows. */
  var FIRST_FILES = 2;
  /* Breadcrumbs are joined with this. */
  var TRAIL_SEPARATOR = " › ";

  /* `groups` as two waves: the leading groups whose records are in the
   * first FIRST_FILES docs files (at least one group), then the rest. */
  function waves(man, groups) {
    var files = Object.create(null);
    var count = 0;
    var cut = 0;
    while (cut < groups.length) {
      var mine = groups[cut].hits.map(function (h) { return docsFile(man, h.doc); });
      var fresh = mine.filter(function (f, i) { return !files[f] && mine.indexOf(f) === i; });
      if (cut > 0 && count + fresh.length > FIRST_FILES) break;
      fresh.forEach(function (f) { files[f] = true; });
      count += fresh.length;
      cut++;
    }
    return cut < groups.length ? [groups.slice(0, cut), groups.slice(cut)] : [groups];
  }

  S.register = register;
  S.manifest = manifest;
  S.search = search;
  S.docs = docs;
  S.docsFile = docsFile;
  S.groupByPage = groupByPage;
  S.screenWaves = screenWaves;
  S.screenDocs = screenDocs;
  S.waves = waves;
  S.config = config;
  S.TRAIL_SEPARATOR = TRAIL_SEPARATOR;
})(this);
