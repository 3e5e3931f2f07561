"""Block kinds, in family folders: ``blocks/<family>/<kind_name>.py`` is the kind ``kind-name``.

See ``lexicon.engine.registry`` for how they are found and ``lexicon.engine.kind`` for what a
kind defines. Modules starting with ``_`` hold what a family's kinds share.
"""
