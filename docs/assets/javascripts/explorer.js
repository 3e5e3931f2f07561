/* Latent Lexicon: the in-browser vector explorer (neighbours and analogies).
 *
 * The vectors (assets/explorer/vectors.js, ~3.4 MB, written at build time by
 * scripts/lexicon/explorer_asset.py) are loaded only on first use: focus of
 * the input, opening the collapsed explorer, or a query. They come through a
 * <script> element (not fetch), so the offline bundle works from file://.
 * The script sets window.__llExplorer = {version, model, dims, count, bits,
 * levels, words: "w1\nw2…", vectors: base64}; the vectors are a little-endian
 * bit stream of count × dims codes of `bits` bits each, code = q + levels,
 * with q each unit row quantised with its own (unshipped) scale. Cosine does
 * not depend on a row's length, so scores are cosines of the integer rows.
 *
 * window.LatentLexicon.explorer.load() resolves to an api used by the widget,
 * exercises.js, the tests and the benchmark (words are trimmed and lower-cased):
 *   has(word), index(word) (-1 if unknown), suggest(word[, limit]) (close spellings),
 *   complete(prefix[, limit]), unit(word) (Float64Array), info {model, count, dims, loadMs, …},
 *   neighbours(word[, k]), analogy(positive[], negative[][, k]) → [[word, cosine], …]
 * neighbours and analogy rank as gensim's most_similar does (3CosAdd for analogies) and
 * throw an Error naming an unknown word. The widget itself needs figures.js for its map
 * (LatentLexicon.themeLayout) and core.js (loadPlotly, parseQuery); without figures.js it
 * shows the table only.
 */
(function () {
  "use strict";

  var self = document.currentScript;
  var VECTORS_SRC = new URL("../explorer/vectors.js", self ? self.src : document.baseURI).href;
  var TOP = 10;          // answers shown
  var SUGGESTIONS = 5;   // close spellings offered for an unknown word
  var COMPLETIONS = 8;   // datalist options
  var dataPromise = null;

  var LL = window.LatentLexicon;  // core.js

  // --- Data ---------------------------------------------------------------------------------

  // Load vectors.js once per site visit (instant navigation keeps this script's state).
  function load() {
    if (!dataPromise) {
      var started = performance.now();
      dataPromise = new Promise(function (resolve, reject) {
        if (window.__llExplorer) { resolve(window.__llExplorer); return; }
        var s = document.createElement("script");
        s.src = VECTORS_SRC;
        s.onload = function () {
          if (window.__llExplorer) resolve(window.__llExplorer);
          else reject(new Error(VECTORS_SRC + " defined no vectors"));
        };
        s.onerror = function () { s.remove(); reject(new Error("could not load " + VECTORS_SRC)); };
        document.head.appendChild(s);
      }).then(function (data) {
        var loaded = performance.now();
        var api = makeApi(data);
        api.info.loadMs = loaded - started;
        api.info.decodeMs = performance.now() - loaded;
        return api;
      }).catch(function (err) {
        dataPromise = null;  // a later use may try again
        throw err;
      });
    }
    return dataPromise;
  }

  // Codes → Int8Array q (row-major, count × dims); the same bit order as unpack() in explorer_asset.py.
  function decode(data) {
    var total = data.count * data.dims, bits = data.bits, levels = data.levels;
    if (!(bits >= 1 && bits <= 8)) throw new Error("unsupported code width: " + bits + " bits");
    var bin = atob(data.vectors);
    if (bin.length < Math.ceil(total * bits / 8)) throw new Error("vectors.js holds too few codes");
    var bytes = new Uint8Array(bin.length + 2);  // +2: the 16-bit window below may read past the end
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var q = new Int8Array(total), mask = (1 << bits) - 1, bit = 0;
    for (var j = 0; j < total; j++, bit += bits) {
      var b = bit >>> 3;  // the code starts in this byte, at bit (bit & 7), least significant first
      q[j] = (((bytes[b] | (bytes[b + 1] << 8)) >>> (bit & 7)) & mask) - levels;
    }
    return q;
  }

  function makeApi(data) {
    var dims = data.dims, n = data.count;
    var q = decode(data);
    var words = data.words.split("\n");
    if (words.length !== n) throw new Error("vectors.js: " + words.length + " words for " + n + " vectors");
    var index = new Map();
    words.forEach(function (w, i) { if (!index.has(w)) index.set(w, i); });
    // Each row's length, once: cosine(i, t) = (q_i · t) / |q_i| for a unit query t.
    var norms = new Float32Array(n);
    for (var i = 0; i < n; i++) {
      var o = i * dims, s = 0;
      for (var d = 0; d < dims; d++) s += q[o + d] * q[o + d];
      norms[i] = Math.sqrt(s);
    }

    function idx(word) {
      var i = index.get(String(word).trim().toLowerCase());
      return i === undefined ? -1 : i;
    }

    function need(word) {
      var i = idx(word);
      if (i < 0) throw new Error("'" + word + "' is not among the explorer's " + n + " words");
      return i;
    }

    // Unit vector (Float64Array) of sum(±q_i / |q_i|): gensim's 3CosAdd query.
    function queryVector(pos, neg) {
      var t = new Float64Array(dims);
      function add(i, sign) {
        var o = i * dims, f = norms[i] ? sign / norms[i] : 0;
        for (var d = 0; d < dims; d++) t[d] += q[o + d] * f;
      }
      pos.forEach(function (i) { add(i, 1); });
      neg.forEach(function (i) { add(i, -1); });
      var len = 0;
      for (var d = 0; d < dims; d++) len += t[d] * t[d];
      len = Math.sqrt(len);
      if (!(len > 1e-9)) throw new Error("the words cancel out: there is nothing to compare with");
      for (d = 0; d < dims; d++) t[d] /= len;
      return t;
    }

    // The k best rows by cosine to the unit vector t, leaving out the indices in `skip`.
    // The hot loop: one pass over the Int8Array, five products per step.
    function top(t, k, skip) {
      k = Math.max(0, Math.min(k | 0, n - skip.length));
      var bestI = new Int32Array(k), bestS = new Float64Array(k).fill(-Infinity);
      var floor = -Infinity, last = k - 1, d5 = dims - dims % 5;
      for (var i = 0, o = 0; i < n; i++, o += dims) {
        var s = 0, d = 0;
        for (; d < d5; d += 5) {
          s += q[o + d] * t[d] + q[o + d + 1] * t[d + 1] + q[o + d + 2] * t[d + 2] +
               q[o + d + 3] * t[d + 3] + q[o + d + 4] * t[d + 4];
        }
        for (; d < dims; d++) s += q[o + d] * t[d];
        var nrm = norms[i];
        if (!nrm) continue;
        s /= nrm;
        if (s <= floor || skip.indexOf(i) >= 0) continue;
        // Insert into the sorted top list (ties keep the more frequent word first).
        var j = last;
        while (j > 0 && bestS[j - 1] < s) { bestS[j] = bestS[j - 1]; bestI[j] = bestI[j - 1]; j--; }
        bestS[j] = s; bestI[j] = i;
        floor = bestS[last];
      }
      var out = [];
      for (var r = 0; r < k; r++) if (bestS[r] > -Infinity) out.push([words[bestI[r]], bestS[r]]);
      return out;
    }

    // Optimal-string-alignment distance (substitution, insertion, deletion, swap of neighbours),
    // or max + 1 as soon as it must exceed max.
    var rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
    function distance(a, b, max) {
      var la = a.length, lb = b.length;
      if (Math.abs(la - lb) > max) return max + 1;
      if (lb + 1 > rows[0].length) rows = [new Int32Array(lb + 1), new Int32Array(lb + 1), new Int32Array(lb + 1)];
      var prev2 = rows[0], prev = rows[1], cur = rows[2];
      for (var j = 0; j <= lb; j++) prev[j] = j;
      for (var i = 1; i <= la; i++) {
        cur[0] = i;
        var best = i, ca = a.charCodeAt(i - 1);
        for (j = 1; j <= lb; j++) {
          var cb = b.charCodeAt(j - 1);
          var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
          if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
            v = Math.min(v, prev2[j - 2] + 1);
          }
          cur[j] = v;
          if (v < best) best = v;
        }
        if (best > max) return max + 1;
        var tmp = prev2; prev2 = prev; prev = cur; cur = tmp;
      }
      return prev[lb];
    }

    var api = {
      info: { model: data.model, version: data.version, count: n, dims: dims, bits: data.bits },
      words: words,
      has: function (word) { return idx(word) >= 0; },
      index: idx,
      // Up to `limit` vocabulary words within 2 edits of `word`: the closest first, then the most frequent.
      suggest: function (word, limit) {
        var w = String(word).trim().toLowerCase(), found = [[], [], []];
        limit = limit === undefined ? SUGGESTIONS : limit;
        if (!w) return [];
        for (var i = 0; i < n; i++) {
          var dist = distance(w, words[i], 2);
          if (dist <= 2 && words[i] !== w && found[dist].length < limit) found[dist].push(words[i]);
        }
        return found[0].concat(found[1], found[2]).slice(0, limit);
      },
      // Up to `limit` words that start with `prefix` (and are longer), most frequent first.
      complete: function (prefix, limit) {
        var p = String(prefix), out = [];
        limit = limit === undefined ? COMPLETIONS : limit;
        if (!p) return out;
        for (var i = 0; i < n && out.length < limit; i++) {
          var w = words[i];
          if (w.length > p.length && w.lastIndexOf(p, 0) === 0) out.push(w);
        }
        return out;
      },
      // gensim: kv.most_similar(word, topn=k, restrict_vocab=count)
      neighbours: function (word, k) {
        var i = need(word);
        return top(queryVector([i], []), k === undefined ? TOP : k, [i]);
      },
      // gensim: kv.most_similar(positive=…, negative=…, topn=k, restrict_vocab=count)
      analogy: function (positive, negative, k) {
        var pos = (positive || []).map(need), neg = (negative || []).map(need);
        if (!pos.length) throw new Error("an analogy needs at least one positive word");
        return top(queryVector(pos, neg), k === undefined ? TOP : k, pos.concat(neg));
      },
      // Unit rows (as plain arrays of numbers) for the map.
      unit: function (word) {
        var i = need(word), o = i * dims, out = new Float64Array(dims);
        for (var d = 0; d < dims; d++) out[d] = norms[i] ? q[o + d] / norms[i] : 0;
        return out;
      }
    };
    return api;
  }

  LL.explorer = { load: load, src: VECTORS_SRC };

  // --- Queries ------------------------------------------------------------------------------

  var normalise = LL.normalise;
  var parse = LL.parseQuery;

  // --- The widget ---------------------------------------------------------------------------

  var el = LL.el;

  function fmtMs(ms) { return ms < 10 ? ms.toFixed(1) : String(Math.round(ms)); }

  function quoted(words) {
    return words.map(function (w) { return "“" + w + "”"; }).join(", ");
  }

  function setup(root) {
    if (root.dataset.explorerReady) return;
    root.dataset.explorerReady = "1";
    var form = root.querySelector(".ll-explorer__form");
    var input = root.querySelector(".ll-explorer__input");
    var list = input && document.getElementById(input.getAttribute("list"));
    var status = root.querySelector(".ll-explorer__status");
    var results = root.querySelector(".ll-explorer__results");
    var plot = root.querySelector(".ll-explorer__plot");
    var mapNote = root.querySelector(".ll-explorer__mapnote");
    var details = root.closest("details");
    var example = root.dataset.example || "frog";
    var api = null, queried = false, lastCompletion = null;
    if (!form || !input || !status || !results || !plot) return;

    function say(text, kind) {
      status.textContent = text;
      status.classList.toggle("ll-explorer__status--error", kind === "error");
    }

    // While the vectors load, the status gives their size (written by the build) and counts the
    // seconds: a <script> download reports no progress, and it is the only way that works from file://.
    var ticker = null;
    var bytes = Number(root.dataset.bytes) || 0;
    var size = bytes ? (bytes / 1e6).toFixed(1) + " MB" : "a few megabytes";
    function loading() {
      var started = Date.now();
      function line() {
        var s = Math.round((Date.now() - started) / 1000);
        return "Loading the explorer’s vectors (a one-time download of " + size + ")…" + (s ? " " + s + " s" : "");
      }
      say(line());
      if (!ticker) ticker = setInterval(function () {
        if (api || !/^Loading the explorer/.test(status.textContent)) { clearInterval(ticker); ticker = null; return; }
        status.textContent = line();
      }, 1000);
    }

    // Start loading on first use, and say so; later calls reuse the same promise.
    function warm() {
      if (api) return Promise.resolve(api);
      if (!queried && !status.textContent) loading();
      return load().then(function (a) {
        api = a;
        if (!queried) {
          say("Ready: " + a.info.count.toLocaleString("en") + " words of " + a.info.model +
              ". Type a word or an analogy, then press Enter.");
        }
        return a;
      }, function (err) {
        say("The explorer’s vectors could not be loaded (" + err.message + "). Press Explore to try again.",
            "error");
        throw err;
      });
    }

    // Empty the results; the map too, unless new answers are about to replace it.
    function clear(keepPlot) {
      results.textContent = "";
      if (keepPlot) return;
      plot.hidden = true;
      if (mapNote) mapNote.hidden = true;
      plot._llFigure = null;
      if (window.Plotly && plot.dataset.state === "drawn") window.Plotly.purge(plot);
      plot.textContent = "";
      plot.removeAttribute("aria-label");
      plot.removeAttribute("role");
      delete plot.dataset.state;
    }

    // Buttons that re-run the explorer on a word (results and suggestions).
    function wordButton(word, label) {
      return el("button", { type: "button", class: "ll-explorer__word", "data-word": word,
                            "aria-label": (label || "Explore") + " " + word }, word);
    }

    function suggestionLine(text, words) {
      var p = el("p", { class: "ll-explorer__suggest" }, text + " ");
      words.forEach(function (w, i) {
        if (i) p.appendChild(document.createTextNode(" "));
        p.appendChild(wordButton(w, "Try"));
      });
      results.appendChild(p);
    }

    // The site writes "king − man + woman" with a minus sign; a dash typed or pasted reads as one too.
    function read(raw) {
      return normalise(String(raw || "").replace(/\s*[\u2212\u2013\u2014]\s*/g, " - "));
    }

    function run(raw, focusResults) {
      queried = true;
      var text = read(raw);
      if (!text) {
        clear();
        say("Type a word, or an analogy such as king - man + woman, then press Enter. For example:");
        suggestionLine("", [example]);
        return;
      }
      var query = parse(text);
      if (query.error) {
        clear();
        say("“" + text + "” is not a query the explorer understands. Type one word, or words joined by " +
            "+ and - (or −), the first word added: king - man + woman.", "error");
        return;
      }
      if (!api) loading();
      warm().then(function (a) {
        if (read(input.value) === text) input.value = text;  // show the query as it was read
        answer(a, query, focusResults);
      }).catch(function () { /* said by warm() */ });
    }

    function answer(a, query, focusResults) {
      // "king-man+woman": a token the model lacks, with + or - inside, is read as part of an analogy
      // (a hyphenated word the model knows, such as "well-known", stays a word).
      var joined = query.words.filter(function (w) { return !a.has(w) && /[^\s][+-]|[+-][^\s]/.test(w); });
      if (joined.length) {
        var spaced = parse(normalise(query.text.split(" ").map(function (t) {
          return joined.indexOf(t) >= 0 ? t.replace(/([+-])/g, " $1 ") : t;
        }).join(" ")));
        if (!spaced.error && spaced.words.length > query.words.length) {
          input.value = spaced.text;
          return answer(a, spaced, focusResults);
        }
      }
      var unknown = query.words.filter(function (w) { return !a.has(w); });
      if (unknown.length) {
        clear();
        var parts = [];
        unknown.forEach(function (w) {
          var close = a.suggest(w, SUGGESTIONS);
          var msg = "“" + w + "” is not among the " + a.info.count.toLocaleString("en") +
                    " most frequent words the explorer knows.";
          if (close.length) {
            msg += " Did you mean " + quoted(close) + "?";
            suggestionLine("Instead of “" + w + "”:", close.map(function (c) {
              return query.words.length === 1 ? c : query.text.split(" ").map(function (t) {
                return t === w ? c : t;
              }).join(" ");
            }));
          } else {
            msg += " No word within two letters of it is.";
          }
          if (/[^\s][+-]|[+-][^\s]/.test(w) && w.length > 1) {
            msg += " An analogy joins words with + and -: king - man + woman.";
          }
          parts.push(msg);
        });
        say(parts.join(" "), "error");
        return;
      }
      var started = performance.now(), rows;
      try {
        rows = query.words.length === 1 ? a.neighbours(query.words[0], TOP)
                                        : a.analogy(query.positive, query.negative, TOP);
      } catch (err) {
        clear();
        say("No answer for “" + query.text + "”: " + err.message + ".", "error");
        return;
      }
      var ms = performance.now() - started;
      var single = query.words.length === 1;
      var label = single ? query.words[0] : query.text;
      clear(true);
      say(rows.length + " nearest words to " + label + (single ? "" : " (best: " + rows[0][0] + ")") +
          ", in " + fmtMs(ms) + " ms.");
      renderTable(rows, label, single);
      drawPlot(a, query, rows);
      if (focusResults) {
        var first = results.querySelector("button");
        if (first) first.focus();
      }
    }

    function renderTable(rows, label, single) {
      var wrap = el("div", { class: "ll-explorer__table" });
      var table = el("table");
      table.appendChild(el("caption", {}, (single ? "Nearest words to " : "Closest words to ") + label +
                                          " by cosine similarity"));
      var head = el("tr");
      head.appendChild(el("th", { scope: "col", class: "ll-num" }, "#"));
      head.appendChild(el("th", { scope: "col" }, "Word"));
      head.appendChild(el("th", { scope: "col", class: "ll-num" }, "Cosine"));
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      rows.forEach(function (r, i) {
        var tr = el("tr");
        tr.appendChild(el("td", { class: "ll-num" }, String(i + 1)));
        tr.appendChild(el("td")).appendChild(wordButton(r[0]));
        tr.appendChild(el("td", { class: "ll-num" }, r[1].toFixed(4)));
        body.appendChild(tr);
      });
      wrap.appendChild(table);
      results.appendChild(wrap);
    }

    function drawPlot(a, query, rows) {
      var loader = LL.loadPlotly;
      if (typeof loader !== "function") return;  // figures.js is not on the page: the table is enough
      var fig = figureFor(a, query, rows);
      if (plot.dataset.state === "failed") plot.textContent = "";
      plot.hidden = false;
      if (mapNote) mapNote.hidden = false;
      plot.dataset.state = "loading";
      plot.setAttribute("role", "img");
      plot.setAttribute("aria-label", fig.alt);
      plot._llFigure = fig;
      loader().then(function (Plotly) {
        if (plot._llFigure !== fig) return null;  // a newer query is being drawn
        return Plotly.react(plot, fig.data(plot), fig.layout(plot), {
          responsive: true, displaylogo: false, displayModeBar: false
        }).then(function () { plot.dataset.state = "drawn"; });
      }).catch(function (err) {
        plot.dataset.state = "failed";
        plot.textContent = "The map could not be drawn (" + err.message + "); the table has the numbers.";
      });
    }

    // Typing: offer up to 8 completions of the last word, most frequent first.
    function complete() {
      if (!api || !list) return;
      var value = input.value.replace(/^\s+/, "").toLowerCase();
      var cut = Math.max(value.lastIndexOf(" + "), value.lastIndexOf(" - "));
      var head = cut >= 0 ? value.slice(0, cut + 3) : "", last = cut >= 0 ? value.slice(cut + 3) : value;
      var key = head + "\n" + last;
      if (key === lastCompletion) return;
      lastCompletion = key;
      list.textContent = "";
      if (!last || /\s/.test(last)) return;
      api.complete(last, COMPLETIONS).forEach(function (w) { list.appendChild(el("option", { value: head + w })); });
    }

    input.addEventListener("focus", function () { warm().catch(function () {}); });
    input.addEventListener("input", function () {
      if (api) complete();
      else warm().then(complete, function () {});
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      run(input.value, false);
    });
    results.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-word]");
      if (!b) return;
      input.value = b.dataset.word;
      run(b.dataset.word, true);
    });
    if (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) return;
        warm().catch(function () {});
        if (plot.dataset.state === "drawn" && window.Plotly) window.Plotly.Plots.resize(plot);
      });
      if (details.open) warm().catch(function () {});
    } else {
      // An explorer in the open (the Explorer page) shows its example once the page is idle,
      // unless the reader has asked something first.
      var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
      idle(function () {
        warm().then(function () {
          if (queried || input.value.trim()) return;
          input.value = example;
          run(example, false);
        }, function () {});
      });
    }
  }

  // --- The map: PCA of the query words and the answers ------------------------------------

  // Top-2 principal components of a few unit vectors, by power iteration on their centred Gram matrix.
  function pca2(vectors) {
    var n = vectors.length, dims = vectors[0].length, i, j, d;
    var mean = new Float64Array(dims);
    vectors.forEach(function (v) { for (d = 0; d < dims; d++) mean[d] += v[d] / n; });
    var x = vectors.map(function (v) {
      var c = new Float64Array(dims);
      for (d = 0; d < dims; d++) c[d] = v[d] - mean[d];
      return c;
    });
    var g = [], total = 0;
    for (i = 0; i < n; i++) {
      g.push(new Float64Array(n));
      for (j = 0; j < n; j++) {
        var s = 0;
        for (d = 0; d < dims; d++) s += x[i][d] * x[j][d];
        g[i][j] = s;
      }
      total += g[i][i];
    }
    var comps = [], values = [];
    for (var c = 0; c < 2; c++) {
      var v = new Float64Array(n), lambda = 0;
      for (i = 0; i < n; i++) v[i] = 1 + Math.sin(i + 1 + c);  // fixed start: the map is reproducible
      for (var it = 0; it < 500; it++) {
        var w = new Float64Array(n), len = 0;
        for (i = 0; i < n; i++) { for (j = 0; j < n; j++) w[i] += g[i][j] * v[j]; len += w[i] * w[i]; }
        len = Math.sqrt(len);
        if (!(len > 1e-12)) { lambda = 0; break; }
        var delta = 0;
        for (i = 0; i < n; i++) { w[i] /= len; delta += Math.abs(w[i] - v[i]); }
        v = w;
        lambda = len;
        if (delta < 1e-10) break;
      }
      // Sign: the first point (the first query word) on the positive side, so maps are stable.
      if (v[0] < 0) for (i = 0; i < n; i++) v[i] = -v[i];
      comps.push(v);
      values.push(lambda);
      for (i = 0; i < n; i++) for (j = 0; j < n; j++) g[i][j] -= lambda * v[i] * v[j];  // deflate
    }
    var pts = [];
    for (i = 0; i < n; i++) pts.push([comps[0][i] * Math.sqrt(values[0]), comps[1][i] * Math.sqrt(values[1])]);
    return { points: pts, kept: total > 0 ? (values[0] + values[1]) / total : 0 };
  }

  function cssVar(name, fallback) {
    return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  }

  // Where a label can go around its marker, in order of preference: [Plotly name, dx, dy] with
  // dx, dy the label box's offset as fractions of its width and height (-0.5 = centred).
  var SPOTS = [["top center", -0.5, -1], ["bottom center", -0.5, 0], ["middle right", 0, -0.5],
               ["middle left", -1, -0.5], ["top right", 0, -1], ["top left", -1, -1],
               ["bottom right", 0, 0], ["bottom left", -1, 0]];
  var GAP = 7;  // px between a marker's centre and its label

  // Greedy label placement: each label (query words first, then answers by rank) takes the first
  // spot that overlaps no marker, no label placed before it and no edge, else the least bad one.
  function placeLabels(pts, labels, sizes, g) {
    function px(p) { return [(p[0] - g.x[0]) / (g.x[1] - g.x[0]) * g.w, (g.y[1] - p[1]) / (g.y[1] - g.y[0]) * g.h]; }
    function overlap(a, b) {
      var w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
      var h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
      return w > 0 && h > 0 ? w * h : 0;
    }
    var centres = pts.map(px);
    var taken = centres.map(function (c) { return [c[0] - 5, c[1] - 5, 10, 10]; });
    return labels.map(function (label, i) {
      var c = centres[i], w = label.length * sizes[i] * 0.58 + 2, h = sizes[i] + 3, best = null;
      SPOTS.forEach(function (s) {
        var x = c[0] + (s[1] === -0.5 ? -w / 2 : s[1] ? -w - GAP : GAP);
        var y = c[1] + (s[2] === -0.5 ? -h / 2 : s[2] ? -h - GAP + 2 : GAP - 2);
        var r = [x, y, w, h], bad = 0;
        taken.forEach(function (t, j) { if (j !== i) bad += overlap(r, t); });
        bad += w * h - overlap(r, [0, 0, g.w, g.h]);  // the part outside the plot area
        if (!best || bad < best.bad) best = { bad: bad, spot: s[0], box: r };
      });
      taken.push(best.box);
      return best.spot;
    });
  }

  function figureFor(a, query, rows) {
    var qWords = [], seen = {};
    query.words.forEach(function (w, i) {
      if (!seen[w]) { seen[w] = 1; qWords.push({ word: w, sign: query.signs[i] }); }
    });
    var answers = rows.map(function (r) { return r[0]; });
    var all = qWords.map(function (q) { return q.word; }).concat(answers);
    var p = pca2(all.map(a.unit));
    var single = qWords.length === 1;
    var kept = Math.round(p.kept * 100);
    var alt = "Map of " + (single ? qWords[0].word + " and its " + answers.length + " nearest words"
                                  : "the words of " + query.text + " and the " + answers.length + " closest words") +
              ", projected to two dimensions with PCA (" + kept + "% of their spread kept). Nearest first: " +
              answers.join(", ") + ". The table lists the exact scores.";
    // For "a - b + c": the offset b → a, drawn beside the offset c → the best answer.
    var offsets = null;
    if (query.words.length === 3 && query.signs[1] < 0 && query.signs[2] > 0 && qWords.length === 3) {
      offsets = [p.points[1], p.points[0], null, p.points[2], p.points[3]];
    }

    function xs(pts) { return pts.map(function (q) { return q ? q[0] : null; }); }
    function ys(pts) { return pts.map(function (q) { return q ? q[1] : null; }); }
    function range(v, pad) {
      var lo = Math.min.apply(null, v), hi = Math.max.apply(null, v), span = (hi - lo) || 1;
      return [lo - span * pad, hi + span * pad];
    }

    // Size and axis ranges for the box the map is drawn in (phones get a taller, padded map).
    function geometry(box) {
      var narrow = box.clientWidth < 520, height = narrow ? 380 : 400;
      var margin = { l: 30, r: 10, t: narrow ? 40 : 30, b: 30 };  // t: room for the legend
      return {
        narrow: narrow, height: height, margin: margin,
        x: range(xs(p.points), narrow ? 0.2 : 0.15), y: range(ys(p.points), 0.12),
        w: Math.max(100, box.clientWidth - margin.l - margin.r), h: height - margin.t - margin.b
      };
    }

    return {
      alt: alt,
      data: function (box) {
        var g = geometry(box);
        var slate = document.body.getAttribute("data-md-color-scheme") === "slate";
        var answerColour = cssVar("--md-typeset-a-color", "#4051b5");
        var queryColour = slate ? cssVar("--md-accent-fg-color", "#ffd740") : "#b33a00";
        var faint = cssVar("--md-default-fg-color--light", "#777");
        var qSize = g.narrow ? 12 : 13, rSize = g.narrow ? 11 : 12;
        var spots = placeLabels(p.points, all, all.map(function (w, i) { return i < qWords.length ? qSize : rSize; }), g);
        var traces = [];
        if (offsets) {
          traces.push({ type: "scatter", mode: "lines", x: xs(offsets), y: ys(offsets), hoverinfo: "skip",
                        line: { color: faint, width: 1.5, dash: "dot" }, name: "offsets", showlegend: false });
        }
        var first = qWords.length;
        traces.push({
          type: "scatter", mode: "markers+text", name: single ? "neighbours" : "answers",
          x: xs(p.points.slice(first)), y: ys(p.points.slice(first)), text: answers,
          textposition: spots.slice(first), cliponaxis: false, textfont: { size: rSize },
          customdata: rows.map(function (r) { return r[1]; }),
          hovertemplate: "%{text}<br>cosine %{customdata:.4f}<extra></extra>",
          marker: { size: 9, color: answerColour, symbol: "circle" }
        });
        [1, -1].forEach(function (sign) {
          var ids = [];
          qWords.forEach(function (q, i) { if (q.sign === sign) ids.push(i); });
          if (!ids.length) return;
          function pick(arr) { return ids.map(function (i) { return arr[i]; }); }
          traces.push({
            type: "scatter", mode: "markers+text", x: pick(xs(p.points)), y: pick(ys(p.points)), cliponaxis: false,
            name: single ? "query" : sign > 0 ? "added" : "subtracted",
            text: pick(all), textposition: pick(spots), textfont: { size: qSize },
            hovertemplate: "%{text}<extra></extra>",
            marker: { size: 12, color: queryColour, symbol: sign > 0 ? "diamond" : "diamond-open",
                      line: { width: 2, color: queryColour } }
          });
        });
        return traces;
      },
      layout: function (box) {
        var g = geometry(box);
        var theme = typeof LL.themeLayout === "function" ? LL.themeLayout() : { font: {}, xaxis: {} };
        function axis(title, r) {
          var ax = {};
          Object.keys(theme.xaxis || {}).forEach(function (k) { ax[k] = theme.xaxis[k]; });
          ax.title = { text: title, standoff: 4 };
          ax.range = r;
          ax.showticklabels = false;
          ax.zeroline = false;
          ax.fixedrange = true;
          return ax;
        }
        return {
          paper_bgcolor: theme.paper_bgcolor || "rgba(0,0,0,0)", plot_bgcolor: theme.plot_bgcolor || "rgba(0,0,0,0)",
          font: theme.font, height: g.height, autosize: true, margin: g.margin,
          xaxis: axis("PCA 1", g.x), yaxis: axis("PCA 2", g.y), showlegend: true, hovermode: "closest",
          legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", font: (theme.legend || {}).font }
        };
      }
    };
  }

  // Palette switch: redraw drawn maps with the new colours.
  new MutationObserver(function () {
    if (!window.Plotly) return;
    document.querySelectorAll('.ll-explorer__plot[data-state="drawn"]').forEach(function (p) {
      if (p._llFigure) window.Plotly.react(p, p._llFigure.data(p), p._llFigure.layout(p));
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  function init() {
    document.querySelectorAll("[data-explorer]").forEach(setup);
  }

  LL.onPage(init);
})();
