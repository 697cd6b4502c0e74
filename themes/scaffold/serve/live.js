// Live reload for `oberih serve`. Served only by the preview server, never written to a built site.
//
// The page's Content-Security-Policy allows scripts from 'self' but no connections
// (connect-src falls back to default-src 'none'), so instead of fetch or EventSource this
// long-polls by loading /__oberih/poll.js as a script; the server answers when the build id
// differs from the one this page was served with, and the page reloads.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? me.getAttribute("data-build") : "";
  var delay = 500;

  function poll() {
    var s = document.createElement("script");
    s.src = "/__oberih/poll.js?since=" + encodeURIComponent(build) + "&t=" + Date.now();
    s.onload = function () {
      s.remove();
    };
    s.onerror = function () {
      // The server is restarting or gone: try again, more and more slowly.
      s.remove();
      setTimeout(poll, delay);
      delay = Math.min(delay * 2, 5000);
    };
    document.head.appendChild(s);
  }

  window.__oberihLive = function (id) {
    delay = 500;
    if (id !== build) {
      location.reload();
    } else {
      setTimeout(poll, 0);
    }
  };

  // A script added before the load event would hold that event back for the whole long poll.
  if (document.readyState === "complete") {
    poll();
  } else {
    window.addEventListener("load", poll);
  }
})();
