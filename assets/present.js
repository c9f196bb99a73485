/* 评议大会 projection mode: keys, dots, scaling the 1920×1080 stage, auto-advance.
   Only acts while a .present-root is on the page (the /present deck). The current slide
   lives in <body data-present-slide="n"> and the address's #n, never in Dash's props, so
   server updates of a slide never move the deck. */
(function () {
  "use strict";

  var WIDTH = 1920;
  var HEIGHT = 1080;

  function root() {
    return document.querySelector(".present-root");
  }

  function count() {
    return document.querySelectorAll(".present-slides > .present-slide").length;
  }

  function current() {
    return parseInt(document.body.getAttribute("data-present-slide") || "1", 10) || 1;
  }

  function show(n, wrap) {
    var total = count();
    if (!total) {
      return;
    }
    if (wrap && n > total) {
      n = 1;
    }
    n = Math.max(1, Math.min(total, n));
    document.body.setAttribute("data-present-slide", String(n));
    if (window.location.hash !== "#" + n) {
      window.history.replaceState(window.history.state, "", "#" + n);
    }
  }

  function fit() {
    if (!root()) {
      return;
    }
    var scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    document.documentElement.style.setProperty("--present-scale", String(scale));
  }

  function fullscreen() {
    var done = document.fullscreenElement
      ? document.exitFullscreen()
      : document.documentElement.requestFullscreen();
    if (done && done.catch) {
      done.catch(function () {});
    }
  }

  var KEYS = {
    ArrowRight: 1,
    ArrowDown: 1,
    PageDown: 1,
    " ": 1,
    ArrowLeft: -1,
    ArrowUp: -1,
    PageUp: -1,
  };

  document.addEventListener("keydown", function (event) {
    if (!root() || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    var key = event.key;
    var step = KEYS[key];
    if (key === " " && event.shiftKey) {
      step = -1;
    }
    if (step) {
      show(current() + step);
    } else if (key === "Home") {
      show(1);
    } else if (key === "End") {
      show(count());
    } else if (/^[0-9]$/.test(key)) {
      show(key === "0" ? 10 : parseInt(key, 10));
    } else if (key === "f" || key === "F") {
      fullscreen();
    } else {
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var dot = event.target && event.target.closest && event.target.closest(".present-dot");
    if (dot && root()) {
      show(parseInt(dot.getAttribute("data-slide"), 10));
    }
  });

  window.addEventListener("resize", fit);

  // The deck is rendered by Dash after load: start at the address's #n once slides appear.
  var seen = 0;
  new MutationObserver(function () {
    var total = count();
    if (total && total !== seen) {
      seen = total;
      var fromHash = parseInt((window.location.hash || "").slice(1), 10);
      show(fromHash || current());
      fit();
    } else if (!total) {
      seen = 0;
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    present: {
      advance: function (ticks) {
        if (ticks && root()) {
          show(current() + 1, true);
        }
        return ticks;
      },
    },
  });
})();
