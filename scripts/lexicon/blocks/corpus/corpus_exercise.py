"""The corpus-exercise kind: a multiple-choice question on the Lee corpus whose answer is computed."""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc
from ._asks import ASKS, LOWEST
from ._lee import BACKGROUND, NOTE

# What each ask needs, and the question it asks when the block gives no `prompt`.
NEEDS = {"same-vector": ("sentence", "choices"), "top-tfidf": ("story", "choices"),
         "top-after-stopwords": ("choices",), "same-stem": ("word", "choices"), "bm25-top": ("query", "stories"),
         "zipf-ratio": ("word", "choices"), "top-ppmi": ("word", "choices"),
         "lsa-nearest": ("word", "choices"), "lda-topic": ("story",),
         "doc2vec-nearest": ("held_out", "stories"), "and-match": ("words", "stories")}
PROMPTS = {
    "same-vector": "Which text gets the same bag-of-words vector as “{sentence}”?",
    "top-tfidf": "Which of these words has the highest TF-IDF weight in story {story}?",
    "top-after-stopwords": "Once gensim’s stop words are removed, which of these words is the most frequent in the "
                           "corpus?",
    "same-stem": "Which word does the Porter stemmer cut to the same stem as “{word}”?",
    "bm25-top": "Which story does BM25 rank highest for the query “{query}”?",
    "zipf-ratio": "Which word occurs about {ratio:g} times less often than “{word}”?",
    "lda-topic": "Story {story} opens as shown. Which topic of the model has the largest share in it?",
    "doc2vec-nearest": "Which story's Doc2Vec vector is closest to the inferred vector of held-out story {held_out}?",
    "and-match": "Which story contains all of these words: {shown_words}?",
    "lsa-nearest": "In the LSA space of the corpus, which of these words is closest to “{word}”?",
    "top-ppmi": "Which of these contexts has the highest PPMI with “{word}” (window {window})?",
}
STORIES_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 5,
                  "uniqueItems": True}


class CorpusExercise(ExerciseKind):
    """An exercise on the Lee corpus: the reader picks one of a few choices, and the right one is computed
    (bag-of-words vectors, TF-IDF, stop words, stemming, BM25, Zipf's law, PPMI, LSA, LDA or Doc2Vec).

    `ask` chooses the question:

    - `same-vector`: which of the `choices` (texts) gets the same bag-of-words vector as `sentence`
      (exactly one must);
    - `top-tfidf`: which of the `choices` (words of story `story`) has the highest TF-IDF weight there (the
      reader sees each word's count and document frequency);
    - `top-after-stopwords`: which of the `choices` is the most frequent word of the corpus once gensim's stop
      words are removed;
    - `same-stem`: which of the `choices` the Porter stemmer cuts to the stem of `word` (exactly one must);
    - `bm25-top`: which of the `stories` BM25 (`k1`, `b`) ranks highest for `query` (the reader sees each
      story's length and query-word counts);
    - `zipf-ratio`: which of the `choices` occurs about `ratio` times less often than `word` (the reader sees
      frequency ranks only);
    - `top-ppmi`: which of the `choices` (contexts of `word` within `window` words) has the highest positive
      pointwise mutual information with it (the reader sees the counts near the word and in the corpus);
    - `lsa-nearest`: which of the `choices` has the LSA vector (`components` dimensions, as the `lsa` kind
      computes it) closest to that of `word`; the answer must win by a cosine margin of 0.25 at `components`
      and at 10, 20 and 30 dimensions, so that the subject decides it, not the number of dimensions;
    - `lda-topic`: which topic of the `topic-model` kind's LDA model (`topics`, `seed`) has the largest share in
      story `story` (the reader sees the story's opening and each topic's top words);
    - `doc2vec-nearest`: which of the `stories` has the Doc2Vec vector (as the `doc2vec` kind trains it)
      closest to the inferred vector of held-out story `held_out` (the reader sees the openings);
    - `and-match`: which of the `stories` contains every one of the `words` (the reader sees each word's
      posting list, the stories that contain it; exactly one choice must be in all of them).

    A question graded by a score refuses a tie at the top. `answer` is the choice you claim is right (for
    `bm25-top`, the story's number).
    """

    example = "ask: same-stem\nword: general\nchoices: [generous, genre, gentle]\nanswer: generous"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "a question matching `ask`"}),
        ask=opt.choice("The question: " + ", ".join(f"`{a}`" for a in ASKS) + ".", list(ASKS), required=True),
        choices=opt.texts("The choices: words, or texts for `same-vector`.", min=2, max=6,
                          type_doc="list of 2–6 words or texts"),
        sentence=opt.text("`same-vector`: the sentence the choices are compared with."),
        story=opt.integer("`top-tfidf`, `lda-topic`: the story's number (its line in the corpus file).", min=1),
        word=opt.text("`same-stem`, `zipf-ratio`, `top-ppmi`, `lsa-nearest`: the word the choices are compared "
                      "with."),
        query=opt.text("`bm25-top`: the query."),
        words=opt.texts("`and-match`: the words of the AND query (each in at most 20 stories).", min=2, max=4,
                        type_doc="list of 2–4 words"),
        held_out=opt.integer("`doc2vec-nearest`: the held-out story's number in `lee.cor`.", min=1, max=50),
        stories=opt.raw("`bm25-top`, `doc2vec-nearest`, `and-match`: the stories to choose from, by number.", STORIES_SCHEMA,
                        "list of 2–5 story numbers", convert=list),
        k1=opt.number("`bm25-top`: BM25's k1.", default=1.5, min=0, max=10),
        b=opt.number("`bm25-top`: BM25's b.", default=0.75, min=0, max=1),
        window=opt.integer("`top-ppmi`: how many words on each side count as context.", default=5, min=1, max=10),
        components=opt.integer("`lsa-nearest`: how many LSA dimensions.", default=10, min=2, max=30),
        topics=opt.integer("`lda-topic`: how many topics the LDA model has.", default=5, min=2, max=10),
        seed=opt.seed("`lda-topic`: the LDA model's random seed.", default=1),
        ratio=opt.number("`zipf-ratio`: how many times less often.", default=10, min=2, max=1000),
        answer=opt.raw("The choice you claim is right (a [claim](#claims)); for `bm25-top` and `doc2vec-nearest` a "
                       "story's number (also for `and-match`), "
                       "for `lda-topic` a topic's number.",
                       {"type": ["string", "integer"], "maxLength": 300}, "one of the choices", display=True,
                       convert=str),
    )

    def prepare(self, spec):
        for name in NEEDS[spec.ask]:
            if getattr(spec, name) in (None, []):
                raise LexiconError(f"ask: {spec.ask} needs '{name}'",
                                   fix=f"add '{name}:' (ask {spec.ask} uses " + ", ".join(NEEDS[spec.ask]) + ")")
        if spec.ask == "lda-topic":
            spec.labels, spec.claimed = None, spec.answer   # the labels name the topics' words: known once computed
        elif spec.ask in ("bm25-top", "doc2vec-nearest", "and-match"):
            spec.labels = [f"story {s}" for s in spec.stories]
            spec.claimed = None if spec.answer is None else f"story {str(spec.answer).removeprefix('story ').strip()}"
        else:
            if spec.choices and len(set(spec.choices)) != len(spec.choices):
                raise LexiconError("a choice is listed twice", fix="list each choice once")
            spec.labels, spec.claimed = list(spec.choices or []), spec.answer
        if spec.claimed is not None and spec.labels is not None and spec.claimed not in spec.labels:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(spec.labels))

    def anchor_hint(self, spec):
        return "exercise " + spec.ask

    def prompt(self, spec):
        return spec.prompt or PROMPTS[spec.ask].format_map({**vars(spec), "shown_words": " AND ".join(spec.words or [])})

    def compute(self, kv, spec):
        return ASKS[spec.ask](spec)

    def graded(self, spec, result):
        return result["scores"]

    def graded_end(self, spec):
        return "lowest" if spec.ask in LOWEST else "highest"

    def claims(self, spec, result, check):
        if spec.claimed is not None:
            if spec.ask == "lda-topic":   # 'answer: 3' names topic 3
                claimed = next((label for label in result["labels"] if label.startswith(f"topic {spec.claimed}:")),
                               None)
                check(f"topic {spec.claimed} has the largest share in story {spec.story}", claimed == result["answer"],
                      " ".join(result["why"][label] for label in result["labels"]), against="the corpus")
                return
            check(f"the answer to “{self.prompt(spec)}” is {spec.claimed}", result["answer"] == spec.claimed,
                  " ".join(result["why"][label] for label in result["labels"]), against="the corpus")

    @value("The right choice.")
    def answer(self, spec, result):
        return Value(result["answer"])

    def render(self, spec, result, ctx):
        before = []
        if result["before"]:
            heads, rows = result["before"]
            before = [Table(heads, rows, numeric=tuple(range(1, len(heads))))]
        heads, rows = result["reveal"]
        reveal = [Html(f"<p>The answer is <strong>{esc(result['answer'])}</strong>.</p>"),
                  Table(heads, rows, numeric=tuple(range(1, len(heads))))]
        return Choices(result["labels"], result["answer"], result["why"], reveal, before)
