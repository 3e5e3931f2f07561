"""The bag-of-words kind: one news story as word counts, and the document–term matrix of the corpus."""

from __future__ import annotations

import functools

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table, Text
from ...errors import LexiconError
from ...render import esc, percent
from ._claims import check_all, parse, shown, words_named
from ._lee import BACKGROUND, NOTE, READ, opening, stories, story_index, tokens

NAMES = {"vocabulary": False, "sparsity": False, "tokens": False, "distinct": False, "count": True}
EXAMPLE_CLAIM = "sparsity > 0.95"
SENTENCES_SCHEMA = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 300},
                    "minItems": 2, "maxItems": 2}


@functools.lru_cache(maxsize=1)
def corpus_matrix():
    """gensim's Dictionary and bags of words of the 300 stories, and scikit-learn's count matrix of the same
    stories, checked to agree."""
    from gensim.corpora import Dictionary
    from sklearn.feature_extraction.text import CountVectorizer

    docs = [list(s) for s in stories()]
    dictionary = Dictionary(docs)
    bows = [dictionary.doc2bow(d) for d in docs]
    counter = CountVectorizer(analyzer=list)
    matrix = counter.fit_transform(docs).tocsr()
    if matrix.shape[1] != len(dictionary) or matrix.nnz != sum(len(b) for b in bows):
        raise LexiconError("gensim's Dictionary and scikit-learn's CountVectorizer counted different vocabularies",
                           fix="report this: both count the same simple_preprocess tokens")
    return dictionary, bows, matrix


def bow_result(index: int, sentences: list[str], words: list[str]) -> dict:
    dictionary, bows, matrix = corpus_matrix()
    bag = sorted(((dictionary[i], int(n)) for i, n in bows[index]), key=lambda t: (-t[1], t[0]))
    rows, cols = matrix.shape
    out = {"story": index + 1, "stories": rows, "vocabulary": cols, "nonzero": int(matrix.nnz),
           "sparsity": round(1 - matrix.nnz / (rows * cols), 6), "tokens": int(sum(n for _, n in bag)),
           "opening": opening(stories()[index], 30), "bag": bag,
           "ids": {w: int(dictionary.token2id[w]) for w, _ in bag}}
    # In how many stories each word has the largest count (a tie at the top counts for every word in it).
    leads = {}
    for doc in bows:
        top = max(n for _, n in doc)
        for i, n in doc:
            if n == top:
                leads[dictionary[i]] = leads.get(dictionary[i], 0) + 1
    out["leads"] = dict(sorted(leads.items(), key=lambda t: (-t[1], t[0])))
    have = dict(bag)
    out["counts"] = {w: have.get(w, 0) for w in words}
    if sentences:
        toks = [tokens(s) for s in sentences]
        if not all(toks):
            raise LexiconError("a sentence has no word that simple_preprocess keeps",
                               fix="write sentences of ordinary words (2 to 15 letters)")
        vocab = sorted(set(toks[0]) | set(toks[1]))
        vectors = [[t.count(w) for w in vocab] for t in toks]
        out["sentences"] = {"tokens": toks, "vocab": vocab, "vectors": vectors, "same": vectors[0] == vectors[1],
                            "same_order": toks[0] == toks[1]}
    return out


class BagOfWords(Kind):
    """One news story of gensim's Lee corpus as a bag of words: each word of the vocabulary with how often it
    occurs, order forgotten; the size and sparsity of the whole document–term matrix.

    The 300 stories are tokenised with gensim's `simple_preprocess`; gensim's `Dictionary` gives every word an
    id and `doc2bow` turns the chosen `story` into `(id, count)` pairs. scikit-learn's `CountVectorizer`
    builds the same 300 × vocabulary count matrix (the kind checks that the two agree), whose *sparsity* is
    the share of its cells that are zero. With `sentences`, two sentences are counted over the words they
    use: sentences with the same words in another order get the same vector. Claims compare `vocabulary`,
    `sparsity`, `tokens`, `distinct` (the story's distinct words) or `count(word)` with a number or with
    each other. Needs no embedding model.
    """

    example = ("story: 1\ntopn: 6\nsentences:\n  - the dog bit the man\n  - the man bit the dog\n"
               "expect:\n  - sparsity > 0.95\n  - count(the) > count(fire)")
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        story=opt.integer("The story's number (its line in the corpus file).", default=1, min=1),
        topn=opt.integer("How many of the story's words the table lists, most frequent first.", default=10,
                         min=3, max=30),
        sentences=opt.raw("Two sentences to count side by side (e.g. the same words in another order).",
                          SENTENCES_SCHEMA, "two sentences", default=[], convert=list),
        expect=opt.claims(f"Claims: `{EXAMPLE_CLAIM}`, `vocabulary > 5000`, `distinct < tokens`, "
                          "`count(the) > count(fire)` (quantities: vocabulary, sparsity, tokens, distinct, "
                          "count(word)); `<`, `>`, `=`, `<=`, `>=`.", "list of statements", display=False),
        caption=opt.caption(doc="A line above the table (Markdown)."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        spec.parsed = [parse(t, NAMES, EXAMPLE_CLAIM) for t in spec.expect]
        spec.claim_words = words_named(spec.parsed)

    def anchor_hint(self, spec):
        return f"bag of words story {spec.story}"

    def compute(self, kv, spec):
        return bow_result(story_index(spec.story), spec.sentences, spec.claim_words)

    def _lookup(self, result):
        def lookup(name, arg):
            if name == "count":
                n = result["counts"][arg]
                return n, f"'{arg}' occurs {n} times in story {result['story']}"
            v = result[name if name != "distinct" else "bag"]
            v = len(v) if name == "distinct" else v
            return v, f"{name} = {shown(v)}"
        return lookup

    def claims(self, spec, result, check):
        check_all(spec.expect, NAMES, EXAMPLE_CLAIM, self._lookup(result), check)

    @value("How many stories (rows of the matrix).")
    def stories(self, spec, result):
        return Value(str(result["stories"]), result["stories"])

    @value("How many different words the corpus has (columns of the matrix).")
    def vocabulary(self, spec, result):
        return Value(f"{result['vocabulary']:,}", result["vocabulary"])

    @value("How many cells of the matrix are not zero.")
    def nonzero(self, spec, result):
        return Value(f"{result['nonzero']:,}", result["nonzero"])

    @value("How many cells the matrix has (stories × vocabulary).")
    def cells(self, spec, result):
        n = result["stories"] * result["vocabulary"]
        return Value(f"{n:,}", n)

    @value("The share of the matrix's cells that are zero (`98.7%`).")
    def sparsity(self, spec, result):
        return Value(percent(result["sparsity"]), result["sparsity"])

    @value("In how many stories a word has the largest count, ties at the top included: `leads(the)`.")
    def leads(self, spec, result, word):
        n = result["leads"].get(word, 0)
        return Value(str(n), n)

    @value("The number of the story shown.")
    def story_number(self, spec, result):
        return Value(str(result["story"]), result["story"])

    @value("How many words (tokens) the story has.")
    def tokens(self, spec, result):
        return Value(str(result["tokens"]), result["tokens"])

    @value("How many different words the story has: its nonzero entries.")
    def distinct(self, spec, result):
        return Value(str(len(result["bag"])), len(result["bag"]))

    @value("How often a word occurs in the story (0 if never).")
    def count(self, spec, result, word):
        n = dict(result["bag"]).get(word, 0)
        return Value(str(n), n)

    @value("The word at a rank of the story's counts (1 = most frequent; ties alphabetical).")
    def top(self, spec, result, rank="1"):
        if not str(rank).isdigit() or not 1 <= int(rank) <= len(result["bag"]):
            raise LexiconError(f"rank '{rank}' is not between 1 and {len(result['bag'])}", fix="quote a rank the "
                               "story has")
        return Value(result["bag"][int(rank) - 1][0])

    @value("`yes` if the two sentences get the same vector, else `no`.")
    def same(self, spec, result):
        if "sentences" not in result:
            raise LexiconError("the block has no 'sentences'", fix="add two sentences under 'sentences'")
        return Value("yes" if result["sentences"]["same"] else "no")

    def render(self, spec, result, ctx):
        bag, story = result["bag"], result["story"]
        lead = Caption(spec.caption) if spec.caption else Text(
            f"Story {story} of {result['stories']} ({result['tokens']} words, {len(bag)} different), its opening as "
            f"tokenised (lower case, one-letter words dropped): \u201c{result['opening']}\u201d")
        rows = [[w, result["ids"][w], n] for w, n in bag[:spec.topn]]
        parts = [lead, Table(["Word", "Id in the dictionary", "Count"], rows, numeric=(1, 2)),
                 Text(f"The story's vector has {result['vocabulary']:,} entries, one per word of the corpus; "
                      f"{len(bag)} of them are not zero (the table shows the {min(spec.topn, len(bag))} largest). "
                      f"Over all {result['stories']} stories the document–term matrix has "
                      f"{result['stories'] * result['vocabulary']:,} cells, {result['nonzero']:,} of them not zero: "
                      f"{percent(result['sparsity'])} are zero.")]
        if "sentences" in result:
            s = result["sentences"]
            head = "".join(f"<li>{chr(65 + i)}: \u201c{esc(t)}\u201d \u2192 {esc(' '.join(k))}</li>"
                           for i, (t, k) in enumerate(zip(spec.sentences, s["tokens"])))
            verdict = ("the same vector" if s["same"] else "different vectors") + (
                ", though the words come in a different order" if s["same"] and not s["same_order"] else "")
            parts += [Html(f"<p>Two sentences, counted over the words they use:</p><ul>{head}</ul>"),
                      Table(["Word", "A", "B"], [[w, a, b] for w, a, b in zip(s["vocab"], *s["vectors"])],
                            numeric=(1, 2)),
                      Text(f"Sentences A and B get {verdict}.")]
        parts.append(Code(
            READ.format(corpus=BACKGROUND) +
            "from gensim.corpora import Dictionary\nfrom sklearn.feature_extraction.text import CountVectorizer\n\n"
            "dictionary = Dictionary(stories)\n"
            f"bag = dictionary.doc2bow(stories[{story - 1}])      # story {story}: [(id, count), ...]\n"
            "matrix = CountVectorizer(analyzer=list).fit_transform(stories)   # stories × vocabulary\n"
            "sparsity = 1 - matrix.nnz / (matrix.shape[0] * matrix.shape[1])\n",
            "The Python behind these numbers"))
        return parts
