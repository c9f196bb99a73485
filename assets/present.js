/* 评议大会 projection mode: keys, dots, scaling the 1920×1080 stage, auto-advance, and the
   pages of a long list inside a slide (.present-pager data-pages="n" holding elements
   .present-page data-page="k"). Only acts while a .present-root is on the page (the /present
   deck). The current slide and page live in <body data-present-slide="n" data-present-page="k">
   and the address's #n (or #n.k), never in Dash's props, so server updates of a slide never move
   the deck. One page at a time is a screen rule only: a print shows every page. */
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

  function page() {
    return parseInt(document.body.getAttribute("data-present-page") || "1", 10) || 1;
  }

  function slideAt(n) {
    return document.querySelector(".present-slides > .present-slide:nth-child(" + n + ")");
  }

  // How many pages slide n's list has (1 for a slide without one).
  function pagesOf(n) {
    var slide = slideAt(n);
    var pager = slide && slide.querySelector(".present-pager");
    return (pager && parseInt(pager.getAttribute("data-pages"), 10)) || 1;
  }

  // One page shown: a stylesheet rule, not a class on Dash's elements (which Dash re-renders).
  function pageRule(k) {
    var style = document.getElementById("present-page-rule");
    if (!style) {
      style = document.createElement("style");
      style.id = "present-page-rule";
      document.head.appendChild(style);
    }
    var rule =
      '@media screen { .present-slides .present-page:not([data-page="' +
      k +
      '"]) { display: none !important; } }';
    if (style.textContent !== rule) {
      style.textContent = rule;
    }
  }

  var lastMove = 0; // when the deck last moved (ms)

  // Slide n at page k (the last page for k < 0); past the last slide: the first if wrap.
  function show(n, wrap, k) {
    var total = count();
    if (!total) {
      return;
    }
    lastMove = Date.now();
    if (wrap && n > total) {
      n = 1;
    }
    n = Math.max(1, Math.min(total, n));
    var pages = pagesOf(n);
    k = k < 0 ? pages : Math.max(1, Math.min(pages, k || 1));
    document.body.setAttribute("data-present-slide", String(n));
    document.body.setAttribute("data-present-page", String(k));
    pageRule(k);
    var hash = "#" + n + (k > 1 ? "." + k : "");
    if (window.location.hash !== hash) {
      window.history.replaceState(window.history.state, "", hash);
    }
  }

  // Forward: the next page of this slide's list, else the next slide (past the last one: the
  // first if wrap, else stay); back: the page before, else the previous slide's last page.
  function step(delta, wrap) {
    var n = current();
    var k = page();
    if (delta > 0) {
      if (k < pagesOf(n)) {
        show(n, false, k + 1);
      } else if (wrap || n < count()) {
        show(n + 1, wrap, 1);
      }
    } else if (k > 1) {
      show(n, false, k - 1);
    } else if (n > 1) {
      show(n - 1, false, -1);
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
    var delta = KEYS[key];
    if (key === " " && event.shiftKey) {
      delta = -1;
    }
    if (delta) {
      step(delta, false);
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

  // Slide and page from the address (#n or #n.k); `fallback` when it names none.
  function showHash(fallback) {
    var parts = (window.location.hash || "").slice(1).split(".");
    var n = parseInt(parts[0], 10);
    if (n) {
      show(n, false, parseInt(parts[1], 10) || 1);
    } else {
      fallback();
    }
  }

  window.addEventListener("hashchange", function () {
    if (root()) {
      showHash(function () {});
    }
  });

  // The deck is rendered by Dash after load: start at the address's slide and page once slides
  // appear; when a list is rendered again (the questions slide refreshes), stay on its page, or
  // on its last one if it has fewer now.
  var seen = 0;
  new MutationObserver(function () {
    var total = count();
    if (total && total !== seen) {
      seen = total;
      showHash(function () {
        show(current(), false, page());
      });
      fit();
    } else if (total && page() > pagesOf(current())) {
      show(current(), false, -1);
    } else if (!total) {
      seen = 0;
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    present: {
      // A tick of the auto-advance timer. Ticks that Dash delivers late (behind a server
      // update) can arrive together: one less than half an interval after the deck last moved
      // (by a tick or a key) is dropped, so no page flashes by unread.
      advance: function (ticks, interval) {
        if (ticks && root() && Date.now() - lastMove >= (interval || 0) / 2) {
          step(1, true);
        }
        return ticks;
      },
    },
  });
})();
