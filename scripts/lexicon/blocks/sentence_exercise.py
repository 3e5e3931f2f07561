"""``sentence-exercise``: which sentence is closest to this one? (sentence vectors = mean word vectors)."""

from __future__ import annotations

import numpy as np

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import claims_html, esc, figure, fmt, table
from .base import obj, register
from .exercise import choice_exercise
from .sentence_similarity import METHOD_NOTE, UsesSentenceVectors, cosines, mean_vectors, sentence_words


@register
class SentenceExercise(UsesSentenceVectors):
    kind = "sentence-exercise"
    summary = ("An exercise: which sentence is closest to a given one? Sentence vectors are the mean of their "
               "word vectors; the answer and every score are computed.")
    schema = obj({
        "sentence": {"type": "string", "minLength": 1},
        "choices": {"type": "object", "minProperties": 2, "maxProperties": 6,
                    "propertyNames": {"pattern": "^[A-Z]$"},
                    "additionalProperties": {"type": "string", "minLength": 1}},
        "answer": {"type": "string", "pattern": "^[A-Z]$"},
        "drop_stopwords": {"type": "boolean"},
        "prompt": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["sentence", "choices"])
    example = ("sentence: The children played football in the park\n"
               "choices:\n  A: Kids were kicking a ball on the grass\n  B: The park was closed\nanswer: A")

    def parse(self, data):
        letters = list(data["choices"])
        texts = [data["choices"][k] for k in letters]
        if len(set(texts)) != len(texts) or data["sentence"] in texts:
            raise LexiconError("the choices must differ from each other and from 'sentence'",
                               fix="write each sentence once")
        if "answer" in data and data["answer"] not in letters:
            raise LexiconError(f"'answer' ({data['answer']}) is not one of the choices",
                               fix="name one of: " + ", ".join(letters))
        drop = data.get("drop_stopwords", False)
        return {"sentence": data["sentence"], "letters": letters, "choices": texts, "drop_stopwords": drop,
                "tokens": [sentence_words(s, drop) for s in [data["sentence"]] + texts],
                "answer": data.get("answer"),
                "prompt": data.get("prompt", "Which sentence is closest to this one, as the averaged word "
                                             "vectors see it?"),
                "explanation": data.get("explanation")}

    def words(self, spec):
        return [t for toks in spec["tokens"] for t in toks]

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec["tokens"][0][:3])

    def compute(self, kv, spec):
        m = mean_vectors(kv, spec["tokens"])
        scores = cosines(m[1:], m[0])
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        return {"scores": np.round(scores, 4).tolist(), "answer": best}

    def claims(self, spec, result):
        if not spec["answer"]:
            return []
        got = spec["letters"][result["answer"]]
        shown = ", ".join(f"{spec['letters'][k]} ({s:.4f})" for k, s in
                          sorted(enumerate(result["scores"]), key=lambda t: -t[1]))
        return [Claim(statement=f"the choice closest to “{spec['sentence']}” is {spec['answer']}",
                      ok=got == spec["answer"], actual=f"the model's scores: {shown}")]

    def render(self, spec, result, ctx):
        letters, texts, scores = spec["letters"], spec["choices"], result["scores"]
        options = [f"{k}. {t}" for k, t in zip(letters, texts)]
        answer = texts[result["answer"]]
        order = sorted(range(len(texts)), key=lambda k: (-scores[k], k))
        why = {o: f"{letters[k]} has cosine {scores[k]:.4f} with the given sentence"
                  f"{' (the highest)' if k == result['answer'] else f', #{order.index(k) + 1} of {len(texts)}'}."
               for k, o in enumerate(options)}
        tbl = table(["Choice", "Tokens averaged", "Cosine"],
                    [[f"{letters[k]}. {texts[k]}", " ".join(spec["tokens"][k + 1]), fmt(scores[k])] for k in order],
                    numeric_cols=(2,))
        alt = ("Bar chart of each choice's cosine similarity to the given sentence, highest first: " +
               ", ".join(f"{letters[k]} {scores[k]:.2f}" for k in order) + ".")
        lo = min(scores)
        fig = figures.bar_scores([letters[k] for k in order], [scores[k] for k in order],
                                 title="Cosine with the given sentence", highlight=letters[result["answer"]])
        fig.update_layout(xaxis=dict(range=[min(0, lo), 1]))
        stop = "; stop words removed" if spec["drop_stopwords"] else ""
        reveal = (f'<p>The closest is <strong>{esc(letters[result["answer"]])}. {esc(answer)}</strong> '
                  f'(cosine {esc(fmt(scores[result["answer"]]))}).</p>'
                  f'<p class="ll-caption">Given sentence: “{esc(spec["sentence"])}” → '
                  f'{esc(" ".join(spec["tokens"][0]))}. {METHOD_NOTE.format(stop)}</p>'
                  + figure(fig, alt=alt, caption="Each choice's cosine similarity to the given sentence.",
                           data_table=tbl, height=80 + 34 * len(texts), anchor=ctx.anchor + "-answer")
                  + claims_html(ctx.claims))
        prompt = spec["prompt"] + f"  \n“{spec['sentence']}”"
        return choice_exercise("sentence", ctx.anchor, prompt, options, options[result["answer"]], why, reveal,
                               spec["explanation"], ctx.model_id)
