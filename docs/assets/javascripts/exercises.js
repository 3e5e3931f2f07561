/* Latent Lexicon: grade the interactive exercises (rank, odd-one-out, analogy, choice).
 *
 * Each .ll-exercise carries its answer in data-answer (computed at build time, see
 * scripts/lexicon/engine/frame.py). "Check answer" grades the reader's answer against it and
 * says right or wrong in words in the live status region. A first wrong answer gets a hint and
 * a second try; a right answer, a second wrong one or "Show answer" un-hides the answer region
 * (figures.js draws its figure once it has a box). "Try again" puts everything back. Answers
 * that cannot be graded (a missing rank, an empty box, a word of the question) are explained in
 * the status and count as no try. Errors are reported in the status, never swallowed.
 */
(function () {
  "use strict";

  var READY = "llExercise";  // data-ll-exercise on a form once its handlers are attached
  var EXPLORER_TIMEOUT = 5000;  // ms to wait for the explorer's vocabulary before giving up on it

  // --- Small helpers ----------------------------------------------------------------------

  function fmt(x) { return Number(x).toFixed(4); }  // as in the page's tables

  function q(s) { return "\u201c" + s + "\u201d"; }  // “word”

  // "A", "A and B", "A, B and C"
  function list(items) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  var LL = window.LatentLexicon;
  var el = LL.el;

  // The controls a reader fills in (selects, radios, the text box), in page order.
  function controls(form) {
    return Array.prototype.slice.call(form.querySelectorAll("select, input"));
  }

  // --- Status, marks, reveal ----------------------------------------------------------------

  // Say something in the live region. tone: "right", "wrong" or "info" (an answer not graded).
  // The same text twice is cleared first, so that screen readers announce it again.
  function say(ex, tone, text) {
    var status = ex.root.querySelector(".ll-exercise__status");
    status.className = "ll-exercise__status ll-exercise__status--" + tone;
    var said = ++ex.said;  // a later say() or reset() wins over this one's delayed text
    if (status.textContent === text) {
      status.textContent = "";
      setTimeout(function () { if (ex.said === said) status.textContent = text; }, 60);
    } else {
      status.textContent = text;
    }
  }

  // A ✓ or ✗ mark beside a control: the symbol for the eye, the words for everyone.
  function mark(span, ok, words) {
    span.textContent = "";
    span.className = "ll-exercise__mark ll-exercise__mark--" + (ok ? "right" : "wrong");
    span.appendChild(el("span", { class: "ll-exercise__symbol" }, ok ? "\u2713" : "\u2717")).setAttribute("aria-hidden", "true");
    span.appendChild(el("span", { class: "ll-sr-only" }, ok ? "Right: " : "Wrong: "));
    span.appendChild(document.createTextNode(words));
  }

  // The answer was graded: lock the controls, show the answer, swap Check for Try again.
  function finish(ex) {
    controls(ex.form).forEach(function (c) {
      if (c.type === "text") c.readOnly = true; else c.disabled = true;
    });
    ex.root.querySelector(".ll-exercise__reveal").hidden = false;
    ex.check.hidden = true;
    if (ex.show) ex.show.hidden = true;
    ex.retry.hidden = false;
    ex.retry.focus();  // the Check button is gone: focus must not fall back to <body>
  }

  // A wrong answer. The first gets the hint and a second try (nothing revealed, the controls
  // stay as the reader left them); a second, or one without a hint, gets the full answer.
  function wrong(ex, hint, full) {
    if (hint && !ex.tried) {
      ex.tried = true;
      say(ex, "wrong", hint + " Try once more, or press Show answer.");
      var first = controls(ex.form)[0];
      if (first) first.focus();
      return;
    }
    say(ex, "wrong", full);
    finish(ex);
  }

  // An answer that cannot be graded: explain, mark the controls to fix (focus the first),
  // reveal nothing.
  function refuse(ex, text, bad) {
    say(ex, "info", text);
    bad = [].concat(bad || []);
    controls(ex.form).forEach(function (c) {
      if (bad.indexOf(c) === -1) c.removeAttribute("aria-invalid");
      else c.setAttribute("aria-invalid", "true");
    });
    if (bad.length) bad[0].focus();
  }

  function reset(ex) {
    ex.gen++;  // a pending check (waiting for the explorer) no longer speaks
    ex.said++;
    ex.busy = false;
    ex.tried = false;
    ex.form.reset();
    controls(ex.form).forEach(function (c) {
      c.disabled = false;
      c.readOnly = false;
      c.removeAttribute("aria-invalid");
    });
    Array.prototype.forEach.call(ex.root.querySelectorAll(".ll-exercise__mark"), function (m) {
      m.textContent = "";
      m.className = "ll-exercise__mark";
    });
    var status = ex.root.querySelector(".ll-exercise__status");
    status.textContent = "";
    status.className = "ll-exercise__status";
    ex.root.querySelector(".ll-exercise__reveal").hidden = true;
    ex.retry.hidden = true;
    ex.check.hidden = false;
    if (ex.show) ex.show.hidden = false;
    var first = controls(ex.form)[0];
    if (first) first.focus();
  }

  // --- rank: order the pairs; partial credit per pair --------------------------------------

  function gradeRank(ex) {
    var a = ex.answer, n = a.order.length;
    var items = Array.prototype.slice.call(ex.form.querySelectorAll(".ll-exercise__item"));
    var chosen = {}, missing = [], byRank = {};
    items.forEach(function (li) {
      var key = li.getAttribute("data-key"), v = li.querySelector("select").value;
      if (!v) { missing.push(key); return; }
      chosen[key] = Number(v);
      (byRank[v] = byRank[v] || []).push(key);
    });
    var selects = function (keys) {
      return keys.map(function (k) { return ex.form.querySelector('select[name="' + k + '"]'); });
    };
    if (missing.length) {
      return refuse(ex, "Choose a rank for " + list(missing) + " first: every pair needs a rank from 1 to " +
        n + ".", selects(missing));
    }
    var dup = Object.keys(byRank).filter(function (r) { return byRank[r].length > 1; });
    if (dup.length) {
      var r = dup[0];
      return refuse(ex, "Give each pair a different rank: " + list(byRank[r]) +
        (byRank[r].length === 2 ? " are both ranked " : " are all ranked ") + r +
        ". Use each rank from 1 to " + n + " once.", selects(byRank[r].slice(1)));
    }
    var right = items.filter(function (li) {
      var key = li.getAttribute("data-key");
      return chosen[key] === a.order.indexOf(key) + 1;
    }).length;
    var shown = right === n || ex.tried;  // the answer is shown now: the marks may give the ranks
    items.forEach(function (li) {
      var key = li.getAttribute("data-key"), model = a.order.indexOf(key) + 1;
      var ok = chosen[key] === model;
      var span = li.querySelector(".ll-exercise__mark");
      mark(span, ok, shown ? "the model ranks it " + model + (ok ? " too" : "") + " (cosine " + fmt(a.scores[key]) + ")"
        : (ok ? "in the model\u2019s place" : "not in the model\u2019s place"));
      if (!span.id) span.id = li.querySelector("select").id + "-mark";
      li.querySelector("select").setAttribute("aria-describedby", span.id);
    });
    var order = "The model\u2019s order, most similar first: " + a.order.join(", ") + ".";
    if (right === n) {
      say(ex, "right", "Right! All " + n + " pairs are in the model\u2019s place. " + order);
      return finish(ex);
    }
    wrong(ex, "Not yet: " + right + " of " + n + " pairs are in the model\u2019s place (marked beside each).",
      "Not quite: " + right + " of " + n + " pairs in the model\u2019s place. " + order +
      " The marks beside each pair and the model\u2019s answer below show the rest.");
  }

  // --- odd-one-out: one word; the model's pick has the lowest mean similarity -----------

  function gradeOdd(ex) {
    var a = ex.answer;
    var picked = ex.form.querySelector("input[type=radio]:checked");
    if (!picked) {
      return refuse(ex, "Choose the word you think does not belong first.",
        ex.form.querySelector("input[type=radio]"));
    }
    var w = picked.value, model = a.answer;
    var why = "mean cosine similarity to the other words " + fmt(a.means[model]) + ", the lowest";
    if (w === model) {
      say(ex, "right", "Right! The model also picks " + model + ": " + why + ".");
      return finish(ex);
    }
    wrong(ex, "Not yet: your pick, " + w + ", has a mean cosine similarity of " + fmt(a.means[w]) +
      " to the other words, and one word has a lower one.",
      "Not quite: the model picks " + model + " (" + why + "). Your pick, " + w +
      ", has a mean similarity of " + fmt(a.means[w]) + " to the others.");
  }

  // --- analogy: a typed word, right if it fits the relation asked (not the model's rank) ------

  var normalise = LL.normalise;

  // Ask the explorer (explorer.js) whether the model knows a word. Resolves to
  // {known: bool, suggestions: [...]}, or null when there is no explorer or it fails.
  function lookUp(word) {
    var api = LL.explorer;
    if (!api || typeof api.load !== "function") return Promise.resolve(null);
    var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, EXPLORER_TIMEOUT); });
    var asked = new Promise(function (resolve) { resolve(api.load()); }).then(function (vocab) {
      if (!vocab || typeof vocab.has !== "function") return null;
      if (vocab.has(word)) return { known: true, suggestions: [] };
      var s = typeof vocab.suggest === "function" ? vocab.suggest(word) : [];
      var size = vocab.info && vocab.info.count;  // how many words the explorer carries
      return { known: false, suggestions: Array.isArray(s) ? s.slice(0, 5) : [],
               size: typeof size === "number" ? size : null };
    });
    return Promise.race([asked, timeout]).catch(function (err) {
      if (window.console) console.warn("Latent Lexicon: explorer vocabulary unavailable:", err);
      return null;  // fall back to what the page itself knows
    });
  }

  // Where the model ranks a word, in words: "the model ranks “japanese” #2 (cosine 0.7712)".
  function ranked(a, word) {
    for (var i = 0; i < a.top.length; i++) {
      if (a.top[i][0] === word) return "the model ranks " + q(word) + " #" + (i + 1) + " (cosine " + fmt(a.top[i][1]) + ")";
    }
    return null;
  }

  function gradeAnalogy(ex) {
    var a = ex.answer, input = ex.form.querySelector("input[type=text], input:not([type])");
    var word = normalise(input.value);
    if (!word) return refuse(ex, "Type a word first: the one that completes " + a.query + ".", input);
    if (word.indexOf(" ") !== -1) {
      return refuse(ex, q(word) + " is more than one word. The model\u2019s vocabulary holds single words: " +
        "type one.", input);
    }
    if (a.inputs.indexOf(word) !== -1) {
      return refuse(ex, q(word) + " is one of the question\u2019s words. Like gensim\u2019s most_similar, the " +
        "model leaves " + list(a.inputs) + " out of its answers, so it can never pick " + word +
        ". Try another word.", input);
    }
    input.value = word;  // show what was graded
    var asked = a.asked ? a.asked : "the word the question asks for";
    var answerIs = "The answer is " + list(a.accepted) + (a.asked ? " (" + a.asked + ")" : "") + "; " +
      (ranked(a, a.accepted[0]) || "the model does not rank " + q(a.accepted[0]) + " in its top " + a.top.length) + ".";
    var where = ranked(a, word);
    if (a.accepted.indexOf(word) !== -1) {
      say(ex, "right", "Right! " + q(word) + (a.asked ? " is " + a.asked : " completes the analogy") + ". " +
        (where ? where.charAt(0).toUpperCase() + where.slice(1) + "."
          : "The model does not rank it in its top " + a.top.length + ": the vector arithmetic misses this one."));
      return finish(ex);
    }
    if (where) {
      var role = a.roles[word];
      var notIt = where.charAt(0).toUpperCase() + where.slice(1) + ", but it is not " + asked +
        (role ? ": it is " + role : "") + ".";
      return wrong(ex, "Not yet. " + notIt + " A high rank is not the relation asked.", "Not right. " + notIt + " " + answerIs);
    }
    var notTop = q(word) + " is not " + asked + (a.roles[word] ? ": it is " + a.roles[word] : "") +
      ", and not among the model\u2019s top " + a.top.length + " answers.";
    // Not in the top 100: a misspelling deserves another go, so ask the explorer's vocabulary.
    var gen = ex.gen;
    ex.busy = true;
    // The vocabulary may have to be downloaded first: say so if it takes a moment.
    setTimeout(function () { if (ex.busy && ex.gen === gen) say(ex, "info", "Checking " + q(word) + "\u2026"); }, 300);
    return lookUp(word).then(function (found) {
      if (ex.gen !== gen) return;  // Try again was pressed meanwhile
      ex.busy = false;
      if (found && !found.known) {
        var sugg = found.suggestions.length
          ? " Close spellings it knows: " + list(found.suggestions) + "." : "";
        var known = found.size ? "its " + found.size.toLocaleString("en") + " most frequent words" : "its most frequent words";
        return refuse(ex, q(word) + " is not in the model\u2019s vocabulary (this site checks " + known + ")." +
          sugg + " Check the spelling, or try another word.", input);
      }
      wrong(ex, "Not yet: " + notTop, "Not right: " + notTop + " " + answerIs);
    });
  }

  // --- choice: one option; the model's answer and a computed reason for every option ------

  function gradeChoice(ex) {
    var a = ex.answer;
    var picked = ex.form.querySelector("input[type=radio]:checked");
    if (!picked) {
      return refuse(ex, "Choose an answer first.", ex.form.querySelector("input[type=radio]"));
    }
    var w = picked.value, why = a.why || {};
    if (w === a.answer) {
      say(ex, "right", "Right! " + (why[w] || ""));
      return finish(ex);
    }
    wrong(ex, "Not yet." + (why[w] ? " Your pick: " + why[w] : ""),
      "Not quite: the answer is " + a.answer + ". " + (why[a.answer] || "") +
      (why[w] ? " Your pick: " + why[w] : ""));
  }

  var GRADERS = { "rank": gradeRank, "odd-one-out": gradeOdd, "analogy": gradeAnalogy, "choice": gradeChoice };

  // --- Wiring -------------------------------------------------------------------------------

  function setUp(root) {
    var form = root.querySelector("form.ll-exercise__form");
    if (!form || form.dataset[READY]) return;  // idempotent: instant navigation re-runs init
    form.dataset[READY] = "1";
    var ex = {
      root: root, form: form, gen: 0, said: 0, busy: false,
      check: form.querySelector(".ll-exercise__check"),
      retry: form.querySelector(".ll-exercise__retry"),
      show: form.querySelector(".ll-exercise__show"),
      tried: false,
      answer: null
    };
    var grade = GRADERS[root.getAttribute("data-exercise")];
    form.addEventListener("submit", function (e) {
      e.preventDefault();  // also Enter in the text box
      if (ex.busy || ex.check.hidden) return;
      try {
        if (!ex.answer) ex.answer = JSON.parse(root.getAttribute("data-answer"));
        if (!grade) throw new Error("unknown exercise kind " + root.getAttribute("data-exercise"));
        var pending = grade(ex);
        if (pending && pending.then) pending.then(null, function (err) { fail(ex, err); });
      } catch (err) {
        fail(ex, err);
      }
    });
    ex.retry.addEventListener("click", function () { reset(ex); });
    if (ex.show) {
      ex.show.addEventListener("click", function () {
        ex.gen++;  // a pending check no longer speaks
        ex.busy = false;
        say(ex, "info", "The answer is shown below.");
        finish(ex);
      });
    }
    // A control the reader changes is no longer the one the status complained about.
    form.addEventListener("change", function (e) { e.target.removeAttribute("aria-invalid"); });
    form.addEventListener("input", function (e) { e.target.removeAttribute("aria-invalid"); });
  }

  // Grading itself broke (bad data, a bug): say so, and still show the model's answer.
  function fail(ex, err) {
    ex.busy = false;
    if (window.console) console.error("Latent Lexicon: could not check the answer:", err);
    say(ex, "info", "Sorry, this answer could not be checked (" + (err && err.message || err) +
      "). The model\u2019s answer is shown below.");
    finish(ex);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".ll-exercise[data-exercise]"), setUp);
  }

  LL.onPage(init);
})();
