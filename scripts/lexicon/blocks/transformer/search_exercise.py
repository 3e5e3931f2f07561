"""An exercise: which document will semantic search with the transformer rank first for a query?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._minilm import NOTE
from ._sentence_models import MODELS, cosine_matrices, glove_tokens, query_bars


class SearchExercise(ExerciseKind):
    """An exercise: pick the document a real transformer's sentence embeddings (all-MiniLM-L6-v2) rank first for
    a query. The answer shows every document's cosine with the query under the transformer and under the mean
    of GloVe vectors, so a reader sees where meaning and shared words disagree.

    The model's answer is the document with the highest cosine with the query under all-MiniLM-L6-v2;
    two documents tied at the shown precision fail the build. `answer` is the document's number.
    Every word must be in GloVe's vocabulary (for the comparison).
    """

    example = ("query: How can I open a savings account?\n"
               "documents: [Savings accounts pay interest on the money you deposit., "
               "Open the account settings to change your password.]\nanswer: 1")
    default_prompt = "Semantic search with all-MiniLM-L6-v2: which document does it rank first for “{query}”?"
    note = NOTE.replace("; no GloVe vectors.", ", and from GloVe vectors.")
    options = opt.Options(
        ExerciseKind.options,
        query=opt.text("The query.", required=True),
        documents=opt.texts("The documents, the choices in this order.", min=2, max=5,
                            type_doc="list of 2–5 texts", required=True),
        answer=opt.integer("The number of the document you claim ranks first (a [claim](#claims)).", min=1, max=5,
                           display=True),
    )

    def prepare(self, spec):
        if len(set(spec.documents)) != len(spec.documents):
            raise LexiconError("a document is listed twice", fix="list each document once")
        if spec.answer is not None and spec.answer > len(spec.documents):
            raise LexiconError(f"'answer' is {spec.answer}, but there are {len(spec.documents)} documents",
                               fix=f"name a document from 1 to {len(spec.documents)}")
        spec.tokens = glove_tokens([spec.query] + spec.documents, "text")

    def words(self, spec):
        return [t for toks in spec.tokens for t in toks]

    def anchor_hint(self, spec):
        return "exercise search " + spec.query[:30]

    def compute(self, kv, spec):
        c = cosine_matrices(kv, [spec.query] + spec.documents)
        scores = {m: [round(x, 6) for x in c[m][0][1:]] for m in MODELS}
        best = max(range(len(spec.documents)), key=lambda i: (scores["minilm"][i], -i))
        return {**scores, "answer": best + 1}

    def graded(self, spec, result):
        return dict(zip(spec.documents, result["minilm"]))

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        s = result["minilm"]
        check(f"all-MiniLM-L6-v2 ranks document {spec.answer} first for the query", result["answer"] == spec.answer,
              f"it ranks document {result['answer']} first ({s[result['answer'] - 1]:.4f}); document "
              f"{spec.answer} has {s[spec.answer - 1]:.4f}", decided_by=s)

    @value("The number of the document the transformer ranks first.")
    def first(self, spec, result):
        return Value(str(result["answer"]), result["answer"])

    @value("Document k's cosine with the query under `model` (minilm or glove).")
    def cosine(self, spec, result, model, k):
        if model not in MODELS or not str(k).isdigit() or not 1 <= int(k) <= len(spec.documents):
            raise LexiconError(f"'{model}, {k}' names no value", fix="name minilm or glove and a document number")
        v = result[model][int(k) - 1]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        docs, a = spec.documents, result["answer"] - 1
        order = {m: sorted(range(len(docs)), key=lambda i: (-result[m][i], i)) for m in MODELS}
        rank = {m: {i: r + 1 for r, i in enumerate(order[m])} for m in MODELS}
        why = {d: (f"Transformer: cosine {result['minilm'][i]:.4f} with the query, rank {rank['minilm'][i]}. "
                   f"Mean of GloVe vectors: {result['glove'][i]:.4f}, rank {rank['glove'][i]}.")
               for i, d in enumerate(docs)}
        g = order["glove"][0]
        reveal = [
            Html(f"<p>The transformer ranks document {a + 1} first, <strong>\u201c{esc(docs[a])}\u201d</strong> "
                 f"(cosine {fmt(result['minilm'][a])}). The mean of GloVe vectors would rank document {g + 1} first"
                 + (" too" if g == a else f", \u201c{esc(docs[g])}\u201d") + ".</p>"),
            Figure(lambda: query_bars(result, len(docs)), height=300, anchor="answer",
                   alt=("Bar chart of each document's cosine with the query: " + "; ".join(
                       f"document {i + 1}: transformer {result['minilm'][i]:.2f}, GloVe mean {result['glove'][i]:.2f}"
                       for i in range(len(docs))) + "."),
                   default_caption="Each document's cosine with the query under both models.",
                   table=Table(["#", "Document", "Transformer", "Rank", "Mean of GloVe", "Rank"],
                               [[i + 1, d, fmt(result["minilm"][i]), rank["minilm"][i], fmt(result["glove"][i]),
                                 rank["glove"][i]] for i, d in enumerate(docs)], numeric=(0, 2, 3, 4, 5))),
        ]
        return Choices(docs, docs[a], why, reveal)

