"""The Latent Lexicon benchmarks, one module per measurement (see bench/README.md).

``python bench/run.py`` (or ``python -m bench.run``) runs them all; ``bench/evaluator.py`` is
the analogy evaluator's own benchmark and stands alone.
"""
