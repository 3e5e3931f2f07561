"""The tsne and umap kinds: the same words laid out by one method at several settings, side by side."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Details, Figure, Table
from ...errors import LexiconError
from ...numeric import COORD_DIGITS, rounded
from ...render import fmt
from ._figures import small_multiples
from ._judging import group_agreement, kept_neighbours, pct
from ._layouts import METHOD_NAME, SETTING, check_setting, layout, layout_call, vectors_call
from ._setting_claims import CLAIMS_DOC, check_setting_claim, parse_setting_claim
from ._words import GROUPS, SEED, WORDS, group_hint, has_groups, read_words, unit_vectors

K = opt.integer("How many nearest neighbours of each word *kept* compares.", default=5, min=1, max=20)
EXPECT = opt.claims(CLAIMS_DOC, "list of [claims](#claims)")
CAPTION = opt.caption("“The same … words laid out by … at … values of …. *Kept*: …”")


def sweep_options(settings_key: str, doc: str, item: dict, type_doc: str, **more: opt.Option) -> opt.Options:
    """The options of a sweep kind: its words, its list of settings (``perplexities``, ``n_neighbors``),
    one map each, and whatever else its method takes."""
    settings = opt.raw(doc, {"type": "array", "minItems": 1, "maxItems": 6, "uniqueItems": True, "items": item},
                       type_doc, default=[2, 5, 15, 30], convert=list)
    return opt.Options(Kind.options, words=WORDS, groups=GROUPS, **{settings_key: settings}, k=K, seed=SEED,
                       caption=CAPTION, expect=EXPECT, **more)


def _min_dist(spec) -> float:
    return getattr(spec, "min_dist", 0.1)   # umap only


class Sweep(Kind):
    """A sweep kind sets ``method`` and names its list of settings ``settings_key``."""

    distinct_words = True  # a map (geometry.require_spread)

    method = ""
    settings_key = ""

    def prepare(self, spec):
        read_words(spec, self.kind)
        spec.settings = list(getattr(spec, self.settings_key))
        for s in spec.settings:
            check_setting(self.method, s, len(spec.word_list))
        if spec.k >= len(spec.word_list):
            raise LexiconError(f"k ({spec.k}) must be less than the number of words ({len(spec.word_list)})",
                               fix="lower k (how many nearest neighbours of each word to compare) or add words")
        for text in spec.expect:
            parse_setting_claim(text, spec.settings, SETTING[self.method])

    def words(self, spec):
        return spec.word_list

    def anchor_hint(self, spec):
        return group_hint(spec.word_list, spec.group_of)

    def compute(self, kv, spec):
        x = unit_vectors(kv, spec.word_list)
        maps = []
        for s in spec.settings:
            coords = layout(x, self.method, s, spec.seed, _min_dist(spec))
            m = {"coords": rounded(coords, COORD_DIGITS), "kept": kept_neighbours(x, coords, spec.k)}
            if has_groups(spec.group_of):
                m["groups"] = group_agreement(coords, spec.group_of)
            maps.append(m)
        return {"maps": maps, "dims": int(x.shape[1])}

    def claims(self, spec, result, check):
        for t in spec.expect:
            check_setting_claim(check, t, spec.settings, SETTING[self.method], result["maps"],
                                has_groups(spec.group_of))

    # --- values for prose -----------------------------------------------------------------------------
    @value("How many words the maps show.")
    def points(self, spec, result):
        return Value(f"{len(spec.word_list):,}", len(spec.word_list))

    @value("The number of dimensions the words are mapped from.")
    def dims(self, spec, result):
        return Value(str(result["dims"]), result["dims"])

    @value("The block's n-th setting, counting from 1 in the order the block lists them (`setting(1)` for the "
           "first panel), as the panel titles write it.")
    def setting(self, spec, result, n):
        try:
            k = int(str(n).strip())
        except ValueError:
            k = 0
        if not 1 <= k <= len(spec.settings):
            raise LexiconError(f"the block has no setting '{n}'",
                               fix=f"count from 1 to {len(spec.settings)} in the order of "
                                   f"'{self.settings_key}': " + ", ".join(str(s) for s in spec.settings))
        s = spec.settings[k - 1]
        return Value(str(s), s)

    @value("The share of kept neighbours on the map at this setting, as the table shows it.")
    def kept_at(self, spec, result, setting):
        kept = self._map(spec, result, setting)["kept"]
        return Value(fmt(kept, 3), kept)

    @value("The group agreement on the map at this setting, as the table shows it.")
    def groups_at(self, spec, result, setting):
        m = self._map(spec, result, setting)
        if "groups" not in m:
            raise LexiconError("the block has one list of words, so no group agreement",
                               fix="write the words as 'groups', or quote kept_at(...)")
        return Value(fmt(m["groups"], 3), m["groups"])

    @value("The setting whose map keeps the most neighbours (the first, if several tie).")
    def most_kept(self, spec, result):
        i = max(range(len(spec.settings)), key=lambda j: (result["maps"][j]["kept"], -j))
        return Value(str(spec.settings[i]), spec.settings[i])

    @value("The setting whose map keeps the fewest neighbours (the first, if several tie).")
    def fewest_kept(self, spec, result):
        i = min(range(len(spec.settings)), key=lambda j: (result["maps"][j]["kept"], j))
        return Value(str(spec.settings[i]), spec.settings[i])

    def _map(self, spec, result, setting) -> dict:
        try:
            wanted = float(str(setting).strip())
        except ValueError:
            wanted = None
        for s, m in zip(spec.settings, result["maps"]):
            if wanted is not None and float(s) == wanted:
                return m
        raise LexiconError(f"the block computes no map at {SETTING[self.method]} {setting}",
                           fix="name one of its settings: " + ", ".join(str(s) for s in spec.settings))

    # --- rendering ------------------------------------------------------------------------------------
    def render(self, spec, result, ctx):
        words, labels, settings, maps = spec.word_list, spec.group_of, spec.settings, result["maps"]
        name, setting = METHOD_NAME[self.method], SETTING[self.method]
        grouped = has_groups(labels)
        groups = list(dict.fromkeys(labels))

        def measures(m):
            return f"kept {pct(m['kept'])}" + (f" · groups {pct(m['groups'])}" if grouped else "")

        # Two short lines per panel title: one line would be clipped on a phone.
        titles = [f"{setting} {s}<br>{measures(m)}" for s, m in zip(settings, maps)]
        rows = -(-len(settings) // 2)
        alt = (f"{len(settings)} scatter plots of the same {len(words)} words"
               + (f" in {len(groups)} groups ({', '.join(groups)})" if grouped else "")
               + f", laid out by {name} with {setting} " + ", ".join(str(s) for s in settings) + ". "
               + "; ".join(f"{setting} {s}: {pct(m['kept'])} of nearest neighbours kept"
                           + (f", {pct(m['groups'])} of words next to their own group" if grouped else "")
                           for s, m in zip(settings, maps)) + ".")
        default_caption = (
            f"The same {len(words)} words laid out by {name} at {len(settings)} values of {setting}. "
            f"*Kept*: the share of each word's {spec.k} nearest words in {result.get('dims', 50)} dimensions "
            f"that are also among its {spec.k} nearest on the map."
            + (" *Groups*: the share of words whose nearest word on the map is in their own group." if grouped else ""))
        mrows = [[f"{setting} {s}", fmt(m["kept"], 3)] + ([fmt(m["groups"], 3)] if grouped else [])
                 for s, m in zip(settings, maps)]
        mtable = Table([setting.capitalize() if setting == "perplexity" else setting,
                        f"Kept neighbours (k = {spec.k})"] + (["Group agreement"] if grouped else []),
                       mrows, numeric=(1, 2))
        headers = ["Word"] + (["Group"] if grouped else []) + [f"{s} {ax}" for s in settings for ax in ("x", "y")]
        crows = [[w] + ([g] if grouped else []) + [fmt(m["coords"][i][ax], 3) for m in maps for ax in (0, 1)]
                 for i, (w, g) in enumerate(zip(words, labels))]
        first = 2 if grouped else 1
        call = layout_call(self.method, setting, spec.seed, _min_dist(spec))
        calls = (vectors_call(words) + f"\nfor {setting} in {settings!r}:\n    "
                 + call.split("\n", 1)[1].replace("\n", "\n    "))
        calls = call.split("\n", 1)[0] + "\n" + calls
        return [
            Figure(lambda: small_multiples(words, labels, [m["coords"] for m in maps], titles),
                   alt=alt, caption=spec.caption, default_caption=default_caption, table=mtable,
                   height=60 + 300 * rows),
            Details(f"Coordinates of all {len(words)} words",
                    [Table(headers, crows, numeric=tuple(range(first, len(headers))), cls="ll-table--wide")]),
            Code(calls, f"The {name} calls behind these maps"),
        ]
