"""An exercise: given BM25's and a dense encoder's scores and ranks, which document does the fusion put first?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from . import _fusion
from ._bm25 import NOTE, check_documents, check_query

PROMPTS = {"rrf": "Which document does reciprocal rank fusion (k = {rrf_k}) put first?",
           "weighted": "Which document does the weighted sum ({alpha:g} × MiniLM + {beta:g} × BM25, each min-max "
                       "scaled to 0–1) put first?"}


class FusionExercise(ExerciseKind):
    """An exercise on fusing two rankings: the reader sees each document's BM25 score and rank and its
    MiniLM cosine and rank for a query, and picks the document the fusion puts first.

    The scores are computed as the `fusion` kind computes them. `method: rrf` asks for reciprocal rank
    fusion (the sum of 1 / (`rrf_k` + rank) over the rankings that hold the document; BM25 holds only
    the documents that share a word with the query); `method: weighted` for the weighted sum of
    min-max scaled scores (`alpha` on the dense side).

    The answer section shows the arithmetic for every document. A tie at the top fails the build, and so
    does, for `method: rrf`, an answer that another tie-break of equal BM25 (or cosine) scores would change;
    the table marks tied scores “(= 3)” (ordered by the lower document number).
    `answer` is the document's number you claim wins.
    """

    example = ("query: paper will not feed\n"
               "documents:\n  - Paper jams happen most often with damp or curled paper.\n"
               "  - Store paper flat in a dry place so that it feeds cleanly.\n"
               "  - The white paper in the shop is recycled.\n  - Cats sleep for most of the day.\n"
               "method: weighted\nanswer: 1")
    needs_model = False
    note = NOTE
    options = opt.Options(
        ExerciseKind.options,
        query=opt.text("The query.", required=True, display=True),
        documents=opt.texts("The collection, numbered 1, 2, … (BM25's word weights depend on all of it).", min=2,
                            max=12, type_doc="list of 2–12 texts", required=True),
        choices=opt.raw("The numbers of the 2–5 documents the reader chooses from (default: all, for at most 5 "
                        "documents); their ranks are among the whole collection.",
                        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}, "minItems": 2,
                         "maxItems": 5, "uniqueItems": True}, "list of document numbers", convert=list),
        method=opt.choice("The fusion: reciprocal rank fusion or a weighted sum of min-max scaled scores.",
                          ["rrf", "weighted"], required=True),
        rrf_k=opt.integer("`method: rrf`: the constant k.", default=60, min=0, max=1000),
        alpha=opt.number("`method: weighted`: the weight of the dense score (BM25 gets 1 − alpha).", default=0.5,
                         min=0, max=1),
        answer=opt.integer("The number of the document you claim the fusion puts first among the choices (a "
                           "[claim](#claims)).", min=1, max=12, display=True),
    )

    def prepare(self, spec):
        n = check_documents(spec.documents)
        check_query(spec.query)
        if spec.choices is None:
            if n > 5:
                raise LexiconError(f"{n} documents are too many choices", fix="add 'choices:' with 2–5 document numbers")
            spec.choices = list(range(1, n + 1))
        if max(spec.choices) > n:
            raise LexiconError(f"'choices' names document {max(spec.choices)}, but there are {n}",
                               fix=f"name documents from 1 to {n}")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(str(c) for c in spec.choices))
        spec.picked = [c - 1 for c in spec.choices]
        spec.labels = [f"document {c}" for c in spec.choices]

    def prompt(self, spec):
        return spec.prompt or PROMPTS[spec.method].format(rrf_k=spec.rrf_k, alpha=spec.alpha, beta=1 - spec.alpha)

    def anchor_hint(self, spec):
        return f"exercise fusion {spec.method}"

    def compute(self, kv, spec):
        return _fusion.compute([spec.query], spec.documents, spec.rrf_k, spec.alpha)[0]

    def _fused(self, spec, result) -> list[float]:
        return result["rrf"] if spec.method == "rrf" else result["weighted"]

    def graded(self, spec, result):
        f = self._fused(spec, result)
        return {label: round(f[i], 4) for label, i in zip(spec.labels, spec.picked)}

    def _best(self, spec, result) -> int:
        f = self._fused(spec, result)
        return max(spec.picked, key=lambda i: (f[i], -i))

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        f = self._fused(spec, result)
        name = "reciprocal rank fusion" if spec.method == "rrf" else "the weighted sum"
        check(f"{name} puts document {spec.answer} first", self._best(spec, result) == spec.answer - 1,
              "; ".join(f"document {i + 1}: {fmt(f[i])}" for i in spec.picked),
              decided_by=[round(f[i], 4) for i in spec.picked])
        if spec.method == "rrf":
            won = _fusion.rrf_winners(result, spec.picked, spec.rrf_k)
            check(f"reciprocal rank fusion puts document {spec.answer} first whatever the tie-break",
                  won == {spec.answer - 1}, "documents that some tie-break puts first: " +
                  ", ".join(str(i + 1) for i in sorted(won)))

    @value("The choices reciprocal rank fusion could put first over every tie-break of equal BM25 or cosine "
           "scores (whatever `method` the exercise asks): “7” or “3 and 7”.")
    def rrf_winners(self, spec, result):
        won = sorted(_fusion.rrf_winners(result, spec.picked, spec.rrf_k))
        text = ", ".join(str(i + 1) for i in won[:-1]) + (" and " if len(won) > 1 else "") + str(won[-1] + 1)
        return Value(text, len(won))

    @value("The document the weighted sum puts first among the choices with another weight: `best_at(0.4)`.")
    def best_at(self, spec, result, alpha):
        try:
            a = float(str(alpha).strip())
        except ValueError:
            a = -1.0
        if not 0 <= a <= 1:
            raise LexiconError(f"'{alpha}' is not a weight from 0 to 1", fix="write e.g. best_at(0.4)")
        w = _fusion.weighted(result["bm25"], result["cosine"], a)
        b = max(spec.picked, key=lambda i: (w[i], -i)) + 1
        return Value(f"{b}", b)

    @value("The number of the document the fusion puts first.")
    def best(self, spec, result):
        b = self._best(spec, result) + 1
        return Value(f"{b}", b)

    @value("A document's fused score: `fused(2)`.")
    def fused(self, spec, result, doc):
        try:
            i = int(str(doc).strip()) - 1
        except ValueError:
            i = -1
        if i not in spec.picked:
            raise LexiconError(f"'{doc}' is not one of the choices", fix="name one of: " + ", ".join(map(str, spec.choices)))
        v = self._fused(spec, result)[i]
        return Value(fmt(v), v)

    def _rank(self, result, method, i) -> int | None:
        r = result["rankings"][method]
        return r.index(i) + 1 if i in r else None

    def _working(self, spec, result, i) -> str:
        if spec.method == "rrf":
            terms = [(m, self._rank(result, m, i)) for m in ("bm25", "dense")]
            held = [f"1 / ({spec.rrf_k} + {r})" for _, r in terms if r is not None]
            return " + ".join(held) + f" = {fmt(result['rrf'][i])}"
        lex, den = _fusion.minmax(result["bm25"]), _fusion.minmax(result["cosine"])
        return (f"{fmt(spec.alpha)} × {fmt(den[i])} + {fmt(1 - spec.alpha)} × {fmt(lex[i])} = "
                f"{fmt(result['weighted'][i])}")

    def render(self, spec, result, ctx):
        ties = {m: _fusion.tied_with(result[key], result["rankings"][m]) for m, key in (("bm25", "bm25"),
                                                                                       ("dense", "cosine"))}

        def rank(m, i):
            r = self._rank(result, m, i)
            tie = " (= " + ", ".join(str(t + 1) for t in ties[m][i]) + ")" if i in ties[m] else ""
            return "not retrieved" if r is None else f"#{r}{tie}"

        rows = [[str(i + 1), spec.documents[i], fmt(result["bm25"][i]), rank("bm25", i), fmt(result["cosine"][i]),
                 rank("dense", i)] for i in range(len(spec.documents))]
        among = (" The choices are documents " + ", ".join(map(str, spec.choices)) + "; the whole collection is "
                 "shown, since the ranks and the min-max scaling depend on all of it." if
                 len(spec.picked) < len(spec.documents) else "")
        before = [Html(f"<p>Query: <strong>{esc(spec.query)}</strong>. BM25 retrieves only the documents that share "
                       f"a word with it; MiniLM ranks them all by cosine.{among}"
                       + (" Equal scores are ordered by the lower document number and marked “(= …)” with the "
                          "documents they tie with." if ties["bm25"] or ties["dense"] else "") + "</p>"),
                  Table(["Doc", "Text", "BM25", "BM25 rank", "MiniLM cosine", "MiniLM rank"], rows,
                        numeric=(0, 2, 3, 4, 5))]
        best = self._best(spec, result)
        why = {label: f"Document {i + 1}: {self._working(spec, result, i)}." for label, i in zip(spec.labels, spec.picked)}
        what = "RRF score" if spec.method == "rrf" else "Weighted score"
        reveal = [Html(f"<p><strong>Document {best + 1}</strong> comes first.</p>"),
                  Table(["Doc", what, "Working"],
                        [[str(i + 1), fmt(self._fused(spec, result)[i]), self._working(spec, result, i)]
                         for i in spec.picked], numeric=(0, 1))]
        return Choices(spec.labels, f"document {best + 1}", why, reveal, before)
