"""The doc2vec kind: gensim's Doc2Vec trained on the Lee corpus, and the nearest stories to a held-out one."""

from __future__ import annotations

import numpy as np

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Table, Text
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...render import fmt
from ._doc2vec import EPOCHS, MIN_COUNT, SEED, VECTOR_SIZE, held_out_story, infer, model
from ._lee import BACKGROUND, HELD_OUT, NOTE, held_out, opening, stories
from ._rank import order, tfidf_matrix


def doc2vec_result(number: int, topn: int) -> dict:
    if not 1 <= number <= len(held_out()):
        raise LexiconError(f"{HELD_OUT} has {len(held_out())} stories, so there is no held-out story {number}",
                           fix=f"choose 'held_out' from 1 to {len(held_out())}")
    words = held_out_story(number)
    vector = infer(words)
    dv = model().dv
    unit = dv.vectors / np.linalg.norm(dv.vectors, axis=1, keepdims=True)
    cosine = (unit @ (vector / np.linalg.norm(vector))).tolist()
    vectorizer, matrix = tfidf_matrix()
    tfidf = (matrix @ vectorizer.transform([list(words)]).T).toarray().ravel().tolist()
    tfidf_rank = {d: i + 1 for i, d in enumerate(order(tfidf))}
    best = order(cosine)[:topn]
    return {"held_out": number, "opening": opening(words, 30), "tokens": len(words),
            "vocabulary": len(model().wv), "rows": [{"story": d + 1, "cosine": round(cosine[d], SCORE_DIGITS),
                                                    "tfidf_rank": tfidf_rank[d], "opening": opening(stories()[d], 14)}
                                                   for d in best],
            "tfidf_top": order(tfidf)[0] + 1, "stories": len(stories()),
            # where Doc2Vec puts TF-IDF's first story, and how the cosines spread over all training stories
            "tfidf_top_rank": order(cosine).index(order(tfidf)[0]) + 1,
            "tfidf_top_cosine": round(cosine[order(tfidf)[0]], SCORE_DIGITS),
            "spread": {"mean": round(float(np.mean(cosine)), SCORE_DIGITS),
                       "median": round(float(np.median(cosine)), SCORE_DIGITS),
                       "min": round(float(np.min(cosine)), SCORE_DIGITS),
                       "above": {str(t): int(sum(c > t for c in cosine)) for t in ABOVE}}}


ABOVE = (0.5, 0.8, 0.9)   # thresholds for above(t): how many training stories' cosines exceed them


class Doc2vec(Kind):
    """gensim's Doc2Vec (paragraph vectors) trained on the Lee corpus's 300 stories: the stories nearest to a
    held-out story from `lee.cor`, by the cosine of its inferred vector, beside their TF-IDF rank.

    `Doc2Vec(dm=0, vector_size=50, min_count=2, epochs=20, workers=1, seed=0)` (PV-DBOW) learns one vector
    per background story. The held-out story, never seen in training, gets a vector from
    `infer_vector`; its starting point is seeded with CRC-32 of its text rather than Python's salted `hash`,
    so every build gives the same numbers. The table lists the `topn` background stories with the highest
    cosine, each with its rank by TF-IDF cosine for comparison. Needs no embedding model.
    """

    example = "held_out: 1\ntopn: 3"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND} for training, {HELD_OUT} held out")
    options = opt.Options(
        Kind.options,
        held_out=opt.integer(f"The held-out story's number (its line in {HELD_OUT}, 1–50).", default=1, min=1,
                             max=50),
        topn=opt.integer("How many nearest stories to list.", default=5, min=1, max=10),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return f"doc2vec held out {spec.held_out}"

    def compute(self, kv, spec):
        return doc2vec_result(spec.held_out, spec.topn)

    @value("How many stories the model is trained on.")
    def stories(self, spec, result):
        return Value(str(result["stories"]), result["stories"])

    @value("The nearest background story's number.")
    def nearest(self, spec, result):
        s = result["rows"][0]["story"]
        return Value(str(s), s)

    @value("The cosine of the held-out story's vector with a listed story's: `cosine(1)` for the nearest.")
    def cosine(self, spec, result, rank="1"):
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(result["rows"]):
            raise LexiconError(f"rank '{rank}' is not listed", fix=f"quote a rank from 1 to {len(result['rows'])}")
        x = result["rows"][int(rank) - 1]["cosine"]
        return Value(fmt(x), x)

    @value("A listed story's rank by TF-IDF cosine: `tfidf_rank(1)` for the nearest by Doc2Vec.")
    def tfidf_rank(self, spec, result, rank="1"):
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(result["rows"]):
            raise LexiconError(f"rank '{rank}' is not listed", fix=f"quote a rank from 1 to {len(result['rows'])}")
        r = result["rows"][int(rank) - 1]["tfidf_rank"]
        return Value(str(r), r)

    @value("The story TF-IDF cosine ranks first.")
    def tfidf_top(self, spec, result):
        return Value(str(result["tfidf_top"]), result["tfidf_top"])

    @value("Doc2Vec's rank of the story TF-IDF ranks first: `tfidf_top_rank`; `tfidf_top_rank(cosine)` its cosine.")
    def tfidf_top_rank(self, spec, result, what=""):
        if what not in ("", "cosine"):
            raise LexiconError(f"'{what}' is not cosine", fix="write tfidf_top_rank or tfidf_top_rank(cosine)")
        if what:
            return Value(fmt(result["tfidf_top_cosine"]), result["tfidf_top_cosine"])
        return Value(str(result["tfidf_top_rank"]), result["tfidf_top_rank"])

    @value("The held-out vector's cosine with all training stories: `spread(mean)`, `spread(median)`, `spread(min)`.")
    def spread(self, spec, result, stat):
        if stat not in ("mean", "median", "min"):
            raise LexiconError(f"'{stat}' is not a statistic", fix="write spread(mean), spread(median) or spread(min)")
        return Value(fmt(result["spread"][stat]), result["spread"][stat])

    @value("How many training stories have a cosine above a threshold with the held-out story: `above(0.8)`; "
           "`above(0.8, said)` reads “54 stories above 0.8”.")
    def above(self, spec, result, threshold, said=""):
        t = str(threshold).strip()
        n = result["spread"]["above"].get(t)
        if n is None or said not in ("", "said"):
            raise LexiconError(f"no count for above({threshold}{', ' + said if said else ''})",
                               fix="quote one of " + ", ".join(result["spread"]["above"]) + ", optionally with 'said'")
        return Value(f"{n} stories above {t}" if said else str(n), n)

    @value("How many words the model's vocabulary has (min_count 2).")
    def vocabulary(self, spec, result):
        return Value(f"{result['vocabulary']:,}", result["vocabulary"])

    @value("The vector size (fixed by the kind).")
    def dimensions(self, spec, result):
        return Value(str(VECTOR_SIZE), VECTOR_SIZE)

    @value("The number of training epochs (fixed by the kind).")
    def epochs(self, spec, result):
        return Value(str(EPOCHS), EPOCHS)

    def render(self, spec, result, ctx):
        rows = [[i + 1, r["story"], fmt(r["cosine"]), r["tfidf_rank"], r["opening"]] for i, r in enumerate(result["rows"])]
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [Text(f"Held-out story {result['held_out']} of {HELD_OUT} ({result['tokens']} words), its opening as "
                               f"tokenised (lower case, letters only, one-letter words dropped): \u201c{result['opening']}\u201d"),
                          Table(["Rank", "Story", "Doc2Vec cosine", "TF-IDF rank", "Opening, as tokenised"], rows, numeric=(0, 1, 2, 3)),
                          Code("from gensim.models.doc2vec import Doc2Vec, TaggedDocument\nfrom gensim.test.utils import datapath\n"
                               "from gensim.utils import simple_preprocess\n\n"
                               f"train = [simple_preprocess(l) for l in open(datapath({BACKGROUND!r}), encoding='utf-8')]\n"
                               f"test = [simple_preprocess(l) for l in open(datapath({HELD_OUT!r}), encoding='latin-1')]\n"
                               "docs = [TaggedDocument(words, [i]) for i, words in enumerate(train)]\n"
                               f"model = Doc2Vec(dm=0, vector_size={VECTOR_SIZE}, min_count={MIN_COUNT}, epochs={EPOCHS}, workers=1, "
                               f"seed={SEED})\nmodel.build_vocab(docs)\n"
                               "model.train(docs, total_examples=model.corpus_count, epochs=model.epochs)\n"
                               f"vector = model.infer_vector(test[{spec.held_out - 1}])   # the site seeds its start with CRC-32\n"
                               f"model.dv.most_similar([vector], topn={spec.topn})   # 0-based story indices\n",
                               "The Python behind these numbers")]
