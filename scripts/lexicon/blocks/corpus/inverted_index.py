"""The inverted-index kind: each word of the Lee corpus mapped to the stories that contain it (its posting list),
and a boolean AND query answered by intersecting posting lists instead of scanning every story."""

from __future__ import annotations

from ...engine import Kind, Value, opt, value
from ...engine.pieces import Caption, Code, Html, Table
from ...errors import LexiconError
from ._claims import check_all, shown
from ._index import and_query, index
from ._lee import BACKGROUND, NOTE, READ, require_words, stories

NAMES = {"df": True, "matches": False, "postings_read": False, "candidates": False, "scan": False, "tokens": False}
EXAMPLE_CLAIM = "postings_read < scan"


class InvertedIndex(Kind):
    """An inverted index of the Lee corpus: each word's posting list (the stories that contain it), and a
    boolean AND of the `words` answered from their posting lists alone.

    A posting list holds the ascending numbers of the stories that contain the word (a story's number is
    its line in `lee_background.cor`; words are gensim's `simple_preprocess` tokens). The AND starts from
    the shortest list and merges it with each of the others, keeping the numbers they share.

    The table shows each word's document frequency and its posting list (the first `show` numbers);
    below it, the stories that contain every word, how many posting entries the merge read, and how
    many stories and tokens a full scan would read instead. Claims: `postings_read < scan`, `matches = 5`,
    `df(fire) > df(homes)`, `candidates < 20`. Needs no embedding model.
    """

    example = "words: [fire, homes]\nexpect:\n  - postings_read < scan"
    needs_model = False
    note = NOTE.format(what=f"{BACKGROUND}, 300 news stories")
    options = opt.Options(
        Kind.options,
        words=opt.texts("The query's words, combined with AND (lower case, as the corpus is tokenised).", min=1,
                        max=5, type_doc="list of 1–5 words", required=True),
        show=opt.integer("How many numbers of each posting list the table shows.", default=12, min=1, max=300),
        expect=opt.claims(f"[Claims](#claims): `{EXAMPLE_CLAIM}`, `matches = 5`, `df(fire) > df(homes)`, "
                          "`candidates < 20`; quantities: df(word), matches, postings_read, candidates, scan, tokens."),
        caption=opt.caption("none"),
        code=opt.show_code(),
    )

    def prepare(self, spec):
        if len(set(spec.words)) != len(spec.words):
            raise LexiconError("a word is listed twice", fix="list each word once")
        require_words(spec.words)

    def anchor_hint(self, spec):
        return "index " + " ".join(spec.words)

    def compute(self, kv, spec):
        idx = index()
        q = and_query(spec.words)
        return {"postings": {w: list(idx[w]) for w in spec.words}, "matches": q["matches"], "read": q["read"],
                "candidates": q["candidates"], "scan": len(stories()), "tokens": sum(len(s) for s in stories())}

    def _lookup(self, spec, result, name, arg=None):
        if name == "df":
            w = str(arg).strip()
            if w not in result["postings"]:
                raise LexiconError(f"'{w}' is not one of the block's words", fix="name one of: " + ", ".join(spec.words))
            v = len(result["postings"][w])
            return v, f"{w} is in {v:,} stories"
        v = len(result["matches"]) if name == "matches" else result["read" if name == "postings_read" else name]
        return v, f"{name} is {shown(v)}"

    def claims(self, spec, result, check):
        check_all(spec.expect, NAMES, EXAMPLE_CLAIM, lambda n, a=None: self._lookup(spec, result, n, a), check)

    @value("How many stories contain a word (its document frequency, the length of its posting list): `df(fire)`.")
    def df(self, spec, result, word):
        v, _ = self._lookup(spec, result, "df", word)
        return Value(f"{v:,}", v)

    @value("How many stories contain every word.")
    def matches(self, spec, result):
        v = len(result["matches"])
        return Value(f"{v:,}", v)

    @value("The stories that contain every word, as a list of numbers (“1, 20, 26”).")
    def stories(self, spec, result):
        return Value(", ".join(map(str, result["matches"])) or "none")

    @value("How many posting entries the AND reads: the sum of the words' document frequencies.")
    def postings_read(self, spec, result):
        return Value(f"{result['read']:,}", result["read"])

    @value("How many stories the shortest posting list holds: the only candidates the AND can return.")
    def candidates(self, spec, result):
        return Value(f"{result['candidates']:,}", result["candidates"])

    @value("How many stories a full scan reads (all of them).")
    def scan(self, spec, result):
        return Value(f"{result['scan']:,}", result["scan"])

    @value("How many tokens a full scan reads.")
    def tokens(self, spec, result):
        return Value(f"{result['tokens']:,}", result["tokens"])

    def render(self, spec, result, ctx):
        rows = []
        for w in sorted(spec.words, key=lambda w: (len(result["postings"][w]), spec.words.index(w))):
            p = result["postings"][w]
            rows.append([w, f"{len(p):,}", ", ".join(map(str, p[:spec.show])) + (" …" if len(p) > spec.show else "")])
        m = result["matches"]
        summary = (f"<p><strong>{' AND '.join(spec.words)}</strong>: {len(m):,} "
                   f"{'story' if len(m) == 1 else 'stories'} ({', '.join(map(str, m)) or 'none'}). The merge read "
                   f"{result['read']:,} posting entries, starting from the shortest list ({result['candidates']:,} "
                   f"candidates); a scan without the index reads all {result['scan']:,} stories, "
                   f"{result['tokens']:,} tokens.</p>")
        code = (READ.format(corpus=BACKGROUND) +
                "\nindex = {}\n"
                "for n, story in enumerate(stories, start=1):\n"
                "    for w in set(story):\n"
                "        index.setdefault(w, []).append(n)      # ascending story numbers\n\n"
                f"words = {spec.words!r}\n"
                "lists = sorted((index[w] for w in words), key=len)   # shortest first\n"
                "matches = set(lists[0]).intersection(*lists[1:])\n"
                "print(sorted(matches), sum(len(p) for p in lists), 'posting entries read')\n")
        caption = [Caption(spec.caption)] if spec.caption else []
        return caption + [Table(["Word", "Stories (df)", f"Posting list (first {spec.show})"], rows, numeric=(1,)),
                          Html(summary), Code(code, "The index and the AND query in plain Python")]
