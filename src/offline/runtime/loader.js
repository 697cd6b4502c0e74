/* Oberih offline copy: loads the page script that offers the copy (offline.js), over https or
   localhost only. From a folder (file://) nothing more is loaded. */
(function () {
  "use strict";
  var box = document.getElementById("offline");
  if (!box || !window.isSecureContext || location.protocol === "file:" || !("serviceWorker" in navigator)) return;
  var script = document.createElement("script");
  script.src = box.getAttribute("data-script");
  document.head.appendChild(script);
})();
