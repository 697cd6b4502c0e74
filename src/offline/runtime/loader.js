/* Oberih offline copy: loads the page script that offers the copy (offline.js), over https or
   localhost only. From a folder (file://) nothing more is loaded. On a page that no saved copy
   serves, it waits until the page has loaded and search results are shown, so that on a weak
   connection the offer never competes with what the reader came for. */
(function () {
  "use strict";
  var box = document.getElementById("offline");
  if (!box || !window.isSecureContext || location.protocol === "file:" || !("serviceWorker" in navigator)) return;
  function load() {
    var script = document.createElement("script");
    script.src = box.getAttribute("data-script");
    document.head.appendChild(script);
  }
  // On the search page, also after the results are shown.
  function afterResults() {
    var results = document.getElementById("search-results");
    if (!results || results.hasAttribute("data-state")) return load();
    new MutationObserver(function (changes, observer) {
      if (!results.hasAttribute("data-state")) return;
      observer.disconnect();
      load();
    }).observe(results, { attributes: true });
  }
  if (navigator.serviceWorker.controller) load();
  else if (document.readyState === "complete") afterResults();
  else window.addEventListener("load", afterResults);
})();
