"""An exercise: on which of two word-pair benchmarks does the model agree better with people, and is the gap larger than resampling noise?"""

from __future__ import annotations

import numpy as np

from ...engine import ExerciseKind, Value, opt, value
from ...engine.pieces import Choices, Html, Table
from ...errors import LexiconError
from ...evaluate import PAIRS, word_pairs
from ...render import esc
from ._benchmark import PAIR_FILES, restrict_vocab
from ._resample import LEVEL, interval, resampled_rho

NEITHER = "neither"
NAMES = {"wordsim353": "WordSim-353", "simlex999": "SimLex-999"}


class BenchmarkExercise(ExerciseKind):
    """An exercise: the model's Spearman ρ on two of gensim's word-pair files, and whether the gap between them is larger than the noise of resampling the pairs. The answer is computed, on several seeds.

    The reader picks one of three answers: the first dataset scores higher, the second does, or the
    two are within resampling noise. Each dataset's ρ is gensim's `evaluate_word_pairs` (as in
    `similarity-benchmark`). The noise is a bootstrap: both files' used pairs are drawn again with
    replacement `resamples` times, independently, and ρ is computed on each draw; the gap counts as
    real when the middle 95 % of the resampled differences (first minus second) lies wholly on one
    side of 0. This is repeated with `seeds` different seeds (`seed`, `seed + 1`, …); if they do
    not all reach the same decision, the build stops, since the answer would then depend on the
    seed. The reveal shows each ρ with its interval, the interval of the difference, and its
    spread over the seeds.
    """

    example = "datasets: [wordsim353, simlex999]\nresamples: 500\nseeds: 2\nanswer: wordsim353"
    default_prompt = ("Which benchmark gives the model the higher Spearman correlation with people's scores, "
                      "by more than the noise of resampling its pairs?")
    options = opt.Options(
        ExerciseKind.options,
        datasets=opt.raw("The two word-pair files from `gensim.test.utils.datapath`, in the order shown: "
                         "`wordsim353`, `simlex999`.",
                         {"type": "array", "items": {"enum": sorted(PAIRS)}, "minItems": 2, "maxItems": 2,
                          "uniqueItems": True}, "two different names", required=True, convert=list),
        restrict_vocab=restrict_vocab(),
        resamples=opt.integer("How many bootstrap resamples of each file's pairs, per seed.", default=1000,
                              min=200, max=10_000),
        seeds=opt.integer("On how many seeds the decision is repeated (all must agree).", default=3, min=1, max=10),
        seed=opt.seed("The first seed (numpy's `default_rng`).", default=0),
        answer=opt.text("The dataset you claim scores higher beyond the noise, or `neither` (a [claim](#claims)).",
                        display=True),
    )

    def prepare(self, spec):
        allowed = [*spec.datasets, NEITHER]
        if spec.answer is not None and str(spec.answer) not in allowed:
            raise LexiconError(f"'answer' is {spec.answer}, which is not one of the choices",
                               fix="write one of: " + ", ".join(allowed))

    def words(self, spec):
        return []      # pairs with a word the model lacks are skipped and counted, as gensim does

    def anchor_hint(self, spec):
        return "exercise " + " ".join(spec.datasets)

    def compute(self, kv, spec):
        runs = [word_pairs(kv, d, restrict_vocab=spec.restrict_vocab, path=PAIR_FILES[d].path) for d in spec.datasets]
        data = [(np.array([p[2] for p in r["pairs"]], dtype=np.float64),
                 np.array([p[3] for p in r["pairs"]], dtype=np.float64)) for r in runs]
        per_seed = []
        for k in range(spec.seeds):
            rng = np.random.default_rng(spec.seed + k)
            rhos = [resampled_rho(h, m, spec.resamples, rng) for h, m in data]
            n = min(len(rhos[0]), len(rhos[1]))
            diff = rhos[0][:n] - rhos[1][:n]
            per_seed.append({"seed": spec.seed + k, "diff": interval(diff),
                             "rho": [interval(r) for r in rhos]})
        decisions = {_decide(s["diff"], spec.datasets) for s in per_seed}
        if len(decisions) > 1:
            raise LexiconError(f"the decision depends on the seed: the {LEVEL} % interval of the difference is "
                               + "; ".join(f"[{s['diff'][0]:.3f}, {s['diff'][1]:.3f}] (seed {s['seed']})"
                                           for s in per_seed),
                               fix="choose two datasets whose gap is clearly real or clearly noise, or raise 'resamples'")
        return {"rho": [r["spearman"] for r in runs], "used": [len(r["pairs"]) for r in runs],
                "skipped": [r["skipped"] for r in runs], "per_seed": per_seed,
                "answer": decisions.pop(), "shared": shared_pairs(runs)}

    def claims(self, spec, result, check):
        if spec.answer is None:
            return
        got = result["answer"]
        lo, hi = result["per_seed"][0]["diff"]
        check(f"the answer is '{spec.answer}' ({' vs '.join(spec.datasets)}, on {spec.seeds} seeds)",
              str(spec.answer) == got,
              f"it is '{got}': ρ = {result['rho'][0]:.3f} vs {result['rho'][1]:.3f}, {LEVEL} % interval of the "
              f"difference [{lo:.3f}, {hi:.3f}]")

    # --- values for prose ------------------------------------------------------------------------
    @value("How many word pairs (in either order, case ignored) both files hold and the model knows.")
    def shared(self, spec, result):
        return Value(f"{len(result['shared']):,}", len(result["shared"]))

    @value("People's score of a pair that both files hold, in one file: `score(simlex999, closet, clothes)`.")
    def score(self, spec, result, dataset, a, b):
        i = _index(spec, dataset)
        for row in result["shared"]:
            if {row[0], row[1]} == {a.lower(), b.lower()}:
                return Value(f"{row[2 + i]:.2f}", row[2 + i])
        raise LexiconError(f"the pair {a}–{b} is not in both files (or the model lacks a word)",
                           fix="quote a pair both files hold; the block lists them in the cache ('shared')")
    @value("The answer: the dataset that scores higher beyond the noise, or `neither`.")
    def winner(self, spec, result):
        return Value(result["answer"])

    @value("A dataset's Spearman ρ, as the reveal shows it: `rho(simlex999)`.")
    def rho(self, spec, result, dataset):
        r = result["rho"][_index(spec, dataset)]
        return Value(f"{r:.3f}", r)

    @value("An end of a dataset's 95 % resampling interval for ρ (first seed): `rho_low(wordsim353)`, `rho_high(…)`.")
    def rho_low(self, spec, result, dataset):
        r = result["per_seed"][0]["rho"][_index(spec, dataset)][0]
        return Value(f"{r:.3f}", r)

    @value("The upper end of a dataset's 95 % resampling interval for ρ (first seed).")
    def rho_high(self, spec, result, dataset):
        r = result["per_seed"][0]["rho"][_index(spec, dataset)][1]
        return Value(f"{r:.3f}", r)

    @value("The lower end of the 95 % interval of the difference (first minus second), lowest over the seeds.")
    def diff_low(self, spec, result):
        r = min(s["diff"][0] for s in result["per_seed"])
        return Value(f"{r:.3f}", r)

    @value("The upper end of the 95 % interval of the difference, highest over the seeds.")
    def diff_high(self, spec, result):
        r = max(s["diff"][1] for s in result["per_seed"])
        return Value(f"{r:.3f}", r)

    def render(self, spec, result, ctx):
        a, b = spec.datasets
        labels = {a: f"{NAMES[a]} scores higher", b: f"{NAMES[b]} scores higher",
                  NEITHER: "Neither: the gap is within resampling noise"}
        order = [a, NEITHER, b]
        rho, first = result["rho"], result["per_seed"][0]
        lo, hi = first["diff"]
        why = {labels[d]: (f"{NAMES[a]}: ρ = {rho[0]:.3f}; {NAMES[b]}: ρ = {rho[1]:.3f}; the {LEVEL} % interval of "
                           f"the difference is [{lo:.3f}, {hi:.3f}].") for d in order}
        rows = [[NAMES[d], f"{rho[i]:.3f}",
                 f"[{first['rho'][i][0]:.3f}, {first['rho'][i][1]:.3f}]", f"{result['used'][i]:,}",
                 f"{result['skipped'][i]:,}"] for i, d in enumerate(spec.datasets)]
        table = Table(["Dataset", "Spearman ρ", f"{LEVEL} % resampling interval", "Pairs used", "Skipped"], rows,
                      numeric=(1, 3, 4))
        seeds = Table(["Seed", f"{LEVEL} % interval of ρ({NAMES[a]}) − ρ({NAMES[b]})"],
                      [[str(s["seed"]), f"[{s['diff'][0]:.3f}, {s['diff'][1]:.3f}]"] for s in result["per_seed"]],
                      numeric=(0,))
        answer = labels[result["answer"]]
        reveal = [Html(f"<p><strong>{esc(answer)}.</strong> Each file's pairs were drawn again with replacement "
                       f"{spec.resamples:,} times; the interval holds the middle {LEVEL} % of the resampled "
                       "values.</p>"), table,
                  Html(f"<p>The same decision on each of the {spec.seeds} seeds:</p>"), seeds]
        return Choices([labels[d] for d in order], answer, why, reveal)


def shared_pairs(runs: list[dict]) -> list[list]:
    """The pairs both runs scored, in either order and case ignored: [a, b, first file's score, second's], sorted."""
    scores = [{frozenset((p[0].lower(), p[1].lower())): (p[0].lower(), p[1].lower(), float(p[2])) for p in r["pairs"]}
              for r in runs]
    both = sorted(set(scores[0]) & set(scores[1]), key=lambda k: scores[0][k][:2])
    return [[*scores[0][k][:2], scores[0][k][2], scores[1][k][2]] for k in both]


def _decide(diff: list[float], datasets: list[str]) -> str:
    lo, hi = diff
    if lo > 0:
        return datasets[0]
    if hi < 0:
        return datasets[1]
    return NEITHER


def _index(spec, dataset: str) -> int:
    if dataset not in spec.datasets:
        raise LexiconError(f"'{dataset}' is not one of the exercise's datasets", fix="name one of: "
                           + ", ".join(spec.datasets))
    return spec.datasets.index(dataset)
