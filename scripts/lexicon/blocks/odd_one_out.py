"""``odd-one-out``: which word does not belong? The model's pick has the lowest mean similarity."""

from __future__ import annotations

from .. import compute, figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .base import Block, obj, register, str_list
from .exercise import exercise_html


@register
class OddOneOut(Block):
    kind = "odd-one-out"
    summary = ("An exercise: pick the word that does not belong. The model's answer is the word with the "
               "lowest mean cosine similarity to the others, with the numbers shown.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "words": {**str_list(3, 8), "uniqueItems": True},
        "answer": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["words"])
    example = "words: [apple, banana, cherry, hammer]\nanswer: hammer"

    def parse(self, data):
        if "answer" in data and data["answer"] not in data["words"]:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the words",
                               fix="name one of the words listed under 'words'")
        return {"prompt": data.get("prompt", "Which word does not belong with the others?"),
                "words": data["words"], "answer": data.get("answer"),
                "explanation": data.get("explanation")}

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return " ".join(spec["words"][:3])

    def compute(self, kv, spec):
        return compute.odd_one_out(kv, spec["words"])

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        means = ", ".join(f"{w} ({m:.4f})" for w, m in sorted(zip(spec["words"], result["means"]),
                                                             key=lambda t: t[1]))
        return [Claim(statement=f"the odd one out of {', '.join(spec['words'])} is '{spec['answer']}'",
                      ok=result["answer"] == spec["answer"],
                      actual=f"the model picks '{result['answer']}'; mean similarity to the others: {means}")]

    def render(self, spec, result, ctx):
        words, means = spec["words"], result["means"]
        order = sorted(range(len(words)), key=lambda i: means[i])
        name = f"{ctx.anchor}-choice"
        choices = "".join(f'<label class="ll-exercise__choice"><input type="radio" name="{esc(name)}" '
                          f'value="{esc(w)}"> {esc(w)}</label>' for w in words)
        controls = (f'<fieldset class="ll-exercise__choices"><legend>Your answer</legend>{choices}'
                    f'</fieldset>')
        rows = [[words[i], fmt(means[i])] for i in order]
        tbl = table(["Word", "Mean cosine to the others"], rows, numeric_cols=(1,))
        alt = ("Bar chart of each word's mean cosine similarity to the other words, lowest first: " +
               ", ".join(f"{words[i]} {means[i]:.2f}" for i in order) + ".")
        fig = figures.bar_scores([words[i] for i in order], [means[i] for i in order],
                                 title="Mean similarity to the other words", highlight=result["answer"])
        reveal = (f'<p>The model picks <strong>{esc(result["answer"])}</strong>: its mean cosine similarity '
                  f'to the other words is the lowest.</p>'
                  + figure(fig, alt=alt, caption="Each word's mean cosine similarity to the others.",
                           height=80 + 34 * len(words), anchor=ctx.anchor + "-answer", data_table=tbl)
                  + claims_html(ctx.claims))
        answer = {"kind": "odd-one-out", "answer": result["answer"], "means": dict(zip(words, means))}
        return exercise_html("odd-one-out", ctx.anchor, spec["prompt"], controls, answer, reveal,
                             spec["explanation"], ctx.model_id)
