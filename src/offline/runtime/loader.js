/* Oberih offline copy: loads the page script that offers the copy (offline.js), over https or
   localhost only. From a folder (file://) nothing more is loaded. On a page that no saved copy
   serves, it waits until the page has loaded (search results included), so that on a weak
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
  if (navigator.serviceWorker.controller || document.readyState === "complete") load();
  else window.addEventListener("load", function () { setTimeout(load, 0); });
})();
