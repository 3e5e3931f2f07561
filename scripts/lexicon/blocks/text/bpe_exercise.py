"""The bpe-exercise kind: which of these words does byte-pair encoding keep as one token?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Raw, Table
from ...errors import LexiconError
from ...render import esc
from ._bpe import learn, require_spelled, segment
from ._corpus import CORPUS, corpus_frequencies

NOTE = (f"Computed at build time with Hugging Face tokenizers from gensim\u2019s Lee corpus ({CORPUS}); "
        "no embedding model.")


class BpeExercise(ExerciseKind):
    """An exercise: which of these words is a single token after BPE's merges are learned on the Lee corpus?

    A multiple-choice exercise: the block learns `merges` byte-pair-encoding merges from gensim's Lee
    corpus exactly as the [bpe](#bpe) kind does (Hugging Face `tokenizers`, no end-of-word marker), cuts
    each of the `choices` with them, and the right answer is the one choice that comes out as a single
    token (the build refuses choices of which none, or more than one, is a single token). The reveal
    gives every choice's pieces and how often the corpus uses it: merges follow frequency, so a long
    but frequent word can be whole while a short, rare one is cut. Needs no embedding model.
    """

    example = "merges: 1000\nchoices: [afghanistan, question, business, station]\nanswer: afghanistan"
    default_prompt = ("Byte-pair encoding learns {merges} merges from the Lee corpus (Australian news stories from "
                      "around 2001). Which of these words "
                      "comes out as a single token?")
    needs_model = False
    note = NOTE
    options = opt.Options(
        ExerciseKind.options,
        merges=opt.integer("How many merges to learn.", default=1000, min=10, max=5000),
        choices=opt.words("The words offered (in the corpus's lower-case letters); exactly one must be a single "
                          "token.", min=2, max=6, unique=True, vocab=False, type_doc="list of 2–6 words",
                          required=True, display=True),
        answer=opt.word("The word you claim is the single token (a [claim](#claims)).", vocab=False, display=True),
    )

    def prepare(self, spec):
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of the words listed under 'choices'")

    def prompt(self, spec):
        return spec.prompt or self.default_prompt.format(merges=f"{spec.merges:,}")

    def anchor_hint(self, spec):
        return "exercise " + spec.choices[0]

    def compute(self, kv, spec):
        freq = corpus_frequencies()
        alphabet, vocab, merges = learn(freq, spec.merges)
        require_spelled(spec.choices, alphabet)
        pieces = segment(vocab, merges, spec.choices)
        return {"words": {w: [pieces[w], freq.get(w, 0)] for w in spec.choices}}

    def claims(self, spec, result, check):
        whole = [w for w, (p, _) in result["words"].items() if len(p) == 1]
        if len(whole) != 1:
            cut = "; ".join(f"{w}: {' + '.join(p)}" for w, (p, _) in result["words"].items())
            raise LexiconError(f"{len(whole)} of the choices are a single token after {spec.merges:,} merges, "
                               f"not exactly one ({cut})",
                               fix="choose words so that exactly one of them is a single token")
        if spec.answer is not None:
            pieces = result["words"][spec.answer][0]
            check(f"of {', '.join(spec.choices)}, only \u201c{spec.answer}\u201d is a single token after "
                  f"{spec.merges:,} merges", whole == [spec.answer],
                  f"the single token is \u201c{whole[0]}\u201d; \u201c{spec.answer}\u201d is cut into "
                  f"{' + '.join(pieces)}", against="the learned merges")

    def _word(self, result, word) -> list:
        if word not in result["words"]:
            raise LexiconError(f"'{word}' is not one of the choices", fix="quote a word listed under 'choices'")
        return result["words"][word]

    @value("The choice that is a single token (the right answer).")
    def whole(self, spec, result):
        return Value(next(w for w, (p, _) in result["words"].items() if len(p) == 1))

    @value("A choice's pieces (`bus + in + ess`).")
    def pieces(self, spec, result, word):
        p = self._word(result, word)[0]
        return Value(" + ".join(p), len(p))

    @value("How many pieces a choice is cut into.")
    def n_pieces(self, spec, result, word):
        n = len(self._word(result, word)[0])
        return Value(str(n), n)

    @value("How many times a choice occurs in the corpus.")
    def occurrences(self, spec, result, word):
        n = self._word(result, word)[1]
        return Value(f"{n:,}", n)

    def render(self, spec, result, ctx):
        words = result["words"]
        right = next(w for w, (p, _) in words.items() if len(p) == 1)
        why = {}
        for w, (p, n) in words.items():
            seen = f"the corpus uses it {n:,} time{'s' if n != 1 else ''}"
            why[w] = (f"\u201c{w}\u201d is one token: {seen}, so its letters were merged step by step into the "
                      "whole word." if w == right else
                      f"\u201c{w}\u201d is cut into {len(p)} pieces, {' + '.join(p)}: {seen}, and the merges "
                      f"that would join its pieces are not among the first {spec.merges:,}.")
        rows = [[w, f"{n:,}", len(w), Raw(" + ".join(f"<code>{esc(t)}</code>" for t in p)), len(p)]
                for w, (p, n) in sorted(words.items(), key=lambda t: -t[1][1])]
        reveal = [Html(f"<p>After {spec.merges:,} merges learned from the Lee corpus, only "
                       f"<strong>{esc(right)}</strong> is a single token. Most frequent first:</p>"),
                  Table(["Word", "Occurrences in the corpus", "Letters", "Pieces", "Number of pieces"], rows,
                        numeric=(1, 2, 4))]
        return Choices(list(spec.choices), right, why, reveal)
