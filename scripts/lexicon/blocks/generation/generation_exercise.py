"""An exercise on the n-gram language model: a next token, a decoder, a sampling setting or a model order to pick."""

from __future__ import annotations

import math

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._decoding import beam, beams, greedy, reshape
from ._ngram import MODEL_OPTIONS, NOTE, context_tokens, describe, entropy_bits, evaluate, held_out_stories, \
    model, of, ranked

ASKS = ("next-token", "greedy", "top-p", "top-k", "temperature", "order", "beam", "beam-keep", "window")
PROMPTS = {
    "next-token": "Which of these words does the model find most probable right after “{context}”?",
    "greedy": "Greedy decoding continues “{context}”. Which token does it pick next?",
    "top-p": "How many tokens does top-p sampling with p = {setting:g} keep after “{context}”?",
    "top-k": "Top-k sampling with k = {setting:g} continues “{context}”. Which of these tokens can it never pick?",
    "temperature": "Which temperature gives the flattest next-token distribution after “{context}”?",
    "order": "Which model is least surprised by the held-out stories (the lowest perplexity)?",
    "beam": "Which decoder finds the continuation of “{context}” with the highest log-probability?",
    "beam-keep": "Beam search continues “{context}” by two tokens. What is the smallest beam width that still holds "
                 "“{target}” after the second token?",
    "window": "The model predicts the word after “{context}”. Deleting which of these words changes its prediction?",
}
NEEDS = {"next-token": ("context",), "greedy": ("context",), "top-p": ("context", "setting"),
         "top-k": ("context", "setting"), "temperature": ("context",), "order": (), "beam": ("context",),
         "beam-keep": ("context", "target"), "window": ("context",)}
MAX_LISTED = 15
CHOICES_SCHEMA = {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 2, "maxItems": 5,
                  "uniqueItems": True}


def _and(words: list[str]) -> str:
    quoted = [f"“{w}”" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


class GenerationExercise(ExerciseKind):
    """An exercise on an n-gram language model trained on gensim's Lee corpus; `ask` says what the reader picks.

    - `next-token`: which of the `choices` (words) is the most probable next token after `context` (no table
      shown first: the reader guesses, then sees the probabilities).
    - `greedy`: which token greedy decoding picks next; the reader sees the probabilities of the `choices`
      and of the tokens that outrank them. The model's top token must be one of the choices.
    - `top-p`: how many tokens top-p with p = `setting` keeps (`choices` are numbers); the reader sees the
      most probable tokens with their probabilities.
    - `top-k`: which of the `choices` (words) top-k with k = `setting` can never pick: exactly one of them
      must rank below k.
    - `temperature`: which of the `choices` (temperatures) gives the flattest distribution (the highest
      entropy); the reader sees the top three probabilities at each.
    - `order`: which model order (`choices` among 1, 2, 3) has the lowest held-out perplexity.
    - `beam`: which decoder (`choices` among `greedy`, `beam 2`, `beam 4` …) reaches the highest
      log-probability in `steps` tokens.
    - `beam-keep`: the smallest beam width (`choices`, whole numbers from 1 to 10) whose beam still holds the
      two-token continuation `target` after the second token. The reader sees the first token's probabilities
      and how the target's second token scores; the answer is decided by the beam's pruning, not by a guess
      at what a decoder finally returns.
    - `window`: deleting which word of the `context` (`choices`, each a word that occurs once in it) changes
      the next-token distribution most, measured by total variation distance (half the summed absolute
      differences of the probabilities). An n-gram model only sees the last n − 1 tokens, so deleting an
      earlier word changes nothing.

    Every answer is computed; an answer decided by a tie fails the build. `answer` is the choice you claim.
    """

    example = "ask: greedy\ncontext: australian troops\nchoices: [arrived, the, in]\nanswer: arrived"
    note = NOTE
    needs_model = False
    options = opt.Options(
        ExerciseKind.options.with_defaults(prompt={"default_doc": "a question that fits `ask`, e.g. “Greedy decoding "
                                                                 "continues “…”. Which token does it pick next?”"}),
        ask=opt.choice("What the reader picks.", list(ASKS), required=True),
        context=opt.text("The text before the next token (required except for `order`).", default=None),
        setting=opt.number("p for `top-p`, k for `top-k`.", default=None, above=0, max=1000),
        choices=opt.raw("The choices, 2–5: words, numbers, temperatures, orders or decoders (see `ask`).",
                        CHOICES_SCHEMA, "list of 2–5 choices", required=True, convert=lambda v: [str(x) for x in v]),
        target=opt.text("The two-token continuation for `beam-keep`, e.g. “initial reports”.", default=None),
        steps=opt.integer("Tokens the decoders add (`beam`).", default=10, min=1, max=30),
        **MODEL_OPTIONS,
        answer=opt.raw("The choice you claim is right (a [claim](#claims)).", {"type": ["string", "number"]},
                       "a choice", display=True, convert=str),
    )

    def prepare(self, spec):
        for need in NEEDS[spec.ask]:
            if getattr(spec, need) is None:
                raise LexiconError(f"a '{spec.ask}' exercise needs '{need}'",
                                   fix=f"add e.g. '{need}: " + ("the prime'" if need == "context" else "0.9'"))
        if spec.ask == "top-k" and (spec.setting != int(spec.setting)):
            raise LexiconError(f"k is a whole number, not {spec.setting:g}", fix="write e.g. 'setting: 3'")
        if spec.ask == "top-p" and spec.setting > 1:
            raise LexiconError(f"p = {spec.setting:g} is over 1", fix="write p between 0 and 1, e.g. 'setting: 0.5'")
        if spec.ask == "order" and not set(spec.choices) <= {"1", "2", "3"}:
            raise LexiconError("an 'order' exercise chooses among the orders 1, 2 and 3", fix="write choices: [1, 2, 3]")
        if spec.ask == "beam":
            for c in spec.choices:
                if c != "greedy" and not (c.startswith("beam ") and c[5:].isdigit() and 2 <= int(c[5:]) <= 10):
                    raise LexiconError(f"'{c}' is not a decoder", fix="write choices such as [greedy, beam 2, beam 4]")
        if spec.ask == "beam-keep":
            if len(spec.target.split()) != 2:
                raise LexiconError(f"'target' is '{spec.target}', not two tokens", fix="write e.g. 'target: initial reports'")
            for c in spec.choices:
                if not (c.isdigit() and 1 <= int(c) <= 10):
                    raise LexiconError(f"'{c}' is not a beam width from 1 to 10", fix="write choices: [1, 2, 3, 4]")
        if spec.ask == "temperature":
            for c in spec.choices:
                try:
                    ok = 0.05 <= float(c) <= 20
                except ValueError:
                    ok = False
                if not ok:
                    raise LexiconError(f"'{c}' is not a temperature from 0.05 to 20", fix="write choices: [0.5, 1, 2]")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="name one of: " + ", ".join(spec.choices))

    def prompt(self, spec):
        return spec.prompt or PROMPTS[spec.ask].format(context=spec.context or "", setting=spec.setting or 0,
                                                         target=spec.target or "")

    def anchor_hint(self, spec):
        return f"exercise {spec.ask} {spec.context or ''}"[:50]

    def compute(self, kv, spec):
        if spec.ask == "order":
            scores = {c: evaluate(model(int(c), spec.smoothing, spec.k), held_out_stories(), "held_out")["perplexity"]
                      for c in spec.choices}
            if None in scores.values():
                raise LexiconError("an unsmoothed model's held-out perplexity is infinite, so the orders tie",
                                   fix="use smoothing: interpolated or add-k")
            return {"scores": scores, "end": "lowest"}
        m = of(spec)
        history = context_tokens(spec.context, m)
        p = m.distribution(history)
        order = [int(i) for i in ranked(p, m.vocab)]
        rank = {m.vocab[i]: r + 1 for r, i in enumerate(order)}
        listed = [[m.vocab[i], float(p[i])] for i in order[:MAX_LISTED]]
        out = {"history": history[2:], "listed": listed, "end": "highest"}
        if spec.ask in ("next-token", "greedy", "top-k"):
            for c in spec.choices:
                if c not in m.index:
                    raise LexiconError(f"the choice '{c}' is not in the model's vocabulary",
                                       fix="choose words the training corpus uses at least twice")
            out["scores"] = {c: float(p[m.index[c]]) for c in spec.choices}
            out["ranks"] = {c: rank[c] for c in spec.choices}
            if spec.ask == "greedy" and m.vocab[order[0]] not in spec.choices:
                raise LexiconError(f"greedy picks '{m.vocab[order[0]]}', which is not among the choices",
                                   fix=f"add '{m.vocab[order[0]]}' to the choices")
            if spec.ask == "top-k":
                out_of = [c for c in spec.choices if rank[c] > spec.setting]
                if len(out_of) != 1:
                    raise LexiconError(f"{len(out_of)} of the choices rank below the top {spec.setting:g} "
                                       f"(ranks: {', '.join(f'{c} {rank[c]}' for c in spec.choices)}); exactly one must",
                                       fix="choose words so that exactly one ranks below k")
                out["scores"] = {c: rank[c] for c in spec.choices}      # the answer has the highest rank number
        elif spec.ask == "window":
            words = history[2:]
            scores = {}
            for c in spec.choices:
                if words.count(c) != 1:
                    raise LexiconError(f"the choice '{c}' occurs {words.count(c)} times in the context",
                                       fix="choose words that occur exactly once in the context")
                i = words.index(c)
                q = m.distribution([history[0], history[1]] + words[:i] + words[i + 1:])
                scores[c] = float(abs(p - q).sum() / 2)
            out["scores"] = scores
        elif spec.ask == "top-p":
            _, kept, mass = reshape(p, m.vocab, "top-p", spec.setting)
            if kept > MAX_LISTED - 2:
                raise LexiconError(f"top-p with p = {spec.setting:g} keeps {kept:,} tokens here, too many to count "
                                   "from a table", fix="choose a smaller p or a more predictable context")
            out.update(kept=kept, mass=mass,
                       scores={c: (1.0 if c == str(kept) else 0.0) for c in spec.choices})
            if str(kept) not in spec.choices:
                raise LexiconError(f"top-p keeps {kept} tokens, which is not among the choices",
                                   fix=f"add {kept} to the choices")
        elif spec.ask == "temperature":
            rows = {}
            for c in spec.choices:
                q, _, _ = reshape(p, m.vocab, "temperature", float(c))
                rows[c] = {"entropy": entropy_bits(q),
                           "top": [float(q[i]) for i in order[:3]]}
            out.update(temps=rows, scores={c: r["entropy"] for c, r in rows.items()})
        elif spec.ask == "beam-keep":
            target = spec.target.split()
            for t in target:
                if t not in m.index:
                    raise LexiconError(f"the target's token '{t}' is not in the model's vocabulary",
                                       fix="choose words the training corpus uses at least twice")
            first = rank[target[0]]
            q = m.distribution(history + target[:1])
            second = float(q[m.index[target[1]]])
            widest = max(int(c) for c in spec.choices)
            kept, scores = {}, {}
            for c in spec.choices:
                states = beams(m, history, 2, int(c))
                after1 = [" ".join(t) for _, t in states[0]]
                after2 = [" ".join(t) for _, t in states[1]] if len(states) > 1 else []
                kept[c] = {"after1": after1, "holds": spec.target in after2}
                scores[c] = round(1 / int(c), 6) if kept[c]["holds"] else 0.0
            if not any(v["holds"] for v in kept.values()):
                raise LexiconError(f"no width among the choices keeps '{spec.target}'",
                                   fix="add a wider beam to the choices or choose another target")
            cands = sorted(beams(m, history, 2, widest)[-1], key=lambda c: (-c[0], c[1]))
            place = next((i + 1 for i, (_, t) in enumerate(cands) if " ".join(t) == spec.target), None)
            out.update(first_rank=first, second=second,
                       target_logp=math.log(p[m.index[target[0]]]) + math.log(second),
                       widest=widest, place=place, kept=kept, scores=scores)
        else:   # beam
            runs = {}
            for c in spec.choices:
                r = greedy(m, history, spec.steps) if c == "greedy" else beam(m, history, spec.steps, int(c[5:]))
                runs[c] = {"tokens": r["tokens"], "logp": r["logp"]}
            out.update(runs=runs, scores={c: r["logp"] for c, r in runs.items()})
        return out

    def graded(self, spec, result):
        if spec.ask == "top-p":
            return None
        return {c: result["scores"][c] for c in spec.choices}

    def graded_end(self, spec):
        return "lowest" if spec.ask == "order" else "highest"

    def _best(self, spec, result) -> str:
        scores = result["scores"]
        pick = min if spec.ask == "order" else max
        return pick(spec.choices, key=lambda c: scores[c])

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        best = self._best(spec, result)
        check(f"the answer to “{self.prompt(spec)}” is {spec.answer}", best == spec.answer,
              f"the computed answer is {best}")

    @value("The right choice.")
    def best(self, spec, result):
        return Value(self._best(spec, result))

    def _why(self, spec, result, c) -> str:
        s = result["scores"][c]
        if spec.ask in ("next-token", "greedy"):
            return f"P({c}) = {fmt(s)}, rank {result['ranks'][c]:,}."
        if spec.ask == "top-k":
            return f"“{c}” is rank {s:,}: " + ("outside" if s > spec.setting else "inside") + f" the top {spec.setting:g}."
        if spec.ask == "top-p":
            return f"Top-p keeps {result['kept']} tokens." if s else f"Not {c}: top-p keeps {result['kept']} tokens."
        if spec.ask == "temperature":
            return f"At T = {c} the entropy is {fmt(s, 2)} bits."
        if spec.ask == "beam-keep":
            k = result["kept"][c]
            return (f"Width {c} keeps “{spec.target}” after the second token." if k["holds"] else
                    f"Width {c} keeps only {_and(k['after1'])} after the first token: “{spec.target.split()[0]}” is gone.")
        if spec.ask == "order":
            return f"The order-{c} model’s held-out perplexity is {s:,.1f}."
        if spec.ask == "window":
            return (f"Deleting “{c}” moves the distribution by {fmt(s)} (total variation)." if s else
                    f"Deleting “{c}” changes nothing: it is outside the last {spec.order - 1} words.")
        return f"{c} reaches log-probability {fmt(s)}."

    def render(self, spec, result, ctx):
        best = self._best(spec, result)
        why = {c: self._why(spec, result, c) for c in spec.choices}
        before, reveal = [], []
        listed = result.get("listed", [])
        table = Table(["Rank", "Token", "Probability", "Cumulative"],
                      [[str(i + 1), w, fmt(q), fmt(sum(x for _, x in listed[:i + 1]))]
                       for i, (w, q) in enumerate(listed)], numeric=(0, 2, 3))
        if spec.ask == "greedy":
            shown = max(result["ranks"].values())
            before = [Html(f"<p>The {esc(describe(spec))} model’s probabilities of the choices:</p>"),
                      Table(["Token", "Probability"], [[c, fmt(result["scores"][c])] for c in sorted(spec.choices)],
                            numeric=(1,))]
            reveal = [Html(f"<p>Greedy picks the single most probable token: <strong>{esc(best)}</strong>. "
                           f"The top {min(shown, MAX_LISTED)}:</p>"), table]
        elif spec.ask in ("next-token", "top-k"):
            if spec.ask == "top-k":
                before = [Html("<p>The model’s most probable next tokens:</p>"), table]
            reveal = [Html(f"<p>The answer is <strong>{esc(best)}</strong>.</p>")] + ([table] if not before else [])
        elif spec.ask == "top-p":
            before = [Html("<p>The model’s most probable next tokens:</p>"), table]
            reveal = [Html(f"<p>Top-p keeps <strong>{result['kept']}</strong> tokens: the fewest most probable ones "
                           f"whose probabilities add up to at least {spec.setting:g} (they hold "
                           f"{fmt(result['mass'])}).</p>")]
        elif spec.ask == "temperature":
            before = [Html("<p>The three most probable next tokens at each temperature:</p>"),
                      Table(["Temperature"] + [w for w, _ in listed[:3]],
                            [[f"T = {c}"] + [fmt(q) for q in result["temps"][c]["top"]] for c in spec.choices],
                            numeric=(1, 2, 3))]
            reveal = [Table(["Temperature", "Entropy (bits)"], [[f"T = {c}", fmt(result["temps"][c]["entropy"], 2)]
                                                                for c in spec.choices], numeric=(1,))]
        elif spec.ask == "window":
            reveal = [Html(f"<p>The {esc(describe(spec))} model sees only the last {spec.order - 1} words. How far the "
                           "next-token distribution moves when each word is deleted (total variation distance, 0 to 1):"
                           "</p>"),
                      Table(["Deleted word", "Change"], [[c, fmt(result["scores"][c])] for c in spec.choices],
                            numeric=(1,))]
        elif spec.ask == "beam-keep":
            t1, t2 = spec.target.split()
            before = [Html("<p>The model’s most probable first tokens:</p>"), table,
                      Html(f"<p>After “{esc(t1)}” the model gives “{esc(t2)}” probability {fmt(result['second'])}, so "
                           f"“{esc(spec.target)}” has log-probability {fmt(result['target_logp'])}"
                           + (f", rank {result['place']} among the width-{result['widest']} beam’s two-token "
                              "candidates" if result["place"] else "") + ".</p>")]
            reveal = [Html(f"<p>A beam of width B keeps only the B most probable first tokens, and “{esc(t1)}” is "
                           f"rank {result['first_rank']}: a narrower beam has dropped it before “{esc(t2)}” can "
                           f"count. The smallest width that holds “{esc(spec.target)}” is <strong>{esc(best)}</strong>."
                           "</p>"),
                      Table(["Width", "Beam after the first token", f"Holds “{spec.target}” after the second?"],
                            [[c, ", ".join(result["kept"][c]["after1"]), "yes" if result["kept"][c]["holds"] else "no"]
                             for c in spec.choices])]
        elif spec.ask == "order":
            reveal = [Table(["Order", "Held-out perplexity"], [[c, f"{result['scores'][c]:,.1f}"]
                                                               for c in spec.choices], numeric=(0, 1))]
        else:
            reveal = [Table(["Decoder", "Continuation", "Log-probability"],
                            [[c, " ".join(r["tokens"]), fmt(r["logp"])] for c, r in result["runs"].items()],
                            numeric=(2,))]
        return Choices(list(spec.choices), best, why, reveal, before)
