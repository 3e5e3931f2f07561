from __future__ import annotations

from ... import figures
from ...engine import ExerciseKind, opt
from ...engine.checks import RANK_SCHEMA, check_depth, parse_rank
from ...engine.pieces import Exercise, Figure, Html, Table
from ...errors import LexiconError
from ...numeric import SCORE_DIGITS
from ...relations import ANALOGY_SET, ROLES, read_relations, roles_of, solve
from ...render import esc, fmt
from ._query import QUERY_DOC, parse_query, pretty_query

CANDIDATES = 100  # the page knows this many of the model's answers, so it can say where an answer ranks
EXPLAINED = 10    # the model's top answers whose relation to the question's word is looked up


class AnalogyExercise(ExerciseKind):
    """An exercise: the reader types the word that completes an analogy, graded by the relation asked (a section of the Google analogy test set, or the answers you list), not by the model's ranking.

    Readers type the word that completes an analogy. The answer is right if it fits the relation
    asked: with `relation`, the words the Google analogy test set (gensim's `questions-words.txt`)
    pairs with the question's third word; with `answers`, the words you list. The model's ranking
    does not decide: for *Paris is to France as ___ is to Japan*, *japanese* ranks high but is
    Japan's nationality adjective, not its capital, and the reader is told so, with the relation
    that does hold when the test set knows one. Every answer is reported with the model's rank
    (the page knows its 100 best answers), so the reader sees where the arithmetic agrees. A word
    the model does not know gets close spellings; a word of the query is explained rather than
    marked wrong. The reveal shows the model's top 5 and which of them fit. Typed answers are
    lower-cased and trimmed.
    """

    example = ('prompt: "Paris is to France as ___ is to Japan."\nquery: paris - france + japan\n'
               'relation: capital-common-countries\nexpect: tokyo')
    default_prompt = "Which word completes the analogy? Type it and check."
    options = opt.Options(
        ExerciseKind.options,
        query=opt.text(QUERY_DOC + " With `relation`, write it as `b - a + c` for *a is to b as c is to ___*.",
                       required=True),
        relation=opt.choice("The section of the Google analogy test set whose pairs grade the answer.",
                            list(ROLES), default_doc="none: list `answers`"),
        answers=opt.words("The words that complete the analogy, when no section of the test set holds the "
                          "relation.", unique=True, display=True, default_doc="none: name a `relation`"),
        asked=opt.text("With `answers`: what the answer is to the question's word, in a few words, e.g. "
                       "`a young dog`. A wrong word's hint then says it is not that.", display=True,
                       default_doc="none: the relation's own words, or “the word the question asks for”"),
        roles=opt.raw("With `answers`: what some wrong words are, so their hint says why they do not fit "
                      "(“it is not a young dog: it is a breed of dog”), e.g. `{rottweiler: a breed of dog}`.",
                      {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
                      "mapping of word to text", display=True, convert=dict, default_doc="none"),
        expect=opt.raw("The word you expect the model to give (checked like the analogy block's).",
                       RANK_SCHEMA, "[rank claim](#claims)", display=True, convert=parse_rank),
    )

    def prepare(self, spec):
        spec.query = spec.query.strip()
        spec.positive, spec.negative = parse_query(spec.query)
        check_depth(spec.expect, CANDIDATES)
        if (spec.relation is None) == (spec.answers is None):
            raise LexiconError("an analogy exercise is graded by the relation asked: give either 'relation' "
                               "or 'answers', not " + ("both" if spec.relation else "neither"),
                               fix="name a section of the Google analogy test set, e.g. relation: "
                                   "capital-common-countries, or list the right words, e.g. answers: [puppy]")
        if spec.relation is not None and (spec.asked or spec.roles):
            raise LexiconError("'asked' and 'roles' go with 'answers': with a relation, the test set says what "
                               "the answer and the wrong words are", fix="remove 'asked' and 'roles', or list "
                               "'answers' instead of naming a relation")
        if spec.answers is not None:
            spec.answers = [w.strip().lower() for w in spec.answers]
        spec.roles = {str(w).strip().lower(): text for w, text in (spec.roles or {}).items()}
        if set(spec.roles) & set(spec.answers or []):
            raise LexiconError(f"'roles' describes a right answer: {', '.join(sorted(set(spec.roles) & set(spec.answers)))}",
                               fix="give roles only to wrong words, to say why they do not fit")
        if spec.relation is not None:
            if len(spec.positive) != 2 or len(spec.negative) != 1:
                raise LexiconError(f"with a relation, the query must be 'b - a + c', not '{spec.query}'",
                                   fix="for 'a is to b as c is to ___' write: b - a + c, e.g. paris - france + japan")
            # Whether a:b is a pair of the relation is checked in compute (solve), like the
            # vocabulary: a warm build does not read the test set again.

    def words(self, spec):
        return spec.positive + spec.negative + list(spec.answers or []) + list(spec.roles or {})

    def queries(self, spec):
        return [(spec.positive, spec.negative)]

    def anchor_hint(self, spec):
        return " ".join(spec.positive[:1] + spec.negative + spec.positive[1:])

    def compute(self, kv, spec):
        answers = kv.most_similar(positive=spec.positive, negative=spec.negative, topn=CANDIDATES)
        top = [[w, round(float(s), SCORE_DIGITS)] for w, s in answers]
        out = {"answers": top}
        if len(spec.positive) == 2 and len(spec.negative) == 1:
            (b, c), (a,) = spec.positive, spec.negative
            relations = read_relations(ANALOGY_SET.path)
            if spec.relation:
                out["accepted"], out["asked"] = solve(relations, spec.relation, a, b, c)
            out["roles"] = {w: roles_of(relations, c, w) for w, _ in top[:EXPLAINED]}
        return out

    def claims(self, spec, result, check):
        if spec.expect:
            check.rank(spec.expect, result["answers"], pretty_query(spec.query))

    def render(self, spec, result, ctx):
        q = pretty_query(spec.query)
        top = result["answers"]
        accepted = result.get("accepted") or spec.answers
        asked = result.get("asked") or spec.asked
        rank = {w: i for i, (w, _) in enumerate(top)}
        roles = {}
        for w, found in result.get("roles", {}).items():
            by_text: dict[str, list[str]] = {}
            for name, text in found:
                by_text.setdefault(text, []).append(name)
            if by_text:
                roles[w] = "; ".join(f"{text} ({', '.join(names)})" for text, names in by_text.items())
        roles.update(spec.roles)
        a = esc(ctx.anchor)
        controls = (f'<div class="ll-exercise__analogy"><label for="{a}-input">'
                    f'<span class="ll-query__expr">{esc(q)}</span> =</label> '
                    f'<input id="{a}-input" name="answer" type="text" autocomplete="off" '
                    f'autocapitalize="none" spellcheck="false" aria-describedby="{a}-hint">'
                    f'<p class="ll-exercise__hint" id="{a}-hint">One word, lower-case. The answer must fit '
                    f'the relation asked, whatever the model ranks first.</p></div>')

        def model_rank(w):
            return (f"the model ranks it #{rank[w] + 1} (cosine {fmt(top[rank[w]][1])})" if w in rank
                    else f"the model does not rank it in its top {len(top)}")

        fits = " or ".join(f"<strong>{esc(w)}</strong>" for w in accepted)
        source = (f" in the Google analogy test set (section <code>{esc(spec.relation)}</code>)"
                  if spec.relation else "")
        lead = (f'<p>The answer is {fits}: {esc(asked)}{source}. '
                if asked else f'<p>The answer is {fits}. ')
        lead += "; ".join(f"For {esc(w)}, {esc(model_rank(w))}" if len(accepted) > 1 else esc(model_rank(w)).capitalize()
                          for w in accepted) + ".</p>"
        five = top[:5]
        rows = [[i + 1, w, fmt(s), "yes" if w in accepted else "no", roles.get(w, "")]
                for i, (w, s) in enumerate(five)]
        reveal = [
            Html(lead),
            Figure(figures.bar_scores([w for w, _ in five], [s for _, s in five], title=f"{q} = ?"),
                   alt=f"Bar chart of the model's top 5 answers to {q}: " + ", ".join(f"{w} {s:.2f}" for w, s in five) + ".",
                   caption=f"The model's five best answers to {q}, by cosine similarity, and whether each fits "
                           "the relation asked.",
                   height=80 + 30 * len(five), anchor="answer",
                   table=Table(["Rank", "Word", "Cosine", "Fits", "What it is to the question's word"], rows,
                               numeric=(0, 2))),
        ]
        answer = {"kind": "analogy", "query": q, "inputs": spec.positive + spec.negative, "top": top,
                  "accepted": list(accepted), "asked": asked, "roles": roles}
        return Exercise("analogy", controls, answer, reveal)
