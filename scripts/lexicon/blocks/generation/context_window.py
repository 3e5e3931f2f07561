"""The context-window kind: how much text the n-gram model and MiniLM can condition on, measured on real stories."""

from __future__ import annotations

import json

from ... import minilm
from ...engine import Kind, Value, opt, value
from ...engine.deps import DataFile
from ...engine.pieces import Code, Html, Table
from ...errors import LexiconError
from ...render import percent
from ._ngram import HELD_OUT, LEE_HELD_OUT, LEE_TRAIN, TRAIN

# The two files the limits are read from, so that their content joins the cache key.
CONFIG = DataFile(lambda: minilm.files.package_folder() / "config.json")
SBERT_CONFIG = DataFile(lambda: minilm.files.package_folder() / "sentence_bert_config.json")
TOKENIZER = DataFile(lambda: minilm.files.package_folder() / "tokenizer.json")
NOTE = (f"Computed at build time: {minilm.MODEL_ID}'s limits read from its config.json and "
        f"sentence_bert_config.json, its WordPiece tokenizer run on gensim's Lee corpus; no embedding model.")
CORPORA = {"training": (TRAIN, LEE_TRAIN), "held_out": (HELD_OUT, LEE_HELD_OUT)}


class ContextWindow(Kind):
    """How much context a model can condition on: the n-gram model's last n − 1 tokens against the token limits
    of the site's transformer (all-MiniLM-L6-v2), read from its configuration files, measured on the news stories
    of gensim's Lee corpus (`corpus: training`, the 300 stories of `lee_background.cor`, or `held_out`, the 50 of
    `lee.cor`).

    `max_position_embeddings` in the model's `config.json` is the number of positions it has learned vectors
    for: no input can be longer. `max_seq_length` in `sentence_bert_config.json` is where sentence-transformers
    cuts its input, shorter still. Each story is tokenised with the model's own WordPiece tokenizer (without
    truncation, `[CLS]` and `[SEP]` included), and the table says how many stories are longer than each limit
    and what share of all their tokens would be cut off. Needs no embedding model.
    """

    example = "corpus: training\norder: 3"
    needs_model = False
    note = NOTE
    options = opt.Options(
        Kind.options,
        order=opt.integer("The n-gram model's order n, for comparison: it conditions on n − 1 tokens.", default=3,
                          min=1, max=3),
        corpus=opt.choice("Which stories to measure.", list(CORPORA), default="training"),
        code=opt.show_code(),
    )

    def anchor_hint(self, spec):
        return "context window"

    def compute(self, kv, spec):
        from tokenizers import Tokenizer

        with open(CONFIG.path, encoding="utf-8") as f:
            positions = int(json.load(f)["max_position_embeddings"])
        with open(SBERT_CONFIG.path, encoding="utf-8") as f:
            max_seq = int(json.load(f)["max_seq_length"])
        with open(TOKENIZER.path, encoding="utf-8") as f:
            truncation = int((json.load(f).get("truncation") or {}).get("max_length") or 0)
        tok = Tokenizer.from_file(str(minilm.files.package_folder() / "tokenizer.json"))
        tok.no_truncation()
        tok.no_padding()
        with open(CORPORA[spec.corpus][1].path, encoding="latin-1") as f:
            texts = [line.strip() for line in f if line.strip()]
        lengths = [len(e.ids) for e in tok.encode_batch(texts)]
        return {"positions": positions, "max_seq": max_seq, "truncation": truncation, "lengths": lengths}

    def _limit(self, result, which):
        which = str(which).strip()
        limits = {"max_seq_length": result["max_seq"], "max_position_embeddings": result["positions"]}
        if result.get("truncation"):
            limits["truncation"] = result["truncation"]
        if which not in limits:
            raise LexiconError(f"no limit '{which}'", fix="write " + ", ".join(limits))
        return limits[which]

    @value("A limit read from the model's files: `limit(max_seq_length)`, `limit(max_position_embeddings)`, or "
           "`limit(truncation)` (the truncation length stored in `tokenizer.json`).")
    def limit(self, spec, result, which):
        n = self._limit(result, which)
        return Value(f"{n:,}", n)

    @value("How many stories are longer than a limit: `over(max_seq_length)`.")
    def over(self, spec, result, which):
        n = sum(1 for x in result["lengths"] if x > self._limit(result, which))
        return Value(f"{n:,}", n)

    @value("The share of all the stories' tokens a limit cuts off: `cut(max_seq_length)`.")
    def cut(self, spec, result, which):
        lim = self._limit(result, which)
        x = sum(max(0, n - lim) for n in result["lengths"]) / sum(result["lengths"])
        return Value(percent(x), x)

    @value("The share of the too-long stories' own tokens a limit cuts off: `cut_long(max_seq_length)`.")
    def cut_long(self, spec, result, which):
        lim = self._limit(result, which)
        long = [n for n in result["lengths"] if n > lim]
        x = sum(n - lim for n in long) / sum(long) if long else 0.0
        return Value(percent(x), x)

    @value("The longest story's WordPiece tokens (with [CLS] and [SEP]).")
    def longest(self, spec, result):
        n = max(result["lengths"])
        return Value(f"{n:,}", n)

    @value("The median story's WordPiece tokens.")
    def median(self, spec, result):
        s = sorted(result["lengths"])
        n = s[len(s) // 2]
        return Value(f"{n:,}", n)

    @value("How many tokens the n-gram model conditions on (n − 1).")
    def history(self, spec, result):
        return Value(f"{spec.order - 1:,}", spec.order - 1)

    @value("How many stories were measured.")
    def stories(self, spec, result):
        return Value(f"{len(result['lengths']):,}", len(result["lengths"]))

    @value("How many tokens all the stories have together.")
    def total(self, spec, result):
        return Value(f"{sum(result['lengths']):,}", sum(result["lengths"]))

    def render(self, spec, result, ctx):
        lengths, total = result["lengths"], sum(result["lengths"])
        words = f"the last {spec.order - 1} word" + ("" if spec.order == 2 else "s")
        rows = [[f"n-gram model (n = {spec.order})", words + " (simple_preprocess words)", "its order, by design",
                 f"{len(lengths):,} of {len(lengths):,}", f"all but {words}, at every step"]]
        for name, lim, src in (("MiniLM via sentence-transformers", result["max_seq"],
                                "max_seq_length, sentence_bert_config.json"),
                               ("MiniLM's position table", result["positions"],
                                "max_position_embeddings, config.json")):
            over = sum(1 for x in lengths if x > lim)
            cut = sum(max(0, n - lim) for n in lengths) / total
            rows.append([name, f"{lim:,} tokens", src, f"{over:,} of {len(lengths):,}", percent(cut)])
        code = ("import json\nfrom tokenizers import Tokenizer\n\n"
                "folder = ...  # the installed model's folder (lexicon.minilm.files.package_folder())\n"
                "json.load(open(folder / 'config.json'))['max_position_embeddings']\n"
                "json.load(open(folder / 'sentence_bert_config.json'))['max_seq_length']\n"
                "tok = Tokenizer.from_file(str(folder / 'tokenizer.json'))\n"
                "tok.no_truncation(); tok.no_padding()\n"
                "lengths = [len(tok.encode(story).ids) for story in stories]   # [CLS] … [SEP] included\n")
        s = sorted(lengths)
        return [Html(f"<p>The {len(lengths)} stories of {CORPORA[spec.corpus][0]} are {s[0]:,} to {s[-1]:,} WordPiece tokens long (median "
                     f"{s[len(s) // 2]:,}), {total:,} in all.</p>"),
                Table(["Model", "Conditions on at most", "Where the limit comes from", "Stories longer than that",
                       "Share of the tokens out of reach"], rows, numeric=(3, 4)),
                Code(code, "The Python behind these numbers")]
