/* Oberih site search: works offline and from file://.
 *
 * Loaded with `defer` on every page. It
 *  - marks the words named by `?highlight=` inside <main>;
 *  - turns the header box (form.site-search, #search-q, #search-suggest)
 *    into a search-as-you-type list with keyboard navigation;
 *  - fills #search-results on the search page from `?q=`.
 *
 * The index lives in <lang>/search/ (format 2, written by src/search/shard.rs).
 * Each file calls OberihSearch.register(kind, n, data); this script inserts
 * <script src> elements for the files a query needs (fetch, modules and
 * workers all fail on file://). The analysis functions below mirror
 * src/search/{normalize,tokenize,stem_uk,language}.rs exactly, and
 * tests/search/uk_stems.toml checks both. Text from the query or the index
 * only ever reaches the page as text nodes.
 *
 * UI strings come from <script type="application/json" id="search-i18n">;
 * the keys are listed in DEFAULT_STRINGS. Without a DOM (tests) only the
 * OberihSearch API is defined.
 */
(function (global) {
  "use strict";

  /* ---------- Analysis (mirrors the Rust side) ---------- */

  var APOSTROPHE = "'";
  var APOSTROPHES = "'\u2019\u02BC\u2018`\u00B4\u2032\uFF07";
  var IGNORABLE = "\u0301\u00AD\u200C\u200D\u2060\uFEFF";
  var WORD_CHAR = /^[\p{Alphabetic}\p{N}\p{M}]$/u;
  var CYRILLIC = /[\u0400-\u052F]/;
  var LATIN_LETTER = /^[a-z\u00DF-\u024F]$/;
  var TWINS = { a: "а", c: "с", e: "е", i: "і", o: "о", p: "р", x: "х", y: "у", "\u00EF": "ї" };
  var MAX_WORD = 50;

  function normalize(text) {
    var out = "";
    for (var ch of String(text).normalize("NFC")) {
      if (IGNORABLE.indexOf(ch) >= 0) continue;
      out += APOSTROPHES.indexOf(ch) >= 0 ? APOSTROPHE : ch.toLowerCase();
    }
    return out;
  }

  function isWordChar(ch) {
    return ch !== undefined && WORD_CHAR.test(ch);
  }

  function repairMixedScript(word) {
    if (!CYRILLIC.test(word)) return word;
    var chars = Array.from(word);
    var ok = chars.every(function (c) {
      return !LATIN_LETTER.test(c) || TWINS[c] !== undefined;
    });
    if (!ok) return word;
    return chars.map(function (c) { return TWINS[c] || c; }).join("");
  }

  function tokenize(text) {
    var chars = Array.from(normalize(text));
    var words = [];
    var cur = [];
    function flush() {
      if (cur.length && cur.length <= MAX_WORD) words.push(repairMixedScript(cur.join("")));
      cur = [];
    }
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (isWordChar(c) || (c === APOSTROPHE && cur.length && isWordChar(chars[i + 1]))) {
        cur.push(c);
      } else {
        flush();
      }
    }
    flush();
    return words;
  }

  /* uk-light: see src/search/stem_uk.rs for the rationale. */
  var UK_TIERS = [
    [7, ["ього", "ьому"]],
    [6, ["ами", "ями", "ими", "іми", "ьми", "ого", "ому", "ові", "еві", "єві"]],
    [5, ["ах", "ях", "ам", "ям", "ом", "ем", "єм", "ою", "ею", "єю", "ий", "ій", "їй", "им",
      "ім", "их", "іх", "ої", "ів", "їв", "ей"]],
    [4, ["а", "я", "о", "е", "є", "у", "ю", "и", "і", "ї", "й", "ь"]]
  ];
  var UK_CONSONANTS = "бвгґджзйклмнпрстфхцчшщ";
  var UK_ALTERNATIONS = [["хід", "ход"], ["бір", "бор"], ["сіб", "соб"], ["говір", "говор"], ["твір", "твор"],
    ["стір", "стор"], ["ріст", "рост"]];

  function endsWith(w, suffix) {
    var s = Array.from(suffix);
    if (s.length > w.length) return false;
    for (var i = 0; i < s.length; i++) {
      if (w[w.length - s.length + i] !== s[i]) return false;
    }
    return true;
  }

  function stripOne(w, minLen, suffixes) {
    if (w.length < minLen) return false;
    for (var i = 0; i < suffixes.length; i++) {
      if (endsWith(w, suffixes[i])) {
        w.length -= Array.from(suffixes[i]).length;
        return true;
      }
    }
    return false;
  }

  function stemUk(word) {
    var w = Array.from(word);
    for (var a = 0; a < UK_ALTERNATIONS.length; a++) {
      if (endsWith(w, UK_ALTERNATIONS[a][0])) {
        w.length -= Array.from(UK_ALTERNATIONS[a][0]).length;
        w = w.concat(Array.from(UK_ALTERNATIONS[a][1]));
        break;
      }
    }
    if (w.length < 4) return w.join("");
    stripOne(w, 6, ["ся", "сь"]);
    for (var t = 0; t < UK_TIERS.length; t++) {
      if (stripOne(w, UK_TIERS[t][0], UK_TIERS[t][1])) break;
    }
    stripOne(w, 5, ["ов"]);
    if (w.length >= 5 && (endsWith(w, "ок") || endsWith(w, "ец"))) w.splice(w.length - 2, 1);
    if (w.length >= 4 && w[w.length - 1] === "ь") w.length -= 1;
    if (w.length >= 4 && w[w.length - 1] === "і") w.length -= 1;
    var n = w.length;
    if (n >= 4 && w[n - 1] === w[n - 2] && UK_CONSONANTS.indexOf(w[n - 1]) >= 0) w.length -= 1;
    return w.join("");
  }

  /* The Porter stemmer exactly as elasticlunr-rs 3.1 runs it (it follows
   * elasticlunr.js: -bli→-ble, -logi→-log, and step 1c tests "aeiou"
   * literally). Only ever given words of a–z. */
  var PORTER_STEP2 = {
    a: [["ational", "ate"], ["tional", "tion"]],
    c: [["enci", "ence"], ["anci", "ance"]],
    e: [["izer", "ize"]],
    l: [["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"]],
    o: [["ization", "ize"], ["ation", "ate"], ["ator", "ate"]],
    s: [["alism", "al"], ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"]],
    t: [["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"]],
    g: [["logi", "log"]]
  };
  var PORTER_STEP3 = {
    e: [["icate", "ic"], ["ative", ""], ["alize", "al"]],
    i: [["iciti", "ic"]],
    l: [["ical", "ic"], ["ful", ""]],
    s: [["ness", ""]]
  };
  var PORTER_STEP4 = {
    a: ["al"], c: ["ance", "ence"], e: ["er"], i: ["ic"], l: ["able", "ible"],
    n: ["ant", "ement", "ment", "ent"], s: ["ism"], t: ["ate", "iti"], u: ["ous"],
    v: ["ive"], z: ["ize"]
  };

  function stemEn(word) {
    if (word.length <= 2) return word;
    var b = word.split("");
    var k = b.length;
    var j = 0;

    function cons(i) {
      var c = b[i];
      if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
      if (c === "y") return i === 0 ? true : !cons(i - 1);
      return true;
    }
    // Number of consonant-vowel sequences in b[0..j).
    function measure() {
      var n = 0;
      var i = 0;
      while (i < j && cons(i)) i++;
      if (i >= j) return 0;
      i++;
      for (;;) {
        while (i < j && !cons(i)) i++;
        if (i >= j) return n;
        i++;
        n++;
        while (i < j && cons(i)) i++;
        if (i >= j) return n;
        i++;
      }
    }
    function hasVowel() {
      for (var i = 0; i < j; i++) if (!cons(i)) return true;
      return false;
    }
    function doubleCons(i) {
      return i >= 1 && b[i] === b[i - 1] && cons(i);
    }
    function cvc(i) {
      if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
      return b[i] !== "w" && b[i] !== "x" && b[i] !== "y";
    }
    function ends(s) {
      if (s.length > k) return false;
      for (var i = 0; i < s.length; i++) if (b[k - s.length + i] !== s[i]) return false;
      j = k - s.length;
      return true;
    }
    function setTo(s) {
      for (var i = 0; i < s.length; i++) b[j + i] = s[i];
      k = j + s.length;
    }
    function replaceIfMeasured(s) {
      if (measure() > 0) setTo(s);
    }
    function firstRule(rules) {
      for (var i = 0; rules && i < rules.length; i++) {
        if (ends(rules[i][0])) {
          replaceIfMeasured(rules[i][1]);
          return;
        }
      }
    }

    // Step 1ab: plurals, -ed, -ing.
    if (b[k - 1] === "s") {
      if (ends("sses")) k -= 2;
      else if (ends("ies")) setTo("i");
      else if (b[k - 2] !== "s") k -= 1;
    }
    if (ends("eed")) {
      if (measure() > 0) k -= 1;
    } else if ((ends("ed") || ends("ing")) && hasVowel()) {
      k = j;
      if (ends("at")) setTo("ate");
      else if (ends("bl")) setTo("ble");
      else if (ends("iz")) setTo("ize");
      else if (doubleCons(k - 1)) {
        k -= 1;
        var last = b[k - 1];
        if (last === "l" || last === "s" || last === "z") k += 1;
      } else if (measure() === 1 && cvc(k - 1)) setTo("e");
    }
    // Step 1c.
    if (k > 2 && ends("y") && "aeiou".indexOf(b[k - 2]) < 0) b[k - 1] = "i";
    // Steps 2 and 3: double suffixes, -ic-, -full, -ness.
    if (k >= 2) firstRule(PORTER_STEP2[b[k - 2]]);
    firstRule(PORTER_STEP3[b[k - 1]]);
    // Step 4: -ant, -ence and friends in <c>vcvc<v>.
    if (k >= 2) {
      var matched = false;
      if (b[k - 2] === "o") {
        matched = (ends("ion") && j > 0 && (b[j - 1] === "s" || b[j - 1] === "t")) || ends("ou");
      } else {
        var list = PORTER_STEP4[b[k - 2]] || [];
        for (var i = 0; i < list.length && !matched; i++) matched = ends(list[i]);
      }
      if (matched && measure() > 1) k = j;
    }
    // Step 5: final -e, -ll.
    j = k;
    if (b[k - 1] === "e") {
      var a = measure();
      if (a > 1 || (a === 1 && !cvc(k - 2))) k -= 1;
    }
    if (b[k - 1] === "l" && doubleCons(k - 1) && measure() > 1) k -= 1;
    return b.slice(0, k).join("");
  }

  function toSet(words) {
    var set = Object.create(null);
    words.forEach(function (w) { set[w] = true; });
    return set;
  }

  var UK_STOP = toSet([
    "а", "аби", "або", "але", "б", "без", "би", "бо", "був", "буде", "була", "були", "було", "в",
    "вам", "вас", "вже", "ви", "він", "від", "во", "вона", "вони", "воно", "де", "для", "до", "є",
    "ж", "же", "з", "за", "зі", "і", "із", "її", "їй", "їм", "їх", "й", "його", "йому", "к", "коли",
    "ми", "між", "на", "над", "нам", "нас", "не", "ні", "о", "об", "от", "під", "по", "при", "про",
    "та", "так", "також", "те", "теж", "ти", "то", "той", "ту", "ті", "у", "хоч", "це", "цей",
    "ці", "ця", "чи", "що", "щоб", "щодо", "ще", "лише", "тощо", "я", "як", "яка", "яке", "які",
    "який", "якщо"
  ]);
  /* elasticlunr's English stop-word list. */
  var EN_STOP = toSet([
    "", "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot",
    "could", "dear", "did", "do", "does", "either", "else", "ever", "every", "for", "from", "get",
    "got", "had", "has", "have", "he", "her", "hers", "him", "his", "how", "however", "i", "if",
    "in", "into", "is", "it", "its", "just", "least", "let", "like", "likely", "may", "me",
    "might", "most", "must", "my", "neither", "no", "nor", "not", "of", "off", "often", "on",
    "only", "or", "other", "our", "own", "rather", "said", "say", "says", "she", "should", "since",
    "so", "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "tis", "to", "too", "twas", "us", "wants", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "yet", "you", "your"
  ]);

  /* Latin letters without their accents: "plain-2" indexes words so. See
   * fold_latin in src/search/language.rs. */
  var LATIN_ACCENTED = /[\u00C0-\u024F]/;
  var BASE_AND_MARKS = /^[a-z][\u0300-\u036F]+$/;

  function foldLatin(word) {
    if (!LATIN_ACCENTED.test(word)) return word;
    return Array.from(word).map(function (c) {
      if (!LATIN_ACCENTED.test(c)) return c;
      var parts = c.normalize("NFD");
      return BASE_AND_MARKS.test(parts) ? parts[0] : c;
    }).join("");
  }

  /* The index term of one tokenizer word, or null for a stop word. */
  function termOf(word, analyzer) {
    if (analyzer === "plain-2") return foldLatin(word);
    if (CYRILLIC.test(word)) return UK_STOP[word] ? null : stemUk(word);
    var latin = word.slice(-2) === "'s" ? word.slice(0, -2) : word;
    if (/^[a-z]+$/.test(latin)) return EN_STOP[latin] ? null : stemEn(latin);
    return word;
  }

  function analyze(text, analyzer) {
    var out = [];
    tokenize(text).forEach(function (w) {
      var t = termOf(w, analyzer || "uk-en-2");
      if (t !== null) out.push(t);
    });
    return out;
  }

  function analyzerForLang(lang) {
    return lang === "uk" || lang === "en" ? "uk-en-2" : "plain-2";
  }

  /* Word spans in original (unnormalised) text, for marking matches. */
  var SPAN_RE = new RegExp(
    "[\\p{Alphabetic}\\p{N}\\p{M}" + IGNORABLE + "]+(?:[" + APOSTROPHES +
      "][\\p{Alphabetic}\\p{N}\\p{M}" + IGNORABLE + "]+)*",
    "gu"
  );

  function wordSpans(text) {
    var spans = [];
    var m;
    SPAN_RE.lastIndex = 0;
    while ((m = SPAN_RE.exec(text)) !== null) spans.push([m.index, m.index + m[0].length]);
    return spans;
  }

  function isHit(word, terms, analyzer) {
    return analyze(word, analyzer).some(function (t) { return terms[t] === true; });
  }

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

  /* ---------- Snippets and marking ---------- */

  var SNIPPET_WORDS = 24;

  /* The stretch of `text` with the most matching words, as
   * [{text, hit}] parts, with "…" where it was cut. */
  function snippetParts(text, terms, analyzer) {
    var spans = wordSpans(text);
    var hits = spans.map(function (s) { return isHit(text.slice(s[0], s[1]), terms, analyzer); });
    var best = 0;
    var bestCount = -1;
    var inWindow = 0;
    for (var i = 0; i < spans.length; i++) {
      if (hits[i]) inWindow++;
      if (i >= SNIPPET_WORDS && hits[i - SNIPPET_WORDS]) inWindow--;
      var start = Math.max(0, i - SNIPPET_WORDS + 1);
      if (inWindow > bestCount) {
        bestCount = inWindow;
        best = start;
      }
    }
    var end = Math.min(spans.length, best + SNIPPET_WORDS);
    if (!spans.length) return [{ text: text, hit: false }];
    var from = best === 0 ? 0 : spans[best][0];
    var to = end === spans.length ? text.length : spans[end - 1][1];
    var parts = [];
    var pos = from;
    for (var x = best; x < end; x++) {
      if (!hits[x]) continue;
      if (spans[x][0] > pos) parts.push({ text: text.slice(pos, spans[x][0]), hit: false });
      parts.push({ text: text.slice(spans[x][0], spans[x][1]), hit: true });
      pos = spans[x][1];
    }
    if (to > pos) parts.push({ text: text.slice(pos, to), hit: false });
    if (best > 0) parts.unshift({ text: "… ", hit: false });
    if (end < spans.length) parts.push({ text: " …", hit: false });
    return parts;
  }

  function appendParts(el, parts) {
    parts.forEach(function (p) {
      var node = document.createTextNode(p.text);
      if (p.hit) {
        var mark = document.createElement("mark");
        mark.appendChild(node);
        node = mark;
      }
      el.appendChild(node);
    });
  }

  /* Marks words of `terms` in the text nodes under `root`. */
  function markTerms(root, terms, analyzer) {
    var SKIP = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEXTAREA: 1, MARK: 1, svg: 1, SVG: 1 };
    var textNodes = [];
    (function walk(node) {
      for (var c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) textNodes.push(c);
        else if (c.nodeType === 1 && !SKIP[c.tagName]) walk(c);
      }
    })(root);
    textNodes.forEach(function (node) {
      var text = node.nodeValue;
      var spans = wordSpans(text).filter(function (s) {
        return isHit(text.slice(s[0], s[1]), terms, analyzer);
      });
      if (!spans.length) return;
      var frag = document.createDocumentFragment();
      var pos = 0;
      var parts = [];
      spans.forEach(function (s) {
        if (s[0] > pos) parts.push({ text: text.slice(pos, s[0]), hit: false });
        parts.push({ text: text.slice(s[0], s[1]), hit: true });
        pos = s[1];
      });
      if (pos < text.length) parts.push({ text: text.slice(pos), hit: false });
      appendParts(frag, parts);
      node.parentNode.replaceChild(frag, node);
    });
  }

  /* ---------- Page ---------- */

  var DEFAULT_STRINGS = {
    suggestions: "Search suggestions",
    all_results: "All results for “{query}”",
    no_results: "Nothing found for “{query}”.",
    results_zero: "{count} results for “{query}”",
    results_one: "{count} result for “{query}”",
    results_two: "{count} results for “{query}”",
    results_few: "{count} results for “{query}”",
    results_many: "{count} results for “{query}”",
    results_other: "{count} results for “{query}”",
    loading: "Searching…",
    error: "Search is not available: the index could not be loaded.",
    empty: "Type a word to search.",
    more: "Show more results"
  };
  /* Pages in the suggestions, and per screen of results: a screen's
   * records come in a few docs files, so a weak connection shows it fast. */
  var SUGGEST_LIMIT = 5;
  var PAGE_SIZE = 6;
  /* Sections shown under a page of results. */
  var SECTIONS_PER_PAGE = 3;
  /* Docs files asked for before the first results are shown: the best
   * pages come first and alone, so a weak connection shows them without
   * sharing its bandwidth with the rest of the screen, which follows. */
  var FIRST_FILES = 2;
  var strings = DEFAULT_STRINGS;
  var langRoot = "";
  var lang = "";

  function readStrings() {
    var island = document.getElementById("search-i18n");
    var own = {};
    if (island) {
      try {
        own = JSON.parse(island.textContent) || {};
      } catch (e) {
        own = {};
      }
    }
    var out = {};
    Object.keys(DEFAULT_STRINGS).forEach(function (k) {
      out[k] = typeof own[k] === "string" ? own[k] : DEFAULT_STRINGS[k];
    });
    return out;
  }

  function say(key, values) {
    return strings[key].replace(/\{(query|count)\}/g, function (m, name) {
      return String(values[name]);
    });
  }

  function countMessage(n, query) {
    var cat = "other";
    try {
      cat = new Intl.PluralRules(lang || undefined).select(n);
    } catch (e) {
      cat = "other";
    }
    var key = strings["results_" + cat] !== undefined ? "results_" + cat : "results_other";
    return say(key, { count: n, query: query });
  }

  function queryParam(name) {
    var pairs = (global.location && global.location.search ? global.location.search.slice(1) : "").split("&");
    for (var i = 0; i < pairs.length; i++) {
      var eq = pairs[i].indexOf("=");
      var k = eq < 0 ? pairs[i] : pairs[i].slice(0, eq);
      if (k === name) {
        try {
          return decodeURIComponent((eq < 0 ? "" : pairs[i].slice(eq + 1)).replace(/\+/g, " "));
        } catch (e) {
          return "";
        }
      }
    }
    return null;
  }

  /* Link to a result: the id is a path under the language root, maybe
   * with #anchor; ?highlight= goes before the anchor. */
  function resultHref(id, terms) {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(id)) return "#";
    var hash = id.indexOf("#");
    var path = hash < 0 ? id : id.slice(0, hash);
    var anchor = hash < 0 ? "" : id.slice(hash);
    var hl = terms.length ? "?highlight=" + encodeURIComponent(terms.slice(0, 20).join(" ")) : "";
    return langRoot + path + hl + anchor;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.appendChild(document.createTextNode(text));
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* Title, trail and snippet of one result inside `parent`. */
  function fillResult(parent, rec, found, analyzer) {
    var termSet = toSet(found.terms);
    var link = el("a", "search-result-link");
    link.setAttribute("href", resultHref(rec[0], found.terms));
    var title = el("span", "search-result-title");
    appendParts(title, snippetParts(rec[1], termSet, analyzer));
    link.appendChild(title);
    parent.appendChild(link);
    if (rec[2]) parent.appendChild(el("span", "search-result-trail", rec[2]));
    if (rec[3]) {
      var snip = el("span", "search-result-snippet");
      appendParts(snip, snippetParts(rec[3], termSet, analyzer));
      parent.appendChild(snip);
    }
    return link;
  }

  var TRAIL_SEPARATOR = " › ";

  /* One page of results inside `parent`: the page's title, trail and
   * link, then its best sections, each with its snippet. A page whose own
   * text matched shows that text's snippet under its title. */
  function fillGroup(parent, group, byDoc, found, analyzer) {
    var all = group.hits.map(function (h) { return byDoc[h.doc]; });
    // The page's own text (its id has no #anchor) goes under its title, wherever it ranked.
    var recs = all.filter(function (rec) { return rec[0].indexOf("#") >= 0; });
    var head = all.filter(function (rec) { return rec[0].indexOf("#") < 0; })[0];
    if (!head) {
      var trail = recs[0][2].split(TRAIL_SEPARATOR);
      var title = trail.pop();
      head = [recs[0][0].slice(0, recs[0][0].indexOf("#")), title, trail.join(TRAIL_SEPARATOR), ""];
    }
    var link = fillResult(parent, head, found, analyzer);
    if (!recs.length) return link;
    var termSet = toSet(found.terms);
    var list = el("ul", "search-result-sections");
    recs.forEach(function (rec) {
      var li = el("li", "search-result-section");
      var a = el("a", "search-result-section-link");
      a.setAttribute("href", resultHref(rec[0], found.terms));
      appendParts(a, snippetParts(rec[1], termSet, analyzer));
      li.appendChild(a);
      var snip = el("span", "search-result-snippet");
      appendParts(snip, snippetParts(rec[3], termSet, analyzer));
      li.appendChild(snip);
      list.appendChild(li);
    });
    parent.appendChild(list);
    return link;
  }

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

  /* Calls `show(groups, byDoc)` for each wave of `groups` in turn, as soon as
   * its records are in. */
  function inWaves(groups, show) {
    return manifest().then(function (man) {
      return waves(man, groups).reduce(function (before, wave) {
        return before.then(function () {
          return groupRecords(wave).then(function (byDoc) { show(wave, byDoc); });
        });
      }, Promise.resolve());
    });
  }

  /* Records of every hit of `groups`, by document number. */
  function groupRecords(groups) {
    var nums = [];
    groups.forEach(function (g) { g.hits.forEach(function (h) { nums.push(h.doc); }); });
    return docs(nums).then(function (records) {
      var byDoc = Object.create(null);
      nums.forEach(function (d, i) { byDoc[d] = records[i]; });
      return byDoc;
    });
  }

  function searchPageHref(form, query) {
    var action = (form && form.getAttribute("action")) || langRoot + "search/index.html";
    return action + "?q=" + encodeURIComponent(query);
  }

  function setupSuggest(form, input, box) {
    var seq = 0;
    var active = -1;
    var options = [];
    var timer = null;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);

    function close() {
      seq++;
      box.hidden = true;
      clear(box);
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show(list) {
      clear(box);
      box.appendChild(list);
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function message(text) {
      var list = el("ul", "search-suggest-list");
      list.appendChild(el("li", "search-suggest-message", text));
      options = [];
      active = -1;
      show(list);
    }
    function setActive(i) {
      options.forEach(function (o, x) { o.li.setAttribute("aria-selected", x === i ? "true" : "false"); });
      active = i;
      if (i < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[i].li.id);
      if (options[i].li.scrollIntoView) options[i].li.scrollIntoView({ block: "nearest" });
    }
    /* `more`: the list grows with a later wave of the same query, so a
     * suggestion chosen with the arrow keys stays chosen. */
    function render(query, found, records, analyzer, more) {
      var was = more && active >= 0 && active < options.length - 1 ? active : -1;
      var list = el("ul", "search-suggest-list");
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", strings.suggestions);
      options = [];
      records.forEach(function (rec) {
        var li = el("li", "search-suggest-item");
        var link = fillResult(li, rec, found, analyzer);
        options.push({ li: li, href: link.getAttribute("href") });
        list.appendChild(li);
      });
      var all = el("li", "search-suggest-all");
      var link = el("a", "", say("all_results", { query: query }));
      link.setAttribute("href", searchPageHref(form, query));
      all.appendChild(link);
      options.push({ li: all, href: link.getAttribute("href") });
      list.appendChild(all);
      options.forEach(function (o, i) {
        o.li.id = box.id + "-" + i;
        o.li.setAttribute("role", "option");
        o.li.firstChild.setAttribute("tabindex", "-1");
      });
      show(list);
      setActive(was);
    }
    function update() {
      var query = input.value;
      var mine = ++seq;
      if (!query.trim()) {
        close();
        return;
      }
      var found;
      var analyzer;
      search(query)
        .then(function (f) {
          found = f;
          return manifest();
        })
        .then(function (man) {
          analyzer = man.analyzer;
          // The best section of each of the best pages, the best pages first.
          var groups = groupByPage(man, found.hits, 1).slice(0, SUGGEST_LIMIT);
          if (!groups.length) {
            if (mine === seq) message(say("no_results", { query: query }));
            return null;
          }
          var records = [];
          return inWaves(groups, function (wave, byDoc) {
            if (mine !== seq) return;
            var more = records.length > 0;
            wave.forEach(function (g) { records.push(byDoc[g.hits[0].doc]); });
            render(query, found, records, analyzer, more);
          });
        })
        .catch(function () {
          if (mine === seq) message(strings.error);
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 100);
    });
    input.addEventListener("focus", function () {
      manifest().catch(function () {});
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        // Cycle through the options and back to the input (-1).
        var next = active + (e.key === "ArrowDown" ? 1 : -1);
        if (next >= options.length) next = -1;
        else if (next < -1) next = options.length - 1;
        setActive(next);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        global.location.href = options[active].href;
      } else if (e.key === "Escape" && !box.hidden) {
        e.preventDefault();
        close();
      }
    });
    // Keep focus in the box while a suggestion is clicked: browsers that do
    // not focus links on click would otherwise close the list first.
    box.addEventListener("mousedown", function (e) {
      e.preventDefault();
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
    });
  }

  function setupResultsPage(box, input) {
    var query = queryParam("q") || "";
    if (input && !input.value) input.value = query;
    var status = el("p", "search-status");
    var list = el("ol", "search-results-list");
    clear(box);
    box.appendChild(status);
    box.appendChild(list);
    function done(state, text) {
      status.appendChild(document.createTextNode(text));
      box.setAttribute("aria-busy", "false");
      box.setAttribute("data-state", state);
    }
    if (!query.trim()) {
      done("empty", strings.empty);
      return;
    }
    box.setAttribute("aria-busy", "true");
    status.appendChild(document.createTextNode(strings.loading));
    var found;
    var analyzer;
    var groups = [];
    var shown = 0;
    var moreButton = null;
    function more() {
      var screen = groups.slice(shown, shown + PAGE_SIZE);
      shown += screen.length;
      return inWaves(screen, function (wave, byDoc) {
        wave.forEach(function (group) {
          var li = el("li", "search-result");
          fillGroup(li, group, byDoc, found, analyzer);
          list.appendChild(li);
        });
      }).then(function () {
        if (moreButton) box.removeChild(moreButton);
        moreButton = null;
        if (shown < groups.length) {
          var button = el("button", "search-more", strings.more);
          button.setAttribute("type", "button");
          button.addEventListener("click", function () {
            button.disabled = true;
            more();
          });
          box.appendChild(button);
          moreButton = button;
        }
      });
    }
    search(query)
      .then(function (f) {
        found = f;
        return manifest();
      })
      .then(function (man) {
        analyzer = man.analyzer;
        groups = groupByPage(man, found.hits, SECTIONS_PER_PAGE);
        clear(status);
        if (!found.hits.length) {
          done("none", say("no_results", { query: query }));
          return null;
        }
        return more().then(function () {
          done("done", countMessage(groups.length, query));
        });
      })
      .catch(function () {
        clear(status);
        done("error", strings.error);
      });
  }

  function highlightPage() {
    var wanted = queryParam("highlight");
    var main = document.querySelector("main");
    if (!wanted || !main) return;
    var analyzer = analyzerForLang(lang);
    var terms = wanted.split(/\s+/).concat(analyze(wanted, analyzer)).filter(Boolean);
    if (terms.length) markTerms(main, toSet(terms), analyzer);
  }

  function init() {
    var body = document.body;
    if (!body) return;
    langRoot = (body.dataset && body.dataset.langRoot) || "";
    lang = (body.dataset && body.dataset.lang) || "";
    config.base = langRoot + "search/";
    strings = readStrings();
    // The search page carries its index's manifest: one request fewer.
    var island = document.getElementById("search-manifest");
    if (island && island.textContent) {
      try {
        register("manifest", 0, JSON.parse(island.textContent));
      } catch (e) {
        // The manifest file is loaded instead.
      }
    }
    highlightPage();
    var input = document.getElementById("search-q");
    var box = document.getElementById("search-suggest");
    var form = input ? input.form || input.parentNode : null;
    if (input && box && form) setupSuggest(form, input, box);
    var results = document.getElementById("search-results");
    if (results) setupResultsPage(results, input);
  }

  global.OberihSearch = {
    register: register,
    normalize: normalize,
    tokenize: tokenize,
    stemUk: stemUk,
    stemEn: stemEn,
    termOf: termOf,
    analyze: analyze,
    search: search,
    docs: docs,
    groupByPage: groupByPage,
    screenDocs: screenDocs,
    screenWaves: screenWaves,
    snippetParts: snippetParts
  };

  if (typeof document !== "undefined" && document.body) init();
})(this);
