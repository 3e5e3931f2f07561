"""The topic-model kind: gensim's LDA on the Lee corpus, each topic's top words, and how they change with the seed."""

from __future__ import annotations

import re

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Table, Text
from ...errors import LexiconError
from ._lda import ITERATIONS, NO_ABOVE, NO_BELOW, PASSES, dictionary_and_bows, top_words
from ._lee import BACKGROUND, NOTE, READ

PAIR = re.compile(r"^\s*([a-z]+)\s+(with|without)\s+([a-z]+)(\s+under\s+compare_seed)?\s*$")
CLAIM_FIX = ("write 'palestinian with israeli' (one topic lists both), 'palestinian without test' (none does), or "
             "'palestinian with test under compare_seed' (about the second model)")


def parse(text: str):
    m = PAIR.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
    return bool(m.group(4)), m.group(1), m.group(2) == "with", m.group(3)


class TopicModel(Kind):
    """A topic model of gensim's Lee corpus: gensim's `LdaModel` (latent Dirichlet allocation) with a fixed
    seed, each topic's most probable words, and, with `compare_seed`, how many of them another seed keeps.

    Stop words are removed and gensim's `filter_extremes(no_below=3, no_above=0.2)` keeps the words found
    in at least three stories and at most a fifth of them. `LdaModel(num_topics=topics, passes=5,
    iterations=50, random_state=seed)` is fitted single-threaded; the same seed always gives the same topics.
    With `compare_seed`, a second model is fitted and each topic is matched to the other model's topic
    that shares most of its top words, so the page can show how unstable topics are. Claims:
    `palestinian with israeli` (some topic lists both among its top words), `palestinian without test` (no
    topic does); followed by `under compare_seed`, about the second model. Needs no embedding model.
    """

    example = "topics: 5\nseed: 1\ntopwords: 6\nexpect:\n  - palestinian with israeli"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        topics=opt.integer("How many topics.", default=5, min=2, max=10),
        seed=opt.seed("LDA's random seed (`random_state`).", default=1),
        compare_seed=opt.integer("A second seed: its topics are matched to the first model's.", min=0),
        topwords=opt.integer("How many words per topic.", default=8, min=3, max=15),
        expect=opt.claims("Claims: `palestinian with israeli`, `palestinian without test` (about the first "
                          "model's top words), `palestinian with test under compare_seed` (about the second).",
                          "list of statements"),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for t in spec.expect:
            if parse(t)[0] and spec.compare_seed is None:
                raise LexiconError(f"the claim '{t}' is about the compared model, but the block has no 'compare_seed'",
                                   fix="add 'compare_seed: 0', or drop 'under compare_seed'")
        if spec.compare_seed == spec.seed:
            raise LexiconError("'compare_seed' equals 'seed'", fix="choose another seed to compare with")

    def anchor_hint(self, spec):
        return f"lda {spec.topics} topics"

    def compute(self, kv, spec):
        dictionary, bows = dictionary_and_bows()
        first = top_words(spec.topics, spec.seed, spec.topwords)
        out = {"words": len(dictionary), "stories": len(bows), "topics": first, "matches": None}
        if spec.compare_seed is not None:
            other = top_words(spec.topics, spec.compare_seed, spec.topwords)
            out["other"] = other
            out["matches"] = [max(((len(set(t) & set(o)), j) for j, o in enumerate(other)),
                                  key=lambda m: (m[0], -m[1])) for t in first]
        return out

    def claims(self, spec, result, check):
        for text in spec.expect:
            compared, a, together, b = parse(text)
            topics = result["other"] if compared else result["topics"]
            found = [i + 1 for i, t in enumerate(topics) if a in t and b in t]
            which = f"seed {spec.compare_seed if compared else spec.seed}"
            check(str(text), bool(found) == together,
                  f"{which}: topic {found[0]} lists both" if found else f"{which}: no topic lists both '{a}' and '{b}'")

    @value("How many words the model's vocabulary keeps.")
    def words(self, spec, result):
        return Value(f"{result['words']:,}", result["words"])

    @value("A topic's top word at a rank: `word(2, 1)`.")
    def word(self, spec, result, topic, rank="1"):
        t = self._topic(result, topic)
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(t):
            raise LexiconError(f"rank '{rank}' is not listed", fix=f"quote a rank from 1 to {len(t)}")
        return Value(t[int(rank) - 1])

    @value("How many of a topic's top words its best match under `compare_seed` shares: `kept(1)`.")
    def kept(self, spec, result, topic):
        self._topic(result, topic)
        if not result["matches"]:
            raise LexiconError("the block has no 'compare_seed'", fix="add 'compare_seed: 0'")
        n = result["matches"][int(topic) - 1][0]
        return Value(str(n), n)

    @value("The number of passes over the corpus (fixed by the kind).")
    def passes(self, spec, result):
        return Value(str(PASSES), PASSES)

    def _topic(self, result, topic):
        if not str(topic).isdigit() or not 1 <= int(topic) <= len(result["topics"]):
            raise LexiconError(f"there is no topic '{topic}'", fix=f"name one from 1 to {len(result['topics'])}")
        return result["topics"][int(topic) - 1]

    def render(self, spec, result, ctx):
        heads = ["Topic", f"Top words (seed {spec.seed})"]
        rows = [[i + 1, ", ".join(t)] for i, t in enumerate(result["topics"])]
        if result["matches"]:
            heads += [f"Closest topic, seed {spec.compare_seed}", "Shared top words"]
            for row, (n, j) in zip(rows, result["matches"]):
                row += [", ".join(result["other"][j]), f"{n} of {spec.topwords}"]
        lead = Text(f"LDA with {spec.topics} topics on {result['stories']} stories and a vocabulary of "
                    f"{result['words']:,} words; {PASSES} passes, seed {spec.seed}.")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [lead, Table(heads, rows, numeric=(0,) + ((3,) if result["matches"] else ())),
                          Code(READ.format(corpus=BACKGROUND) +
                               "from gensim.corpora import Dictionary\nfrom gensim.models import LdaModel\n"
                               "from gensim.parsing.preprocessing import STOPWORDS\n\n"
                               "docs = [[w for w in s if w not in STOPWORDS] for s in stories]\n"
                               f"dictionary = Dictionary(docs)\ndictionary.filter_extremes(no_below={NO_BELOW}, "
                               f"no_above={NO_ABOVE}, keep_n=None)\nbows = [dictionary.doc2bow(d) for d in docs]\n"
                               f"lda = LdaModel(bows, id2word=dictionary, num_topics={spec.topics}, passes={PASSES}, "
                               f"iterations={ITERATIONS}, random_state={spec.seed})\n"
                               f"[lda.show_topic(k, {spec.topwords}) for k in range({spec.topics})]\n",
                               "The Python behind these numbers")]
