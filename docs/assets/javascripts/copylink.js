/* Latent Lexicon: a visible "Copy link" control on every section, example, exercise and
 * figure of a term page, for linking from course material. The anchors themselves are
 * written at build time (headings by the toc extension, blocks by the lexicon plugin) and
 * listed in glossary.json; this only adds the buttons. Without JavaScript, Material's
 * heading permalinks (¶) still give the same URLs.
 */
(function () {
  "use strict";

  var DONE = "llCopylink";

  function absolute(id) {
    return window.location.href.split("#")[0] + "#" + id;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function button(id, what) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ll-copylink";
    b.setAttribute("data-anchor", id);
    b.setAttribute("aria-label", "Copy link to " + what);
    b.title = "Copy a link to this " + (what.indexOf("\u201c") === 0 ? "section" : what);
    b.textContent = "Copy link";
    b.addEventListener("click", function () {
      var url = absolute(id);
      var status = document.getElementById("ll-copylink-status");
      copyText(url).then(function () {
        b.textContent = "Link copied";
        b.classList.add("ll-copylink--done");
        if (status) status.textContent = "Link copied: " + url;
      }, function () {
        // The clipboard is not available: put the link in the address bar to copy from there.
        window.location.hash = id;
        b.textContent = "Link in address bar";
        if (status) status.textContent = "Could not copy; the link is now in the address bar: " + url;
      });
      setTimeout(function () { b.textContent = "Copy link"; b.classList.remove("ll-copylink--done"); }, 2500);
    });
    return b;
  }

  function label(el) {
    var clone = el.cloneNode(true);
    Array.prototype.forEach.call(clone.querySelectorAll(".headerlink, .ll-copylink"), function (x) { x.remove(); });
    return "\u201c" + clone.textContent.trim() + "\u201d";
  }

  function init() {
    var article = document.querySelector("article.md-content__inner");
    if (!article || !article.querySelector(".ll-term-header") || article.dataset[DONE]) return;
    article.dataset[DONE] = "1";
    if (!document.getElementById("ll-copylink-status")) {
      var status = document.createElement("p");
      status.id = "ll-copylink-status";
      status.className = "ll-visually-hidden";
      status.setAttribute("role", "status");
      article.appendChild(status);
    }
    Array.prototype.forEach.call(article.querySelectorAll("h2[id], h3[id]"), function (h) {
      h.appendChild(button(h.id, label(h)));
    });
    Array.prototype.forEach.call(article.querySelectorAll(".ll-exercise[id]"), function (ex) {
      var prompt = ex.querySelector(".ll-exercise__prompt");
      (prompt || ex).insertAdjacentElement("afterend", button(ex.id, "this exercise"));
    });
  }

  window.LatentLexicon.onPage(init);
})();
