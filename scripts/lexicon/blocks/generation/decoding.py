"""The decoding kind: greedy decoding and beam search continue one prompt; their log-probabilities compared."""

from __future__ import annotations

import re

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._decoding import beam, greedy, loop
from ._ngram import MODEL_OPTIONS, NOTE, ceiling, context_tokens, describe, of
from ._text import code_header, continuation

WIDTHS_SCHEMA = {"type": "array", "items": {"type": "integer", "minimum": 2, "maximum": 10}, "minItems": 1,
                 "maxItems": 3, "uniqueItems": True}
METHOD = r"(greedy|beam\(\s*\d+\s*\))"
CLAIM = re.compile(rf"^\s*{METHOD}\s*(>=|>|<|<=)\s*{METHOD}\s*$")
LOOP = re.compile(r"^\s*(greedy|beam\(\s*\d+\s*\))\s+(loops|does not loop)\s*$")
CLAIM_FIX = "write e.g. 'beam(4) >= greedy' (log-probabilities), 'beam(4) > beam(2)' or 'greedy loops'"


class Decoding(Kind):
    """Greedy decoding and beam search continue a prompt with an n-gram language model trained on gensim's Lee
    corpus; each continuation's log-probability is shown, and where a decoder starts repeating itself.

    Greedy takes the most probable token at every step. Beam search of width B keeps the B continuations
    with the highest log-probability (the sum of ln P of their tokens) at every step; one that reaches
    `</s>` is set aside as finished, and the best finished or full-length one wins. Both stop after `steps`
    tokens or at `</s>`. A deterministic decoder that meets the same history twice repeats itself from then
    on: the table says where that loop starts. Beam search is not guaranteed to beat greedy in general;
    a claim `beam(4) >= greedy` checks it for this prompt. Needs no embedding model.
    """

    example = "prompt: australian troops\nsteps: 12\nwidths: [2, 4]\nexpect:\n  - beam(4) >= greedy"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        prompt=opt.text("The text to continue (words the training corpus uses at least twice).", required=True),
        **MODEL_OPTIONS,
        steps=opt.integer("How many tokens to add at most.", default=15, min=1, max=40),
        widths=opt.raw("The beam widths to run beside greedy (2–10).", WIDTHS_SCHEMA, "list of 1–3 widths",
                       default=[2, 4], convert=list),
        expect=opt.claims("[Claims](#claims): `beam(4) >= greedy`, `beam(4) > beam(2)` (log-probabilities), "
                          "`greedy loops`, `beam(4) does not loop`."),
        caption=opt.caption(),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            m = CLAIM.match(str(text)) or LOOP.match(str(text))
            if not m:
                raise LexiconError(f"cannot read the claim '{text}'", fix=CLAIM_FIX)
            for name in [g for g in m.groups() if g and g.startswith(("greedy", "beam"))]:
                self._key(spec, name)

    def _key(self, spec, name: str) -> str:
        name = re.sub(r"\s+", "", str(name))
        if name == "greedy":
            return name
        m = re.fullmatch(r"beam\((\d+)\)", name)
        if not m or int(m.group(1)) not in spec.widths:
            raise LexiconError(f"'{name}' is not one of the block's decoders",
                               fix="name greedy or beam(B) with B one of the widths " + str(spec.widths))
        return f"beam({int(m.group(1))})"

    def anchor_hint(self, spec):
        return "decoding " + spec.prompt[:30]

    def compute(self, kv, spec):
        m = of(spec)
        context = context_tokens(spec.prompt, m, "the prompt")
        runs = {"greedy": greedy(m, context, spec.steps)}
        for w in spec.widths:
            runs[f"beam({w})"] = beam(m, context, spec.steps, w)
        for r in runs.values():
            r["loop"] = loop(r["tokens"], spec.order)
        return {"prompt": context[2:], "runs": runs, "ceiling": ceiling(m)}

    def claims(self, spec, result, check):
        runs = result["runs"]
        for text in spec.expect:
            m = CLAIM.match(str(text))
            if m:
                a, op, b = self._key(spec, m.group(1)), m.group(2), self._key(spec, m.group(3))
                x, y = runs[a]["logp"], runs[b]["logp"]
                ok = {">=": x >= y, ">": x > y, "<": x < y, "<=": x <= y}[op]
                words = {">=": "at least", ">": "higher than", "<": "lower than", "<=": "at most"}[op]
                check(f"the log-probability of {a}'s continuation is {words} that of {b}'s", ok,
                      f"{a}: {fmt(x)}; {b}: {fmt(y)}")
                continue
            m = LOOP.match(str(text))
            name, loops = self._key(spec, m.group(1)), m.group(2) == "loops"
            lp = runs[name]["loop"]
            check(f"{name}'s continuation {'repeats itself' if loops else 'does not repeat itself'}",
                  (lp is not None) == loops, _loop_text(lp))

    def _run(self, spec, result, name):
        return result["runs"][self._key(spec, name)]

    @value("A decoder's log-probability (natural log): `logp(greedy)`, `logp(beam(4))`.")
    def logp(self, spec, result, name):
        x = self._run(spec, result, name)["logp"]
        return Value(fmt(x), x)

    @value("A decoder's log-probability per token (the sum over its length): `per_token(beam(4))`.")
    def per_token(self, spec, result, name):
        r = self._run(spec, result, name)
        x = r["logp"] / max(1, len(r["tokens"]))
        return Value(fmt(x), x)

    @value("A decoder's continuation, as the table writes it: `text(greedy)`.")
    def text(self, spec, result, name):
        return Value(continuation(self._run(spec, result, name)["tokens"]))

    @value("How many tokens a decoder added: `length(beam(4))`.")
    def length(self, spec, result, name):
        n = len(self._run(spec, result, name)["tokens"])
        return Value(f"{n:,}", n)

    @value("The repeating phrase of a decoder that loops: `loop(greedy)` (an error if it does not loop).")
    def loop(self, spec, result, name):
        lp = self._run(spec, result, name)["loop"]
        if lp is None:
            raise LexiconError(f"{name} does not repeat itself here", fix="quote the loop of a decoder that loops")
        return Value(" ".join(lp["phrase"]))

    @value("The most probable any token can be after any context (the next-token kind's `ceiling`).")
    def ceiling(self, spec, result):
        return Value(fmt(result["ceiling"]), result["ceiling"])

    @value("The probability greedy's first token had: `first_prob`.")
    def first_prob(self, spec, result):
        p = result["runs"]["greedy"]["probs"][0]
        return Value(fmt(p), p)

    def render(self, spec, result, ctx):
        rows = []
        for name, r in result["runs"].items():
            n = len(r["tokens"])
            rows.append([name.replace("beam(", "beam, width ").rstrip(")") if name != "greedy" else "greedy",
                         continuation(r["tokens"]), f"{n:,}", fmt(r["logp"]), fmt(r["logp"] / n) if n else "—",
                         _loop_text(r["loop"])])
        intro = Html(f"<p>The {esc(describe(spec))} model continues “{esc(' '.join(result['prompt']))}” for at most "
                     f"{spec.steps} tokens. Log-probability is the sum of ln P(token | history) over the tokens added: "
                     "closer to 0 is more probable.</p>")
        code = (code_header(spec) + "from lexicon.blocks.generation._decoding import beam, greedy\n\n"
                f"context = ['<s>', '<s>'] + simple_preprocess({spec.prompt!r})\n"
                f"greedy(model, context, steps={spec.steps})\n"
                + "".join(f"beam(model, context, steps={spec.steps}, width={w})\n" for w in spec.widths))
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [intro, Table(["Decoder", "Continuation", "Tokens", "Log-probability",
                                        "Per token", "Repeats itself"], rows, numeric=(2, 3, 4)),
                          Code(code, "The Python behind these numbers")]


def _loop_text(lp) -> str:
    if lp is None:
        return "no"
    return f"from token {lp['start'] + 1}: “{' '.join(lp['phrase'])}” again and again"
