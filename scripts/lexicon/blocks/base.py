"""The block interface, the registry, and reading a block's YAML with line numbers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import jsonschema
import yaml

from ..errors import LexiconError, yaml_problem

REGISTRY: dict[str, "Block"] = {}


def register(cls):
    REGISTRY[cls.kind] = cls()
    return cls


@dataclass
class RenderContext:
    """What a renderer may know beyond the spec and the result."""

    model_id: dict
    anchor: str
    claims: list = field(default_factory=list)


class Block:
    """Base class of a block kind. Subclasses set ``kind``, ``summary``, ``schema``."""

    kind = ""
    summary = ""
    schema: dict = {}
    example = ""
    needs_model = True  # False for blocks that render without computing anything

    # Options that change only how a result is shown or checked, never what is computed:
    # they stay out of the cache key, so editing a caption does not recompute a map.
    display_options = ("caption", "figure", "code", "prompt", "explanation", "expect", "answer")

    def result_inputs(self, spec: dict) -> dict:
        """The part of the spec that the result depends on (hashed into the cache key)."""
        return {k: v for k, v in spec.items() if k not in self.display_options}

    def parse(self, data: dict) -> dict:
        """Normalise validated YAML into the spec that is hashed and computed."""
        return data

    def words(self, spec: dict) -> list[str]:
        """Every word the block needs from the model's vocabulary."""
        return []

    def compute(self, kv, spec: dict) -> dict:
        raise NotImplementedError

    def claims(self, spec: dict, result: dict) -> list:
        return []

    def render(self, spec: dict, result: dict, ctx: RenderContext) -> str:
        raise NotImplementedError

    def anchor_hint(self, spec: dict) -> str:
        """Words for the block's stable anchor (``#analogy-king-man-woman``)."""
        return " ".join(self.words(spec)[:4])


def read_yaml(kind: str, source: str, schema: dict, example: str = "") -> dict:
    """Parse a block body as YAML and validate it; errors carry a line within the block."""
    try:
        data = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc)
        raise LexiconError(
            f"the block is not valid YAML: {problem}",
            line=line or 0,
            fix="write the block as 'key: value' lines; put a value in quotes if it holds ': ' "
                "or starts with a special character, e.g. caption: \"Note: frogs are amphibians\"") from None
    if not isinstance(data, dict):
        raise LexiconError("the block must hold 'key: value' options, not a bare value or a list",
                           line=0, fix="write options such as: " + (example.replace("\n", "; ") or "key: value"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), e.path))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        raise _schema_error(kind, source, data, err, schema, example)
    return data


def _schema_error(kind, source, data, err, schema, example) -> LexiconError:
    path = list(err.absolute_path)
    line = _line_of(source, path)
    allowed = sorted(schema.get("properties", {}))
    if err.validator == "additionalProperties" and not path:
        unknown = sorted(set(data) - set(allowed))
        close = difflib.get_close_matches(unknown[0], allowed, n=1) if unknown else []
        hint = f"did you mean '{close[0]}'? " if close else ""
        return LexiconError(
            f"unknown option '{unknown[0]}'", line=_line_of(source, [unknown[0]]),
            fix=f"{hint}{_a(kind)} {kind} block takes: {', '.join(allowed)}")
    if err.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return LexiconError(f"missing option '{missing[0] if missing else err.message}'", line=0,
                            fix=f"add it; {_a(kind)} {kind} block takes: {', '.join(allowed)}")
    # Paths count from 1 for people: pairs[2][1] is the first word of the second pair.
    shown = str(path[0]) + "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path[1:]) if path else ""
    where = f"option '{shown}'" if path else "the block"
    if isinstance(err.instance, bool) and err.validator == "type":
        return LexiconError(f"{where}: YAML read this word as {str(err.instance).lower()}, not as text",
                            line=line, fix="put the word in quotes, e.g. ['yes', 'no'] (YAML reads yes, no, "
                                           "on, off, true and false as booleans)")
    return LexiconError(f"{where}: {err.message}", line=line,
                        fix=f"write it as in this example of a {kind} block: " + example.replace("\n", "; "))


def _a(kind: str) -> str:
    return "an" if kind[:1] in "aeiou" else "a"


def _line_of(source: str, path: list) -> int:
    """0-based line within the block of the YAML node at ``path`` (best effort)."""
    try:
        node = yaml.compose(source)
        for key in path:
            if isinstance(node, yaml.MappingNode):
                node = next(v for k, v in node.value if k.value == key)
            elif isinstance(node, yaml.SequenceNode):
                node = node.value[key]
        return node.start_mark.line
    except Exception:  # a best-effort location must never hide the real error
        return 0


def str_list(min_items=1, max_items=None) -> dict:
    s = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": min_items}
    if max_items:
        s["maxItems"] = max_items
    return s


def obj(properties: dict, required=()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": list(required)}


CAPTION = {"type": "string", "minLength": 1}
