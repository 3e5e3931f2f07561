"""Reading a block's body: YAML, validated against the kind's options, errors located in the block."""

from __future__ import annotations

import difflib
import re

import jsonschema
import yaml

from ..errors import LexiconError, load_yaml, schema_message, yaml_problem
from .options import Options, Validator


def read_block(kind: str, source: str, options: Options, example: str = "") -> dict:
    """Parse a block body as YAML and validate it; errors carry a 0-based line within the block."""
    try:
        data = load_yaml(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc)
        raise LexiconError(
            f"the block is not valid YAML: {problem}",
            line=line or 0,
            fix=getattr(exc, "fix", None) or "write the block as 'key: value' lines; put a value in quotes if it holds ': ' "
                "or starts with a special character, e.g. caption: \"Note: frogs are amphibians\"") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LexiconError("the block must hold 'key: value' options, not a bare value or a list",
                           line=0, fix="write options such as: " + (example.replace("\n", "; ") or "key: value"))
    schema = options.schema()
    errors = sorted(Validator(schema).iter_errors(data), key=lambda e: (len(e.absolute_path), list(e.path)))
    if errors:
        raise _schema_error(kind, source, data, jsonschema.exceptions.best_match(errors), schema, example)
    return data


def _shape(schema_or_value, is_schema: bool) -> str:
    if is_schema:
        kind = schema_or_value.get("type") if isinstance(schema_or_value, dict) else None
        return {"array": "list", "object": "mapping"}.get(kind, "scalar")
    return "list" if isinstance(schema_or_value, list) else "mapping" if isinstance(schema_or_value, dict) else "scalar"


def _branch(err):
    """For a value that fits none of an option's forms (one value or a list), the complaint of the
    form the value has: ``5.0`` against "a whole number or a list of them" is not a whole number."""
    if err.validator not in ("oneOf", "anyOf") or not err.context:
        return err
    same = [e for e in err.context if _shape(e.schema, True) == _shape(err.instance, False)]
    return jsonschema.exceptions.best_match(same) if same else err


def _schema_error(kind, source, data, err, schema, example) -> LexiconError:
    err = _branch(err)
    path = list(err.absolute_path)
    line = _line_of(source, path)
    allowed = sorted(schema.get("properties", {}))
    if err.validator == "additionalProperties" and not path:
        unknown = sorted(set(data) - set(allowed), key=str)
        close = difflib.get_close_matches(str(unknown[0]), allowed, n=1) if unknown else []
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
    if err.validator == "type" and err.validator_value == "integer" and isinstance(err.instance, float):
        return LexiconError(f"{where}: {err.instance!r} is not a whole number", line=line,
                            fix=f"write a whole number without a decimal point, e.g. {int(err.instance)}"
                                if err.instance.is_integer() else "write a whole number")   # nan, inf too
    if err.validator in ("maxItems", "maxProperties"):
        what = "items" if err.validator == "maxItems" else "entries"
        return LexiconError(f"{where}: {len(err.instance):,} {what}, more than the limit of {err.validator_value:,}",
                            line=_line_of(source, path, key=True), fix=f"use at most {err.validator_value:,} {what} (the limit keeps the block "
                                           "within memory and the page-weight budget); split it into several blocks")
    if err.validator == "maxLength":
        return LexiconError(f"{where}: {len(err.instance):,} characters, more than the limit of {err.validator_value:,}",
                            line=line, fix=f"shorten it to at most {err.validator_value:,} characters (the limit keeps "
                                           "the page, and the search for a close spelling, within bounds)")
    if err.validator in ("maximum", "exclusiveMaximum") and isinstance(err.instance, (int, float)):
        return LexiconError(f"{where}: {err.instance:,} is more than the limit of {err.validator_value:,}",
                            line=line, fix=f"use a value up to {err.validator_value:,}")
    if err.validator == "type" and err.validator_value == "number" and isinstance(err.instance, float):
        return LexiconError(f"{where}: {err.instance!r} is not a finite number", line=line,
                            fix="write an ordinary number such as 0.5")
    return LexiconError(f"{where}: {schema_message(err)}", line=line,
                        fix=f"write it as in this example of {_a(kind)} {kind} block: " + example.replace("\n", "; "))


def _a(kind: str) -> str:
    return "an" if kind[:1] in "aeiou" else "a"


def _line_of(source: str, path: list, key: bool = False) -> int:
    """0-based line within the block of the YAML node at ``path`` (best effort); with ``key``, the
    line of its key when it is a mapping's value (``pairs:``, not the first pair below it)."""
    try:
        node = yaml.compose(source)
        mark = node.start_mark
        for step in path:
            if isinstance(node, yaml.MappingNode):
                k, node = next((k, v) for k, v in node.value if k.value == str(step))
                mark = k.start_mark if key else node.start_mark
            elif isinstance(node, yaml.SequenceNode):
                node = node.value[step]
                mark = node.start_mark
        return mark.line
    except Exception:  # a best-effort location must never hide the real error
        return 0
