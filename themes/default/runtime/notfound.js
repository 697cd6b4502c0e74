/* Oberih 404 page script (inline in 404.html, see src/render/notfound.rs): shows the page in
   the language the address names, points the page's links at the folder the portal is in, and,
   when the saved copy's worker answers with it for a page the copy does not hold while the
   portal cannot be reached (it marks the page `data-unsaved`), says the page is not in the copy
   rather than that it does not exist. */
(function () {
  "use strict";
  var doc = document.documentElement;
  var langs = doc.getAttribute("data-languages").split(" ");
  var base = doc.getAttribute("data-base");
  var fixed = doc.hasAttribute("data-base-url");
  var path = location.pathname;
  var parts = path.split("/");
  var lang = null;
  var root = base;
  if (location.protocol === "file:") {
    root = "";
  } else {
    // With base_url, only the folder right after its path can name a language, or, outside that
    // path (a preview at the root of a local server), the first folder. Without it the first
    // language folder anywhere marks the site's root.
    var under = fixed && path.indexOf(base) === 0;
    var first = under ? base.split("/").length - 1 : 1;
    var last = Math.min(fixed ? first + 1 : parts.length, parts.length - 1);
    for (var i = first; i < last; i++) {
      if (langs.indexOf(parts[i]) >= 0) {
        lang = parts[i];
        root = parts.slice(0, i).join("/") + "/";
        break;
      }
    }
  }
  if (root !== base) {
    var links = document.querySelectorAll("a[href], form[action]");
    for (var j = 0; j < links.length; j++) {
      var attr = links[j].tagName === "FORM" ? "action" : "href";
      var url = links[j].getAttribute(attr);
      if (url.indexOf(base) === 0) links[j].setAttribute(attr, root + url.slice(base.length));
    }
  }
  var offline = doc.hasAttribute("data-unsaved");
  var marks = document.querySelectorAll("[data-online], [data-offline]");
  for (var m = 0; offline && m < marks.length; m++) {
    marks[m].hidden = !marks[m].hasAttribute("data-offline");
  }
  var titleAttr = offline ? "data-offline-title" : "data-title";
  var variants = document.querySelectorAll("[data-variant]");
  for (var k = 0; k < variants.length; k++) {
    var on = lang ? variants[k].getAttribute("data-variant") === lang : !variants[k].hidden;
    // A page has one main element that is not hidden: the hidden attribute goes on it too.
    variants[k].hidden = !on;
    variants[k].querySelector("main").hidden = !on;
    if (on) {
      if (lang) doc.lang = lang;
      document.title = variants[k].getAttribute(titleAttr);
    }
  }
})();
