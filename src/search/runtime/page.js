/* Oberih site search: the page (last of the three parts, after analysis.js
 * and query.js). Loaded with `defer` on every page, it
 *  - marks the words named by `?highlight=` inside <main>;
 *  - turns the header box (form.site-search, #search-q, #search-suggest)
 *    into a search-as-you-type list with keyboard navigation;
 *  - fills #search-results on the search page from `?q=`.
 *
 * Text from the query or the index only ever reaches the page as text
 * nodes. UI strings come from <script type="application/json"
 * id="search-i18n">; the keys are listed in DEFAULT_STRINGS. Without a DOM
 * (tests) only the OberihSearch API is defined.
 */
(function (global) {
  "use strict";

  var S = global.OberihSearch;
  var analyze = S.analyze;
  var analyzerForLang = S.analyzerForLang;
  var toSet = S.toSet;
  var wordSpans = S.wordSpans;
  var isHit = S.isHit;
  var register = S.register;
  var manifest = S.manifest;
  var search = S.search;
  var docs = S.docs;
  var groupByPage = S.groupByPage;
  var waves = S.waves;
  var config = S.config;
  var TRAIL_SEPARATOR = S.TRAIL_SEPARATOR;

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

  /* The query's hits and the index's manifest: {found, man}. */
  function searchIndex(query) {
    return search(query).then(function (found) {
      return manifest().then(function (man) { return { found: found, man: man }; });
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

  /* The list of suggestions under the header box (one a page): which are
   * shown, which one the arrow keys chose, and which query they answer
   * (`suggestSeq` grows with every keystroke, so a late answer to an older
   * query is dropped). */
  var suggestForm = null;
  var suggestInput = null;
  var suggestBox = null;
  var suggestSeq = 0;
  var suggestActive = -1;
  var suggestOptions = [];

  function closeSuggest() {
    suggestSeq++;
    suggestBox.hidden = true;
    clear(suggestBox);
    suggestOptions = [];
    suggestActive = -1;
    suggestInput.setAttribute("aria-expanded", "false");
    suggestInput.removeAttribute("aria-activedescendant");
  }

  function showSuggest(list) {
    clear(suggestBox);
    suggestBox.appendChild(list);
    suggestBox.hidden = false;
    suggestInput.setAttribute("aria-expanded", "true");
  }

  function suggestMessage(text) {
    var list = el("ul", "search-suggest-list");
    list.appendChild(el("li", "search-suggest-message", text));
    suggestOptions = [];
    suggestActive = -1;
    showSuggest(list);
  }

  function setActiveSuggestion(i) {
    suggestOptions.forEach(function (o, x) { o.li.setAttribute("aria-selected", x === i ? "true" : "false"); });
    suggestActive = i;
    if (i < 0) {
      suggestInput.removeAttribute("aria-activedescendant");
      return;
    }
    var li = suggestOptions[i].li;
    suggestInput.setAttribute("aria-activedescendant", li.id);
    if (li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
  }

  /* `more`: the list grows with a later wave of the same query, so a
   * suggestion chosen with the arrow keys stays chosen. */
  function renderSuggest(query, found, records, analyzer, more) {
    var was = more && suggestActive >= 0 && suggestActive < suggestOptions.length - 1 ? suggestActive : -1;
    var list = el("ul", "search-suggest-list");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", strings.suggestions);
    var options = [];
    records.forEach(function (rec) {
      var li = el("li", "search-suggest-item");
      var link = fillResult(li, rec, found, analyzer);
      options.push({ li: li, href: link.getAttribute("href") });
      list.appendChild(li);
    });
    var all = el("li", "search-suggest-all");
    var link = el("a", "", say("all_results", { query: query }));
    link.setAttribute("href", searchPageHref(suggestForm, query));
    all.appendChild(link);
    options.push({ li: all, href: link.getAttribute("href") });
    list.appendChild(all);
    var id = suggestBox.id;
    options.forEach(function (o, i) {
      o.li.id = id + "-" + i;
      o.li.setAttribute("role", "option");
      o.li.firstChild.setAttribute("tabindex", "-1");
    });
    suggestOptions = options;
    showSuggest(list);
    setActiveSuggestion(was);
  }

  function updateSuggest() {
    var query = suggestInput.value;
    var mine = ++suggestSeq;
    if (!query.trim()) {
      closeSuggest();
      return;
    }
    searchIndex(query)
      .then(function (r) {
        // The best section of each of the best pages, the best pages first.
        var groups = groupByPage(r.man, r.found.hits, 1).slice(0, SUGGEST_LIMIT);
        if (!groups.length) {
          if (mine === suggestSeq) suggestMessage(say("no_results", { query: query }));
          return null;
        }
        var records = [];
        return inWaves(groups, function (wave, byDoc) {
          if (mine !== suggestSeq) return;
          var more = records.length > 0;
          wave.forEach(function (g) { records.push(byDoc[g.hits[0].doc]); });
          renderSuggest(query, r.found, records, r.man.analyzer, more);
        });
      })
      .catch(function () {
        if (mine === suggestSeq) suggestMessage(strings.error);
      });
  }

  /* Arrow keys cycle through the options and back to the box (-1), Enter
   * follows the chosen one, Escape closes the list. */
  function suggestKey(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!suggestOptions.length) return;
      e.preventDefault();
      var next = suggestActive + (e.key === "ArrowDown" ? 1 : -1);
      if (next >= suggestOptions.length) next = -1;
      else if (next < -1) next = suggestOptions.length - 1;
      setActiveSuggestion(next);
    } else if (e.key === "Enter" && suggestActive >= 0) {
      e.preventDefault();
      global.location.href = suggestOptions[suggestActive].href;
    } else if (e.key === "Escape" && !suggestBox.hidden) {
      e.preventDefault();
      closeSuggest();
    }
  }

  function setupSuggest(form, input, box) {
    var timer = null;
    suggestForm = form;
    suggestInput = input;
    suggestBox = box;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(updateSuggest, 100);
    });
    input.addEventListener("focus", function () {
      manifest().catch(function () {});
    });
    input.addEventListener("keydown", suggestKey);
    // Keep focus in the box while a suggestion is clicked: browsers that do
    // not focus links on click would otherwise close the list first.
    box.addEventListener("mousedown", function (e) {
      e.preventDefault();
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) closeSuggest();
    });
  }

  /* The search page's results (one a page): a status line, then the pages
   * found, one screen (PAGE_SIZE) at a time behind a button. */
  var resultsBox = null;
  var resultsStatus = null;
  var resultsList = null;
  var resultsFound = null;
  var resultsAnalyzer = null;
  var resultsGroups = [];
  var resultsShown = 0;
  var moreButton = null;

  function resultsDone(state, text) {
    resultsStatus.appendChild(document.createTextNode(text));
    resultsBox.setAttribute("aria-busy", "false");
    resultsBox.setAttribute("data-state", state);
  }

  // The next screen of results, then the button for the one after, if any.
  function moreResults() {
    var screen = resultsGroups.slice(resultsShown, resultsShown + PAGE_SIZE);
    resultsShown += screen.length;
    return inWaves(screen, function (wave, byDoc) {
      wave.forEach(function (group) {
        var li = el("li", "search-result");
        fillGroup(li, group, byDoc, resultsFound, resultsAnalyzer);
        resultsList.appendChild(li);
      });
    }).then(function () {
      if (moreButton) resultsBox.removeChild(moreButton);
      moreButton = null;
      if (resultsShown < resultsGroups.length) addMoreButton();
    });
  }

  function addMoreButton() {
    var button = el("button", "search-more", strings.more);
    button.setAttribute("type", "button");
    button.addEventListener("click", function () {
      button.disabled = true;
      moreResults();
    });
    resultsBox.appendChild(button);
    moreButton = button;
  }

  function searchResults(query) {
    resultsBox.setAttribute("aria-busy", "true");
    resultsStatus.appendChild(document.createTextNode(strings.loading));
    searchIndex(query)
      .then(function (r) {
        resultsFound = r.found;
        resultsAnalyzer = r.man.analyzer;
        resultsGroups = groupByPage(r.man, r.found.hits, SECTIONS_PER_PAGE);
        clear(resultsStatus);
        if (!r.found.hits.length) {
          resultsDone("none", say("no_results", { query: query }));
          return null;
        }
        return moreResults().then(function () {
          resultsDone("done", countMessage(resultsGroups.length, query));
        });
      })
      .catch(function () {
        clear(resultsStatus);
        resultsDone("error", strings.error);
      });
  }

  function setupResultsPage(box, input) {
    var query = queryParam("q") || "";
    if (input && !input.value) input.value = query;
    resultsBox = box;
    resultsStatus = el("p", "search-status");
    resultsList = el("ol", "search-results-list");
    clear(box);
    box.appendChild(resultsStatus);
    box.appendChild(resultsList);
    if (!query.trim()) resultsDone("empty", strings.empty);
    else searchResults(query);
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

  S.snippetParts = snippetParts;

  if (typeof document !== "undefined" && document.body) init();
})(this);
