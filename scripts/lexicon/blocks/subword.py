"""``subword`` and ``subword-exercise``: a word's character n-grams exactly as fastText forms them.

fastText (Bojanowski et al. 2017) wraps a word in the boundary markers ``<`` and
``>`` and represents it by all its character n-grams, n from 3 to 6 by default.
The n-grams here come from gensim's own functions (``compute_ngrams_bytes``, the
port of fastText's C++ code that gensim trains with, and ``ft_ngram_hashes`` for
the bucket each n-gram's vector lives in), not from code of ours. Neither kind
needs the embedding model, so they compute on every build and are never cached.
"""

from __future__ import annotations

from ..claims import Claim
from ..errors import LexiconError
from ..render import Raw, author_markdown, claims_html, code_details, esc, table
from .base import CAPTION, Block, obj, register
from .exercise import choice_exercise

BUCKETS = 2_000_000  # fastText's and gensim's default number of hash buckets
N_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 10}


def ngrams(word: str, minn: int, maxn: int) -> list[str]:
    """The n-grams in the order fastText builds them (by start position, then length)."""
    from gensim.models.fasttext import compute_ngrams_bytes

    return [b.decode("utf-8") for b in compute_ngrams_bytes(word, minn, maxn)]


def bucket_ids(word: str, minn: int, maxn: int, buckets: int) -> list[int]:
    from gensim.models.fasttext import ft_ngram_hashes

    return [int(h) for h in ft_ngram_hashes(word, minn, maxn, buckets)]


def check_range(data: dict) -> tuple[int, int]:
    minn, maxn = data.get("minn", 3), data.get("maxn", 6)
    if minn > maxn:
        raise LexiconError(f"'minn' ({minn}) is larger than 'maxn' ({maxn})",
                           fix="make minn at most maxn, e.g. minn: 3, maxn: 6 (fastText's defaults)")
    return minn, maxn


def check_word(word: str) -> None:
    if not word.strip() or any(ch.isspace() for ch in word):
        raise LexiconError(f"'{word}' is not a single word", fix="write one word without spaces")


@register
class Subword(Block):
    kind = "subword"
    summary = ("A word's character n-grams exactly as fastText forms them (gensim's compute_ngrams_bytes), "
               "grouped by length, with the hash bucket of each.")
    needs_model = False
    schema = obj({
        "word": {"type": "string", "minLength": 1},
        "minn": N_SCHEMA,
        "maxn": N_SCHEMA,
        "buckets": {"type": "integer", "minimum": 1, "maximum": 100_000_000},
        "expect": obj({"count": {"type": "integer", "minimum": 0},
                       "contains": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}),
        "caption": CAPTION,
        "code": {"type": "boolean"},
    }, required=["word"])
    example = "word: where\nminn: 3\nmaxn: 6\nexpect: {count: 14, contains: ['<wh', 'her']}"

    def parse(self, data):
        check_word(data["word"])
        minn, maxn = check_range(data)
        return {"word": data["word"], "minn": minn, "maxn": maxn, "buckets": data.get("buckets", BUCKETS),
                "expect": data.get("expect", {}), "caption": data.get("caption"), "code": data.get("code", True)}

    def anchor_hint(self, spec):
        return spec["word"]

    def compute(self, kv, spec):
        word, minn, maxn = spec["word"], spec["minn"], spec["maxn"]
        grams = ngrams(word, minn, maxn)
        return {"ngrams": grams, "buckets": bucket_ids(word, minn, maxn, spec["buckets"]),
                "wrapped": f"<{word}>"}

    def claims(self, spec, result):
        out = []
        grams = result["ngrams"]
        what = f"the {spec['minn']}–{spec['maxn']}-grams of '{spec['word']}'"
        if "count" in spec["expect"]:
            n = spec["expect"]["count"]
            out.append(Claim(statement=f"fastText forms {n} character n-grams (n = {spec['minn']}–{spec['maxn']}) "
                                       f"for '{spec['word']}'", ok=len(grams) == n,
                             actual=f"it forms {len(grams)}: {', '.join(grams)}"))
        for g in spec["expect"].get("contains", []):
            out.append(Claim(statement=f"'{g}' is one of {what}", ok=g in grams,
                             actual=f"{what}: {', '.join(grams)}"))
        return out

    def render(self, spec, result, ctx):
        word, grams, ids = spec["word"], result["ngrams"], result["buckets"]
        by_n: dict[int, list[str]] = {}
        for g in grams:
            by_n.setdefault(len(g), []).append(g)
        rows = [[n, Raw(" ".join(f"<code>{esc(g)}</code>" for g in gs)), len(gs)] for n, gs in sorted(by_n.items())]
        tbl = table(["n", "Character n-grams", "How many"], rows, numeric_cols=(0, 2), cls="ll-table--ngrams")
        hash_rows = [[i + 1, Raw(f"<code>{esc(g)}</code>"), f"{b:,}"] for i, (g, b) in enumerate(zip(grams, ids))]
        caption = spec["caption"] or (
            f"fastText wraps “{word}” as <code>{esc(result['wrapped'])}</code> and cuts it into every piece "
            f"of {spec['minn']} to {spec['maxn']} characters: {len(grams)} n-grams.")
        caption_html = (author_markdown(spec["caption"], inline=True) if spec["caption"] else caption)
        code = ("from gensim.models.fasttext import compute_ngrams_bytes, ft_ngram_hashes\n\n"
                f"[g.decode() for g in compute_ngrams_bytes({word!r}, {spec['minn']}, {spec['maxn']})]\n"
                f"ft_ngram_hashes({word!r}, {spec['minn']}, {spec['maxn']}, {spec['buckets']})"
                "  # the row of each n-gram's vector")
        return "".join([
            f'<div class="ll-block ll-subword" id="{esc(ctx.anchor)}">',
            f'<p class="ll-caption">{caption_html}</p>',
            tbl,
            claims_html(ctx.claims),
            '<details class="ll-data"><summary>Where each n-gram\u2019s vector is stored</summary>'
            f'<p>fastText hashes each n-gram into one of {spec["buckets"]:,} rows (buckets) of a second '
            f'matrix; different n-grams can share a row.</p>'
            + table(["#", "n-gram", "Bucket"], hash_rows, numeric_cols=(0, 2)) + "</details>",
            code_details(code, "The gensim calls behind this list") if spec["code"] else "",
            "</div>",
        ])


@register
class SubwordExercise(Block):
    kind = "subword-exercise"
    summary = ("An exercise: how many character n-grams does fastText form for a word? The choices are "
               "the right count and the counts of common mistakes, each explained.")
    needs_model = False
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "word": {"type": "string", "minLength": 1},
        "minn": N_SCHEMA,
        "maxn": N_SCHEMA,
        "answer": {"type": "integer", "minimum": 0},
        "explanation": {"type": "string", "minLength": 1},
    }, required=["word"])
    example = "word: where\nminn: 3\nmaxn: 6\nanswer: 14"

    def parse(self, data):
        check_word(data["word"])
        minn, maxn = check_range(data)
        return {"word": data["word"], "minn": minn, "maxn": maxn, "answer": data.get("answer"),
                "explanation": data.get("explanation"),
                "prompt": data.get("prompt", f"With n from {minn} to {maxn}, how many character n-grams does "
                                             f"fastText form for \u201c{data['word']}\u201d?")}

    def anchor_hint(self, spec):
        return "exercise " + spec["word"]

    def compute(self, kv, spec):
        word, minn, maxn = spec["word"], spec["minn"], spec["maxn"]
        right = ngrams(word, minn, maxn)
        # Common mistakes, each computed by the same gensim function on a changed question.
        no_markers = [g for g in ngrams(word, minn, maxn) if "<" not in g and ">" not in g]
        only_min = [g for g in right if len(g) == minn]
        whole = f"<{word}>"
        with_word = right + ([whole] if whole not in right else [])
        return {"ngrams": right, "no_markers": no_markers, "only_min": only_min, "with_word": with_word}

    def options(self, spec, result):
        """(count, why) per choice; the right count first, then distinct wrong ones."""
        word, minn, maxn = spec["word"], spec["minn"], spec["maxn"]
        right = result["ngrams"]
        cands = [
            (len(right), f"{len(right)}: fastText wraps the word as <{word}> and takes every piece of "
                         f"{minn} to {maxn} characters: {', '.join(right)}."),
            (len(result["no_markers"]), f"{len(result['no_markers'])} forgets the boundary markers < and >: "
                                        f"only the pieces inside the bare word."),
            (len(result["only_min"]), f"{len(result['only_min'])} counts only the {minn}-grams."),
            (len(result["with_word"]), f"{len(result['with_word'])} also counts the whole word <{word}>, which "
                                       "fastText stores as a word of its own vocabulary, not as an n-gram."),
        ]
        seen, out = set(), []
        for n, why in cands:
            if n not in seen:
                seen.add(n)
                out.append((n, why))
        return out

    def claims(self, spec, result):
        if spec["answer"] is None:
            return []
        n = len(result["ngrams"])
        return [Claim(statement=f"fastText forms {spec['answer']} character n-grams (n = {spec['minn']}–"
                                f"{spec['maxn']}) for '{spec['word']}'", ok=spec["answer"] == n,
                      actual=f"it forms {n}: {', '.join(result['ngrams'])}")]

    def render(self, spec, result, ctx):
        opts = self.options(spec, result)
        right = str(len(result["ngrams"]))
        labels = [str(n) for n, _ in sorted(opts)]
        why = {str(n): w for n, w in opts}
        by_n: dict[int, list[str]] = {}
        for g in result["ngrams"]:
            by_n.setdefault(len(g), []).append(g)
        rows = [[n, Raw(" ".join(f"<code>{esc(g)}</code>" for g in gs)), len(gs)] for n, gs in sorted(by_n.items())]
        reveal = (f'<p>fastText forms <strong>{esc(right)}</strong> n-grams for '
                  f'<code>{esc("<" + spec["word"] + ">")}</code>:</p>'
                  + table(["n", "Character n-grams", "How many"], rows, numeric_cols=(0, 2), cls="ll-table--ngrams")
                  + claims_html(ctx.claims))
        html = choice_exercise("subword", ctx.anchor, spec["prompt"], labels, right, why, reveal,
                               spec["explanation"], ctx.model_id)
        return _drop_model_note(html)


def _drop_model_note(html: str) -> str:
    """The exercise frame ends with a model note; this exercise uses no model, so say so instead."""
    start = html.rfind('<p class="ll-model"')
    if start == -1:
        return html
    end = html.index("</p>", start) + len("</p>")
    note = '<p class="ll-model">Computed at build time with gensim\u2019s fastText n-gram code (no embedding model).</p>'
    return html[:start] + note + html[end:]
