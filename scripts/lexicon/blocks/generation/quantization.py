"""The quantization kind: the site's GloVe vectors stored as int8, with one scale per vector, and what that costs."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt

QUANTILES = (50, 90, 99, 100)


def quantize(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one scale per row: q = round(x / s), s = max|x| / 127, so q is in −127 … 127."""
    scale = np.abs(m).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)      # the scale as stored: float32
    # Divided in float64, so that rounding to the nearest integer is exact: |x − q·s| ≤ s / 2.
    q = np.clip(np.rint(m.astype(np.float64) / scale[:, None].astype(np.float64)), -127, 127).astype(np.int8)
    return q, scale


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The round trip, q · s, in float64 (what a reader compares with the original)."""
    return q.astype(np.float64) * scale[:, None].astype(np.float64)


def _unit(m):
    return m / np.linalg.norm(m, axis=1, keepdims=True)


class Quantization(Kind):
    """The most frequent words' GloVe vectors stored as 8-bit integers (int8) instead of 32-bit floats: the
    memory saved, how far each vector moves (as a cosine), and which nearest-neighbour lists change.

    Each vector x is stored as q = round(x / s) with its own scale s = max|x| / 127 (symmetric, per
    vector), so every q fits in −127 … 127, and read back as q · s. A number then moves by at most s / 2.
    The block quantizes the `top` most frequent words, reports the cosine between each original vector and
    its round trip (as 1 − cosine, a distribution over the words), and for each of `words` compares its
    `topn` nearest neighbours (by cosine, among the same `top` words) before and after.
    """

    example = "top: 20000\nwords: [frog, king]\ntopn: 10"
    options = opt.Options(
        Kind.options,
        top=opt.integer("How many of the model's most frequent words are quantized.", default=20000, min=1000,
                        max=100000),
        words=opt.words("Words whose nearest neighbours are compared (among the `top` words).", min=1, max=8,
                        required=True),
        topn=opt.integer("Neighbours compared per word.", default=10, min=1, max=50),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "int8 " + " ".join(spec.words[:3])

    def compute(self, kv, spec):
        top = min(spec.top, len(kv.index_to_key))
        for w in spec.words:
            if kv.key_to_index[w] >= top:
                raise LexiconError(f"'{w}' is word #{kv.key_to_index[w] + 1:,} of the model, outside the {top:,} "
                                   "quantized", fix=f"raise 'top' above {kv.key_to_index[w] + 1:,} or choose a "
                                                    "more frequent word")
        m = np.asarray(kv.vectors[:top], dtype=np.float32)
        q, scale = quantize(m)
        back = dequantize(q, scale)
        bound = float(np.max(np.abs(m.astype(np.float64) - back) / (scale[:, None].astype(np.float64) / 2)))
        a, b = _unit(m), _unit(back)
        # 1 − cosine in float64 (float32 unit vectors would add rounding noise of about 1e-7), as ½‖û − v̂‖².
        err = 0.5 * np.sum((_unit(m.astype(np.float64)) - b) ** 2, axis=1)
        # The same with one scale for the whole matrix, to show what a scale per vector buys.
        g = float(np.abs(m).max()) / 127.0
        err_global = 0.5 * np.sum((_unit(m.astype(np.float64)) - _unit(np.rint(m / g) * g)) ** 2, axis=1)
        neighbours = {}
        for w in spec.words:
            i = kv.key_to_index[w]
            lists = []
            for u in (a, b):
                s = u @ u[i]
                s[i] = -np.inf
                order = np.lexsort((np.arange(top), -s))[:spec.topn]
                lists.append([[kv.index_to_key[j], round(float(s[j]), 4)] for j in order])
            neighbours[w] = lists
        dims = m.shape[1]
        return {"top": top, "dims": dims, "float_bytes": top * dims * 4, "int8_bytes": top * dims + top * 4,
                "bound": round(bound, 6), "error": {str(p): float(np.percentile(err, p)) for p in QUANTILES},
                "mean_error": float(err.mean()), "neighbours": neighbours,
                "global_error": {str(p): float(np.percentile(err_global, p)) for p in QUANTILES},
                "worst": kv.index_to_key[int(np.argmax(err))]}

    def _changes(self, result, w):
        before, after = ([x for x, _ in lst] for lst in result["neighbours"][w])
        return [x for x in before if x not in after], [x for x in after if x not in before], before != after

    @value("Memory of the float32 vectors over the int8 ones with their scales (`3.9`).")
    def ratio(self, spec, result):
        r = result["float_bytes"] / result["int8_bytes"]
        return Value(f"{r:.2f}", r)

    @value("Memory in megabytes: `megabytes(float32)` or `megabytes(int8)`.")
    def megabytes(self, spec, result, which):
        key = {"float32": "float_bytes", "int8": "int8_bytes"}.get(str(which).strip())
        if key is None:
            raise LexiconError(f"no format '{which}'", fix="write megabytes(float32) or megabytes(int8)")
        mb = result[key] / 1e6
        return Value(f"{mb:.2f}", mb)

    @value("A percentile of 1 − cosine between a vector and its round trip: `error(50)`, `error(99)`, `error(100)`.")
    def error(self, spec, result, p):
        x = result["error"].get(str(p).strip())
        if x is None:
            raise LexiconError(f"no percentile {p}", fix="write error(50), error(90), error(99) or error(100)")
        return Value(f"{x:.2e}", x)

    @value("The largest error of one number, in units of half its vector's scale (at most 1).")
    def bound(self, spec, result):
        return Value(fmt(result["bound"]), result["bound"])

    @value("How many of a word's neighbours are not in its list after quantization: `changed(frog)`.")
    def changed(self, spec, result, word):
        w = str(word).strip()
        if w not in result["neighbours"]:
            raise LexiconError(f"'{w}' is not one of the block's words", fix="add it to 'words'")
        n = len(self._changes(result, w)[0])
        return Value(f"{n:,}", n)

    @value("How many of the block's words have a neighbour list that changes (members or order).")
    def lists_changed(self, spec, result):
        n = sum(1 for w in result["neighbours"] if self._changes(result, w)[2])
        return Value(f"{n:,}", n)

    @value("A percentile of 1 − cosine with one scale for the whole matrix instead of one per vector: "
           "`global_error(50)`.")
    def global_error(self, spec, result, p):
        key = str(p).strip()
        if key not in result["global_error"]:
            raise LexiconError(f"no percentile {p}", fix="write one of " + ", ".join(map(str, QUANTILES)))
        x = result["global_error"][key]
        return Value(f"{x:.2e}", x)

    @value("How many vectors were quantized.")
    def words_quantized(self, spec, result):
        return Value(f"{result['top']:,}", result["top"])

    def render(self, spec, result, ctx):
        top, dims = result["top"], result["dims"]
        mem = Table(["Storage", "Bytes per number", "Total", "Megabytes"],
                    [["float32", "4", f"{top:,} × {dims} × 4", f"{result['float_bytes'] / 1e6:.2f}"],
                     ["int8 + one float32 scale per vector", "1", f"{top:,} × {dims} × 1 + {top:,} × 4",
                      f"{result['int8_bytes'] / 1e6:.2f}"]], numeric=(1, 3))
        err = Table(["Percentile of the words", "1 − cosine(original, round trip)"],
                    [[("median" if p == 50 else "largest" if p == 100 else f"{p}th"), f"{result['error'][str(p)]:.2e}"]
                     for p in QUANTILES], numeric=(1,))
        rows = []
        for w, (before, after) in result["neighbours"].items():
            gone, new, moved = self._changes(result, w)
            what = ("same list, same order" if not moved else "same words, another order" if not gone
                    else f"out: {', '.join(gone)}; in: {', '.join(new)}")
            rows.append([w, ", ".join(x for x, _ in before), what])
        code = ("import numpy as np\n\n"
                f"m = kv.vectors[:{top}]                               # float32, most frequent words first\n"
                "scale = np.abs(m).max(axis=1) / 127                   # one scale per vector\n"
                "q = np.clip(np.rint(m / scale[:, None].astype(np.float64)), -127, 127).astype(np.int8)\n"
                "back = q * scale[:, None].astype(np.float64)          # the round trip\n"
                "unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)\n"
                "error = 0.5 * ((unit(m.astype(np.float64)) - unit(back)) ** 2).sum(axis=1)   # = 1 − cosine\n")
        return [Html(f"<p>The {top:,} most frequent words’ vectors ({dims} numbers each) as float32 and as int8 with "
                     f"a scale per vector: {result['float_bytes'] / result['int8_bytes']:.2f} times less memory. No "
                     f"number moved by more than half its vector’s scale (largest: {fmt(result['bound'])} of it). The "
                     f"vector that moved most is “{esc(result['worst'])}”.</p>"),
                mem, err,
                Table(["Word", f"{spec.topn} nearest neighbours (float32)", "After int8"], rows),
                Code(code, "The numpy behind these numbers")]
