"""``attention-exercise``: which other word does a word attend to most? (one parameter-free step)."""

from __future__ import annotations

from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc
from .attention import (NO_WEIGHTS_NOTE, UsesAttention, row_html, self_attention, sentence_tokens,
                        token_labels)
from .base import obj, register, str_list
from .exercise import choice_exercise


@register
class AttentionExercise(UsesAttention):
    kind = "attention-exercise"
    summary = ("An exercise: which other word of a sentence does one word attend to most? The answer is "
               "computed with one step of self-attention over the words' vectors (no learned weights).")
    schema = obj({
        "sentence": {"type": "string", "minLength": 1},
        "word": {"type": "string", "minLength": 1},
        "choices": {**str_list(2, 8), "uniqueItems": True},
        "answer": {"type": "string", "minLength": 1},
        "causal": {"type": "boolean"},
        "prompt": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["sentence", "word"])
    example = "sentence: The king and queen ruled the kingdom\nword: king\nanswer: queen"

    def parse(self, data):
        tokens = sentence_tokens(data["sentence"], minimum=3)
        word, causal = data["word"], data.get("causal", False)
        if word not in tokens:
            raise LexiconError(f"'word' ({word}) is not a token of the sentence",
                               fix="name one of: " + ", ".join(dict.fromkeys(tokens)))
        if tokens.count(word) > 1:
            raise LexiconError(f"'word' ({word}) occurs {tokens.count(word)} times in the sentence",
                               fix="ask about a word that occurs once")
        i = tokens.index(word)
        visible = [t for j, t in enumerate(tokens) if j != i and (not causal or j < i)]
        choices = data.get("choices") or list(dict.fromkeys(visible))
        for c in choices:
            if c not in visible:
                raise LexiconError(f"choice '{c}' is not one of the other words that '{word}' can attend to",
                                   fix="choose from: " + ", ".join(dict.fromkeys(visible)))
        if len(choices) < 2:
            raise LexiconError(f"'{word}' can attend to fewer than 2 other words",
                               fix="use a longer sentence, or a later word when causal: true")
        if "answer" in data and data["answer"] not in choices:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the choices",
                               fix="name one of: " + ", ".join(choices))
        return {"sentence": data["sentence"], "tokens": tokens, "word": word, "choices": choices,
                "causal": causal, "answer": data.get("answer"),
                "prompt": data.get("prompt", f"In this sentence, which other word does “{word}” attend to most?"),
                "explanation": data.get("explanation")}

    def words(self, spec):
        return spec["tokens"]

    def anchor_hint(self, spec):
        return "exercise " + spec["word"]

    def compute(self, kv, spec):
        return self_attention(kv, spec["tokens"], causal=spec["causal"])

    @staticmethod
    def choice_weights(spec, result) -> dict:
        """Each choice's weight in the word's row (a word that occurs twice: its larger weight)."""
        i, w = spec["tokens"].index(spec["word"]), result["weights"]
        return {c: max(w[i][j] for j, t in enumerate(spec["tokens"]) if t == c and j != i)
                for c in spec["choices"]}

    @classmethod
    def model_answer(cls, spec, result) -> str:
        weights = cls.choice_weights(spec, result)
        return max(spec["choices"], key=lambda c: (weights[c], -spec["choices"].index(c)))

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        weights = self.choice_weights(spec, result)
        got = self.model_answer(spec, result)
        shown = ", ".join(f"{c} ({weights[c]:.4f})" for c in sorted(spec["choices"], key=lambda c: -weights[c]))
        return [Claim(statement=f"of {', '.join(spec['choices'])}, '{spec['word']}' attends most to "
                                f"'{spec['answer']}'",
                      ok=got == spec["answer"], actual=f"the weights: {shown}")]

    def render(self, spec, result, ctx):
        weights = self.choice_weights(spec, result)
        answer = self.model_answer(spec, result)
        ranked = sorted(spec["choices"], key=lambda c: (-weights[c], spec["choices"].index(c)))
        why = {c: f"“{spec['word']}” gives “{c}” a weight of {weights[c]:.4f}"
                  f"{' (the most of these words)' if c == answer else f', #{ranked.index(c) + 1} of these words'}."
               for c in spec["choices"]}
        i = spec["tokens"].index(spec["word"])
        labels = token_labels(spec["tokens"])
        reveal = (f'<p>Of these words, “{esc(spec["word"])}” gives the most weight to '
                  f'<strong>{esc(answer)}</strong>. It keeps {result["weights"][i][i]:.4f} for itself.</p>'
                  f'<p class="ll-caption">{esc(NO_WEIGHTS_NOTE)}</p>'
                  + row_html(spec["sentence"], result, i, spec["causal"], ctx.anchor + "-answer",
                             caption=f"The attention weights of “{labels[i]}” over “{spec['sentence']}”.")
                  + claims_html(ctx.claims))
        prompt = spec["prompt"] + f"  \n“{spec['sentence']}”"
        return choice_exercise("attention", ctx.anchor, prompt, spec["choices"], answer, why, reveal,
                               spec["explanation"], ctx.model_id)
