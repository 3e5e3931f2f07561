"""A topic model of the Lee corpus: gensim's LdaModel, seeded, single-threaded, with few passes.

Stop words (gensim's list) are removed; gensim's ``Dictionary.filter_extremes(no_below=3, no_above=0.2)``
keeps words found in at least 3 stories and at most a fifth of them (dropping *said*, *mr*, *new* …).
``LdaModel(num_topics=k, passes=5, iterations=50, random_state=seed)`` is fitted with its defaults
otherwise (symmetric priors); the same seed gives the same topics, another seed other ones.
"""

from __future__ import annotations

import functools

from ._lee import stopword_list, stories

PASSES, ITERATIONS, NO_BELOW, NO_ABOVE = 5, 50, 3, 0.2


@functools.lru_cache(maxsize=1)
def dictionary_and_bows():
    from gensim.corpora import Dictionary

    stop = stopword_list()
    docs = [[w for w in s if w not in stop] for s in stories()]
    dictionary = Dictionary(docs)
    dictionary.filter_extremes(no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=None)
    return dictionary, [dictionary.doc2bow(d) for d in docs]


@functools.lru_cache(maxsize=4)
def lda(topics: int, seed: int):
    from gensim.models import LdaModel

    dictionary, bows = dictionary_and_bows()
    return LdaModel(bows, id2word=dictionary, num_topics=topics, passes=PASSES, iterations=ITERATIONS,
                    random_state=seed)


def top_words(topics: int, seed: int, n: int) -> list[list[str]]:
    model = lda(topics, seed)
    return [[w for w, _ in model.show_topic(k, n)] for k in range(topics)]


def story_topics(topics: int, seed: int, story: int) -> list[float]:
    """The story's share of each topic (gensim's inferred document–topic distribution)."""
    dictionary, bows = dictionary_and_bows()
    shares = dict(lda(topics, seed).get_document_topics(bows[story], minimum_probability=0.0))
    return [round(float(shares.get(k, 0.0)), 4) for k in range(topics)]
