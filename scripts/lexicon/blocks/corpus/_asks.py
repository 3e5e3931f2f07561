"""What each ``ask`` of the corpus-exercise kind computes: the choices' scores, the right answer, and the
tables shown before and after answering, as plain JSON.

Each function returns ``{"labels": [...], "scores": {label: number} | None, "answer": label,
"before": [headers, rows] | None, "reveal": [headers, rows], "why": {label: sentence}}``.
"""

from __future__ import annotations

import math
from collections import Counter

from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ._lee import BACKGROUND, frequencies, held_out, require_words, stopword_list, stories, story_index, tokens
from ._rank import bm25_scores, document_frequency, query_words, term_counts, tfidf_matrix


def fmt(x: float) -> str:
    """A score as the tables show it (four decimals); kept here so that compute never reaches rendering code."""
    return f"{x:.4f}".replace("-", "\u2212")


def _one(matches: list[str], what: str, fix: str) -> str:
    if len(matches) != 1:
        raise LexiconError(f"{len(matches)} choices {what} ({', '.join(matches) or 'none'}); exactly one must",
                           fix=fix)
    return matches[0]


def same_vector(spec) -> dict:
    """Which choice has the same bag-of-words vector as the sentence?"""
    bag = Counter(tokens(spec.sentence))
    bags = {c: Counter(tokens(c)) for c in spec.choices}
    answer = _one([c for c in spec.choices if bags[c] == bag], "count the same words as the sentence",
                  "make exactly one choice use the sentence's words, each as often, in another order")
    vocab = sorted(set(bag).union(*bags.values()))
    rows = [["the sentence"] + [bag[w] for w in vocab]] + [[c] + [bags[c][w] for w in vocab] for c in spec.choices]
    why = {c: (f"“{c}” counts the same words as the sentence: the same vector." if c == answer else
               f"“{c}” counts " + ", ".join(f"{w} {bags[c][w]} (not {bag[w]})" for w in vocab
                                            if bags[c][w] != bag[w])[:200] + ".") for c in spec.choices}
    return {"labels": list(spec.choices), "scores": None, "answer": answer, "before": None,
            "reveal": [["Text"] + vocab, rows], "why": why}


def top_tfidf(spec) -> dict:
    """Which choice has the highest TF-IDF weight in the story?"""
    i = story_index(spec.story)
    vectorizer, matrix = tfidf_matrix()
    vocab = vectorizer.vocabulary_
    row = matrix.getrow(i)
    weight = dict(zip(row.indices.tolist(), row.data.tolist()))
    story = stories()[i]
    df = {w: document_frequency(w) for w in spec.choices}
    scores = {w: round(weight.get(vocab.get(w, -1), 0.0), SCORE_DIGITS) for w in spec.choices}
    counts = {w: story.count(w) for w in spec.choices}
    for w in spec.choices:
        if not counts[w]:
            raise LexiconError(f"'{w}' does not occur in story {spec.story}",
                               fix="choose words of the story (the tfidf block lists them)")
    answer = max(spec.choices, key=lambda w: scores[w])
    before = [["Word", "Count in the story", "Stories that contain it"],
              [[w, counts[w], df[w]] for w in spec.choices]]
    reveal = [["Word", "Count", "df", "TF-IDF"], [[w, counts[w], df[w], fmt(scores[w])] for w in spec.choices]]
    why = {w: f"{w}: {counts[w]} times in the story, in {df[w]} of {len(stories())} stories, TF-IDF "
              f"{fmt(scores[w])}." for w in spec.choices}
    return {"labels": list(spec.choices), "scores": scores, "answer": answer, "before": before, "reveal": reveal,
            "why": why, "story": spec.story, "tokens": len(story)}


def top_after_stopwords(spec) -> dict:
    """Which choice is the most frequent word of the corpus once gensim's stop words are removed?"""
    require_words(spec.choices, "choice")
    freq, stop = frequencies(), stopword_list()
    scores = {w: 0 if w in stop else freq[w] for w in spec.choices}
    answer = max(spec.choices, key=lambda w: scores[w])
    reveal = [["Word", "Count before", "Stop word", "Count after"],
              [[w, f"{freq[w]:,}", "yes" if w in stop else "", f"{scores[w]:,}"] for w in spec.choices]]
    why = {w: (f"{w} is a stop word: removed, all {freq[w]:,} of its tokens." if w in stop else
               f"{w} is kept: {freq[w]:,} tokens.") for w in spec.choices}
    return {"labels": list(spec.choices), "scores": scores, "answer": answer, "before": None, "reveal": reveal,
            "why": why}


def same_stem(spec) -> dict:
    """Which choice does the Porter stemmer cut to the same stem as the word?"""
    from gensim.parsing.porter import PorterStemmer

    stem = PorterStemmer().stem
    target = stem(spec.word)
    stems = {c: stem(c) for c in spec.choices}
    answer = _one([c for c in spec.choices if stems[c] == target], f"get the stem of '{spec.word}' ('{target}')",
                  "choose words so that exactly one shares the word's stem (the stemming block shows stems)")
    reveal = [["Word", "Stem"], [[spec.word, target]] + [[c, stems[c]] for c in spec.choices]]
    why = {c: f"{c} \u2192 {stems[c]}" + (f", the stem of {spec.word}." if c == answer else
                                          f"; {spec.word} \u2192 {target}.") for c in spec.choices}
    return {"labels": list(spec.choices), "scores": None, "answer": answer, "before": None, "reveal": reveal,
            "why": why}


def bm25_top(spec) -> dict:
    """Which story (of the choices) does BM25 rank highest for the query?"""
    words = query_words(spec.query)
    for s in spec.stories:
        story_index(s)
    scores_all = bm25_scores(words, spec.k1, spec.b)
    lengths = {s: len(stories()[s - 1]) for s in spec.stories}
    counts = {s: term_counts(s - 1, words) for s in spec.stories}
    label = {s: f"story {s}" for s in spec.stories}
    scores = {label[s]: round(scores_all[s - 1], SCORE_DIGITS) for s in spec.stories}
    answer = max(scores, key=scores.get)
    avgdl = sum(len(s) for s in stories()) / len(stories())
    heads = ["Story", "Words"] + [f"“{w}”" for w in words]
    before = [heads, [[s, lengths[s], *counts[s]] for s in spec.stories]]
    reveal = [heads + ["BM25"], [[s, lengths[s], *counts[s], fmt(scores[label[s]])] for s in spec.stories]]
    why = {label[s]: f"story {s}: {lengths[s]} words, " + ", ".join(f"{w} \u00d7{n}" for w, n in zip(words, counts[s]))
                     + f"; BM25 {fmt(scores[label[s]])}." for s in spec.stories}
    return {"labels": [label[s] for s in spec.stories], "scores": scores, "answer": answer, "before": before,
            "reveal": reveal, "why": why, "words": words, "df": [document_frequency(w) for w in words],
            "avgdl": round(avgdl, 1)}


def zipf_ratio(spec) -> dict:
    """Which choice occurs about 1/ratio as often as the word (Zipf: the word about ratio times further down)?"""
    require_words([spec.word] + list(spec.choices), "word")
    freq = frequencies()
    ranked = sorted(freq, key=lambda w: (-freq[w], w))
    rank = {w: i + 1 for i, w in enumerate(ranked)}
    target = math.log10(spec.ratio)
    # How far each choice's count ratio is from the asked one, in powers of ten (0 = exactly).
    scores = {c: round(abs(math.log10(freq[spec.word] / freq[c]) - target), SCORE_DIGITS) for c in spec.choices}
    answer = min(spec.choices, key=lambda c: scores[c])
    before = [["Word", "Frequency rank"], [[spec.word, rank[spec.word]]] + [[c, rank[c]] for c in spec.choices]]
    reveal = [["Word", "Rank", "Count", f"{spec.word}'s count ÷ count"],
              [[spec.word, rank[spec.word], f"{freq[spec.word]:,}", "1"]] +
              [[c, rank[c], f"{freq[c]:,}", f"{freq[spec.word] / freq[c]:.1f}"] for c in spec.choices]]
    why = {c: f"{c}: rank {rank[c]}, {freq[c]:,} times; {spec.word} occurs {freq[spec.word] / freq[c]:.1f} times "
              f"as often." for c in spec.choices}
    return {"labels": list(spec.choices), "scores": scores, "answer": answer, "before": before, "reveal": reveal,
            "why": why}


def ppmi_scores(word: str, window: int) -> tuple[dict, Counter, int]:
    """PPMI of ``word`` with each of its contexts, counted as the text family's ppmi kind counts them: every
    word within ``window`` positions on either side, inside one story; p(w, c) = count(w, c) / N,
    p(w) = count(w, ·) / N, p(c) = count(·, c) / N over all N (word, context) pairs (no smoothing)."""
    pair, totals = Counter(), Counter()
    for words in stories():
        for i, w in enumerate(words):
            ctx = words[max(0, i - window):i] + words[i + 1:i + 1 + window]
            totals[w] += len(ctx)
            if w == word:
                pair.update(ctx)
    n = sum(totals.values())
    row = sum(pair.values())
    ppmi = {c: max(0.0, math.log2((k / n) / ((row / n) * (totals[c] / n)))) for c, k in pair.items()}
    return ppmi, pair, n


def top_ppmi(spec) -> dict:
    """Which context of the word has the highest PPMI?"""
    require_words([spec.word] + list(spec.choices), "word")
    ppmi, pair, _ = ppmi_scores(spec.word, spec.window)
    freq = frequencies()
    for c in spec.choices:
        if not pair[c]:
            raise LexiconError(f"'{c}' never occurs within {spec.window} words of '{spec.word}'",
                               fix="choose contexts the word has (the ppmi block lists them)")
    scores = {c: round(ppmi[c], SCORE_DIGITS) for c in spec.choices}
    answer = max(spec.choices, key=lambda c: scores[c])
    before = [["Context", f"Times near “{spec.word}”", "Times in the corpus"],
              [[c, pair[c], f"{freq[c]:,}"] for c in spec.choices]]
    reveal = [["Context", "Near", "In the corpus", "PPMI"],
              [[c, pair[c], f"{freq[c]:,}", fmt(scores[c])] for c in spec.choices]]
    why = {c: f"{c}: {pair[c]} times near {spec.word}, {freq[c]:,} in the corpus; PPMI {fmt(scores[c])}."
           for c in spec.choices}
    return {"labels": list(spec.choices), "scores": scores, "answer": answer, "before": before, "reveal": reveal,
            "why": why}


LSA_DIMENSIONS = (10, 20, 30)   # the answer must hold at each of these and at the asked `components`
LSA_MARGIN = 0.25              # ... ahead of the runner-up by at least this much cosine


def lsa_nearest(spec) -> dict:
    """Which choice's LSA vector is closest (cosine) to the word's, with ``components`` dimensions?

    The question must grade the concept (words of one subject end up close, other subjects near-orthogonal),
    not the number of dimensions: the answer has to win by ``LSA_MARGIN`` at ``components`` and at each of
    ``LSA_DIMENSIONS``, otherwise the block fails with the cosines that decide it."""
    from ._lsa import require_lsa_words, word_vectors

    ks = sorted({spec.components, *LSA_DIMENSIONS})
    require_lsa_words([spec.word] + list(spec.choices), max(ks))
    by_k = {}
    for k in ks:
        index, vectors = word_vectors(k)
        by_k[k] = {c: round(float(vectors[index[spec.word]] @ vectors[index[c]]), SCORE_DIGITS) for c in spec.choices}
    scores = by_k[spec.components]
    answer = max(spec.choices, key=lambda c: scores[c])
    for k, cos in by_k.items():
        best, *rest = sorted(spec.choices, key=lambda c: -cos[c])
        if best != answer or (rest and cos[best] - cos[rest[0]] < LSA_MARGIN):
            raise LexiconError(
                f"with {k} dimensions the choice closest to '{spec.word}' is '{best}' ({fmt(cos[best])}), "
                + (f"ahead of '{rest[0]}' ({fmt(cos[rest[0]])}) by less than {LSA_MARGIN}: too close to grade"
                   if best == answer else f"not '{answer}': the answer depends on the number of dimensions"),
                fix="keep one word of the word's subject among the choices and make the others clearly off-topic")
    freq = frequencies()
    together = {c: sum(1 for s in stories() if spec.word in s and c in s) for c in spec.choices}
    reveal = [["Word", "Stories with both", "Count in the corpus"] + [f"Cosine, {k} dimensions" for k in ks],
              [[c, together[c], f"{freq[c]:,}"] + [fmt(by_k[k][c]) for k in ks] for c in spec.choices]]
    why = {c: f"{c}: in {together[c]} stories with {spec.word}; LSA cosine {fmt(scores[c])} with "
              f"{spec.components} dimensions." for c in spec.choices}
    return {"labels": list(spec.choices), "scores": scores, "answer": answer, "before": None, "reveal": reveal,
            "why": why}


def lda_topic(spec) -> dict:
    """Which topic of the LDA model has the largest share in the story?"""
    from ._lda import story_topics, top_words

    i = story_index(spec.story)
    words = top_words(spec.topics, spec.seed, 6)
    shares = story_topics(spec.topics, spec.seed, i)
    labels = [f"topic {k + 1}: {', '.join(w)}" for k, w in enumerate(words)]
    scores = dict(zip(labels, shares))
    answer = max(labels, key=lambda label: scores[label])
    before = [["Story", "Opening, as tokenised"], [[spec.story, " ".join(stories()[i][:40]) + " \u2026"]]]
    reveal = [["Topic", "Share of the story"], [[label, fmt(scores[label])] for label in labels]]
    why = {label: f"{label.split(':')[0]}: {fmt(scores[label])} of the story." for label in labels}
    return {"labels": labels, "scores": scores, "answer": answer, "before": before, "reveal": reveal, "why": why}


def doc2vec_nearest(spec) -> dict:
    """Which of the stories has the Doc2Vec vector closest to the held-out story's inferred vector?"""
    import numpy as np

    from ._doc2vec import held_out_story, infer, model

    if not 1 <= spec.held_out <= len(held_out()):
        raise LexiconError(f"there is no held-out story {spec.held_out}", fix=f"choose 1 to {len(held_out())}")
    for s in spec.stories:
        story_index(s)
    words = held_out_story(spec.held_out)
    v = infer(words)
    dv = model().dv
    label = {s: f"story {s}" for s in spec.stories}
    scores = {label[s]: round(float(dv.vectors[s - 1] @ v / (np.linalg.norm(dv.vectors[s - 1]) * np.linalg.norm(v))),
                              SCORE_DIGITS) for s in spec.stories}
    answer = max(scores, key=scores.get)
    before = [["Story", "Opening, as tokenised"], [[f"held out {spec.held_out}", " ".join(words[:25]) + " \u2026"]] +
              [[s, " ".join(stories()[s - 1][:25]) + " \u2026"] for s in spec.stories]]
    reveal = [["Story", "Doc2Vec cosine"], [[s, fmt(scores[label[s]])] for s in spec.stories]]
    why = {label[s]: f"story {s}: cosine {fmt(scores[label[s]])}." for s in spec.stories}
    return {"labels": [label[s] for s in spec.stories], "scores": scores, "answer": answer, "before": before,
            "reveal": reveal, "why": why}


def and_match(spec) -> dict:
    """Which story contains every word? The reader sees the words' posting lists (exactly one choice must)."""
    from ._index import index

    require_words(spec.words, "word")
    for st in spec.stories:
        story_index(st)
    idx = index()
    for w in spec.words:
        if len(idx[w]) > 20:
            raise LexiconError(f"'{w}' is in {len(idx[w])} stories, too many posting entries to read by hand",
                               fix="choose words found in at most 20 stories (the inverted-index block shows df)")
    label = {st: f"story {st}" for st in spec.stories}
    has = {st: [w for w in spec.words if st in idx[w]] for st in spec.stories}
    answer = _one([label[st] for st in spec.stories if len(has[st]) == len(spec.words)],
                  "contain every word", "choose stories so that exactly one is in every posting list")
    before = [["Word", "Posting list (stories that contain it)"],
              [[w, ", ".join(map(str, idx[w]))] for w in spec.words]]
    reveal = [["Story"] + list(spec.words), [[st] + ["yes" if w in has[st] else "" for w in spec.words]
                                             for st in spec.stories]]
    why = {label[st]: (f"story {st} is in every posting list." if len(has[st]) == len(spec.words) else
                       f"story {st} is missing from the list of " + ", ".join(w for w in spec.words
                                                                              if w not in has[st]) + ".")
           for st in spec.stories}
    return {"labels": [label[st] for st in spec.stories], "scores": None, "answer": answer, "before": before,
            "reveal": reveal, "why": why}


ASKS = {"same-vector": same_vector, "top-tfidf": top_tfidf, "top-after-stopwords": top_after_stopwords,
        "same-stem": same_stem, "bm25-top": bm25_top, "zipf-ratio": zipf_ratio, "top-ppmi": top_ppmi,
        "lsa-nearest": lsa_nearest, "lda-topic": lda_topic,
        "doc2vec-nearest": doc2vec_nearest, "and-match": and_match}
LOWEST = {"zipf-ratio"}
CORPUS = BACKGROUND
