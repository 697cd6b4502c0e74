/* A runtime with a mistake of each kind the lint must catch; tests/lint.rs expects every one.
   Linted as a theme runtime (eslint.config.js), never shipped. */
(function () {
  "use strict";
  var unused = 1;
  function show(item) {
    return item.label + missingName;
  }
  if (show = null) {
    show({ label: "x" });
  }
})();
