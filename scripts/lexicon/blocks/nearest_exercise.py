"""``nearest-exercise``: which of these words is the nearest neighbour of a word?

The model's answer is the option with the highest cosine similarity to the word (gensim's
``similarity``); the reveal also gives each option's rank among all the model's words
(gensim's ``rank``), so the reader sees how the choices sit in the whole vocabulary.
"""

from __future__ import annotations

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .base import Block, obj, register, str_list
from .exercise import choice_exercise

DIGITS = 4


@register
class NearestExercise(Block):
    kind = "nearest-exercise"
    summary = ("An exercise: pick the option nearest to a word. The answer is the option with the highest "
               "cosine similarity, with each option's rank among all the model's words.")
    schema = obj({
        "word": {"type": "string", "minLength": 1},
        "options": {**str_list(2, 6), "uniqueItems": True},
        "prompt": {"type": "string", "minLength": 1},
        "answer": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["word", "options"])
    example = "word: coffee\noptions: [tea, milk, sugar, cup]\nanswer: tea"

    def parse(self, data):
        if data["word"] in data["options"]:
            raise LexiconError(f"'{data['word']}' is both the word and one of the options",
                               fix="remove it from 'options' (a word is always nearest to itself)")
        if "answer" in data and data["answer"] not in data["options"]:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the options",
                               fix=f"name one of: {', '.join(data['options'])}")
        return {"word": data["word"], "options": data["options"], "answer": data.get("answer"),
                "prompt": data.get("prompt", f"Which of these words is the nearest neighbour of "
                                             f"*{data['word']}* in the model?"),
                "explanation": data.get("explanation")}

    def words(self, spec):
        return [spec["word"]] + spec["options"]

    def anchor_hint(self, spec):
        return f"exercise nearest {spec['word']}"

    def compute(self, kv, spec):
        w = spec["word"]
        scores = [round(float(kv.similarity(w, o)), DIGITS) for o in spec["options"]]
        ranks = [int(kv.rank(w, o)) for o in spec["options"]]
        # Ties (equal cosines to 4 digits are possible) go to the word with the better full-precision rank.
        answer = min(spec["options"], key=lambda o: ranks[spec["options"].index(o)])
        return {"scores": scores, "ranks": ranks, "answer": answer, "vocabulary": len(kv)}

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        shown = ", ".join(f"{o} ({s:.4f}, #{r})" for o, s, r in sorted(
            zip(spec["options"], result["scores"], result["ranks"]), key=lambda t: t[2]))
        return [Claim(statement=f"the nearest of {', '.join(spec['options'])} to '{spec['word']}' is '{spec['answer']}'",
                      ok=result["answer"] == spec["answer"], actual=f"it is '{result['answer']}': {shown}")]

    def render(self, spec, result, ctx):
        word, options = spec["word"], spec["options"]
        scores, ranks = result["scores"], result["ranks"]
        order = sorted(range(len(options)), key=lambda i: ranks[i])
        vocab = f"{result['vocabulary']:,}"
        why = {o: f"{o}: cosine {s:.4f} to {word}, #{r:,} of the model's {vocab} words." for o, s, r in
               zip(options, scores, ranks)}
        tbl = table(["Option", f"Cosine to {word}", f"Rank among all {vocab} words"],
                    [[options[i], fmt(scores[i]), f"#{ranks[i]:,}"] for i in order], numeric_cols=(1, 2))
        fig = figures.bar_scores([options[i] for i in order], [scores[i] for i in order],
                                 title=f"Cosine similarity to “{word}”", highlight=result["answer"])
        best = order[0]
        reveal = (f"<p><strong>{esc(result['answer'])}</strong> is the nearest of the options: cosine "
                  f"{fmt(scores[best])}, the #{ranks[best]:,} nearest of all {vocab} words to "
                  f"<em>{esc(word)}</em>.</p>"
                  + figure(fig, alt=(f"Bar chart of each option's cosine similarity to {word}, highest first: "
                                     + ", ".join(f"{options[i]} {scores[i]:.2f} (rank {ranks[i]})" for i in order) + "."),
                           caption=f"Each option's cosine similarity to “{word}” and its rank among all the model's words.",
                           data_table=tbl, height=80 + 34 * len(options), anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        return choice_exercise("nearest", ctx.anchor, spec["prompt"], options, result["answer"], why, reveal,
                               spec["explanation"], ctx.model_id)
