"""An exercise: a sentence encoded in a batch padded to N positions; which of four ways of pooling its last-layer
vectors lands nearest the model's own sentence embedding, when one of them averages the [PAD] positions too?"""

from __future__ import annotations

import numpy as np

from ... import minilm
from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...minilm.forward import forward
from ...minilm.wordpiece import PAD_ID, tokenize_batch
from ...render import esc, fmt
from ._minilm import NOTE

POOLS = ("padded", "content", "cls", "max")
LABELS = {"padded": "Mean of every position, [PAD] included", "content": "Mean without [CLS] and [SEP]",
          "cls": "[CLS] vector", "max": "Max pooling (real tokens)"}
PHRASE = {"padded": "the mean of every position, [PAD] included", "content": "the mean without [CLS] and [SEP]",
          "cls": "the [CLS] vector", "max": "max pooling"}


def padded_run(sentence: str, length: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The sentence's tokens, its last-layer vectors at all ``length`` positions ([PAD] ones included, float64)
    from one forward pass of the padded batch with its attention mask, and the model's own embedding."""
    model = minilm.load()
    batch = tokenize_batch(model.tokenizer, [sentence])
    n = int(batch.mask.sum())
    if n < 3:
        raise LexiconError(f"the sentence \u201c{sentence}\u201d has no token between [CLS] and [SEP]",
                           fix="write a sentence with at least one word")
    if length <= n:
        raise LexiconError(f"'padded_to' ({length}) leaves no [PAD]: the sentence is {n} tokens with [CLS] and [SEP]",
                           fix=f"pad to more than {n} positions")
    ids = np.full((1, length), PAD_ID, dtype=np.int64)
    ids[0, :n] = batch.ids[0, :n]
    mask = (np.arange(length) < n).astype(np.int64)[None]
    out = forward(model.weights, model.config, ids, mask)
    return batch.tokens[0], out.hidden_states[-1][0].astype(np.float64), out.embeddings[0].astype(np.float64)


class PoolingExercise(ExerciseKind):
    """An exercise on the attention mask in mean pooling: a sentence in a batch padded to `padded_to`
    positions has a last-layer vector at every position, [PAD] included. Which of four poolings lands
    nearest the model's own sentence embedding (the mean over the positions the mask keeps)?

    The four: the mean of every position, [PAD] included; the mean without [CLS] and [SEP]; the [CLS]
    vector; max pooling over the real tokens (all-MiniLM-L6-v2's last layer).

    Each pooling is normalised and scored by its Euclidean distance from the model's embedding (both unit
    vectors); the answer is the nearest, and two poolings tied at the shown precision fail the build.
    `answer` names one: padded, content, cls or max. Needs no GloVe vectors.
    """

    example = "sentence: She bought a new car.\npadded_to: 12\nanswer: content"
    default_prompt = ("“{sentence}” is encoded in a batch with a longer text, so it is padded to {padded_to} "
                      "positions, and all-MiniLM-L6-v2's last layer gives a vector at every one, [PAD] included. "
                      "Which of these poolings, normalised, lands nearest the model's own sentence embedding (by "
                      "Euclidean distance between the unit vectors)?")
    needs_model = False
    note = NOTE
    graded_by = "lowest"
    options = opt.Options(
        ExerciseKind.options,
        sentence=opt.text("The sentence whose token vectors are pooled.", required=True),
        padded_to=opt.integer("How many positions the batch pads the sentence to (more than its tokens).",
                              min=4, max=128, required=True, display=True),
        answer=opt.choice("The pooling you claim lands nearest the model's embedding (a [claim](#claims)).",
                          list(POOLS), display=True),
    )

    def anchor_hint(self, spec):
        return "exercise pooling " + spec.sentence[:30]

    def prompt(self, spec):
        return (spec.prompt or self.default_prompt).format(sentence=spec.sentence, padded_to=spec.padded_to)

    def compute(self, kv, spec):
        tokens, h, own = padded_run(spec.sentence, spec.padded_to)
        n = len(tokens)
        pooled = {"padded": h.mean(0), "content": h[1:n - 1].mean(0), "cls": h[0], "max": h[:n].max(0)}
        distance = {p: round(float(np.linalg.norm(v / np.linalg.norm(v) - own)), 6) for p, v in pooled.items()}
        masked = h[:n].mean(0)
        answer = min(POOLS, key=lambda p: (distance[p], POOLS.index(p)))
        return {"distance": distance, "tokens": tokens, "answer": answer,
                "masked": float(np.linalg.norm(masked / np.linalg.norm(masked) - own))}

    def graded(self, spec, result):
        return {LABELS[p]: round(result["distance"][p], 4) for p in POOLS}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        d, a = result["distance"], result["answer"]
        check(f"padded to {spec.padded_to}, {PHRASE[spec.answer]} is the pooling nearest the model's sentence "
              "embedding", a == spec.answer,
              f"{PHRASE[a]} is the nearest ({d[a]:.4f} away); {PHRASE[spec.answer]} is {d[spec.answer]:.4f} away",
              decided_by=[-d[p] for p in POOLS])

    @value("The pooling nearest the model's embedding (padded, content, cls or max), in words.")
    def best(self, spec, result):
        return Value(PHRASE[result["answer"]])

    @value("The distance between `pooling`'s vector (padded, content, cls or max) and the model's embedding.")
    def distance(self, spec, result, pooling):
        if str(pooling).strip() not in POOLS:
            raise LexiconError(f"'{pooling}' names no pooling", fix="name padded, content, cls or max")
        v = result["distance"][str(pooling).strip()]
        return Value(fmt(v), v)

    def render(self, spec, result, ctx):
        d, a = result["distance"], result["answer"]
        ranked = sorted(POOLS, key=lambda p: d[p])
        why = {LABELS[p]: f"Its vector is {d[p]:.4f} from the model's embedding (both of length one), "
                          f"#{ranked.index(p) + 1} of the four." for p in POOLS}
        n, pads = len(result["tokens"]), spec.padded_to - len(result["tokens"])
        reveal = [
            Html(f"<p>The nearest is <strong>{esc(PHRASE[a])}</strong>, {fmt(d[a])} away; the mean of every "
                 f"position is {fmt(d['padded'])} away. The sentence is {n} tokens, <code>"
                 f"{esc(' '.join(result['tokens']))}</code>, and the batch adds {pads} [PAD]. The attention mask "
                 "keeps the real tokens from attending to them, but the model still computes a vector at every "
                 "[PAD] position, and a plain mean averages those in with the words. all-MiniLM-L6-v2's pooling "
                 "uses the mask as the weights of its mean, so its embedding does not depend on the padding: "
                 f"the masked mean of this padded run is {fmt(result['masked'])} from the model's embedding.</p>"),
            Table(["Pooling", "Euclidean distance from the model's embedding (unit vectors)"],
                  [[LABELS[p], fmt(d[p])] for p in POOLS], numeric=(1,)),
        ]
        return Choices([LABELS[p] for p in POOLS], LABELS[a], why, reveal)
