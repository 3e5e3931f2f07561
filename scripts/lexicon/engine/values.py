"""Computed values in prose: ``{{ ref.name }}``, ``{{ ref.name(args) }}`` and ``{{ = arithmetic }}``.

``ref`` is a block of the same page, by its ``id`` option, or by its kind when the page has
one block of that kind; ``model`` is the configured model. ``name`` is one of the kind's
``@value`` methods, one of its options (a number, a word; ``.count`` counts a list), or for
the model ``name``, ``dims`` and ``words``. ``{{ = 1*4 + 2*(-5) }}`` computes arithmetic
(``+ - * / **``, parentheses, ``sqrt``), with an optional format after a colon
(``{{ = 12 / 32.83 : .3f }}``). The value is written exactly as the block's own table
writes it, so prose cannot contradict the table beside it, and it comes from the same
cached result, so it needs no model on a warm build.
"""

from __future__ import annotations

import ast
import math
import operator
import re

from ..errors import LexiconError
from ..render import esc
from .kind import Value

REF = re.compile(r"\{\{(.*?)\}\}")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
CALL = re.compile(r"^\s*([a-z][a-z0-9-]*)\.([a-z_][a-z0-9_]*)(?:\((.*)\))?(\.count)?\s*$")
HELP = ("write {{ id.value }} with the block's 'id' (or its kind, if the page has one such block), e.g. "
        "{{ variance.components_for(90%) }}, {{ model.dims }}, or {{ = 1*4 + 2*(-5) }} for arithmetic")


def substitute(markdown: str, resolve, fenced: set[int] | None = None) -> tuple[str, list[tuple[int, str]]]:
    """Replace every reference outside code; returns the Markdown and (line, error) pairs.

    ``resolve(expr)`` returns the :class:`Value` of one reference's text or raises LexiconError;
    ``fenced`` holds the 1-based numbers of lines inside fences (left alone).
    """
    errors: list[tuple[int, str]] = []
    lines = markdown.split("\n")
    for i, line in enumerate(lines, start=1):
        if "{{" not in line or (fenced and i in fenced):
            continue

        def one(m, i=i):
            expr = m.group(1)
            try:
                v = resolve(expr)
            except LexiconError as err:
                errors.append((i, err))
                return m.group(0)
            return f'<span class="ll-value" title="Computed when the site was built">{esc(v.text)}</span>'

        lines[i - 1] = outside_code(line, lambda part: REF.sub(one, part))
    return "\n".join(lines), errors


def outside_code(line: str, fn) -> str:
    """The line with fn applied to the text outside its `code spans`."""
    out, pos = [], 0
    for m in CODE_SPAN.finditer(line):
        out.append(fn(line[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(fn(line[pos:]))
    return "".join(out)


def resolver(find, model_facts, names=lambda: []):
    """A resolve function for :func:`substitute`: ``find(ref)`` gives a prepared block or None,
    ``model_facts()`` the model's name, dimensions and vocabulary size, ``names()`` what prose
    may call the page's blocks (for the error message)."""
    def resolve(expr: str) -> Value:
        expr = expr.strip()
        if expr.startswith("="):
            return arithmetic(expr[1:])
        m = CALL.match(expr)
        if not m:
            raise LexiconError(f"cannot read the computed value '{{{{ {expr} }}}}'", fix=HELP)
        ref, name, args, count = m.groups()
        if ref == "model":
            facts = model_facts()
            if name not in facts:
                raise LexiconError(f"the model has no value '{name}'", fix="use model.name, model.dims or model.words")
            return facts[name]
        block = find(ref)
        if block is None:
            known = names()
            raise LexiconError(f"no block on this page is called '{ref}'"
                               + (f" (it has: {', '.join(known)})" if known else " (it has none)"),
                               fix="give the block 'id: " + ref + "' (or use its kind if the page has only one "
                                   "block of that kind); " + HELP)
        if block.error is not None or block.spec is None:
            raise LexiconError(f"the block '{ref}' failed, so its values are unknown", fix="fix that block first")
        return block_value(block, name, _args(args), bool(count))
    return resolve


def block_value(block, name: str, args: list[str], count: bool) -> Value:
    kind, spec, result = block.kind, block.spec, block.result
    methods = kind.values()
    if name in methods:
        if count:
            raise LexiconError(f"'.count' applies to a list option, not to the value '{name}'", fix=HELP)
        try:
            return methods[name](kind, spec, result, *args)
        except LexiconError:
            raise
        except (TypeError, KeyError, IndexError, ValueError) as exc:
            raise LexiconError(f"the value '{name}({', '.join(args)})' of the {kind.kind} block: "
                               f"{type(exc).__name__}: {exc}",
                               fix=f"check the arguments against the {kind.kind} block's values in "
                                   "docs/authoring.md") from None
    if name in kind.options:
        if args:
            raise LexiconError(f"the option '{name}' takes no arguments", fix=HELP)
        return option_value(getattr(spec, name), name, count)
    known = sorted(list(methods) + [n for n, _ in kind.options])
    raise LexiconError(f"a {kind.kind} block has no value '{name}'", fix="use one of: " + ", ".join(known))


def option_value(v, name: str, count: bool) -> Value:
    if count:
        if not isinstance(v, (list, dict)):
            raise LexiconError(f"'.count' needs a list, and '{name}' is not one", fix=HELP)
        return Value(f"{len(v):,}", len(v))
    if isinstance(v, bool) or v is None or isinstance(v, (list, dict)):
        raise LexiconError(f"the option '{name}' is not a number or a word",
                           fix=f"count a list with {{{{ id.{name}.count }}}}, or quote a number or a word")
    if isinstance(v, int):
        return Value(f"{v:,}", v)
    if isinstance(v, float):
        return Value(f"{v:g}".replace("-", "−"), v)
    return Value(str(v))


def _args(text: str | None) -> list[str]:
    return [a.strip() for a in text.split(",")] if text and text.strip() else []


def share(text: str) -> float:
    """An argument such as ``90%`` or ``0.9`` as a share between 0 and 1."""
    t = str(text).strip()
    try:
        x = float(t.rstrip("%")) / (100 if t.endswith("%") else 1)
    except ValueError:
        raise LexiconError(f"'{text}' is not a share", fix="write a percentage such as 90% or a share such as 0.9") \
            from None
    if not 0 < x <= 1:
        raise LexiconError(f"'{text}' is not a share between 0 and 100%", fix="write a percentage such as 90%")
    return x


# --- arithmetic ------------------------------------------------------------------------------------

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}
_FUNCS = {"sqrt": math.sqrt}


def arithmetic(text: str) -> Value:
    body, _, spec = text.partition(":")
    try:
        x = _eval(ast.parse(body.strip().replace("−", "-").replace("×", "*").replace("÷", "/"), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
        raise LexiconError(f"cannot compute '{body.strip()}': {exc}",
                           fix="use numbers, + - * / **, parentheses and sqrt(), e.g. {{ = 1*4 + 2*(-5) + 3*6 }}") \
            from None
    spec = spec.strip()
    if spec:
        try:
            shown = format(x, spec)
        except ValueError:
            raise LexiconError(f"'{spec}' is not a number format", fix="write e.g. :.3f (3 decimals) or :, "
                                                                        "(thousands separated)") from None
    elif float(x).is_integer() and abs(x) < 1e15:
        shown = f"{int(x):,}"
    else:
        shown = f"{x:.4g}"
    return Value(shown.replace("-", "−"), x)


def _eval(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 64:
            raise ValueError("exponent too large")
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS \
            and len(node.args) == 1 and not node.keywords:
        return _FUNCS[node.func.id](_eval(node.args[0]))
    raise ValueError("only numbers, + - * / **, parentheses and sqrt() are allowed")

