"""Mini-batch descent as the ``optim`` and ``training`` families both run it (``sgd-logistic`` on the breast cancer
data, ``minibatch-descent`` on the diabetes data): the loop over shuffled batches, epoch by epoch, and what the two
kinds read alike from their options, the batch sizes (``full``: all the samples). Shared here, as
:mod:`lexicon.logistic` is, so that neither family imports the other."""

from __future__ import annotations

import numpy as np

from .engine import Value, opt, value
from .errors import LexiconError


def minibatch_epochs(w: np.ndarray, n: int, batch: int, epochs: int, seed: int, step):
    """Mini-batch descent's loop, one epoch at a time: each epoch shuffles the ``n`` samples (``RandomState(seed)``,
    one stream for the whole run) and applies ``w = step(w, idx)`` to each run of ``batch`` of them in turn (the last
    one shorter); yields the weights after each epoch. ``batch = n`` is batch gradient descent, ``batch = 1``
    stochastic. One loop for the logistic loss and the squared error, so that both kinds walk the samples alike; the
    caller measures each epoch and may stop early."""
    rng = np.random.RandomState(seed)
    for _ in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            w = step(w, order[s:s + batch])
        yield w


def batch_sizes_option(n: int) -> opt.Option:
    """The ``batch_sizes`` option of a kind whose data has ``n`` patients: 1–4 different sizes, each a whole number
    from 1 to ``n`` or ``full``."""
    schema = {"type": "array", "items": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": n}, {"enum": ["full"]}]},
              "minItems": 1, "maxItems": 4, "uniqueItems": True}
    return opt.raw(f"The batch sizes compared, 1 to {n}, or `full` (all {n} patients).", schema,
                   "list of 1–4 batch sizes", default=["full", 32, 1], convert=list)


SHUFFLE_SEED = opt.seed("The seed of the shuffles.", default=0)
# The last options of both kinds: the figure of the loss after each epoch, and the code panel.
SHOWN = dict(caption=opt.caption("“Loss on all the patients after each epoch …”"),
             figure=opt.show_figure("Show the figure (its numbers are then folded under it)."),
             code=opt.show_code())


def batch_name(batch: int, n: int) -> str:
    """How a table or a legend names a run of ``n`` samples by its batch size."""
    return "batch (all samples)" if batch == n else "stochastic (one sample)" if batch == 1 else f"mini-batch of {batch}"


class BatchSizes:
    """What a mini-batch kind reads alike from its ``batch_sizes`` (``full``: ``batch_samples``, all the samples), its
    claims (``batch_claims``, a :class:`lexicon.claimterms.Names`) and the arguments of its claims and values:
    ``loss(size, epoch)``, ``final(size)``, ``size(k)``."""

    batch_samples = 0
    batch_claims = None

    def prepare(self, spec):
        """``spec.sizes``: the batch sizes in samples, ``full`` read as ``batch_samples``, each once; ``spec.parsed``:
        the claims, every size and epoch they name checked."""
        spec.sizes = [self.batch_samples if b == "full" else int(b) for b in spec.batch_sizes]
        if len(set(spec.sizes)) < len(spec.sizes):
            raise LexiconError(f"'full' and {self.batch_samples} are the same batch size", fix="list it once")
        spec.parsed = [self.batch_claims.parse(t) for t in spec.expect]
        self.batch_claims.validate(spec.parsed, lambda n, args: self._args(spec, n, args))

    def _size(self, spec, text) -> int:
        t = str(text).strip()
        b = self.batch_samples if t == "full" else int(t) if t.isdigit() else None
        if b not in spec.sizes:
            raise LexiconError(f"'{text}' is not one of the block's batch sizes",
                               fix="name one of: " + ", ".join(str(s) for s in spec.batch_sizes))
        return b

    def _args(self, spec, n, args):
        if args:
            self._size(spec, args[0])
        if n == "loss" and not (args[1].isdigit() and int(args[1]) <= spec.epochs):
            raise LexiconError(f"there is no epoch '{args[1]}'", fix=f"name an epoch from 0 to {spec.epochs}")

    @value("The k-th batch size listed under `batch_sizes` (1 = the first), in samples: `size(2)`.")
    def size(self, spec, result, k):
        if not str(k).strip().isdigit() or not 1 <= int(k) <= len(spec.sizes):
            raise LexiconError(f"there is no batch size '{k}'", fix=f"name 1 to {len(spec.sizes)}")
        b = spec.sizes[int(k) - 1]
        return Value(f"{b:,}", b)
