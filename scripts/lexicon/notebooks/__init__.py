"""The ``lexicon-notebooks`` MkDocs plugin: the site's Jupyter notebooks, run at build time.

Source notebooks live without outputs in ``notebooks/`` (beside ``mkdocs.yml``). ``plugin``
finds them and hands the executed copies to mkdocs-jupyter as pages; ``runner`` checks a
notebook, computes the cache key of its outputs and executes it in a kernel of this Python;
``html`` makes the rendered page follow the site's rules. What a notebook shows comes from
``lexicon.notebook_display``: figures in the site's own markup and checked statements,
which the build lists in the claims audit with the blocks' claims.
"""
