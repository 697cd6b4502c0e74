/* Oberih page script: small enhancements only; every page works without it. */
(function () {
  "use strict";
  // Focus the main content when the skip link is used, so screen readers start there.
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function () { main.focus(); });
  }
  // Print buttons (the paper forms): shown only where a script can print; hidden in print.
  var printButtons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < printButtons.length; i++) {
    printButtons[i].addEventListener("click", function () { window.print(); });
    printButtons[i].parentNode.hidden = false;
  }
})();
