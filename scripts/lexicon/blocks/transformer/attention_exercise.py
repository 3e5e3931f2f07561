"""The ``attention-exercise`` kind: which word does a word attend to most?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Text
from ...errors import LexiconError
from ...render import esc, fmt
from ._attention import NO_WEIGHTS_NOTE, row_figure, self_attention
from ._tokens import SENTENCE_DOC, sentence_tokens, token_labels


def choice_weights(spec, result) -> dict:
    """Each choice's weight in the word's row (a word that occurs twice: its larger weight)."""
    i, w = spec.tokens.index(spec.word), result["weights"]
    return {c: max(w[i][j] for j, t in enumerate(spec.tokens) if t == c and j != i) for c in spec.choices}


def model_answer(spec, result) -> str:
    weights = choice_weights(spec, result)
    return max(spec.choices, key=lambda c: (weights[c], -spec.choices.index(c)))


class AttentionExercise(ExerciseKind):
    """An exercise: which other word of a sentence does one word attend to most? The answer is computed with
    one step of self-attention over the words' vectors (no learned weights).

    A multiple-choice exercise: which other word does `word` give the most weight to, in one
    attention step like the [attention](#attention) block's? The answer and each choice's weight
    are computed; the reveal shows the word's whole row of weights as bars. The sentence is shown
    under the prompt.
    """

    example = ("sentence: The chef cooked pasta with garlic and tomatoes\nword: cooked\n"
               "choices: [chef, pasta, garlic, tomatoes]\nanswer: garlic")
    default_prompt = "In this sentence, which other word does “{word}” attend to most?"
    options = opt.Options(
        ExerciseKind.options,
        sentence=opt.text("The sentence, shown under the prompt. " + SENTENCE_DOC.replace("2–20", "3–20"),
                          required=True),
        word=opt.text("The word asking: a token that occurs once in the sentence.", required=True, display=True),
        # The weights are computed for the whole sentence: which word asks, and which choices are
        # offered, only change what is shown and graded.
        choices=opt.words("The choices, tokens of the sentence the word can attend to.", min=2, max=8,
                          unique=True, vocab=False, default_doc="every other word it can see", display=True),
        causal=opt.flag("The word sees only the words before it (a GPT-style mask): only earlier words can "
                        "be chosen.", default=False),
        answer=opt.text("The choice you claim the model picks (a [claim](#claims)).", display=True),
    )

    def prepare(self, spec):
        spec.tokens = sentence_tokens(spec.sentence, minimum=3)
        word, causal, tokens = spec.word, spec.causal, spec.tokens
        if word not in tokens:
            raise LexiconError(f"'word' ({word}) is not a token of the sentence",
                               fix="name one of: " + ", ".join(dict.fromkeys(tokens)))
        if tokens.count(word) > 1:
            raise LexiconError(f"'word' ({word}) occurs {tokens.count(word)} times in the sentence",
                               fix="ask about a word that occurs once")
        i = tokens.index(word)
        visible = [t for j, t in enumerate(tokens) if j != i and (not causal or j < i)]
        spec.choices = spec.choices or list(dict.fromkeys(visible))
        for c in spec.choices:
            if c not in visible:
                raise LexiconError(f"choice '{c}' is not one of the other words that '{word}' can attend to",
                                   fix="choose from: " + ", ".join(dict.fromkeys(visible)))
        if len(spec.choices) < 2:
            raise LexiconError(f"'{word}' can attend to fewer than 2 other words",
                               fix="use a longer sentence, or a later word when causal: true")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def words(self, spec):
        return spec.tokens

    def anchor_hint(self, spec):
        return "exercise " + spec.word

    def prompt(self, spec):
        return super().prompt(spec) + f"  \n“{spec.sentence}”"

    def compute(self, kv, spec):
        return self_attention(kv, spec.tokens, causal=spec.causal)

    def graded(self, spec, result):
        return choice_weights(spec, result)

    def claims(self, spec, result, check):
        if not spec.answer:
            return
        weights = choice_weights(spec, result)
        shown = ", ".join(f"{c} ({weights[c]:.4f})" for c in sorted(spec.choices, key=lambda c: -weights[c]))
        check(f"of {', '.join(spec.choices)}, '{spec.word}' attends most to '{spec.answer}'",
              model_answer(spec, result) == spec.answer, f"the weights: {shown}",
              decided_by=[weights[c] for c in spec.choices])

    @value("The choice the word gives the most weight to.")
    def answer(self, spec, result):
        return Value(model_answer(spec, result))

    @value("The weight the word gives a choice, as the reveal's table shows it.")
    def weight(self, spec, result, choice):
        weights = choice_weights(spec, result)
        if choice not in weights:
            raise LexiconError(f"'{choice}' is not one of the choices", fix="name one of: " + ", ".join(spec.choices))
        return Value(fmt(weights[choice]), weights[choice])

    @value("The weight the word keeps for itself.")
    def self_weight(self, spec, result):
        i = spec.tokens.index(spec.word)
        return Value(fmt(result["weights"][i][i]), result["weights"][i][i])

    def render(self, spec, result, ctx):
        weights = choice_weights(spec, result)
        answer = model_answer(spec, result)
        ranked = sorted(spec.choices, key=lambda c: (-weights[c], spec.choices.index(c)))
        why = {c: f"“{spec.word}” gives “{c}” a weight of {weights[c]:.4f}"
                  f"{' (the most of these words)' if c == answer else f', #{ranked.index(c) + 1} of these words'}."
               for c in spec.choices}
        i = spec.tokens.index(spec.word)
        labels = token_labels(spec.tokens)
        return Choices(spec.choices, answer, why, [
            Html(f'<p>Of these words, “{esc(spec.word)}” gives the most weight to '
                 f'<strong>{esc(answer)}</strong>. It keeps {result["weights"][i][i]:.4f} for itself.</p>'),
            Text(NO_WEIGHTS_NOTE),
            row_figure(result, i, spec.causal, "answer",
                       caption=f"The attention weights of “{labels[i]}” over “{spec.sentence}”."),
        ])
