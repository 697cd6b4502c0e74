/* Oberih site search: text analysis. It mirrors
 * src/search/{normalize,tokenize,stem_uk,language}.rs exactly, and
 * tests/search/uk_stems.toml checks both.
 *
 * The search client is three classic scripts run in order, each adding to
 * the global OberihSearch: this one (analysis), query.js (loading the index
 * and ranking) and page.js (the search box, the results page, marking).
 * The build puts them, in that order, into the page script.
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

  /* Porter's stemmer, on one word at a time: `pb` holds its letters, `pk`
   * where the word now ends and `pj` where the suffix last matched by
   * `ends` begins. */
  var pb = [];
  var pk = 0;
  var pj = 0;

  function cons(i) {
    var c = pb[i];
    if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
    if (c === "y") return i === 0 ? true : !cons(i - 1);
    return true;
  }

  // Number of consonant-vowel sequences in pb[0..pj).
  function measure() {
    var n = 0;
    var i = 0;
    var j = pj;
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
    for (var i = 0; i < pj; i++) if (!cons(i)) return true;
    return false;
  }

  function doubleCons(i) {
    return i >= 1 && pb[i] === pb[i - 1] && cons(i);
  }

  function cvc(i) {
    if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
    var c = pb[i];
    return c !== "w" && c !== "x" && c !== "y";
  }

  function ends(s) {
    var k = pk;
    if (s.length > k) return false;
    for (var i = 0; i < s.length; i++) if (pb[k - s.length + i] !== s[i]) return false;
    pj = k - s.length;
    return true;
  }

  function setTo(s) {
    for (var i = 0; i < s.length; i++) pb[pj + i] = s[i];
    pk = pj + s.length;
  }

  function firstRule(rules) {
    for (var i = 0; rules && i < rules.length; i++) {
      if (ends(rules[i][0])) {
        if (measure() > 0) setTo(rules[i][1]);
        return;
      }
    }
  }

  // Step 1ab: plurals, -ed, -ing.
  function step1ab() {
    var b = pb;
    if (b[pk - 1] === "s") {
      if (ends("sses")) pk -= 2;
      else if (ends("ies")) setTo("i");
      else if (b[pk - 2] !== "s") pk -= 1;
    }
    if (ends("eed")) {
      if (measure() > 0) pk -= 1;
    } else if ((ends("ed") || ends("ing")) && hasVowel()) {
      pk = pj;
      if (ends("at")) setTo("ate");
      else if (ends("bl")) setTo("ble");
      else if (ends("iz")) setTo("ize");
      else if (doubleCons(pk - 1)) {
        var last = b[pk - 2];
        if (last !== "l" && last !== "s" && last !== "z") pk -= 1;
      } else if (measure() === 1 && cvc(pk - 1)) setTo("e");
    }
  }

  // Step 4: -ant, -ence and friends in <c>vcvc<v>.
  function step4() {
    var b = pb;
    var k = pk;
    var matched = false;
    if (b[k - 2] === "o") {
      matched = (ends("ion") && pj > 0 && (b[pj - 1] === "s" || b[pj - 1] === "t")) || ends("ou");
    } else {
      var list = PORTER_STEP4[b[k - 2]] || [];
      for (var i = 0; i < list.length && !matched; i++) matched = ends(list[i]);
    }
    if (matched && measure() > 1) pk = pj;
  }

  // Step 5: final -e, -ll.
  function step5() {
    pj = pk;
    if (pb[pk - 1] === "e") {
      var a = measure();
      if (a > 1 || (a === 1 && !cvc(pk - 2))) pk -= 1;
    }
    if (pb[pk - 1] === "l" && doubleCons(pk - 1) && measure() > 1) pk -= 1;
  }

  function stemEn(word) {
    if (word.length <= 2) return word;
    pb = word.split("");
    pk = pb.length;
    pj = 0;
    step1ab();
    // Step 1c.
    if (pk > 2 && ends("y") && "aeiou".indexOf(pb[pk - 2]) < 0) pb[pk - 1] = "i";
    // Steps 2 and 3: double suffixes, -ic-, -full, -ness.
    if (pk >= 2) firstRule(PORTER_STEP2[pb[pk - 2]]);
    firstRule(PORTER_STEP3[pb[pk - 1]]);
    if (pk >= 2) step4();
    step5();
    return pb.slice(0, pk).join("");
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

  global.OberihSearch = {
    normalize: normalize,
    tokenize: tokenize,
    stemUk: stemUk,
    stemEn: stemEn,
    foldLatin: foldLatin,
    termOf: termOf,
    analyze: analyze,
    analyzerForLang: analyzerForLang,
    toSet: toSet,
    wordSpans: wordSpans,
    isHit: isHit
  };
})(this);
