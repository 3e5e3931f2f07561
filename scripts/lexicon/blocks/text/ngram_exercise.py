"""The ngram-exercise kind: how many n-grams does a text have?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Code, Html, Table, Text
from ...errors import LexiconError
from ...render import esc
from ._ngrams import count_ngrams
from ._number_choices import answer_option, check_answer, choices_option, off_by, require_among_choices

COUNTS = {"running": "counting repeats", "distinct": "counting each different one once"}
NAMES = {1: "unigrams", 2: "bigrams", 3: "trigrams"}


def plural(n: int) -> str:
    return NAMES.get(n, f"{n}-grams")


class NgramExercise(ExerciseKind):
    """An exercise: how many n-grams does a text have, once gensim's simple_preprocess has cut it into words?

    A multiple-choice exercise: the text is tokenised with `simple_preprocess` and its n-grams counted by
    scikit-learn's `CountVectorizer(ngram_range=(n, n))`, either every occurrence (`count: running`) or
    each different n-gram once (`count: distinct`). The computed count must be among `choices`; the
    other choices are explained by the mistake they come from where one fits (one n-gram per word, repeats
    counted or not). The reveal lists the words and every n-gram with its count. Needs no model.
    """

    example = ("text: The new South Wales Government says the new laws start today.\nn: 2\n"
               "choices: [9, 10, 11]\nanswer: 10")
    needs_model = False
    note = "Computed at build time with gensim\u2019s simple_preprocess and scikit-learn\u2019s CountVectorizer."
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "“How many bigrams, counting repeats, does "
                                                                  "this text have …” (naming n and the count)"}),
        text=opt.text("The text (quote it if it holds `: `).", required=True),
        n=opt.integer("The length of the n-grams counted.", default=2, min=1, max=5),
        count=opt.choice("Count every occurrence, or each different n-gram once.", list(COUNTS), default="running"),
        choices=choices_option("count"),
        answer=answer_option("count"),
    )

    def prepare(self, spec):
        check_answer(spec)

    def prompt(self, spec):
        return spec.prompt or (f"How many {plural(spec.n)}, {COUNTS[spec.count]}, does this text have once "
                               "gensim\u2019s simple_preprocess has cut it into words?")

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.text.split()[:3])

    def compute(self, kv, spec):
        from gensim.utils import simple_preprocess

        words = simple_preprocess(spec.text)
        if len(words) < spec.n:
            raise LexiconError(f"simple_preprocess makes {len(words)} word(s) of the text, fewer than n = {spec.n}",
                               fix="write a longer text, or ask about shorter n-grams")
        counts = count_ngrams([words], spec.n)
        return {"words": words, "ngrams": sorted(([g, c] for g, c in counts.items()), key=lambda t: (-t[1], t[0]))}

    def _right(self, spec, result) -> int:
        return sum(c for _, c in result["ngrams"]) if spec.count == "running" else len(result["ngrams"])

    def claims(self, spec, result, check):
        n = self._right(spec, result)
        require_among_choices(n, spec.choices, f"the text has {n} {plural(spec.n)} ({COUNTS[spec.count]})")
        if spec.answer is not None:
            check(f"the text has {spec.answer} {plural(spec.n)}, {COUNTS[spec.count]}", spec.answer == n,
                  f"it has {n}: {', '.join(g for g, _ in result['ngrams'])}", against="the counts")

    @value("The right count.")
    def count(self, spec, result):
        n = self._right(spec, result)
        return Value(str(n), n)

    @value("How many words simple_preprocess makes of the text.")
    def words(self, spec, result):
        return Value(str(len(result["words"])), len(result["words"]))

    def render(self, spec, result, ctx):
        words, grams, n = result["words"], result["ngrams"], spec.n
        right, t = self._right(spec, result), len(words)
        running, distinct = sum(c for _, c in grams), len(grams)
        what = plural(n)
        last = "the last word starts" if n == 2 else f"the last {n - 1} words start"
        mistakes = {t: f"{t} is the number of words: {last} no full n-gram, so a text of {t} words has {t} \u2212 {n} + 1 = {running} {what}." if n > 1 else "",
                    running: f"{running} counts every occurrence, repeats included.",
                    distinct: f"{distinct} counts each different n-gram once."}
        why = {}
        for c in spec.choices:
            if c == right:
                why[str(c)] = (f"The text has {right} {what}, {COUNTS[spec.count]}: {t} words give {t} \u2212 {n} + 1 "
                               f"= {running} n-grams in a row" + (f", of which {distinct} differ." if running != distinct
                                                                  else ", all different."))
            elif mistakes.get(c):
                why[str(c)] = mistakes[c] + f" The question asks for {what} {COUNTS[spec.count]}: {right}."
            else:
                why[str(c)] = off_by(c, right)
        reveal = [Html(f"<p><code>simple_preprocess</code> makes <strong>{t}</strong> words: "
                       + " · ".join(f"<code>{esc(w)}</code>" for w in words)
                       + f". Their {what}: <strong>{running}</strong> in a row, <strong>{distinct}</strong> "
                         "different.</p>"),
                  Table([f"{what[:-1].capitalize()}", "Count"], [[g, c] for g, c in grams], numeric=(1,)),
                  Code(CODE.format(text=spec.text, n=n), "The Python behind this answer")]
        return Choices([str(c) for c in spec.choices], str(right), why, reveal,
                       before=[Text(f"\u201c{spec.text}\u201d", cls="ll-tokens__text")])


CODE = """\
from gensim.utils import simple_preprocess
from sklearn.feature_extraction.text import CountVectorizer

words = simple_preprocess({text!r})
cv = CountVectorizer(tokenizer=lambda d: d, preprocessor=lambda d: d, lowercase=False,
                     token_pattern=None, ngram_range=({n}, {n}))
counts = dict(zip(cv.fit([words]).get_feature_names_out(), cv.transform([words]).toarray()[0]))
print(len(words), sum(counts.values()), len(counts), counts)
"""
