"""Block options, each declared once.

A kind lists its options as ``options = Options(name=Option(...), ...)``. From each
declaration come the JSON schema (with its description), the validated and
defaulted spec the kind computes from, the split between what goes into the cache
key (``display=False``, the default) and what only changes how a result is shown
or checked (``display=True``), and the option table of the authoring guide.
Nothing else describes an option.

Forgetting ``display=True`` is safe: the option then merely joins the cache key.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable

import jsonschema
from jsonschema import validators

MISSING = object()


@dataclass(frozen=True)
class Option:
    """One option of a block kind.

    ``schema`` is a JSON Schema fragment; ``type_doc`` says the same for people
    ("whole number, 1–50"). ``default`` is used when the author leaves the option
    out (``None``: absent, the kind decides; ``default_doc`` then says what it does).
    ``vocab`` marks options whose words must be in the model's vocabulary.
    ``convert`` turns the validated YAML value into what the kind works with.
    """

    doc: str
    schema: dict
    type_doc: str
    default: Any = None
    default_doc: str | None = None
    required: bool = False
    display: bool = False
    vocab: bool = False
    convert: Callable | None = None

    def json_schema(self) -> dict:
        return {**bounded(self.schema), "description": self.doc}

    def default_text(self) -> str:
        if self.required:
            return ""
        if self.default_doc is not None:
            return self.default_doc
        if self.default is None or self.default in ([], {}):
            return "none"
        return f"`{_yaml(self.default)}`"


def _yaml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return str(value)


class Options:
    """The ordered options of a kind; ``Options(base, name=Option(...))`` extends ``base``."""

    def __init__(self, *bases: "Options", **options: Option):
        self.items: dict[str, Option] = {}
        self.inherited: set[str] = set()
        for base in bases:
            self.items.update(base.items)
            self.inherited |= set(base.items)
        self.items.update(options)
        self.inherited -= set(options)

    def __iter__(self):
        return iter(self.items.items())

    def __contains__(self, name):
        return name in self.items

    def __getitem__(self, name) -> Option:
        return self.items[name]

    def with_defaults(self, **defaults) -> "Options":
        """A copy whose named options default differently (``default_doc`` included)."""
        out = Options(self)
        out.inherited = set(self.inherited)
        for name, value in defaults.items():
            out.items[name] = replace(out.items[name], **value) if isinstance(value, dict) \
                else replace(out.items[name], default=value)
        return out

    def schema(self) -> dict:
        return {"type": "object", "additionalProperties": False,
                "properties": {n: o.json_schema() for n, o in self},
                "required": [n for n, o in self if o.required]}

    def spec(self, data: dict) -> "Spec":
        """The validated YAML with defaults filled in and values converted."""
        values = {}
        for name, opt in self:
            value = data[name] if name in data else copy.deepcopy(opt.default)
            if value is not None and opt.convert is not None:
                value = opt.convert(value)
            values[name] = value
        return Spec(values, given=frozenset(data))

    def result_inputs(self, spec: "Spec") -> dict:
        """What the cache key hashes: every option that may change the computed result."""
        return {name: _plain(getattr(spec, name)) for name, opt in self if not opt.display}

    def table(self) -> str:
        """The option table of the authoring guide (Markdown): the kind's own options first (the
        required ones leading), then those every kind or exercise shares, except ``id``."""
        own = [n for n, _ in self if n not in self.inherited]
        names = sorted(own, key=lambda n: not self.items[n].required) + \
            [n for n, _ in self if n in self.inherited and n != "id"]
        rows = ["| Option | Type | Default | Recomputes | Meaning |", "|---|---|---|---|---|"]
        for name in names:
            opt = self.items[name]
            kind = opt.type_doc + (", **required**" if opt.required else "")
            rows.append(f"| `{name}` | {kind} | {opt.default_text()} | {'no' if opt.display else 'yes'} | {opt.doc} |")
        return "\n".join(rows) + "\n"


def _plain(value):
    """A JSON-able copy of a spec value (converted values may be tuples or dataclasses)."""
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return json.loads(json.dumps(value, default=list))


class Spec:
    """A block's options after validation, plus what the kind derives from them in ``prepare``."""

    def __init__(self, values: dict, given: frozenset = frozenset()):
        self.__dict__.update(values)
        self._given = given

    def given(self, name: str) -> bool:
        """Did the author write this option (rather than leave it to its default)?"""
        return name in self._given

    def __repr__(self):
        shown = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        return f"Spec({shown})"


# --- Limits: every size an author can write is bounded ------------------------------------------
# A kind declares the limits that matter to it (a map's words, a chart's pairs) with its options;
# whatever it leaves open is bounded here, so no block can ask for a list, a mapping or a number
# large enough to exhaust memory or the page-weight budget. The message names the limit.
LIMITS = {
    "items": 200,            # a list (claims, settings, words …) the kind gives no maximum
    "properties": 50,        # a mapping (groups, roles …) the kind gives no maximum
    "integer": 2**31 - 1,    # a whole number: numpy's and scikit-learn's 32-bit integers
    "number": 1e9,           # a decimal number
    "nesting": 50,           # lists and mappings inside one another, in any YAML the build reads
    "text": 2_000,           # characters of any text: a word, a caption, a prompt, a claim, a list's item
}
SEED_MAX = 2**32 - 1         # numpy's legacy RandomState and scikit-learn's random_state take no more
GROUP_WORDS = 50             # words in one group of a map
MAP_WORDS = 400              # words in one map (a group list or a word list)


def limits_markdown() -> str:
    """The limits every block shares, for the authoring guide (``<!-- lexicon:limits -->``)."""
    return (f"- a list (of words, pairs, claims, settings): at most {LIMITS['items']:,} items, unless the kind "
            "sets a smaller limit;\n"
            f"- a mapping (such as a map's `groups`): at most {LIMITS['properties']:,} entries, unless the kind sets "
            f"fewer; a map's group holds at most {GROUP_WORDS:,} words, and a map at most {MAP_WORDS:,};\n"
            f"- a whole number: at most {LIMITS['integer']:,}; a `seed`: from 0 to {SEED_MAX:,};\n"
            f"- a decimal number: at most {LIMITS['number']:,.0f}, and never `.nan` or `.inf`;\n"
            f"- a text (a word, a caption, a prompt, an explanation, a claim, a list's item): at most "
            f"{LIMITS['text']:,} characters;\n"
            f"- YAML nesting (lists and mappings inside one another), in a block, in front matter and in a data "
            f"file: at most {LIMITS['nesting']} levels.\n")


def bounded(schema):
    """``schema`` with every open size closed by :data:`LIMITS` (a copy; declared limits stay)."""
    if isinstance(schema, list):
        return [bounded(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: (bounded(v) if k in ("items", "additionalProperties", "prefixItems", "anyOf", "oneOf", "allOf")
               else {n: bounded(s) for n, s in v.items()} if k == "properties" else v)
           for k, v in schema.items()}
    kind = out.get("type")
    if kind == "array":
        out.setdefault("maxItems", LIMITS["items"])
    if kind == "object" and isinstance(out.get("additionalProperties"), dict):
        out.setdefault("maxProperties", LIMITS["properties"])
    if kind == "string":
        out.setdefault("maxLength", LIMITS["text"])
    if kind == "integer":
        out.setdefault("maximum", LIMITS["integer"])
    if kind == "number" and "exclusiveMaximum" not in out:
        out.setdefault("maximum", LIMITS["number"])
    return out


# --- Validation: integers are integers, numbers are finite ---------------------------------------

def _is_integer(checker, value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(checker, value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


Validator = validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _is_integer, "number": _is_number}))


# --- Option types -------------------------------------------------------------------------------

def _range(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"{lo:,}–{hi:,}"
    if lo is not None:
        return f"{lo:,} or more"
    return f"at most {hi:,}" if hi is not None else ""


def integer(doc: str, *, default=None, min: int | None = None, max: int | None = None, **kw) -> Option:
    schema = {"type": "integer"}
    if min is not None:
        schema["minimum"] = min
    if max is not None:
        schema["maximum"] = max
    bounds = _range(min, max)
    return Option(doc, schema, "whole number" + (f", {bounds}" if bounds else ""), default, **kw)


def number(doc: str, *, default=None, min=None, max=None, above=None, **kw) -> Option:
    schema: dict = {"type": "number"}
    if min is not None:
        schema["minimum"] = min
    if max is not None:
        schema["maximum"] = max
    if above is not None:
        schema["exclusiveMinimum"] = above
    bounds = f"more than {above}" if above is not None else _range(min, max)
    return Option(doc, schema, "number" + (f", {bounds}" if bounds else ""), default, **kw)


def flag(doc: str, *, default: bool, **kw) -> Option:
    return Option(doc, {"type": "boolean"}, "`true` / `false`", default, **kw)


def text(doc: str, *, default=None, pattern: str | None = None, type_doc: str = "text", **kw) -> Option:
    schema = {"type": "string", "minLength": 1}
    if pattern:
        schema["pattern"] = pattern
    return Option(doc, schema, type_doc, default, **kw)


def word(doc: str, *, vocab: bool = True, **kw) -> Option:
    return text(doc, type_doc="word", vocab=vocab, **kw)


def choice(doc: str, values: list, *, default=None, **kw) -> Option:
    shown = " / ".join(f"`{_yaml(v)}`" for v in values)
    return Option(doc, {"enum": list(values)}, shown, default, **kw)


def seed(doc: str, *, default: int) -> Option:
    """A random seed: any whole number numpy and scikit-learn accept."""
    return integer(doc, default=default, min=0, max=SEED_MAX)


def words(doc: str, *, min: int = 1, max: int | None = None, unique: bool = False, vocab: bool = True,
          type_doc: str | None = None, **kw) -> Option:
    schema = word_list(min, max)
    if unique:
        schema["uniqueItems"] = True
    count = _range(min, max) if (min, max) != (1, None) else ""
    shown = type_doc or (("list of different words" if unique else "list of words") + (f", {count}" if count else ""))
    return Option(doc, schema, shown, vocab=vocab, convert=list, **kw)


def texts(doc: str, *, min: int = 1, max: int | None = None, type_doc: str = "list of text", **kw) -> Option:
    return Option(doc, word_list(min, max), type_doc, convert=list, **kw)


def pairs(doc: str, *, min: int = 1, max: int | None = None, vocab: bool = True, **kw) -> Option:
    schema: dict = {"type": "array", "minItems": min, "items": word_list(2, 2)}
    if max:
        schema["maxItems"] = max
    count = _range(min, max) if (min, max) != (1, None) else ""
    return Option(doc, schema, "list of `[word, word]`" + (f", {count} pairs" if count else ""), vocab=vocab,
                  convert=lambda v: [list(p) for p in v], **kw)


def groups(doc: str, *, min: int = 1, max: int = 8, per_group: int = 2, vocab: bool = True, **kw) -> Option:
    schema = {"type": "object", "minProperties": min, "maxProperties": max,
              "additionalProperties": word_list(per_group, GROUP_WORDS)}
    return Option(doc, schema, f"named lists of words ({_range(min, max)} groups)", vocab=vocab,
                  convert=lambda v: {str(k): list(ws) for k, ws in v.items()}, **kw)


def raw(doc: str, schema: dict, type_doc: str, **kw) -> Option:
    """An option whose shape no helper above describes (claims, maps of letters to pairs, …)."""
    return Option(doc, schema, type_doc, **kw)


def word_list(min_items: int = 1, max_items: int | None = None) -> dict:
    s: dict = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": min_items}
    if max_items:
        s["maxItems"] = max_items
    return s


# --- Options most kinds share ---------------------------------------------------------------------

def caption(default_doc: str = "none",
            doc: str = "Caption of the figure (Markdown; above the table when there is no figure).") -> Option:
    return text(doc, default_doc=default_doc, display=True)


def show_figure(doc: str = "Show the figure. With `false`, only its table is shown.") -> Option:
    return flag(doc, default=True, display=True)


def show_code(doc: str = "Show the collapsible code behind the numbers.") -> Option:
    return flag(doc, default=True, display=True)


def claims(doc: str, type_doc: str = "list of [claims](#claims)", *, display: bool = True, **kw) -> Option:
    """``expect:`` as a list of statements the kind reads. Display by default: checked every build
    against the cached result; ``display=False`` when the statements make the kind compute more."""
    return Option(doc, word_list(1), type_doc, default=[], display=display, convert=list, **kw)


BLOCK_ID = text("A name for the block, so that prose on the page can quote its values: "
                "`{{ id.value }}` (see [computed values](#computed-values-in-prose)).",
                pattern=r"^[a-z][a-z0-9-]*$", type_doc="name (`a-z`, `0-9`, `-`)", display=True)

BASE = Options(id=BLOCK_ID)

__all__ = ["Option", "Options", "Spec", "Validator", "MISSING", "LIMITS", "bounded", "integer", "seed", "number",
           "flag", "text", "word",
           "choice", "words", "texts", "pairs", "groups", "raw", "caption", "show_figure", "show_code",
           "claims", "BASE"]
