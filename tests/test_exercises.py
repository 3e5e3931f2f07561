"""The interactive exercises on the Embedding page, in a real browser (exercises.js).

Every expected answer comes from the exercise's own data-answer (the model's answer,
computed at build time), never from numbers written here. Each test fails on any console
or page error. Screenshots for human review go to /tmp/ll-shots/ (not asserted).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_util import SHOTS, contrast, draw, exercise, exercise_answer, tab_until, watch_errors

pytestmark = pytest.mark.browser

EMBEDDING = "terms/embedding/"
MARKER_SET = "window.__llMarker = 1"  # survives instant navigation, not a full page load
MARKER_GET = "window.__llMarker === 1"


@pytest.fixture
def open_page(browser, site_url):
    """Factory: a fresh context on a page of the site; page.errors collects console/page errors."""
    contexts = []

    def make(path: str = EMBEDDING, **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("color_scheme", "light")
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.errors = watch_errors(page)
        page.goto(site_url + path)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


# --- What a graded / untouched exercise looks like ---------------------------------------------

def parts(ex):
    return {name: ex.locator(sel) for name, sel in {
        "status": ".ll-exercise__status[role=status]", "reveal": ".ll-exercise__reveal",
        "check": "button.ll-exercise__check", "retry": "button.ll-exercise__retry",
        "show": "button.ll-exercise__show", "marks": ".ll-exercise__mark"}.items()}


def expect_graded(ex, verdict: str):
    """Status says verdict; the answer is shown and its figure drawn; focus is on Try again."""
    p = parts(ex)
    expect(p["status"]).to_contain_text(verdict)
    expect(p["reveal"]).to_be_visible()
    expect(p["check"]).to_be_hidden()
    expect(p["show"]).to_be_hidden()
    expect(p["retry"]).to_be_visible()
    expect(p["retry"]).to_be_focused()
    draw(p["reveal"].locator(".ll-plot"))  # figures.js draws it once it has a box


def expect_hint(ex, hint: str):
    """A first wrong answer: the hint and a second try; nothing revealed, the controls still editable."""
    p = parts(ex)
    expect(p["status"]).to_contain_text(hint)
    expect(p["status"]).to_contain_text("Try once more, or press Show answer.")
    expect(p["reveal"]).to_be_hidden()
    expect(p["check"]).to_be_visible()
    expect(p["show"]).to_be_visible()
    expect(p["retry"]).to_be_hidden()
    for c in ex.locator("select, input").all():
        expect(c).to_be_enabled()
        expect(c).to_be_editable()


def expect_not_graded(ex, says: str):
    """An answer that cannot be graded: explained in the status, nothing revealed."""
    p = parts(ex)
    expect(p["status"]).to_contain_text(says)
    expect(p["reveal"]).to_be_hidden()
    expect(p["check"]).to_be_visible()
    expect(p["retry"]).to_be_hidden()


def expect_reset(ex, first_control):
    p = parts(ex)
    expect(p["status"]).to_have_text("")
    expect(p["reveal"]).to_be_hidden()
    expect(p["check"]).to_be_visible()
    expect(p["retry"]).to_be_hidden()
    for i in range(p["marks"].count()):
        expect(p["marks"].nth(i)).to_have_text("")
    for c in ex.locator("select, input").all():
        expect(c).to_be_enabled()
        expect(c).to_be_editable()
    expect(first_control).to_be_focused()


def fmt(x: float) -> str:
    return f"{x:.4f}"


# --- rank --------------------------------------------------------------------------------------

def rank_with(ex, ranks: dict[str, int]):
    for key, rank in ranks.items():
        ex.locator(f'select[name="{key}"]').select_option(str(rank))


def test_rank_right(open_page):
    page = open_page()
    ex = exercise(page, "rank")
    ans = exercise_answer(ex)
    rank_with(ex, {k: i + 1 for i, k in enumerate(ans["order"])})
    ex.locator("button.ll-exercise__check").click()
    n = len(ans["order"])
    expect_graded(ex, f"Right! All {n} pairs are in the model’s place")
    marks = parts(ex)["marks"]
    for i, key in enumerate(ans["order"]):
        mark = ex.locator(f'.ll-exercise__item[data-key="{key}"] .ll-exercise__mark')
        expect(mark).to_contain_text("✓")
        expect(mark).to_contain_text(f"the model ranks it {i + 1} too (cosine {fmt(ans['scores'][key])})")
    assert marks.count() == n
    assert not page.errors, "\n".join(page.errors)


def test_rank_wrong_gives_partial_credit(open_page):
    page = open_page()
    ex = exercise(page, "rank")
    ans = exercise_answer(ex)
    order, n = ans["order"], len(ans["order"])
    guess = {k: n - i for i, k in enumerate(order)}  # the model's order, reversed
    model = {k: i + 1 for i, k in enumerate(order)}
    right = sum(guess[k] == model[k] for k in order)
    assert right < n
    rank_with(ex, guess)
    ex.locator("button.ll-exercise__check").click()
    # First try: how many are right, and which, but not the model's ranks.
    expect_hint(ex, f"Not yet: {right} of {n} pairs are in the model’s place (marked beside each).")
    for key in order:
        mark = ex.locator(f'.ll-exercise__item[data-key="{key}"] .ll-exercise__mark')
        expect(mark).to_contain_text("in the model’s place")
        expect(mark).not_to_contain_text("cosine")
    assert not any(f"{fmt(v)}" in parts(ex)["status"].inner_text() for v in ans["scores"].values())
    ex.locator("button.ll-exercise__check").click()  # the same answer again: now the full answer
    expect_graded(ex, f"Not quite: {right} of {n} pairs in the model’s place")
    expect(parts(ex)["status"]).to_contain_text(", ".join(order))
    for key in order:
        mark = ex.locator(f'.ll-exercise__item[data-key="{key}"] .ll-exercise__mark')
        if guess[key] == model[key]:
            expect(mark).to_contain_text("✓")
            expect(mark).to_contain_text(f"Right: the model ranks it {model[key]} too (cosine")
        else:
            expect(mark).to_contain_text("✗")
            expect(mark).to_contain_text(f"Wrong: the model ranks it {model[key]} (cosine")
        # The mark describes its select, for screen readers.
        select = ex.locator(f'select[name="{key}"]')
        assert select.get_attribute("aria-describedby") == mark.get_attribute("id")
        expect(select).to_be_disabled()  # locked until Try again
    assert not page.errors, "\n".join(page.errors)


def test_rank_needs_every_rank_once(open_page):
    page = open_page()
    ex = exercise(page, "rank")
    keys = exercise_answer(ex)["order"]
    check = ex.locator("button.ll-exercise__check")
    check.click()
    expect_not_graded(ex, f"Choose a rank for {', '.join(sorted(keys)[:-1])} and {sorted(keys)[-1]} first")
    first = ex.locator("select").first
    expect(first).to_be_focused()
    for select in ex.locator("select").all():  # every missing rank is marked, the first focused
        expect(select).to_have_attribute("aria-invalid", "true")
    check.click()  # the same complaint again: cleared and said again (screen readers repeat it)
    expect(parts(ex)["status"]).to_contain_text("Choose a rank for")
    # Two pairs with the same rank, the last one unranked: still missing a rank.
    a, b, c = sorted(keys)[:3]
    rank_with(ex, {a: 1, b: 1})
    check.click()
    expect_not_graded(ex, f"Choose a rank for {c} first")
    rank_with(ex, {c: 2})
    check.click()
    expect_not_graded(ex, f"Give each pair a different rank: {a} and {b} are both ranked 1")
    expect(ex.locator(f'select[name="{b}"]')).to_be_focused()
    expect(ex.locator(f'select[name="{b}"]')).to_have_attribute("aria-invalid", "true")
    expect(ex.locator(f'select[name="{a}"]')).not_to_have_attribute("aria-invalid", "true")
    expect(parts(ex)["marks"].first).to_have_text("")
    assert not page.errors, "\n".join(page.errors)


def test_rank_by_keyboard_and_try_again(open_page):
    page = open_page()
    ex = exercise(page, "rank")
    ans = exercise_answer(ex)
    order = ans["order"]
    model = {k: i + 1 for i, k in enumerate(order)}
    page.locator("#rank-the-pairs a.headerlink").focus()
    # Each select in page order: Tab to it, arrow down to the model's rank (option i = rank i).
    for li in ex.locator(".ll-exercise__item").all():
        select = li.locator("select")
        assert tab_until(page, select), "Tab never reached a rank select"
        for _ in range(model[li.get_attribute("data-key")]):
            page.keyboard.press("ArrowDown")
        expect(select).to_have_value(str(model[li.get_attribute("data-key")]))
    check = ex.locator("button.ll-exercise__check")
    assert tab_until(page, check, limit=3)
    page.keyboard.press("Enter")
    expect_graded(ex, "Right!")
    # Try again from the keyboard (focus is already on it): everything back, focus on the first select.
    page.keyboard.press("Space")
    expect_reset(ex, ex.locator("select").first)
    for s in ex.locator("select").all():
        expect(s).to_have_value("")
    assert not page.errors, "\n".join(page.errors)


# --- odd one out -----------------------------------------------------------------------------------

def test_odd_one_out_right_and_wrong(open_page):
    page = open_page()
    ex = exercise(page, "odd-one-out")
    ans = exercise_answer(ex)
    pick, means = ans["answer"], ans["means"]
    other = next(w for w in means if w != pick)
    check = ex.locator("button.ll-exercise__check")

    check.click()
    expect_not_graded(ex, "Choose the word you think does not belong first")
    expect(ex.locator("input[type=radio]").first).to_be_focused()

    ex.locator(f'input[type=radio][value="{other}"]').check()
    check.click()
    expect_hint(ex, f"Not yet: your pick, {other}, has a mean cosine similarity of {fmt(means[other])} to the "
                    "other words, and one word has a lower one.")
    assert not re.search(rf"\b{re.escape(pick)}\b", parts(ex)["status"].inner_text()), "the hint gave the answer"
    check.click()
    expect_graded(ex, f"Not quite: the model picks {pick}")
    expect(parts(ex)["status"]).to_contain_text(fmt(means[pick]))
    expect(parts(ex)["status"]).to_contain_text(f"Your pick, {other}, has a mean similarity of {fmt(means[other])}")

    parts(ex)["retry"].click()
    expect_reset(ex, ex.locator("input[type=radio]").first)
    expect(ex.locator("input[type=radio]:checked")).to_have_count(0)

    ex.locator(f'input[type=radio][value="{pick}"]').check()
    check.click()
    expect_graded(ex, f"Right! The model also picks {pick}")
    expect(parts(ex)["status"]).to_contain_text(fmt(means[pick]))
    assert not page.errors, "\n".join(page.errors)


def test_odd_one_out_by_keyboard(open_page):
    page = open_page()
    ex = exercise(page, "odd-one-out")
    ans = exercise_answer(ex)
    words = ex.locator("input[type=radio]").evaluate_all("els => els.map(e => e.value)")
    target = words.index(ans["answer"])
    page.locator("#odd-one-out a.headerlink").focus()
    assert tab_until(page, ex.locator("input[type=radio]").first), "Tab never reached the first word"
    page.keyboard.press("Space")  # choose the first word, then arrow to the model's pick
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    expect(ex.locator(f'input[type=radio][value="{ans["answer"]}"]')).to_be_checked()
    assert tab_until(page, ex.locator("button.ll-exercise__check"), limit=2)
    page.keyboard.press("Space")
    expect_graded(ex, "Right!")
    page.keyboard.press("Enter")  # Try again
    expect_reset(ex, ex.locator("input[type=radio]").first)
    assert not page.errors, "\n".join(page.errors)


# --- analogy -------------------------------------------------------------------------------------

EXPLORER_STUB = """([known, suggestions, fails]) => {
  window.LatentLexicon = window.LatentLexicon || {};
  window.LatentLexicon.explorer = { load: () => fails ? Promise.reject(new Error('offline'))
    : Promise.resolve({ info: { count: 1234 }, has: () => known, suggest: () => suggestions }) };
}"""


def answer_analogy(ex, text: str, enter: bool = True):
    box = ex.locator("input[name=answer]")
    box.fill(text)
    if enter:
        box.press("Enter")
    else:
        ex.locator("button.ll-exercise__check").click()


def a_word_outside(ans) -> str:
    top = {w for w, _ in ans["top"]}
    return next(w for w in ["banana", "guitar", "pencil", "violin", "carrot"] if w not in top)


def model_rank(ans, word: str) -> str:
    """As the status says it, at the start of a sentence."""
    i = [w for w, _ in ans["top"]].index(word)
    return f"The model ranks “{word}” #{i + 1} (cosine {fmt(ans['top'][i][1])})"


def test_analogy_graded_by_the_relation_normalised_and_try_again(open_page):
    page = open_page()
    ex = exercise(page, "analogy")
    ans = exercise_answer(ex)
    box = ex.locator("input[name=answer]")
    # Upper case and spaces around are the reader's, not a wrong answer.
    right = ans["accepted"][0]
    answer_analogy(ex, f"  {right.upper()}  ", enter=False)
    expect_graded(ex, f"Right! “{right}” is {ans['asked']}.")
    expect(parts(ex)["status"]).to_contain_text(model_rank(ans, right))
    expect(box).to_have_value(right)
    parts(ex)["retry"].click()
    expect_reset(ex, box)
    expect(box).to_have_value("")
    # A word the model ranks high that does not fit the relation: a hint saying what it is instead.
    high = next(w for w, _ in ans["top"] if w not in ans["accepted"])
    answer_analogy(ex, high)
    expect_hint(ex, f"Not yet. {model_rank(ans, high)}, but it is not {ans['asked']}")
    if high in ans["roles"]:
        expect(parts(ex)["status"]).to_contain_text(f": it is {ans['roles'][high]}.")
    expect(parts(ex)["status"]).not_to_contain_text(f"“{right}”")
    answer_analogy(ex, high)  # a second wrong answer: the answer
    expect_graded(ex, f"Not right. {model_rank(ans, high)}")
    expect(parts(ex)["status"]).to_contain_text(f"The answer is {right} ({ans['asked']})")
    assert not page.errors, "\n".join(page.errors)


def test_show_answer_reveals_without_an_answer(open_page):
    page = open_page()
    for kind in ("rank", "odd-one-out", "analogy"):
        ex = exercise(page, kind)
        parts(ex)["show"].click()
        expect_graded(ex, "The answer is shown below.")
        parts(ex)["retry"].click()
        expect(parts(ex)["show"]).to_be_visible()
    assert not page.errors, "\n".join(page.errors)


def test_analogy_answers_that_are_not_graded(open_page):
    page = open_page()
    ex = exercise(page, "analogy")
    ans = exercise_answer(ex)
    box = ex.locator("input[name=answer]")
    answer_analogy(ex, "   ")
    expect_not_graded(ex, "Type a word first")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    word = ans["inputs"][0]
    answer_analogy(ex, word.title())
    expect_not_graded(ex, f"“{word}” is one of the question’s words")
    expect(parts(ex)["status"]).to_contain_text("gensim")
    answer_analogy(ex, "new   york")
    expect_not_graded(ex, "“new york” is more than one word")
    assert not page.errors, "\n".join(page.errors)


def test_analogy_outside_the_top_100(open_page):
    """Without a stub: whatever explorer.js can say (or not), the reader is told, never left waiting."""
    page = open_page()
    ex = exercise(page, "analogy")
    ans = exercise_answer(ex)
    word = a_word_outside(ans)
    answer_analogy(ex, word)
    outside = f"“{word}” is not {ans['asked']}, and not among the model’s top {len(ans['top'])} answers."
    expect_hint(ex, f"Not yet: {outside}")
    answer_analogy(ex, word)
    expect_graded(ex, f"Not right: {outside}")
    expect(parts(ex)["status"]).to_contain_text(f"The answer is {ans['accepted'][0]}")
    parts(ex)["retry"].click()
    answer_analogy(ex, "qzxqzv")  # no such word
    status = parts(ex)["status"]
    expect(status).to_contain_text("qzxqzv", timeout=15_000)  # the explorer may download its vectors
    expect(status).not_to_contain_text("Checking", timeout=15_000)
    text = status.inner_text()
    assert "not among the model’s top" in text or "not in the model’s vocabulary" in text, text
    assert ans["accepted"][0] not in text  # a first try gives a hint, never the answer
    assert not page.errors, "\n".join(page.errors)


def test_analogy_uses_the_explorer_vocabulary(open_page):
    page = open_page()
    ex = exercise(page, "analogy")
    ans = exercise_answer(ex)
    box = ex.locator("input[name=answer]")
    # A word the explorer does not know: a spelling to fix, with suggestions; nothing revealed.
    page.evaluate(EXPLORER_STUB, [False, ["tokyo", "tokio"], False])
    answer_analogy(ex, "tokiyo")
    expect_not_graded(ex, "“tokiyo” is not in the model’s vocabulary (this site checks its 1,234 most "
                          "frequent words). Close spellings it knows: tokyo and tokio.")
    expect(box).to_be_focused()
    # A word it knows: simply not among the answers.
    page.evaluate(EXPLORER_STUB, [True, [], False])
    word = a_word_outside(ans)
    answer_analogy(ex, word)
    expect_hint(ex, f"“{word}” is not {ans['asked']}, and not among the model’s top")
    # An explorer that fails: the page still answers from what it knows (a second try: the answer).
    page.evaluate(EXPLORER_STUB, [False, [], True])
    answer_analogy(ex, "tokiyo")
    expect_graded(ex, "“tokiyo” is not")
    assert not page.errors, "\n".join(page.errors)


def test_analogy_by_keyboard(open_page):
    page = open_page()
    ex = exercise(page, "analogy")
    ans = exercise_answer(ex)
    box = ex.locator("input[name=answer]")
    page.locator("#complete-the-analogy a.headerlink").focus()
    assert tab_until(page, box), "Tab never reached the answer box"
    page.keyboard.type(ans["accepted"][0])
    page.keyboard.press("Enter")
    expect_graded(ex, f"Right! “{ans['accepted'][0]}” is {ans['asked']}")
    page.keyboard.press("Enter")
    expect_reset(ex, box)
    assert not page.errors, "\n".join(page.errors)


# --- all three ---------------------------------------------------------------------------------

def answer_only_strings(page) -> dict[str, list[str]]:
    """Text that only the model's answer shows, from each exercise's data-answer."""
    rank = exercise_answer(exercise(page, "rank"))
    odd = exercise_answer(exercise(page, "odd-one-out"))
    ana = exercise_answer(exercise(page, "analogy"))
    return {
        "rank": [fmt(s) for s in rank["scores"].values()],
        "odd-one-out": [fmt(m) for m in odd["means"].values()],
        "analogy": [fmt(s) for _, s in ana["top"][:5]] + [ana["top"][0][0]],
    }


def test_no_answer_is_visible_before_asking(open_page):
    page = open_page()
    article = page.locator("article")
    strings = answer_only_strings(page)
    before = article.inner_text()
    shown = {kind: [s for s in ss if s in before] for kind, ss in strings.items()}
    assert not any(shown.values()), f"answer text visible before checking: {shown}"
    assert "The model’s answer" not in before
    # Check an answer in each (right ones, from the data), then open each answer's numbers table.
    rank = exercise(page, "rank")
    rank_with(rank, {k: i + 1 for i, k in enumerate(exercise_answer(rank)["order"])})
    odd = exercise(page, "odd-one-out")
    odd.locator(f'input[value="{exercise_answer(odd)["answer"]}"]').check()
    ana = exercise(page, "analogy")
    ana.locator("input[name=answer]").fill(exercise_answer(ana)["accepted"][0])
    for ex in (rank, odd, ana):
        ex.locator("button.ll-exercise__check").click()
        expect(parts(ex)["reveal"]).to_be_visible()
        ex.locator(".ll-exercise__reveal details.ll-data > summary").first.click()
    after = article.inner_text()
    missing = {kind: [s for s in ss if s not in after] for kind, ss in strings.items()}
    assert not any(missing.values()), f"answer text still not visible after checking: {missing}"
    assert not page.errors, "\n".join(page.errors)


def test_exercise_works_after_instant_navigation(open_page, site_url):
    page = open_page("")
    page.evaluate(MARKER_SET)
    page.locator(f".md-content a[href$='{EMBEDDING}']").first.click()
    page.wait_for_url(site_url + EMBEDDING)
    expect(exercise(page, "odd-one-out")).to_be_attached()
    assert page.evaluate(MARKER_GET), "navigation was a full page load, not an instant one"
    # Away and back once more: init runs on every navigation, handlers are attached once.
    page.locator("a.md-logo").first.click()
    page.wait_for_url(site_url)
    page.locator(f".md-content a[href$='{EMBEDDING}']").first.click()
    page.wait_for_url(site_url + EMBEDDING)
    ex = exercise(page, "odd-one-out")
    expect(ex.locator("form")).to_have_attribute("data-ll-exercise", "1")
    assert page.evaluate(MARKER_GET)
    cdp = page.context.new_cdp_session(page)
    form = cdp.send("Runtime.evaluate", {"expression": "document.querySelector('.ll-exercise--odd-one-out form')"})
    listeners = cdp.send("DOMDebugger.getEventListeners", {"objectId": form["result"]["objectId"]})["listeners"]
    assert [x["type"] for x in listeners].count("submit") == 1, listeners
    # Complete it there.
    ans = exercise_answer(ex)
    ex.locator(f'input[value="{ans["answer"]}"]').check()
    ex.locator("button.ll-exercise__check").click()
    expect_graded(ex, f"Right! The model also picks {ans['answer']}")
    assert not page.errors, "\n".join(page.errors)


# --- look: light, dark, phone ---------------------------------------------------------------------

def answer_all(page, right: bool):
    """Answer all three: the model's answers (right) or wrong ones (partial credit for rank)."""
    rank, odd, ana = exercise(page, "rank"), exercise(page, "odd-one-out"), exercise(page, "analogy")
    order = exercise_answer(rank)["order"]
    rank_with(rank, {k: (i + 1 if right else len(order) - i) for i, k in enumerate(order)})
    oa = exercise_answer(odd)
    odd.locator(f'input[value="{oa["answer"] if right else next(w for w in oa["means"] if w != oa["answer"])}"]').check()
    aa = exercise_answer(ana)
    ana.locator("input[name=answer]").fill(aa["accepted"][0] if right
                                          else next(w for w, _ in aa["top"] if w not in aa["accepted"]))
    for ex in (rank, odd, ana):
        ex.locator("button.ll-exercise__check").click()
        if not right:  # the first wrong answer gets a hint; the second shows the answer
            expect(ex.locator(".ll-exercise__status")).to_contain_text("Try once more")
            ex.locator("button.ll-exercise__check").click()
        draw(ex.locator(".ll-plot"))


@pytest.mark.parametrize("look", ["light", "dark", "phone"])
def test_exercises_readable_in_light_dark_and_at_phone_width(open_page, look):
    options = {"color_scheme": "dark" if look == "dark" else "light"}
    if look == "phone":
        options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = open_page(**options)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if look == "dark" else "default")
    for right in (False, True):
        answer_all(page, right)
        # Words and marks: readable contrast (WCAG AA for text) on their own backgrounds.
        low = {}
        for el in page.locator(".ll-exercise__status, .ll-exercise__mark:not(:empty), "
                               ".ll-exercise label, .ll-exercise__hint, .ll-exercise legend").all():
            ratio = contrast(el)
            if ratio < 4.5:
                low[el.inner_text()[:40]] = round(ratio, 2)
        assert not low, f"{look}: text below 4.5:1 contrast: {low}"
        dims = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert dims[0] <= dims[1] + 1, f"{look}: the page overflows sideways: {dims}"
        for ex in page.locator(".ll-exercise").all():
            box = ex.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= dims[1] + 1, f"{look}: exercise wider than the window"
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"exercises-{look}-{'right' if right else 'wrong'}.png"
        page.locator("#interactive-exercise").scroll_into_view_if_needed()
        top = page.evaluate("() => document.getElementById('interactive-exercise').getBoundingClientRect().top + scrollY")
        end = page.evaluate("() => document.getElementById('pro-tips').getBoundingClientRect().top + scrollY")
        width = page.viewport_size["width"]
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays at the top of the shot
        page.wait_for_function("() => window.scrollY === 0")
        page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": top - 60, "width": width, "height": end - top})
        if not right:
            for ex in page.locator(".ll-exercise").all():
                ex.locator("button.ll-exercise__retry").click()
    assert not page.errors, "\n".join(page.errors)


# --- the real transformer's exercises ---------------------------------------------------------------

@pytest.mark.parametrize("path", ["terms/semantic-search/", "terms/attention-head/", "terms/special-tokens/"])
def test_the_transformers_exercises_are_answered_by_keyboard_and_reveal_their_chart(open_page, path):
    """A search-exercise and head-exercises: the model's answer, chosen with the keyboard, is right,
    and the reveal draws the chart of the transformer's numbers."""
    page = open_page(path)
    ex = exercise(page, "choice")
    expect(ex).to_have_count(1)
    answer = exercise_answer(ex)["answer"]
    radio = ex.locator(f'input[type="radio"][value="{answer}"]')
    page.locator("#interactive-exercise a.headerlink").focus()
    assert tab_until(page, ex.locator('input[type="radio"]').first), "Tab never reached the choices"
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    check = ex.locator("button.ll-exercise__check")
    assert tab_until(page, check, limit=6)
    page.keyboard.press("Enter")
    expect_graded(ex, "Right!")
    draw(ex.locator(".ll-plot"))
    assert not page.errors, "\n".join(page.errors)
