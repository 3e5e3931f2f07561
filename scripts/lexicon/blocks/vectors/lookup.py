from __future__ import annotations

import re

import numpy as np

from ... import figures
from ...engine import Kind, Value, opt, value
from ...engine.pieces import Code, Figure, Html, Raw, Table
from ...errors import LexiconError
from ...render import esc, fmt

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


class Lookup(Kind):
    """Token → row id → row of the embedding matrix, on the model's real matrix, with a check that one-hot × matrix gives the same row.

    An embedding layer is a matrix with one row per vocabulary entry. Looking a token up means
    turning it into its row number (its id) and reading that row; the same row comes out of
    multiplying the token's one-hot vector by the matrix, which is why the layer can be trained
    like any other. The block shows this on the model's real matrix (gensim's `kv.vectors`,
    rows in `kv.key_to_index` order).
    """

    example = "words: [the, cat, sat, mat]\nexpect:\n  - the < cat"
    options = opt.Options(
        Kind.options,
        words=opt.words("The tokens to look up.", min=1, max=8, unique=True, required=True),
        dims=opt.integer("How many numbers of each row the table shows.", default=6, min=1, max=12, display=True),
        expect=opt.claims("Statements such as `the < cat`: the row of *the* comes before the row of *cat*."),
        caption=opt.caption("“The rows the lookup returns, all of their numbers: …”"),
        figure=opt.show_figure("Show the heatmap of the rows."),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        for text in spec.expect:
            row_statement(text, spec.words)

    def compute(self, kv, spec):
        m = kv.vectors
        out = []
        for w in spec.words:
            i = int(kv.key_to_index[w])
            onehot = np.zeros(m.shape[0], dtype=m.dtype)
            onehot[i] = 1
            via_onehot = onehot @ m
            out.append({"word": w, "id": i,
                        "row": np.round(m[i].astype(float), VALUE_DIGITS).tolist(),
                        "same_as_onehot": bool(np.array_equal(via_onehot, m[i])),
                        "same_as_kv": bool(np.array_equal(kv[w], m[i]))})
        return {"rows": out, "shape": [int(m.shape[0]), int(m.shape[1])]}

    def claims(self, spec, result, check):
        ids = {r["word"]: r["id"] for r in result["rows"]}
        for text in spec.expect:
            a, op, b = row_statement(text, spec.words)
            check(f"the row of '{a}' comes {'before' if op == '<' else 'after'} the row of '{b}'",
                  ids[a] < ids[b] if op == "<" else ids[a] > ids[b], f"'{a}' is row {ids[a]:,}, '{b}' is row {ids[b]:,}")

    @value("A token's row number (its id).")
    def row(self, spec, result, word):
        ids = {r["word"]: r["id"] for r in result["rows"]}
        return Value(f"{ids[word]:,}", ids[word])

    @value("How many numbers the whole matrix holds (rows × columns).")
    def size(self, spec, result):
        n, d = result["shape"]
        return Value(f"{n * d:,}", n * d)

    def render(self, spec, result, ctx):
        rows, (n_rows, n_dims) = result["rows"], result["shape"]
        k = min(spec.dims, n_dims)
        table_rows = [[r["word"], f"{r['id']:,}",
                       Raw(f"<code>[{esc(', '.join(fmt(x, VALUE_DIGITS) for x in r['row'][:k]))}, …]</code>"),
                       "yes" if r["same_as_onehot"] else "NO"] for r in rows]
        words = [r["word"] for r in rows]
        code = ("ids = [kv.key_to_index[w] for w in " + repr(words) + "]\n"
                "rows = kv.vectors[ids]            # the lookup: one row per token\n\n"
                "import numpy as np\n"
                "onehot = np.zeros(len(kv.vectors)); onehot[ids[0]] = 1\n"
                "assert (onehot @ kv.vectors == kv.vectors[ids[0]]).all()  # the same row\n")
        return [
            Html(f'<p class="ll-caption">The matrix: <strong>{n_rows:,}</strong> rows (one per word) × '
                 f'<strong>{n_dims}</strong> columns = <strong>{n_rows * n_dims:,}</strong> numbers.</p>'),
            Table(["Token", "Row (id)", f"Row of the matrix: first {k} of {n_dims} numbers",
                   "one-hot × matrix gives the same row"], table_rows, numeric=(1,), cls="ll-table--lookup"),
            Figure(lambda: _rows_heatmap(words, [r["row"] for r in rows]),
                   alt=f"Heatmap of the {len(rows)} rows looked up, {n_dims} numbers each: "
                       + "; ".join(f"{r['word']} is row {r['id']:,}" for r in rows) + ".",
                   caption=spec.caption, height=110 + 34 * len(rows), fallback=False,
                   default_caption="The rows the lookup returns, all of their numbers: this is what the next "
                                   "layer of a network receives.",
                   table=Table(["Token"] + [str(d + 1) for d in range(n_dims)],
                               [[r["word"]] + [fmt(x, VALUE_DIGITS) for x in r["row"]] for r in rows],
                               numeric=tuple(range(1, n_dims + 1)), cls="ll-table--wide")),
            Code(code, "The Python behind this lookup"),
        ]


def _rows_heatmap(labels, vectors):
    fig = figures.vectors_heatmap(labels, vectors)
    fig.update_yaxes(fixedrange=True)
    fig.update_xaxes(fixedrange=True)
    return fig
