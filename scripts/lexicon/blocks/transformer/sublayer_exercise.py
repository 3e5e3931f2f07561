"""The ``sublayer-exercise`` kind: in which layer does a real transformer's attention or feed-forward sub-layer
add the most to the token vectors, for their length, or does the LayerNorm that ends it leave the tokens more
unequal in scale than it found them?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import fmt
from ._minilm import NOTE
from ._sublayers import MAX_TOKENS, layer_measures, run

WHAT = {"attention": ("attention ratio", "|Attn(x)| / |x|", "attention"),
        "feed-forward": ("ffn ratio", "|FFN(a)| / |a|", "the feed-forward network"),
        "layer-norm": ("growth", "spread after / spread before", "the LayerNorm that ends the layer")}
# The reveal's table: the columns the question is about.
COLUMNS = {"attention": [("attention ratio", "Attention ratio: median of each token's |Attn(x)| / |x|")],
           "feed-forward": [("ffn ratio", "FFN ratio: median of each token's |FFN(a)| / |a|")],
           "layer-norm": [("spread", "Spread before (input)"), ("spread after", "Spread after (output)")]}
PROMPTS = {"layer-norm": ("At which layer is the output's spread *larger* than its input's, for the LayerNorm that "
                          "ends the layer? (The spread: the largest token's standard deviation over the "
                          "smallest's.)")}
DEFAULT = ("In which layer does {what} add the vector that is longest relative to the vector it reads (the median "
           "over the tokens of each token's {formula})?")


def label(k: int) -> str:
    return f"Layer {k}"


def scores(spec, result) -> dict:
    """Each choice's ratio for the sub-layer asked about, rounded as the reveal's table shows it."""
    key = WHAT[spec.sublayer][0]
    return {label(k): round(growth(result["layers"][k - 1]) if key == "growth" else result["layers"][k - 1][key], 3)
            for k in spec.choices}


def growth(layer: dict) -> float:
    return layer["spread after"] / layer["spread"]


def model_answer(spec, result) -> str:
    s = scores(spec, result)
    return max(s, key=lambda c: (s[c], -list(s).index(c)))


class SublayerExercise(ExerciseKind):
    """An exercise: in which layer of a real transformer (all-MiniLM-L6-v2) does one sub-layer, attention or
    the feed-forward network, add the most to the token vectors, for the length of the vectors it reads?

    The `choices` are layers (1–6). Each layer's score is the sub-layer's **ratio**, the median over the
    sentence's tokens: for `attention`, |Attn(x)| / |x|, the length of what attention adds to the vector x
    the layer reads over the length of x; for `feed-forward`, |FFN(a)| / |a|, the same for the
    feed-forward network and its input a (the LayerNorm of x + Attn(x)). With `layer-norm` the question is
    another (the default prompt says so): at which layer is the **spread** (the largest token's standard
    deviation over the smallest's) larger after the layer's last LayerNorm than before it? The score is the
    spread after over the spread before, and the claim also checks that the answer is the only layer offered
    where it is above 1. The answer is the layer with the largest score, at the three decimals of the
    graded scores (two choices tied there fail the build). The reveal shows, for every layer offered, only
    the columns the question is about. Needs no GloVe vectors.
    """

    example = ("sentence: The bank raised its interest rates because inflation stayed high.\n"
               "sublayer: attention\nchoices: [1, 2, 6]\nanswer: 6")
    default_prompt = DEFAULT
    needs_model = False
    note = NOTE
    options = opt.Options(
        ExerciseKind.options,
        sentence=opt.text(f"The sentence, shown under the prompt (up to {MAX_TOKENS} WordPiece tokens).",
                          required=True),
        # Both sub-layers of every layer are computed: which one is asked and which layers are offered only
        # change what is shown and graded.
        sublayer=opt.choice("The sub-layer asked about: what attention or the feed-forward network adds, or how "
                            "unequal in scale the tokens are that the layer's last LayerNorm receives.",
                            list(WHAT), required=True, display=True),
        choices=opt.raw("The layers offered (1–6), each once.",
                        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 6},
                         "minItems": 2, "maxItems": 6, "uniqueItems": True},
                        "list of 2–6 different layers (1–6)", required=True, display=True, convert=list),
        answer=opt.integer("The layer you claim has the largest score (a [claim](#claims)).", min=1, max=6,
                           display=True),
    )

    def prepare(self, spec):
        spec.what = WHAT[spec.sublayer][2]
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))

    def anchor_hint(self, spec):
        return f"exercise {spec.sublayer} " + spec.sentence[:24]

    def prompt(self, spec):
        asked = (spec.prompt or PROMPTS.get(spec.sublayer)
                 or self.default_prompt.format(what=spec.what, formula=WHAT[spec.sublayer][1]))
        return asked + f"  \n“{spec.sentence}”"

    def compute(self, kv, spec):
        tokens, hidden, layers = run(spec.sentence)
        keys = ("attention ratio", "ffn ratio", "spread", "spread after")
        return {"tokens": tokens, "layers": [{k: r[k] for k in keys} for r in layer_measures(hidden, layers)]}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        s = scores(spec, result)
        shown = ", ".join(f"{c.lower()} {v:.3f}" for c, v in sorted(s.items(), key=lambda t: -t[1]))
        check(f"of layers {', '.join(map(str, spec.choices))}, {self._asked(spec)} in layer {spec.answer}",
              model_answer(spec, result) == label(spec.answer), f"the scores: {shown}", decided_by=list(s.values()))
        if spec.sublayer == "layer-norm":
            above = [c for c, v in s.items() if v > 1]
            check(f"layer {spec.answer} is the only layer offered where the spread after the LayerNorm is larger than "
                  "before it", above == [label(spec.answer)],
                  "larger after in: " + (", ".join(c.lower() for c in above) or "none"), decided_by=list(s.values()))

    @staticmethod
    def _asked(spec) -> str:
        if spec.sublayer == "layer-norm":
            return "the output's spread is larger than its input's only"
        return f"{spec.what} adds the most for its input's length ({WHAT[spec.sublayer][1]})"

    def graded(self, spec, result):
        return scores(spec, result)

    @value("The layer with the largest score for the sub-layer asked about.")
    def answer(self, spec, result):
        a = model_answer(spec, result)
        return Value(a.split()[1], int(a.split()[1]))

    @value("A layer's score for the sub-layer asked about (`3` for layer 3), as the reveal's table shows it.")
    def score(self, spec, result, k):
        s = scores(spec, result)
        if label(int(k) if str(k).isdigit() else 0) not in s:
            raise LexiconError(f"'{k}' is not one of the layers offered",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))
        v = s[label(int(k))]
        return Value(fmt(v, 3), v)

    def render(self, spec, result, ctx):
        s, answer = scores(spec, result), model_answer(spec, result)
        ranked = sorted(s, key=lambda c: (-s[c], list(s).index(c)))
        formula = WHAT[spec.sublayer][1]
        said = ("the spread after the LayerNorm is {v:.3f} times the spread before" if spec.sublayer == "layer-norm"
                else spec.what + " adds {v:.3f} of its input's length (median " + formula + ")")
        why = {c: f"In {c.lower()}, {said.format(v=s[c])}"
                  f"{', the most of these layers' if c == answer else f', #{ranked.index(c) + 1} of these layers'}."
               for c in s}
        cols = COLUMNS[spec.sublayer]
        digits = 2 if spec.sublayer == "layer-norm" else 3
        rows = [[k, *(fmt(result["layers"][k - 1][key], digits) + ("×" if digits == 2 else "") for key, _ in cols)]
                for k in sorted(spec.choices)]
        return Choices([label(k) for k in spec.choices], answer, why, [
            Html(f"<p>Of these layers, {self._asked(spec)} in <strong>{answer.lower()}</strong>. The "
                 f"sentence's {len(result['tokens'])} tokens, layer by layer:</p>"),
            Table(["Layer", *(h for _, h in cols)], rows, numeric=tuple(range(1, len(cols) + 1))),
        ])
