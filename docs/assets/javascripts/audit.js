/* Latent Lexicon: the filters of the claims audit (docs/claims/index.md and the pages of claims/ that lexicon/catalog/claim_pages.py generates, written by
 * lexicon/catalog/audits.py, which also writes the <script> element that loads this file, so no
 * other page loads it). The audit is complete without this script: one <details> per page,
 * closed unless the page makes a false claim. This shows the filter form (hidden in the HTML),
 * hides the rows that do not match, opens the groups that keep a row (and hides the others),
 * and says how many claims are shown in a live region. With every filter back to "all", the
 * groups are as the page opened. Nothing is fetched: it works from file:// and offline.
 */
(function () {
  "use strict";

  var DONE = "llAuditReady";

  function normalise(text) {    // as core.js reads typed words (this script may run before it)
    return String(text || "").trim().toLowerCase().replace(/\s+/g, " ");
  }

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  function setUp(root) {
    if (root.dataset[DONE]) return;
    root.dataset[DONE] = "1";
    var form = root.querySelector(".ll-audit__filters");
    var count = root.querySelector(".ll-audit__count");
    var groups = Array.prototype.slice.call(root.querySelectorAll("details.ll-audit__page"));
    var wasOpen = groups.map(function (g) { return g.open; });
    var total = Number(root.dataset.total), falseTotal = Number(root.dataset["false"]);
    var rows = groups.map(function (g) {
      return Array.prototype.slice.call(g.querySelectorAll("tbody tr")).map(function (tr) {
        var cells = Array.prototype.map.call(tr.cells, function (td) { return td.textContent; });
        return { tr: tr, text: normalise(cells.join(" ")) };
      });
    });

    function apply() {
      var status = form.elements.status.value, page = form.elements.page.value;
      var kind = form.elements.kind.value;
      var words = normalise(form.elements.words.value);
      var filtering = !!(status || page || kind || words);
      var shown = 0, pages = 0;
      groups.forEach(function (g, i) {
        var inGroup = 0, n = rows[i].length;
        var pageOk = !page || g.dataset.page === page;
        rows[i].forEach(function (r) {
          var ok = pageOk && (!status || r.tr.dataset.status === status) && (!kind || r.tr.dataset.kind === kind)
            && (!words || r.text.indexOf(words) !== -1);
          r.tr.hidden = !ok;
          if (ok) inGroup++;
        });
        g.hidden = inGroup === 0;
        g.open = filtering ? inGroup > 0 : wasOpen[i];
        g.querySelector(".ll-audit__shown").textContent = filtering && inGroup && inGroup < n
          ? " (" + inGroup + " shown)" : "";
        shown += inGroup;
        if (inGroup) pages++;
      });
      count.classList.toggle("ll-audit__count--good", shown === 0 && status === "false" && falseTotal === 0);
      if (!filtering) {
        count.textContent = "Showing all " + plural(total, "claim") + " on " + plural(pages, "page") + ".";
      } else if (shown) {
        count.textContent = "Showing " + plural(shown, "claim") + " of " + total.toLocaleString("en")
          + " on " + plural(pages, "page") + ".";
      } else if (status === "false" && falseTotal === 0) {
        count.textContent = "No false claims: all " + plural(total, "claim") + " hold in this build.";
      } else {
        count.textContent = "No claim matches these filters.";
      }
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    // A reset event fires before the fields are reset: read them once it is done.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("[data-ll-audit]").forEach(setUp);
  }

  // Loaded by the audit page itself (not extra_javascript): on a first load it is deferred; after an
  // instant navigation Material runs it again, once the new page's content is in place.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
