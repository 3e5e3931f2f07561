/* Latent Lexicon: draw every computed figure on the page.
 *
 * Figure data sits in a data-figure attribute (not an inline <script>, which
 * Material's instant navigation would re-run as JavaScript). plotly.js is
 * loaded once per site (core.js) when the page is idle, on pages with figures only; a figure is
 * drawn when it comes near the viewport. Until then its box shows its text alternative (lexicon.css). Figures are re-drawn on palette change.
 *
 * The mode bar: a figure that cannot be dragged (layout.dragmode false) has none; one that can
 * (maps) has zoom in, zoom out and reset only. Nothing in it reaches another host: no "Share
 * chart" (showSendToCloud, and no plotlyServerURL), no Plotly logo link, no image download.
 */
(function () {
  "use strict";

  var LL = window.LatentLexicon;
  var observer = null;
  LL.themeLayout = themeLayout;

  // Colours of text, grid and background follow Material's palette (light or dark).
  function themeLayout() {
    var css = getComputedStyle(document.body);
    var fg = css.getPropertyValue("--md-default-fg-color").trim() || "#333";
    var grid = css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
    var axis = { color: fg, gridcolor: grid, linecolor: grid, zerolinecolor: grid };
    return {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: fg, family: css.fontFamily },
      xaxis: axis, yaxis: axis, xaxis2: axis, yaxis2: axis, xaxis3: axis, yaxis3: axis,
      xaxis4: axis, yaxis4: axis, xaxis5: axis, yaxis5: axis, xaxis6: axis, yaxis6: axis,
      legend: { font: { color: fg } }
    };
  }

  function merge(target, source) {
    Object.keys(source).forEach(function (k) {
      var v = source[k];
      if (v && typeof v === "object" && !Array.isArray(v)) {
        target[k] = merge(target[k] && typeof target[k] === "object" ? target[k] : {}, v);
      } else if (!(k in target)) {
        target[k] = v;  // the figure's own settings win over the theme
      }
    });
    return target;
  }

  function draw(el) {
    if (el.dataset.state) return;
    el.dataset.state = "loading";
    LL.loadPlotly().then(function (Plotly) {
      var fig = JSON.parse(el.dataset.figure);
      var layout = merge(fig.layout || {}, themeLayout());
      var narrow = el.clientWidth < 520;
      var canHover = window.matchMedia("(hover: hover)").matches;
      layout.autosize = true;
      if (narrow) {
        // On a phone, numbers printed in heatmap cells are unreadable: they stay in the table.
        fig.data.forEach(function (t) { if (t.type === "heatmap") t.texttemplate = ""; });
      }
      return Plotly.newPlot(el, fig.data, layout, config(layout.dragmode !== false && canHover));
    }).then(function () {
      // The text alternative names the box (role img or group): the drawing is not read out.
      el.querySelectorAll("svg.main-svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
      el.dataset.state = "drawn";
      resizer.observe(el);
      // Figures whose points are pages (data-links): selecting a point opens its page; the
      // customdata are URLs relative to this page, written at build time.
      if (el.hasAttribute("data-links") && el.on) {
        el.on("plotly_click", function (ev) {
          var p = ev && ev.points && ev.points[0];
          if (p && typeof p.customdata === "string") window.location.href = p.customdata;
        });
      }
    }).catch(function (err) {
      el.dataset.state = "failed";
      el.classList.add("ll-plot--failed");
      el.textContent = "This figure could not be drawn (" + err.message + "). Its numbers are in the table below.";
    });
  }

  // On touch screens Plotly would show its toolbar all the time, over the titles: none there.
  function config(zoomable) {
    return {
      responsive: true, displaylogo: false, showSendToCloud: false, plotlyServerURL: "", showTips: false,
      displayModeBar: zoomable ? "hover" : false,
      modeBarButtons: [["zoomIn2d", "zoomOut2d", "resetScale2d"]]
    };
  }

  // plotly.js (1.5 MB) is prefetched once the page has loaded and is idle, not when the first figure
  // is near (a script added before then would hold back the page's load event); it runs only when a
  // figure is drawn, so an idle page does not spend a second of main thread compiling it.
  function whenIdle(fn) {
    var later = "requestIdleCallback" in window
      ? function () { window.requestIdleCallback(fn, { timeout: 3000 }); }
      : function () { window.setTimeout(fn, 200); };
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }

  // A figure drawn, then hidden (inactive tab, closed details) while the window changed size,
  // is resized when it is shown again: the observer fires as its box appears.
  var resizer = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.contentRect.width > 0 && window.Plotly && e.target.dataset.state === "drawn") {
        window.Plotly.Plots.resize(e.target);
      }
    });
  }) : { observe: function () {} };

  function retheme() {
    if (!window.Plotly) return;
    var theme = themeLayout();
    document.querySelectorAll('.ll-plot[data-state="drawn"]').forEach(function (el) {
      var update = {};
      ["paper_bgcolor", "plot_bgcolor", "font.color", "legend.font.color"].forEach(function (k) {
        update[k] = k.split(".").reduce(function (o, p) { return o[p]; }, theme);
      });
      Object.keys(theme).filter(function (k) { return /^[xy]axis\d*$/.test(k); }).forEach(function (ax) {
        if (el.layout && el.layout[ax]) {
          update[ax + ".color"] = theme.xaxis.color;
          update[ax + ".gridcolor"] = theme.xaxis.gridcolor;
        }
      });
      window.Plotly.relayout(el, update);
    });
  }

  function init() {
    if (observer) observer.disconnect();
    var plots = document.querySelectorAll(".ll-plot[data-figure]");
    if (!plots.length) return;
    // Not for figures the page hides for good at this width (the learning-path graph on a phone):
    // only when one is shown, or can be shown by opening a <details> or a tab. Asked once the page
    // is idle: getClientRects() forces a layout, which at load made a long task of its own.
    whenIdle(function () {
      var mayShow = Array.prototype.some.call(plots, function (p) {
        return p.isConnected && (p.getClientRects().length > 0 || p.closest("details, .tabbed-block"));
      });
      if (mayShow) LL.prefetchPlotly();
    });
    if (!("IntersectionObserver" in window)) { plots.forEach(draw); return; }
    // Draw a figure when it nears the viewport; hidden ones (closed <details>,
    // inactive tabs) have no box and are drawn when they are shown.
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { observer.unobserve(e.target); draw(e.target); }
      });
    }, { rootMargin: "300px 0px" });
    plots.forEach(function (el) { observer.observe(el); });
  }

  new MutationObserver(retheme).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"]
  });

  LL.onPage(init);
})();
