/* Oberih page script: small enhancements only; every page works without it. */
(function () {
  "use strict";
  // Focus the main content when the skip link is used, so screen readers start there.
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function () { main.focus(); });
  }

  // A table wider than its box says which edges it continues past, for the fade there.
  function edges(wrap) {
    var more = wrap.scrollWidth - wrap.clientWidth > 1;
    wrap.classList.toggle("more-left", more && wrap.scrollLeft > 1);
    wrap.classList.toggle("more-right", more && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1);
  }
  var wraps = document.querySelectorAll(".table-wrap");
  Array.prototype.forEach.call(wraps, function (wrap) {
    edges(wrap);
    wrap.addEventListener("scroll", function () { edges(wrap); }, { passive: true });
  });
  window.addEventListener("resize", function () { Array.prototype.forEach.call(wraps, edges); });

  // Print buttons (the paper forms): shown only where a script can print; hidden in print.
  var printButtons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < printButtons.length; i++) {
    printButtons[i].addEventListener("click", function () { window.print(); });
    printButtons[i].parentNode.hidden = false;
  }
})();
