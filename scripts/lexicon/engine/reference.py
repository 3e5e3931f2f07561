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


GUIDE = "../authoring.md"   # the guide, relative to a family's page (docs/blocks/<family>.md)


def reference_markdown(family: str, level: int = 2) -> str:
    """The reference of one family, for its page ``docs/blocks/<family>.md``."""
    kinds = registry()
    fam = next((f for f in families() if f.name == family), None)
    if fam is None:
        from ..errors import LexiconError

        raise LexiconError(f"there is no block family '{family}'",
                           fix="name one of: " + ", ".join(f.name for f in families()))
    out = [fam.about, ""] if fam.about else []
    for name in fam.kinds:
        out += kind_markdown(kinds[name], level)
    # A kind's docs are written from docs/ (`explorer.md`); its page is one folder down.
    text = re.sub(r"\]\((?![a-z][a-z0-9+.-]*:|#|/|\.\./)([^)\s]+\.md(?:#[^)\s]*)?)\)", r"](../\1)",
                  "\n".join(out) + "\n")

    # A kind's docs link to sections of the guide (#claims) and to other kinds (#cooccurrence),
    # which may stand on another family's page.
    def link(m):
        target = m.group(1)
        if target in kinds:
            fam = kinds[target].family
            return m.group(0) if fam == family else f"]({fam}.md#{target})"
        return f"]({GUIDE}#{target})"
    return re.sub(r"\]\(#([a-z0-9-]+)\)", link, text)


def families_markdown() -> str:
    """The list of the families' pages, for the reference's index page."""
    return "\n".join(f"- [{f.title}]({f.name}.md): " + ", ".join(f"`{k}`" for k in f.kinds)
                     for f in families()) + "\n"


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
