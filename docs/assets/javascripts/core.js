/* Latent Lexicon: what the site's scripts share, loaded before them.
 *
 * window.LatentLexicon (LL):
 *   onPage(fn)       run fn now (once the page is parsed) and after every instant navigation;
 *                    fn must be idempotent: Material's document$ may also replay the first page
 *   el(tag, attrs, text)  a new element with attributes ({class: "x", "data-y": "z"}) and text
 *   normalise(text)  trimmed, lower-cased, single spaces: how typed words are read
 *   parseQuery(text) "frog" or "a - b + c" read as the build reads an analogy query
 *                    (lexicon/blocks/vectors/_query.py): {text, words, positive, negative, signs},
 *                    or {error: "wordsWithoutSign" | "misplacedSign"}
 *   prefetchPlotly() plotly.js into the browser's cache, not run (figures.js, once the page is idle)
 *   loadPlotly()     the site's own plotly.js, loaded once, by a <script> element (not fetch),
 *                    so the offline bundle works from file://
 *
 * And on every page: a table too wide for its column scrolls sideways (in Material's wrapper or
 * ours); a keyboard can scroll it only if it can take focus (axe: scrollable-region-focusable).
 * Only a table that really overflows gets the tab stop, and it loses it when it fits again.
 */
(function () {
  "use strict";

  var LL = window.LatentLexicon = window.LatentLexicon || {};
  var self = document.currentScript;
  var PLOTLY_SRC = new URL("../vendor/plotly.min.js", self ? self.src : document.baseURI).href;
  var plotlyPromise = null;

  LL.onPage = function (fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { fn(); });
    else fn();
    // Material's document$ emits after every instant navigation. It never emits when instant
    // navigation cannot start (a page opened from file://): the call above covers that page.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { fn(); });
    }
  };

  LL.el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };

  LL.normalise = function (text) {
    return String(text || "").trim().toLowerCase().replace(/\s+/g, " ");
  };

  LL.parseQuery = function (text) {
    var tokens = text.split(" ");
    var out = { text: text, words: [], positive: [], negative: [], signs: [] };
    if (tokens.length === 1) {
      out.words = out.positive = tokens;
      out.signs = [1];
      return out;
    }
    var sign = 1;
    for (var i = 0; i < tokens.length; i++) {
      var tok = tokens[i], isOp = tok === "+" || tok === "-";
      if (i % 2 === 1) {
        if (!isOp) return { error: "wordsWithoutSign" };
        sign = tok === "+" ? 1 : -1;
      } else {
        if (isOp) return { error: "misplacedSign" };
        out.words.push(tok);
        out.signs.push(sign);
        (sign > 0 ? out.positive : out.negative).push(tok);
      }
    }
    if (tokens.length % 2 === 0) return { error: "misplacedSign" };
    return out;
  };

  // Fetch plotly.js into the browser's cache without running it, so a page pays no main-thread
  // work for it until a figure is drawn (a prefetch hint; where it is ignored, nothing happens).
  LL.prefetchPlotly = function () {
    if (window.Plotly || plotlyPromise || document.querySelector("link[data-ll-plotly]")) return;
    var l = document.createElement("link");
    l.rel = "prefetch";
    l.as = "script";
    l.href = PLOTLY_SRC;
    l.setAttribute("data-ll-plotly", "");
    document.head.appendChild(l);
  };

  var SCROLLERS = ".md-typeset__scrollwrap, .ll-table";
  function scrollStops() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Table, scrolls sideways");
        box.setAttribute("data-ll-scrollstop", "");
      } else if (!overflows && box.hasAttribute("data-ll-scrollstop")) {
        ["tabindex", "role", "aria-label", "data-ll-scrollstop"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  // A table in a closed <details> or a hidden exercise answer has no width until it is shown:
  // each scroller is watched, so it gets its stop when it appears (and loses it if it fits).
  var watcher = typeof ResizeObserver === "function" ? new ResizeObserver(scrollStops) : null;
  function watchScrollers() {
    scrollStops();
    if (watcher) document.querySelectorAll(SCROLLERS).forEach(function (box) { watcher.observe(box); });
  }
  // After Material has wrapped the page's tables (its own document$ handlers run first).
  LL.onPage(function () { window.setTimeout(watchScrollers, 0); });
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollStops, 150);
  });

  LL.loadPlotly = function () {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = PLOTLY_SRC;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = function () { plotlyPromise = null; reject(new Error("could not load " + PLOTLY_SRC)); };
        document.head.appendChild(s);
      });
    }
    return plotlyPromise;
  };
})();
