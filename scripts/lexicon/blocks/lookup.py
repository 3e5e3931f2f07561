"""``lookup`` and ``matrix-size-exercise``: the embedding matrix as a lookup table.

An embedding layer is a matrix with one row per vocabulary entry. Looking a token
up means turning it into its row number (its id) and reading that row; the same
row comes out of multiplying the token's one-hot vector by the matrix, which is
why the layer can be trained like any other. ``lookup`` shows this on the
model's real matrix (gensim's ``kv.vectors``, rows in ``kv.key_to_index`` order);
the exercise asks how many numbers the matrix holds.
"""

from __future__ import annotations

import re

import numpy as np

from .. import figures
from ..claims import Claim
from ..errors import LexiconError
from ..render import Raw, claims_html, code_details, esc, figure_or_table, fmt, model_note, table
from .base import CAPTION, Block, obj, register, str_list
from .exercise import choice_exercise

VALUE_DIGITS = 3
ROW_STATEMENT = re.compile(r"^\s*(\S+)\s*([<>])\s*(\S+)\s*$")


def row_statement(text: str, words: list[str]) -> tuple[str, str, str]:
    m = ROW_STATEMENT.match(str(text))
    if not m:
        raise LexiconError(f"cannot read the statement '{text}'",
                           fix="write 'the < cat': the row of 'the' comes before the row of 'cat'")
    left, op, right = m.groups()
    for w in (left, right):
        if w not in words:
            raise LexiconError(f"the statement '{text}' uses '{w}', which is not one of the words",
                               fix=f"compare words listed under 'words': {', '.join(words)}")
    return left, op, right


@register
class Lookup(Block):
    kind = "lookup"
    summary = ("Token → row id → row of the embedding matrix, on the model's real matrix, with a check "
               "that one-hot × matrix gives the same row.")
    schema = obj({
        "words": {**str_list(1, 8), "uniqueItems": True},
        "dims": {"type": "integer", "minimum": 1, "maximum": 12},
        "expect": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "caption": CAPTION,
        "figure": {"type": "boolean"},
        "code": {"type": "boolean"},
    }, required=["words"])
    display_options = ("caption", "figure", "code", "expect", "dims")
    example = "words: [the, cat, sat]\ndims: 6\nexpect:\n  - the < cat"

    def parse(self, data):
        for text in data.get("expect", []):
            row_statement(text, data["words"])
        return {"words": data["words"], "dims": data.get("dims", 6), "expect": data.get("expect", []),
                "caption": data.get("caption"), "figure": data.get("figure", True), "code": data.get("code", True)}

    def words(self, spec):
        return spec["words"]

    def anchor_hint(self, spec):
        return " ".join(spec["words"][:4])

    def compute(self, kv, spec):
        m = kv.vectors
        out = []
        for w in spec["words"]:
            i = int(kv.key_to_index[w])
            onehot = np.zeros(m.shape[0], dtype=m.dtype)
            onehot[i] = 1
            via_onehot = onehot @ m
            out.append({"word": w, "id": i,
                        "row": np.round(m[i].astype(float), VALUE_DIGITS).tolist(),
                        "same_as_onehot": bool(np.array_equal(via_onehot, m[i])),
                        "same_as_kv": bool(np.array_equal(kv[w], m[i]))})
        return {"rows": out, "shape": [int(m.shape[0]), int(m.shape[1])]}

    def claims(self, spec, result):
        ids = {r["word"]: r["id"] for r in result["rows"]}
        out = []
        for text in spec["expect"]:
            a, op, b = row_statement(text, spec["words"])
            ok = ids[a] < ids[b] if op == "<" else ids[a] > ids[b]
            out.append(Claim(statement=f"the row of '{a}' comes {'before' if op == '<' else 'after'} the row of "
                                       f"'{b}'", ok=ok, actual=f"'{a}' is row {ids[a]:,}, '{b}' is row {ids[b]:,}"))
        return out

    def render(self, spec, result, ctx):
        rows, (n_rows, n_dims) = result["rows"], result["shape"]
        k = min(spec["dims"], n_dims)
        table_rows = []
        for r in rows:
            first = ", ".join(fmt(x, VALUE_DIGITS) for x in r["row"][:k])
            table_rows.append([r["word"], f"{r['id']:,}", Raw(f"<code>[{esc(first)}, …]</code>"),
                               "yes" if r["same_as_onehot"] else "NO"])
        tbl = table(["Token", "Row (id)", f"Row of the matrix: first {k} of {n_dims} numbers",
                     "one-hot × matrix gives the same row"], table_rows, numeric_cols=(1,), cls="ll-table--lookup")
        words = [r["word"] for r in rows]
        labels = [r["word"] for r in rows]
        alt = (f"Heatmap of the {len(rows)} rows looked up, {n_dims} numbers each: " +
               "; ".join(f"{r['word']} is row {r['id']:,}" for r in rows) + ".")
        full = table(["Token"] + [str(d + 1) for d in range(n_dims)],
                     [[r["word"]] + [fmt(x, VALUE_DIGITS) for x in r["row"]] for r in rows],
                     numeric_cols=tuple(range(1, n_dims + 1)))
        code = ("ids = [kv.key_to_index[w] for w in " + repr(words) + "]\n"
                "rows = kv.vectors[ids]            # the lookup: one row per token\n\n"
                "import numpy as np\n"
                "onehot = np.zeros(len(kv.vectors)); onehot[ids[0]] = 1\n"
                "assert (onehot @ kv.vectors == kv.vectors[ids[0]]).all()  # the same row\n")
        summary = (f'<p class="ll-caption">The matrix: <strong>{n_rows:,}</strong> rows (one per word) × '
                   f'<strong>{n_dims}</strong> columns = <strong>{n_rows * n_dims:,}</strong> numbers.</p>')
        return "".join([
            f'<div class="ll-block ll-lookup" id="{esc(ctx.anchor)}">',
            summary, tbl,
            figure_or_table(spec["figure"], lambda: _rows_heatmap(labels, [r["row"] for r in rows]),
                            alt=alt, caption=spec["caption"],
                            default_caption="The rows the lookup returns, all of their numbers: this is what "
                                            "the next layer of a network receives.",
                            data_table=full, height=110 + 34 * len(rows), anchor=ctx.anchor + "-figure")
            if spec["figure"] else "",
            claims_html(ctx.claims),
            code_details(code, "The Python behind this lookup") if spec["code"] else "",
            model_note(ctx.model_id), "</div>",
        ])


def _rows_heatmap(labels, vectors):
    fig = figures.vectors_heatmap(labels, vectors)
    fig.update_yaxes(fixedrange=True)
    fig.update_xaxes(fixedrange=True)
    return fig


@register
class MatrixSizeExercise(Block):
    kind = "matrix-size-exercise"
    summary = ("An exercise: how many numbers does the model's embedding matrix hold? The choices are "
               "rows × columns and the usual mistakes, computed from the model's real shape.")
    schema = obj({
        "prompt": {"type": "string", "minLength": 1},
        "explanation": {"type": "string", "minLength": 1},
    })
    example = "prompt: How many numbers does this model's embedding matrix hold?"

    def parse(self, data):
        return {"prompt": data.get("prompt", "The model has one row per word in its vocabulary, and each row is "
                                             "one word's vector. How many numbers does its embedding matrix "
                                             "hold?"),
                "explanation": data.get("explanation")}

    def anchor_hint(self, spec):
        return "exercise matrix size"

    def compute(self, kv, spec):
        return {"shape": [int(kv.vectors.shape[0]), int(kv.vectors.shape[1])]}

    def render(self, spec, result, ctx):
        v, d = result["shape"]
        cands = [
            (v * d, f"{v * d:,} = {v:,} rows × {d} numbers per row: every word has its own row of {d} numbers."),
            (v, f"{v:,} is the number of rows (words); each row holds {d} numbers."),
            (d, f"{d} is the length of one row (one word's vector), not the size of the matrix."),
            (v + d, f"{v + d:,} adds rows and columns; a matrix holds rows × columns numbers."),
        ]
        seen, opts = set(), []
        for n, why in cands:
            if n not in seen:
                seen.add(n)
                opts.append((n, why))
        labels = [f"{n:,}" for n, _ in sorted(opts)]
        why = {f"{n:,}": w for n, w in opts}
        answer = f"{v * d:,}"
        reveal = (f'<p>The matrix holds <strong>{answer}</strong> numbers: {v:,} rows, one per word, each '
                  f'{d} numbers long. An embedding layer of this size has that many trainable parameters.</p>')
        return choice_exercise("matrix-size", ctx.anchor, spec["prompt"], labels, answer, why, reveal,
                               spec["explanation"], ctx.model_id)
