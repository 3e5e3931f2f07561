"""What a kind's results depend on, read from its code: the cache key's code part.

Starting from the kind's ``compute``, ``prepare`` and ``words`` methods and the methods they call
on ``self`` (never ``render``, ``claims``, ``anchor_hint`` or ``@value`` methods), and from base
classes without their display methods, every name the code uses is followed: to the
functions, classes and constants of the same module, into the lexicon modules it imports
from (function by function, not whole files), and out to third-party packages, whose
installed versions count. A module-level :class:`DataFile` the code reaches (a corpus)
counts by the hash of its content. Comments, docstrings and formatting do not count:
the code is compared as its syntax tree.

So editing render-only code (a kind's ``render``, ``figures.py``, the frame) recomputes
nothing, and editing a shared helper recomputes exactly the kinds whose compute code
reaches it. The error type and the engine's own plumbing are left out: an error never
becomes a cached result, and option values, which the engine derives, are hashed as values.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import importlib
import importlib.metadata
import importlib.util
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DISPLAY_METHODS = {"render", "claims", "anchor_hint", "prompt"}
COMPUTE_METHODS = ("compute", "prepare", "words")
DISPLAY_ATTRIBUTES = {"options", "example", "note", "default_prompt"}
PLUMBING = ("lexicon.errors", "lexicon.engine")


class DataFile:
    """A data file a computation reads (a corpus): its content hash joins the cache key of
    every kind whose compute code uses it. ``locate`` returns the path (called lazily)."""

    def __init__(self, locate):
        self._locate = locate
        self._sha = None

    @property
    def path(self) -> str:
        return str(self._locate())

    def fingerprint(self) -> str:
        if self._sha is None:
            self._sha = hashlib.sha256(Path(self.path).read_bytes()).hexdigest()
        return self._sha


@dataclass
class _Module:
    name: str
    package: str
    symbols: dict = field(default_factory=dict)    # name -> [ast nodes]
    imports: dict = field(default_factory=dict)    # local name -> (module, attribute or None)


@lru_cache(maxsize=None)
def _module(name: str) -> _Module | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    is_package = spec.origin.endswith("__init__.py")
    mod = _Module(name, name if is_package else name.rpartition(".")[0])
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            mod.symbols.setdefault(node.name, []).append(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        mod.symbols.setdefault(n.id, []).append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            mod.imports.update(_bindings(node, mod.package))
    return mod


def _bindings(node, package: str) -> dict:
    """Local names an import statement binds: name -> (module, attribute or None)."""
    out = {}
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.asname:
                out[a.asname] = (a.name, None)
            else:
                top = a.name.split(".")[0]
                out[top] = (top, None)
        return out
    if node.level:
        parts = package.split(".")
        base = ".".join(parts[: len(parts) - node.level + 1])
        source = f"{base}.{node.module}" if node.module else base
    else:
        source = node.module or ""
    for a in node.names:
        out[a.asname or a.name] = (source, a.name)
    return out


def _is_lexicon(module: str) -> bool:
    return module == "lexicon" or module.startswith("lexicon.")


def _is_plumbing(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in PLUMBING)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class _Walker:
    def __init__(self, root: tuple[str, str] | None = None):
        self.root = root                   # the kind being keyed: (module, class name)
        self.seen: set[tuple[str, str]] = set()
        self.parts: list[str] = []
        self.packages: set[str] = set()
        self.data: dict[str, str] = {}

    def symbol(self, module: str, name: str) -> None:
        if not _is_lexicon(module):
            self.third_party(module)
            return
        if _is_plumbing(module) or (module, name) in self.seen:
            return
        self.seen.add((module, name))
        mod = _module(module)   # None for a namespace package such as ``lexicon`` itself
        if mod is not None and name in mod.imports:
            self.imported(mod, name)
            return
        nodes = mod.symbols.get(name) if mod is not None else None
        if nodes is None:
            if _is_module(f"{module}.{name}"):
                self.whole(f"{module}.{name}")
            return
        runtime = getattr(sys.modules.get(module), name, None)
        if isinstance(runtime, DataFile):
            self.data[f"{module}.{name}"] = runtime.fingerprint()
        for node in nodes:
            node = _without_display(node, runtime, root=(module, name) == self.root)
            self.parts.append(f"{module}:{name}:" + ast.dump(_strip_docstrings(node)))
            self.names(mod, node)

    def whole(self, module: str) -> None:
        mod = _module(module)
        if mod is not None:
            for name in list(mod.symbols):
                self.symbol(module, name)

    def names(self, mod: _Module, node) -> None:
        local = _local_imports(node, mod.package)
        for n in ast.walk(node):
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
                bound = local.get(n.value.id) or mod.imports.get(n.value.id)
                if bound and bound[1] is None and _is_lexicon(bound[0]):
                    self.symbol(bound[0], n.attr)
                    continue
            if isinstance(n, ast.Name):
                self.name(mod, n.id, local)
        for name, (source, attr) in local.items():
            if not _is_lexicon(source):
                self.third_party(source)
            elif attr is not None:
                self.symbol(source, attr)

    def name(self, mod: _Module, name: str, local: dict) -> None:
        if name in local:
            return  # followed in names(): imports inside the function
        if name in mod.symbols:
            self.symbol(mod.name, name)
        elif name in mod.imports:
            self.imported(mod, name)
        elif not hasattr(builtins, name):
            pass  # a local variable or parameter

    def imported(self, mod: _Module, name: str) -> None:
        source, attr = mod.imports[name]
        if not _is_lexicon(source):
            self.third_party(source)
        elif attr is None:
            self.whole(source)        # a module used as a value; attribute uses are followed in names()
        else:
            self.symbol(source, attr)

    def third_party(self, module: str) -> None:
        top = module.split(".")[0]
        if top and top not in sys.stdlib_module_names:
            self.packages.add(top)


def _local_imports(node, package: str) -> dict:
    out = {}
    for n in ast.walk(node):
        if isinstance(n, (ast.Import, ast.ImportFrom)) and n is not node:
            out.update(_bindings(n, package))
    return out


def _without_display(node, runtime, root: bool):
    """A kind class without the methods and attributes that only show or check a result.

    For the kind being keyed (``root``), only the methods that ``compute``, ``prepare`` and
    ``words`` reach through ``self.…`` count; for a base class, every method but the display ones
    (a subclass may call any of them).
    """
    from .kind import Kind

    if not isinstance(node, ast.ClassDef):
        return node
    is_kind = isinstance(runtime, type) and issubclass(runtime, Kind)
    methods = {s.name: s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    # @value methods only read a result, in any class (a mixin of values too).
    keep = {n for n, m in methods.items() if not (is_kind and n in DISPLAY_METHODS)
            and not any(_is_value_decorator(d) for d in m.decorator_list)}
    if root:
        keep, todo = set(), [n for n in COMPUTE_METHODS if n in methods]
        while todo:
            name = todo.pop()
            if name not in keep:
                keep.add(name)
                todo += [a.attr for a in ast.walk(methods[name]) if isinstance(a, ast.Attribute)
                         and isinstance(a.value, ast.Name) and a.value.id in ("self", "cls", node.name)
                         and a.attr in methods]
    body = []
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name not in keep:
                continue
        elif not is_kind:
            pass
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if all(isinstance(t, ast.Name) and t.id in DISPLAY_ATTRIBUTES for t in targets):
                continue
        body.append(stmt)
    copy = ast.ClassDef(name=node.name, bases=node.bases, keywords=node.keywords, body=body or [ast.Pass()],
                        decorator_list=node.decorator_list, type_params=getattr(node, "type_params", []))
    return copy


def _is_value_decorator(d) -> bool:
    target = d.func if isinstance(d, ast.Call) else d
    return (isinstance(target, ast.Name) and target.id == "value") or \
        (isinstance(target, ast.Attribute) and target.attr == "value")


def _strip_docstrings(node):
    node = ast.parse(ast.unparse(node)).body[0] if not isinstance(node, ast.Module) else node
    for n in ast.walk(node):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and n.body:
            first = n.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                n.body = n.body[1:] or [ast.Pass()]
    return node


@lru_cache(maxsize=1)
def _distributions() -> dict:
    return importlib.metadata.packages_distributions()  # scans every installed package: once


def package_versions(tops) -> dict[str, str]:
    """Installed versions of the distributions that provide these top-level packages."""
    versions = {}
    for top in sorted(tops):
        for dist in _distributions().get(top, []):
            try:
                versions[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                pass
    return versions


@dataclass(frozen=True)
class CodeKey:
    sha256: str                  # what the cache key hashes
    symbols: tuple[str, ...]     # module:name of every piece of code it covers (for tests and docs)
    packages: dict
    data: dict


def compute_code(kind_cls) -> CodeKey:
    """The code, package versions and data files that a kind's computed result depends on.

    A kind that needs the model is handed gensim's ``KeyedVectors``: gensim's version counts too.
    """
    return _compute_code(kind_cls.__module__, kind_cls.__qualname__, bool(kind_cls.needs_model))


@lru_cache(maxsize=None)
def _compute_code(module: str, name: str, needs_model: bool) -> CodeKey:
    w = _Walker(root=(module, name))
    importlib.import_module(module)
    w.symbol(module, name)
    if needs_model:
        w.packages.add("gensim")
    return _key(w)


def _key(w: _Walker) -> CodeKey:
    versions = package_versions(w.packages)
    h = hashlib.sha256()
    for text in sorted(w.parts):
        h.update(text.encode())
        h.update(b"\0")
    for k, v in sorted(versions.items()) + sorted(w.data.items()):
        h.update(f"{k}={v}\0".encode())
    symbols = tuple(sorted({f"{m}:{n}" for m, n in w.seen}))
    return CodeKey(h.hexdigest()[:16], symbols, versions, dict(w.data))


def source_code(source: str) -> CodeKey:
    """The lexicon code and packages a piece of source reaches (a notebook's cells)."""
    import textwrap

    w = _Walker()
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        tree = ast.parse("")
    mod = _Module("<source>", "")
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mod.imports.update(_bindings(node, ""))
    for node in tree.body:
        w.names(mod, node)
    for name in list(mod.imports):
        w.imported(mod, name)
    return _key(w)


def clear() -> None:
    """Forget what was read (``mkdocs serve`` rebuilds after an edit)."""
    _module.cache_clear()
    _compute_code.cache_clear()
