"""The ``sublayer-exercise`` kind: in which layer does a real transformer's attention or feed-forward sub-layer
add the most (or the least) to the token vectors, for their length, or does the LayerNorm that ends it leave the
tokens more (or least) unequal in scale; or, in one layer, which sub-layer adds the longer vector and which the
more for its input's length?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...geometry import check_graded
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
PROMPTS = {("layer-norm", "most"): ("At which layer is the output's spread *larger* than its input's, for the "
                                    "LayerNorm that ends the layer? (The spread: the largest token's standard "
                                    "deviation over the smallest's.)"),
           ("layer-norm", "least"): ("At which layer does the LayerNorm that ends the layer even the tokens out the "
                                     "most: the smallest spread after it over the spread before it? (The spread: the "
                                     "largest token's standard deviation over the smallest's.)")}
DEFAULT = ("In which layer does {what} add the vector that is {end} relative to the vector it reads (the median "
           "over the tokens of each token's {formula})?")
ASKS = ("most", "least", "compare")
SUBLAYERS = {"attention": "attention", "feed-forward": "the feed-forward network"}
# ask: compare: each choice is (which sub-layer adds the longer vector, which adds the more for its input's length)
PAIRS = [(a, b) for a in SUBLAYERS for b in SUBLAYERS]
COMPARE = ("In layer {k}, for the median token: which sub-layer adds the longer vector, attention (Attn(x)) or the "
           "feed-forward network (FFN(a))? And which adds the more relative to the vector it reads "
           "(|Attn(x)| / |x| against |FFN(a)| / |a|)?")


def label(k: int) -> str:
    return f"Layer {k}"


def pair_label(longer: str, relative: str) -> str:
    return f"Longer: {SUBLAYERS[longer]}; more for its input: {SUBLAYERS[relative]}"


def compared(spec, result) -> dict:
    """ask: compare: the layer's two lengths (2 decimals) and two ratios (3 decimals), as the reveal shows them;
    each comparison's winner; a tie in either is refused (the answer would be decided by rounding)."""


    r = result["layers"][spec.layer - 1]
    length = {s: round(r[f"{'ffn' if s == 'feed-forward' else s} length"], 2) for s in SUBLAYERS}
    ratio = {s: round(r[f"{'ffn' if s == 'feed-forward' else s} ratio"], 3) for s in SUBLAYERS}
    for d in (length, ratio):
        check_graded({SUBLAYERS[s]: v for s, v in d.items()})
    return {"length": length, "ratio": ratio, "longer": max(length, key=length.get),
            "relative": max(ratio, key=ratio.get)}


def scores(spec, result) -> dict:
    """Each choice's score, as the reveal's table shows it: the ratio for the sub-layer asked about, or, with
    ask: compare, how many of the two comparisons the choice gets right (0, 1 or 2)."""
    if spec.ask == "compare":
        c = compared(spec, result)
        return {pair_label(a, b): (a == c["longer"]) + (b == c["relative"]) for a, b in PAIRS}
    key = WHAT[spec.sublayer][0]
    return {label(k): round(growth(result["layers"][k - 1]) if key == "growth" else result["layers"][k - 1][key], 3)
            for k in spec.choices}


def growth(layer: dict) -> float:
    return layer["spread after"] / layer["spread"]


def model_answer(spec, result) -> str:
    s, sign = scores(spec, result), (-1 if spec.ask == "least" else 1)
    return max(s, key=lambda c: (sign * s[c], -list(s).index(c)))


class SublayerExercise(ExerciseKind):
    """An exercise on what the sub-layers of a real transformer (all-MiniLM-L6-v2) add to the token vectors.

    With `ask: most` (the default) or `ask: least`, the `choices` are layers (1–6) and the question is in
    which of them one sub-layer, attention or the feed-forward network, adds the most (or the least) for the
    length of the vectors it reads. Each layer's score is the sub-layer's **ratio**, the median over the
    sentence's tokens: for `attention`, |Attn(x)| / |x|, the length of what attention adds to the vector x
    the layer reads over the length of x; for `feed-forward`, |FFN(a)| / |a|, the same for the
    feed-forward network and its input a (the LayerNorm of x + Attn(x)). With `layer-norm` the score is the
    **spread** (the largest token's standard deviation over the smallest's) after the layer's last LayerNorm
    over the spread before it: `most` asks where the spread grows (the claim also checks that the answer is
    the only layer offered where it is above 1), `least` where the LayerNorm evens the tokens out the most.
    The answer is the layer with the largest (smallest) score, at the three decimals of the graded scores.

    With `ask: compare`, the question is about one `layer`: which sub-layer adds the longer vector (median
    |Attn(x)| against median |FFN(a)|), and which adds the more for its input's length (the two ratios)?
    The four choices are the four combinations; `longer` and `relative` name the ones you claim. The two
    can differ, because each ratio divides by a different vector. Two scores tied at the shown precision
    (two decimals for lengths, three for ratios) fail the build. The reveal shows only the columns the
    question is about. Needs no GloVe vectors.
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
        ask=opt.choice("The question: in which of the `choices` the score is largest (`most`) or smallest "
                       "(`least`), or, in one `layer`, which sub-layer adds the longer vector and which the more "
                       "for its input's length (`compare`).", list(ASKS), default="most", display=True),
        # Both sub-layers of every layer are computed: which one is asked and which layers are offered only
        # change what is shown and graded.
        sublayer=opt.choice("With `most` or `least`: the sub-layer asked about: what attention or the feed-forward "
                            "network adds, or how unequal in scale the tokens are that the layer's last LayerNorm "
                            "receives.", list(WHAT), display=True),
        choices=opt.raw("With `most` or `least`: the layers offered (1–6), each once.",
                        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 6},
                         "minItems": 2, "maxItems": 6, "uniqueItems": True},
                        "list of 2–6 different layers (1–6)", display=True, convert=list),
        answer=opt.integer("With `most` or `least`: the layer you claim has the largest (smallest) score (a "
                           "[claim](#claims)).", min=1, max=6, display=True),
        layer=opt.integer("With `compare`: the layer asked about.", min=1, max=6, display=True),
        longer=opt.choice("With `compare`: the sub-layer you claim adds the longer vector (a [claim](#claims)).",
                          list(SUBLAYERS), display=True),
        relative=opt.choice("With `compare`: the sub-layer you claim adds the more for its input's length (a "
                            "[claim](#claims)).", list(SUBLAYERS), display=True),
    )

    def prepare(self, spec):
        if spec.ask == "compare":
            wrong = [n for n in ("sublayer", "choices", "answer") if getattr(spec, n) is not None]
            if spec.layer is None or wrong:
                raise LexiconError("'ask: compare' takes a 'layer' (and 'longer', 'relative'), not "
                                   + (", ".join(f"'{n}'" for n in wrong) or "no layer"),
                                   fix="give 'layer: K' and leave out 'sublayer', 'choices' and 'answer'")
            spec.what = "the sub-layers"
            return
        wrong = [n for n in ("layer", "longer", "relative") if getattr(spec, n) is not None]
        if spec.sublayer is None or spec.choices is None or wrong:
            raise LexiconError(f"'ask: {spec.ask}' needs 'sublayer' and 'choices'"
                               + (" and takes no " + ", ".join(f"'{n}'" for n in wrong) if wrong else ""),
                               fix="give 'sublayer' and 'choices', or write 'ask: compare' with a 'layer'")
        spec.what = WHAT[spec.sublayer][2]
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))

    def anchor_hint(self, spec):
        return f"exercise {spec.sublayer or 'compare'} " + spec.sentence[:24]

    def prompt(self, spec):
        if spec.ask == "compare":
            asked = spec.prompt or COMPARE.format(k=spec.layer)
        else:
            asked = (spec.prompt or PROMPTS.get((spec.sublayer, spec.ask))
                     or self.default_prompt.format(what=spec.what, formula=WHAT[spec.sublayer][1],
                                                   end="longest" if spec.ask == "most" else "shortest"))
        return asked + f"  \n“{spec.sentence}”"

    def compute(self, kv, spec):
        tokens, hidden, layers = run(spec.sentence)
        keys = ("attention ratio", "ffn ratio", "attention length", "ffn length", "spread", "spread after")
        return {"tokens": tokens, "layers": [{k: r[k] for k in keys} for r in layer_measures(hidden, layers)]}

    def claims(self, spec, result, check):
        if spec.ask == "compare":
            c = compared(spec, result)
            for part, key, what in (("longer", "length", "adds the longer vector (median length)"),
                                    ("relative", "ratio", "adds the more for its input's length (median ratio)")):
                claimed = getattr(spec, part)
                if claimed is not None:
                    d = c[key]
                    check(f"in layer {spec.layer}, {SUBLAYERS[claimed]} {what}", c[part] == claimed,
                          f"attention {d['attention']}, the feed-forward network {d['feed-forward']}",
                          decided_by=[d[claimed], d[other(claimed)]] if c[part] == claimed else None)
            return
        if spec.answer is None:
            return
        s = scores(spec, result)
        sign = -1 if spec.ask == "least" else 1
        shown = ", ".join(f"{c.lower()} {v:.3f}" for c, v in sorted(s.items(), key=lambda t: -sign * t[1]))
        check(f"of layers {', '.join(map(str, spec.choices))}, {self._asked(spec)} in layer {spec.answer}",
              model_answer(spec, result) == label(spec.answer), f"the scores: {shown}",
              decided_by=[sign * v for v in s.values()])
        if spec.sublayer == "layer-norm" and spec.ask == "most":
            above = [c for c, v in s.items() if v > 1]
            check(f"layer {spec.answer} is the only layer offered where the spread after the LayerNorm is larger than "
                  "before it", above == [label(spec.answer)],
                  "larger after in: " + (", ".join(c.lower() for c in above) or "none"), decided_by=list(s.values()))

    @staticmethod
    def _asked(spec) -> str:
        if spec.sublayer == "layer-norm":
            return ("the output's spread is larger than its input's only" if spec.ask == "most" else
                    "the LayerNorm evens the tokens out the most (the smallest spread after over spread before)")
        return f"{spec.what} adds the {spec.ask} for its input's length ({WHAT[spec.sublayer][1]})"

    def graded(self, spec, result):
        return scores(spec, result)

    def graded_end(self, spec):
        return "lowest" if spec.ask == "least" else "highest"

    @value("The answer: the layer with the largest (smallest) score, or with `compare` the right choice in words.")
    def answer(self, spec, result):
        a = model_answer(spec, result)
        if spec.ask == "compare":
            return Value(a)
        return Value(a.split()[1], int(a.split()[1]))

    @value("A layer's score for the sub-layer asked about (`3` for layer 3), as the reveal's table shows it.")
    def score(self, spec, result, k):
        if spec.ask == "compare":
            raise LexiconError("'score' has no layers to name with 'ask: compare'", fix="quote 'answer' instead")
        s = scores(spec, result)
        if label(int(k) if str(k).isdigit() else 0) not in s:
            raise LexiconError(f"'{k}' is not one of the layers offered",
                               fix="name one of: " + ", ".join(map(str, spec.choices)))
        v = s[label(int(k))]
        return Value(fmt(v, 3), v)

    def render(self, spec, result, ctx):
        if spec.ask == "compare":
            return self._render_compare(spec, result)
        s, answer = scores(spec, result), model_answer(spec, result)
        sign = -1 if spec.ask == "least" else 1
        ranked = sorted(s, key=lambda c: (-sign * s[c], list(s).index(c)))
        formula = WHAT[spec.sublayer][1]
        said = ("the spread after the LayerNorm is {v:.3f} times the spread before" if spec.sublayer == "layer-norm"
                else spec.what + " adds {v:.3f} of its input's length (median " + formula + ")")
        end = "most" if spec.ask == "most" or spec.sublayer == "layer-norm" else "least"
        best = "the most even" if spec.sublayer == "layer-norm" and spec.ask == "least" else f"the {end}"
        why = {c: f"In {c.lower()}, {said.format(v=s[c])}"
                  f"{f', {best} of these layers' if c == answer else f', #{ranked.index(c) + 1} of these layers'}."
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

    def _render_compare(self, spec, result):
        c, answer = compared(spec, result), model_answer(spec, result)
        ln, ra = c["length"], c["ratio"]

        def why(a, b):
            parts = [f"{SUBLAYERS[a].capitalize()}'s addition is {'the longer' if a == c['longer'] else 'the shorter'}"
                     f" ({fmt(ln[a], 2)} against {fmt(ln[other(a)], 2)})",
                     f"{SUBLAYERS[b]}'s is {'the larger' if b == c['relative'] else 'the smaller'} for its input "
                     f"({fmt(ra[b], 3)} against {fmt(ra[other(b)], 3)})"]
            return "; ".join(parts) + "."
        rows = [[SUBLAYERS[s].capitalize(), fmt(ln[s], 2), fmt(ra[s], 3)] for s in SUBLAYERS]
        same = c["longer"] == c["relative"]
        return Choices([pair_label(a, b) for a, b in PAIRS], answer, {pair_label(a, b): why(a, b) for a, b in PAIRS}, [
            Html(f"<p>In layer {spec.layer}, {SUBLAYERS[c['longer']]} adds the longer vector, and "
                 f"{SUBLAYERS[c['relative']]} the more for its input's length"
                 + (". " if same else ": the two need not agree. ")
                 + "Each ratio divides by a different vector (attention by the x it reads, the feed-forward "
                   "network by a = LN(x + Attn(x))), and each column is a median over the sentence's "
                 f"{len(result['tokens'])} tokens taken on its own.</p>"),
            Table(["Sub-layer", "Length added (median)", "Ratio: median of each token's |added| / |input|"], rows,
                  numeric=(1, 2)),
        ])


def other(s: str) -> str:
    return next(t for t in SUBLAYERS if t != s)
