"""The block reference of the authoring guide, written from the kinds themselves.

For every family (its docstring) and every kind in it: the kind's docstring, its option
table (from the option declarations), the values prose can quote, and its example,
shown as Markdown source and then rendered live by the build, like any other block.
"""

from __future__ import annotations

import inspect
import re
import textwrap

from .registry import families, registry


GUIDE = "authoring.md"   # where the guide's sections live, relative to the page with the reference


def reference_markdown(level: int = 2) -> str:
    h = "#" * level
    out = []
    kinds = registry()
    for fam in families():
        out += [f"{h} {fam.title} {{#family-{fam.name}}}", ""]
        if fam.about:
            out += [fam.about, ""]
        for name in fam.kinds:
            out += kind_markdown(kinds[name], level + 1)
    text = "\n".join(out) + "\n"
    # A kind's docs link to sections of the guide (#claims) and to other kinds (#cooccurrence).
    return re.sub(r"\]\(#([a-z0-9-]+)\)",
                  lambda m: m.group(0) if m.group(1) in kinds or m.group(1).startswith("family-")
                  else f"]({GUIDE}#{m.group(1)})", text)


def _call(name: str, fn) -> str:
    """`name(a, b)`; a value whose arguments all have defaults also reads as plain `name`."""
    params = list(inspect.signature(fn).parameters.values())[3:]
    if not params:
        return f"`{name}`"
    call = f"`{name}({', '.join(p.name for p in params)})`"
    return f"`{name}` or {call}" if all(p.default is not p.empty for p in params) else call


def kind_markdown(kind, level: int) -> list[str]:
    h = "#" * level
    # The summary stands in the table of kinds; here the description, which says more.
    out = [f"{h} {kind.kind} {{#{kind.kind}}}", "", kind.description() or kind.summary(), ""]
    out += [kind.options.table(), ""]
    values = kind.values()
    if values:
        out += ["Values for prose (`{{ id.value }}`, see [computed values](#computed-values-in-prose)):", ""]
        for name, fn in values.items():
            out.append(f"- {_call(name, fn)}: {fn.lexicon_value}")
        out.append("")
    fence = f"```{kind.kind}\n{kind.example.strip()}\n```"
    out += ["You write:", "", "````markdown", fence, "````", "",
            '!!! example "Readers see"', "", textwrap.indent(fence, "    "), ""]
    return out
