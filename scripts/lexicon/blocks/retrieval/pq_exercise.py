"""An exercise: which product-quantization code (sub-vectors m, centroids ks) finds the most true nearest neighbours?"""

from __future__ import annotations

import math

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._ann import SAMPLE_DOC, TOP_DOC, hits, sample_rows, unit_rows
from ._pq import TRAIN, _adc, _decode, _kmeans, _smallest

SETTING = {"type": "object", "additionalProperties": False, "required": ["m", "ks"],
           "properties": {"m": {"type": "integer", "minimum": 1, "maximum": 100},
                          "ks": {"type": "integer", "minimum": 2, "maximum": 256}}}


class PqExercise(ExerciseKind):
    """An exercise: which product-quantization code finds the most true nearest neighbours?

    Each choice is a code: `m` sub-vectors, each coded as one of `ks` centroids, so `m × log2(ks) / 8`
    bytes per vector (shown with the choices). Every code is learned and searched exactly as the
    [ivf-pq](#ivf-pq) block's "PQ" row: k-means codebooks trained on the same rows with the same seed,
    asymmetric distances from the uncompressed query to every code, recall@k against exact cosine search
    over the same random query words. The model's answer is the code with the highest recall; a tie at
    the shown precision fails the build.
    """

    example = ("codes:\n  A: {m: 5, ks: 256}\n  B: {m: 10, ks: 16}\ntop: 2000\nsample: 100\nanswer: A")
    default_prompt = "Which code finds the most of the true {k} nearest neighbours of a word?"
    options = opt.Options(
        ExerciseKind.options,
        codes=opt.raw("The choices, each under a capital letter: `A: {m: 5, ks: 256}` (sub-vectors, and centroids "
                      "per sub-vector codebook; `m` must divide the model's dimensions).",
                      {"type": "object", "minProperties": 2, "maxProperties": 5,
                       "propertyNames": {"pattern": "^[A-Z]$"}, "additionalProperties": SETTING},
                      "2–5 letters, each `{m: m, ks: ks}`", required=True),
        top=opt.integer(TOP_DOC, default=10_000, min=1000, max=100_000),
        k=opt.integer("How many nearest neighbours each query asks for (the k of recall@k).", default=10, min=1,
                      max=50),
        sample=opt.integer(SAMPLE_DOC, default=500, min=10, max=5000),
        seed=opt.seed("Random seed of the sample and of every k-means (as in the ivf-pq block).", default=42),
        answer=opt.text("The letter of the code you claim finds the most true neighbours (a [claim](#claims)).",
                        pattern="^[A-Z]$", type_doc="letter", display=True),
    )

    def prepare(self, spec):
        spec.letters = list(spec.codes)
        spec.code_list = [(spec.codes[x]["m"], spec.codes[x]["ks"]) for x in spec.letters]
        if len(set(spec.code_list)) < len(spec.code_list):
            raise LexiconError("two choices have the same code", fix="make every choice a different (m, ks)")
        if spec.sample > spec.top:
            raise LexiconError(f"'sample' ({spec.sample}) is larger than the index ('top': {spec.top})",
                               fix="lower 'sample' or raise 'top'")
        if spec.answer is not None and spec.answer not in spec.letters:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix=f"name one of: {', '.join(spec.letters)}")

    def anchor_hint(self, spec):
        return "exercise pq " + " ".join(spec.letters)

    def compute(self, kv, spec):
        x = unit_rows(kv, spec.top)
        n, d = x.shape
        for m, _ in spec.code_list:
            if d % m:
                divisors = [i for i in range(1, d + 1) if d % i == 0]
                raise LexiconError(f"'m' ({m}) does not divide the model's {d} dimensions into equal sub-vectors",
                                   fix="choose m from: " + ", ".join(map(str, divisors)))
        train = x[sample_rows(n, min(n, TRAIN), spec.seed + 1)]       # the ivf-pq block's training rows
        queries = sample_rows(n, spec.sample, spec.seed)
        everyone = np.arange(n)
        far = np.negative(x[queries] @ x.T)
        far[np.arange(len(queries)), queries] = np.inf                  # the query itself is left out
        exact = np.array([_smallest(far[i], everyone, spec.k) for i in range(len(queries))])
        found = []
        for m, ks in spec.code_list:
            books, codes = [], []
            for cols in np.split(np.arange(d), m):
                book = _kmeans(train[:, cols], ks, spec.seed)
                books.append(book.cluster_centers_)
                codes.append(book.predict(x[:, cols]))
            adc = _adc(x[queries], _decode(books, np.stack(codes, axis=1)))
            adc[np.arange(len(queries)), queries] = np.inf
            got = [_smallest(adc[i], everyone, spec.k) for i in range(len(queries))]
            found.append(int(sum(hits(got, exact))))
        return {"found": found, "total": int(spec.k * len(queries))}

    def _best(self, result) -> int:
        return max(range(len(result["found"])), key=lambda i: (result["found"][i], -i))

    def graded(self, spec, result):
        return {_label(spec, i): f / result["total"] for i, f in enumerate(result["found"])}

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        best = spec.letters[self._best(result)]
        shown = "; ".join(f"{_label(spec, i)}: {f:,} of {result['total']:,}" for i, f in enumerate(result["found"]))
        check(f"code {spec.answer} finds the most true neighbours", best == spec.answer, f"it is {best}; {shown}",
              decided_by=[f / result["total"] for f in result["found"]])

    @value("The letter of the code that finds the most true neighbours.")
    def best(self, spec, result):
        return Value(spec.letters[self._best(result)])

    @value("A code's recall@k, as the answer's table shows it (3 decimals): `recall(A)`.")
    def recall(self, spec, result, letter):
        r = result["found"][_index(spec, letter)] / result["total"]
        return Value(fmt(r, 3), r)

    def render(self, spec, result, ctx):
        found, total = result["found"], result["total"]
        labels = [_label(spec, i) for i in range(len(spec.letters))]
        best = self._best(result)
        order = sorted(range(len(found)), key=lambda i: (-found[i], i))
        why = {labels[i]: f"{labels[i]}: {found[i]:,} of {total:,} true neighbours found (recall "
                          f"{fmt(found[i] / total, 3)})." for i in range(len(found))}
        reveal = [
            Html(f"<p><strong>{esc(labels[best])}</strong> finds the most: {found[best]:,} of the {total:,} true "
                 f"nearest neighbours of {spec.sample:,} random words among the {spec.top:,} most frequent, "
                 "searched over every code.</p>"),
            Table(["Code", "Bytes per vector", "True neighbours found", f"Recall@{spec.k}"],
                  [[labels[i], f"{_bytes(*spec.code_list[i]):g}", f"{found[i]:,} of {total:,}",
                    fmt(found[i] / total, 3)] for i in order], numeric=(1, 2, 3)),
        ]
        return Choices(labels, labels[best], why, reveal)


def _bytes(m: int, ks: int) -> float:
    return m * math.ceil(math.log2(ks)) / 8


def _label(spec, i: int) -> str:
    m, ks = spec.code_list[i]
    return f"{spec.letters[i]}. m {m}, ks {ks} ({_bytes(m, ks):g} bytes)"


def _index(spec, letter) -> int:
    letter = str(letter).strip()
    if letter not in spec.letters:
        raise LexiconError(f"'{letter}' is not one of the codes", fix=f"name one of: {', '.join(spec.letters)}")
    return spec.letters.index(letter)
