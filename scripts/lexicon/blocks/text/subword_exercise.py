"""The subword-exercise kind: how many character n-grams does fastText form for a word?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html
from ...render import esc
from ._subword import MAXN, MINN, NOTE, WORD, by_length, check, ngrams


class SubwordExercise(ExerciseKind):
    """An exercise: how many character n-grams does fastText form for a word? The choices are the right
    count and the counts of common mistakes, each explained.

    A multiple-choice exercise: how many fastText n-grams does `word` have? The wrong choices are
    computed mistakes (no boundary markers, only the shortest n-grams, the whole word counted too).
    Needs no model.
    """

    example = "word: where\nminn: 3\nmaxn: 6\nanswer: 14"
    default_prompt = ("With n from {minn} to {maxn}, how many character n-grams does fastText form for "
                      "\u201c{word}\u201d?")
    needs_model = False
    note = NOTE
    options = opt.Options(
        ExerciseKind.options,
        word=WORD,
        minn=MINN,
        maxn=MAXN,
        answer=opt.integer("The count you claim (a [claim](#claims)).", min=0, display=True),
    )

    def prepare(self, spec):
        check(spec)

    def anchor_hint(self, spec):
        return "exercise " + spec.word

    def compute(self, kv, spec):
        word, minn, maxn = spec.word, spec.minn, spec.maxn
        right = ngrams(word, minn, maxn)
        # Common mistakes, each computed by the same gensim function on a changed question.
        no_markers = [g for g in ngrams(word, minn, maxn) if "<" not in g and ">" not in g]
        only_min = [g for g in right if len(g) == minn]
        whole = f"<{word}>"
        with_word = right + ([whole] if whole not in right else [])
        return {"ngrams": right, "no_markers": no_markers, "only_min": only_min, "with_word": with_word}

    def claims(self, spec, result, check):
        if spec.answer is not None:
            n = len(result["ngrams"])
            check(f"fastText forms {spec.answer} character n-grams (n = {spec.minn}–{spec.maxn}) for "
                  f"'{spec.word}'", spec.answer == n, f"it forms {n}: {', '.join(result['ngrams'])}")

    @value("How many n-grams fastText forms for the word (the right answer).")
    def count(self, spec, result):
        n = len(result["ngrams"])
        return Value(str(n), n)

    def render(self, spec, result, ctx):
        opts = _choices(spec, result)
        right = str(len(result["ngrams"]))
        return Choices([str(n) for n, _ in sorted(opts)], right, {str(n): w for n, w in opts}, [
            Html(f'<p>fastText forms <strong>{esc(right)}</strong> n-grams for '
                 f'<code>{esc("<" + spec.word + ">")}</code>:</p>'),
            by_length(result["ngrams"]),
        ])


def _choices(spec, result) -> list[tuple[int, str]]:
    """(count, why) per choice; the right count first, then distinct wrong ones."""
    word, minn, maxn = spec.word, spec.minn, spec.maxn
    right = result["ngrams"]
    cands = [
        (len(right), f"{len(right)}: fastText wraps the word as <{word}> and takes every piece of "
                     f"{minn} to {maxn} characters: {', '.join(right)}."),
        (len(result["no_markers"]), f"{len(result['no_markers'])} forgets the boundary markers < and >: "
                                    f"only the pieces inside the bare word."),
        (len(result["only_min"]), f"{len(result['only_min'])} counts only the {minn}-grams."),
        (len(result["with_word"]), f"{len(result['with_word'])} also counts the whole word <{word}>. The paper "
                                   f"adds it to the word's set of n-grams, but at {len(word) + 2} characters it is "
                                   f"not one of the pieces of {minn} to {maxn} counted here: fastText gives it a "
                                   "vector of its own, as a word of its vocabulary."),
    ]
    seen, out = set(), []
    for n, why in cands:
        if n not in seen:
            seen.add(n)
            out.append((n, why))
    return out
