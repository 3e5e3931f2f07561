/* Latent Lexicon: the filters of the claims audit (docs/claims.md, written by
 * lexicon/catalog/audits.py). The audit is complete without this script: one <details> per page,
 * closed unless the page makes a false claim. This shows the filter form (hidden in the HTML),
 * hides the rows that do not match, opens the groups that keep a row (and hides the others),
 * and says how many claims are shown in a live region. With every filter back to "all", the
 * groups are as the page opened. Nothing is fetched: it works from file:// and offline.
 */
(function () {
  "use strict";

  var LL = window.LatentLexicon || {};
  var DONE = "llAuditReady";

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
        return { tr: tr, text: LL.normalise ? LL.normalise(tr.textContent) : tr.textContent.toLowerCase() };
      });
    });

    function apply() {
      var status = form.elements.status.value, page = form.elements.page.value;
      var kind = form.elements.kind.value;
      var words = LL.normalise ? LL.normalise(form.elements.words.value) : form.elements.words.value.toLowerCase();
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

  if (LL.onPage) LL.onPage(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
