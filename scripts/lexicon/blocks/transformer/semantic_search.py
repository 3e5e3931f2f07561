"""The ``semantic-search`` kind: one query against a few documents, ranked by two kinds of sentence vector."""

from __future__ import annotations

import re

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Figure, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._minilm import NOTE
from ._sentence_models import METHOD, MODELS, NAMES, cosine_matrices, glove_tokens, query_bars

CLAIM = re.compile(r"^\s*(minilm|glove)\s*:\s*(?:(\d+) first|(\d+) above (\d+))\s*$")
CLAIM_FIX = "write 'minilm: 3 first' (document 3 ranks first) or 'glove: 4 above 3' (documents numbered from 1)"


def parse_claim(text: str, n: int):
    m = CLAIM.match(text)
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    nums = [int(g) for g in m.groups()[1:] if g]
    for k in nums:
        if not 1 <= k <= n:
            raise LexiconError(f"the claim '{text}' names document {k}; there are {n}",
                               fix=f"number the documents from 1 to {n}")
    if len(nums) == 2 and nums[0] == nums[1]:
        raise LexiconError(f"the claim '{text}' compares document {nums[0]} with itself", fix="name two documents")
    return m.group(1), nums


class SemanticSearch(Kind):
    """A query ranked against a few documents by a real transformer's sentence embeddings (all-MiniLM-L6-v2) and
    by the mean of GloVe word vectors, side by side.

    Each text becomes one vector under each model, and the documents are ranked by their cosine
    with the query: the retrieval half of semantic search, with a bi-encoder (query and documents
    are embedded separately). The table gives each document's cosine and rank under both; the chart
    draws the two rankings. Every word of every text must be in GloVe's vocabulary.
    """

    example = ("query: How can I open a savings account?\n"
               "documents: [Savings accounts pay interest on the money you deposit., "
               "Open the account settings to change your password.]\n"
               "expect: ['minilm: 1 first']")
    note = NOTE.replace("; no GloVe vectors.", ", and from GloVe vectors.")
    options = opt.Options(
        Kind.options,
        query=opt.text("The query.", required=True),
        documents=opt.texts("The documents, numbered 1, 2, … in claims.", min=2, max=8,
                            type_doc="list of 2–8 texts", required=True),
        expect=opt.claims("`minilm: 3 first` (document 3 ranks first under the transformer), `glove: 4 above 3` "
                          "(under the mean of GloVe vectors, document 4 ranks above document 3)."),
        caption=opt.caption("“Cosine of each document with the query under both models …”"),
        figure=opt.show_figure(),
    )

    def prepare(self, spec):
        if len(set(spec.documents)) != len(spec.documents):
            raise LexiconError("a document is listed twice", fix="list each document once")
        spec.tokens = glove_tokens([spec.query] + spec.documents, "text")
        for text in spec.expect:
            parse_claim(text, len(spec.documents))

    def words(self, spec):
        return [t for toks in spec.tokens for t in toks]

    def anchor_hint(self, spec):
        return "search " + spec.query[:30]

    def compute(self, kv, spec):
        c = cosine_matrices(kv, [spec.query] + spec.documents)
        return {m: [round(x, 6) for x in c[m][0][1:]] for m in MODELS}

    @staticmethod
    def _order(scores) -> list[int]:
        return sorted(range(len(scores)), key=lambda i: (-scores[i], i))

    def claims(self, spec, result, check):
        for text in spec.expect:
            model, nums = parse_claim(text, len(spec.documents))
            s = result[model]
            order = self._order(s)
            if len(nums) == 1:
                k = nums[0] - 1
                check(f"under {NAMES[model]}, document {k + 1} ranks first for the query", order[0] == k,
                      f"document {order[0] + 1} ranks first ({s[order[0]]:.4f}); document {k + 1} has {s[k]:.4f}",
                      decided_by=s)
            else:
                a, b = nums[0] - 1, nums[1] - 1
                check(f"under {NAMES[model]}, document {a + 1} ranks above document {b + 1}", s[a] > s[b],
                      f"document {a + 1}: {s[a]:.4f}, document {b + 1}: {s[b]:.4f}")

    def _doc(self, spec, k) -> int:
        if not str(k).isdigit() or not 1 <= int(k) <= len(spec.documents):
            raise LexiconError(f"'{k}' names no document", fix=f"number the documents from 1 to {len(spec.documents)}")
        return int(k) - 1

    @value("Document k's cosine with the query under `model` (minilm or glove), as the table shows it.")
    def cosine(self, spec, result, model, k):
        if model not in MODELS:
            raise LexiconError(f"'{model}' is no model of the block", fix="name minilm or glove")
        v = result[model][self._doc(spec, k)]
        return Value(fmt(v), v)

    @value("The most WordPiece tokens of a text the encoder reads (sentence-transformers' setting for the model).")
    def max_tokens(self, spec, result):
        return Value(str(minilm.MAX_TOKENS), minilm.MAX_TOKENS)

    @value("Document k's rank under `model` (minilm or glove), 1 = nearest to the query.")
    def rank(self, spec, result, model, k):
        if model not in MODELS:
            raise LexiconError(f"'{model}' is no model of the block", fix="name minilm or glove")
        r = self._order(result[model]).index(self._doc(spec, k)) + 1
        return Value(str(r), r)

    def render(self, spec, result, ctx):
        ranks = {m: {i: r + 1 for r, i in enumerate(self._order(result[m]))} for m in MODELS}
        rows = [[k + 1, d, fmt(result["minilm"][k]), ranks["minilm"][k], fmt(result["glove"][k]), ranks["glove"][k]]
                for k, d in enumerate(spec.documents)]
        table = Table(["#", "Document", "all-MiniLM-L6-v2 cosine", "Rank", "Mean of GloVe cosine", "Rank"], rows,
                      numeric=(0, 2, 3, 4, 5))
        alt = ("Bar chart of each document's cosine with the query under both models. " + "; ".join(
            f"document {k + 1}: transformer {result['minilm'][k]:.2f} (rank {ranks['minilm'][k]}), "
            f"GloVe mean {result['glove'][k]:.2f} (rank {ranks['glove'][k]})" for k in range(len(spec.documents))) + ".")
        return [
            Html(f'<p class="ll-query">Query: \u201c{esc(spec.query)}\u201d</p>'),
            table,
            Figure(lambda: query_bars(result, len(spec.documents)), alt=alt, caption=spec.caption, height=320,
                   fallback=False,
                   default_caption=("Cosine of each document with the query, under each model. " + METHOD)),
        ]

