"""An exercise: which of four poolings of the transformer's token vectors is the model's own sentence embedding?"""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...render import esc, fmt
from ._minilm import NOTE
from ._pooling import LABELS, PHRASE, POOLS, pool, pool_name


class PoolingExercise(ExerciseKind):
    """An exercise: one sentence's last-layer token vectors in a real transformer (all-MiniLM-L6-v2) are pooled
    four ways (the mean of all tokens, the mean without [CLS] and [SEP], the [CLS] vector, max pooling); which
    of the four is the model's own sentence embedding, what sentence-transformers returns?

    The model's answer is the pooling whose vector (normalised) is nearest the model's embedding, by Euclidean
    distance; two poolings tied at the shown precision fail the build. `answer` names one: mean, content, cls
    or max. Needs no GloVe vectors.
    """

    example = "sentence: A man is playing a guitar.\nanswer: mean"
    default_prompt = ("all-MiniLM-L6-v2 gives one vector per token of “{sentence}”, [CLS] and [SEP] included. "
                      "Which of these four ways of pooling them gives the model's own sentence embedding, "
                      "what sentence-transformers returns?")
    needs_model = False
    note = NOTE
    graded_by = "lowest"
    options = opt.Options(
        ExerciseKind.options,
        sentence=opt.text("The sentence whose token vectors are pooled.", required=True),
        answer=opt.choice("The pooling you claim is the model's embedding (a [claim](#claims)).", list(POOLS),
                          display=True),
    )

    def anchor_hint(self, spec):
        return "exercise pooling " + spec.sentence[:30]

    def compute(self, kv, spec):
        done = pool([spec.sentence])
        own = done["embeddings"][0]
        distance = {p: round(float(np.linalg.norm(done["vectors"][p][0] - own)), 6) for p in POOLS}
        answer = min(POOLS, key=lambda p: (distance[p], POOLS.index(p)))
        return {"distance": distance, "tokens": done["tokens"][0], "answer": answer}

    def graded(self, spec, result):
        return {LABELS[p]: result["distance"][p] for p in POOLS}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        d, a = result["distance"], result["answer"]
        check(f"{PHRASE[spec.answer]} is the pooling nearest the model's sentence embedding", a == spec.answer,
              f"{PHRASE[a]} is the nearest ({d[a]:.4f} away); {PHRASE[spec.answer]} is {d[spec.answer]:.4f} away",
              decided_by=[-d[p] for p in POOLS])

    @value("The pooling nearest the model's embedding (mean, content, cls or max), in words.")
    def best(self, spec, result):
        return Value(PHRASE[result["answer"]])

    @value("The distance between `pooling`'s vector (mean, content, cls or max) and the model's embedding.")
    def distance(self, spec, result, pooling):
        v = result["distance"][pool_name(pooling)]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        d, a = result["distance"], result["answer"]
        why = {LABELS[p]: f"Its vector is {d[p]:.4f} from the model's embedding (both of length one)." for p in POOLS}
        tokens = " ".join(result["tokens"])
        reveal = [
            Html(f"<p>The nearest is <strong>{esc(PHRASE[a])}</strong> ({fmt(d[a])} away: float rounding). "
                 "all-MiniLM-L6-v2's pooling averages every token its attention mask keeps, here "
                 f"<code>{esc(tokens)}</code>, [CLS] and [SEP] included; leaving them out moves the vector "
                 f"{fmt(d['content'])}. The [CLS] vector and max pooling are other vectors altogether.</p>"),
            Table(["Pooling", "Distance from the model's embedding"], [[LABELS[p], fmt(d[p])] for p in POOLS],
                  numeric=(1,)),
        ]
        return Choices([LABELS[p] for p in POOLS], LABELS[a], why, reveal)
