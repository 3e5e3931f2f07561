"""The collocation-exercise kind: which of these word pairs is the strongest collocation?"""

from __future__ import annotations

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...render import esc, fmt
from ._corpus import BACKGROUND
from ._collocations import association, counts_of, scored, times, totals


class CollocationExercise(ExerciseKind):
    """An exercise: which of these word pairs has the highest NPMI in the Lee corpus, by gensim's Phrases?

    A multiple-choice exercise graded by normalised pointwise mutual information (Bouma 2009) as gensim's
    `Phrases(scoring="npmi")` computes it on the background stories of the Lee corpus (as the
    [collocations](#collocations) kind does): the right answer is the pair with the highest score. Every
    choice must occur at least `min_count` times. The reveal gives each pair's count, its words' counts
    and its scores: how many times as often as chance it occurs, its plain PMI in bits (Church and Hanks), and
    its NPMI. NPMI divides PMI by −log p(a b), which lifts frequent pairs and pairs whose words rarely occur
    apart, so the two measures can order pairs differently: `pmi_order` claims the order by plain PMI, for the
    explanation to contrast. Needs no embedding model.
    """

    example = ("choices: [he said, prime minister, united states, security forces]\nanswer: united states\n"
               "pmi_order: [prime minister, united states]")
    default_prompt = ("Which of these pairs of neighbouring words is the strongest collocation in the Lee news "
                      "stories, by normalised PMI?")
    needs_model = False
    note = (f"Computed at build time with gensim\u2019s Phrases (scoring=\"npmi\") from gensim\u2019s Lee corpus "
            f"({BACKGROUND}); no embedding model.")
    options = opt.Options(
        ExerciseKind.options,
        choices=opt.texts("The pairs offered, each written `a b`.", min=2, max=6, type_doc="list of 2–6 pairs",
                          required=True, display=True),
        min_count=opt.integer("As in [collocations](#collocations).", default=5, min=1, max=50),
        answer=opt.text("The pair you claim scores highest (a [claim](#claims)).", display=True),
        pmi_order=opt.texts("A [claim](#claims): some of the choices, from the highest plain PMI to the lowest.",
                            min=0, max=6, type_doc="list of up to 6 pairs", default=[], display=True),
    )

    def prepare(self, spec):
        if len(set(spec.choices)) != len(spec.choices):
            raise LexiconError("a pair is listed twice under 'choices'", fix="list each pair once")
        for p in spec.choices:
            if len(p.split()) != 2 or p != " ".join(p.split()):
                raise LexiconError(f"'{p}' is not a pair of words", fix="write a pair as two words, e.g. 'bin laden'")
        for p in spec.pmi_order:
            if p not in spec.choices:
                raise LexiconError(f"'pmi_order' names '{p}', which is not one of the choices",
                                   fix="list only pairs that are under 'choices'")
        if spec.answer is not None and spec.answer not in spec.choices:
            raise LexiconError(f"'answer' ({spec.answer}) is not one of the choices",
                               fix="name one of the pairs listed under 'choices'")

    def anchor_hint(self, spec):
        return "exercise " + spec.choices[0]

    def compute(self, kv, spec):
        table = scored(spec.min_count)
        missing = [p for p in spec.choices if p not in table]
        if missing:
            raise LexiconError(f"'{missing[0]}' occurs fewer than {spec.min_count} times in the corpus, so Phrases "
                               "does not score it", fix="choose pairs the corpus uses more often, or lower 'min_count'")
        words = totals(spec.min_count)["words"]
        out = []
        for p in spec.choices:
            a, b = p.split()
            counts = counts_of([a, b])
            out.append({"pair": p, "count": table[p][0], "words": counts, "npmi": round(table[p][2], 4),
                        **association(table[p][0], counts[a], counts[b], words)})
        return {"choices": out}

    def graded(self, spec, result):
        return {r["pair"]: r["npmi"] for r in result["choices"]}

    def _best(self, result) -> str:
        return sorted(result["choices"], key=lambda r: (-r["npmi"], r["pair"]))[0]["pair"]

    def claims(self, spec, result, check):
        if spec.answer:
            best = self._best(result)
            listed = ", ".join(f"{r['pair']} ({fmt(r['npmi'])})"
                               for r in sorted(result["choices"], key=lambda r: -r["npmi"]))
            check(f"of {', '.join(spec.choices)}, \u201c{spec.answer}\u201d has the highest NPMI", best == spec.answer,
                  f"the highest is \u201c{best}\u201d; {listed}", against="gensim's Phrases")
        if spec.pmi_order:
            pmi = {r["pair"]: r["pmi"] for r in result["choices"]}
            got = [pmi[p] for p in spec.pmi_order]
            check(f"by plain PMI, {' > '.join(spec.pmi_order)}",
                  all(f"{x:.2f}" != f"{y:.2f}" and x > y for x, y in zip(got, got[1:])),
                  "; ".join(f"{p}: {pmi[p]:.2f} bits" for p in spec.pmi_order), against="the counts")

    @value("The pair with the highest NPMI (the right answer).")
    def best(self, spec, result):
        return Value(self._best(result))

    def _choice(self, result, p) -> dict:
        r = next((r for r in result["choices"] if r["pair"] == " ".join(str(p).split())), None)
        if r is None:
            raise LexiconError(f"'{p}' is not one of the choices", fix="quote a pair listed under 'choices'")
        return r

    @value("A choice's NPMI: `npmi(prime minister)`.")
    def npmi(self, spec, result, p):
        r = self._choice(result, p)
        return Value(fmt(r["npmi"]), r["npmi"])

    @value("A choice's plain PMI in bits, two decimals: `pmi(prime minister)`.")
    def pmi(self, spec, result, p):
        r = self._choice(result, p)
        return Value(f"{r['pmi']:.2f}", r["pmi"])

    @value("How many times as often as chance a choice occurs: `chance(he said)`.")
    def chance(self, spec, result, p):
        r = self._choice(result, p)
        return Value(times(r["chance"]), r["chance"])

    def render(self, spec, result, ctx):
        best = self._best(result)
        why = {}
        for r in result["choices"]:
            a, b = r["pair"].split()
            base = (f"\u201c{r['pair']}\u201d occurs {r['count']:,} times; {a} occurs {r['words'][a]:,} times and "
                    f"{b} {r['words'][b]:,}: {times(r['chance'])} times as often as chance, PMI "
                    f"{r['pmi']:.2f} bits, NPMI = {fmt(r['npmi'])}.")
            why[r["pair"]] = base + (" The highest: its words seldom occur apart." if r["pair"] == best else "")
        rows = [[r["pair"], f"{r['count']:,}", f"{r['words'][r['pair'].split()[0]]:,}",
                 f"{r['words'][r['pair'].split()[1]]:,}", times(r["chance"]), f"{r['pmi']:.2f}", fmt(r["npmi"])]
                for r in sorted(result["choices"], key=lambda r: -r["npmi"])]
        reveal = [Html(f"<p>The strongest collocation of these is <strong>{esc(best)}</strong>. Highest NPMI first:</p>"),
                  Table(["Pair", "Together", "First word", "Second word", "Times chance", "PMI (bits)", "NPMI"], rows,
                        numeric=(1, 2, 3, 4, 5, 6))]
        return Choices(list(spec.choices), best, why, reveal)
