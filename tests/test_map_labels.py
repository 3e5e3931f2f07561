"""The label chooser of the word maps (scripts/lexicon/blocks/maps/_labels.py): which words a crowded
map writes beside their points."""

from __future__ import annotations

import numpy as np

from lexicon.blocks.maps._labels import POSITIONS, Geometry, choose_labels, label_box, overlaps

G = Geometry()


def clusters(n_groups=8, per_group=25, seed=0):
    """Tight groups of points, laid out like the Embedding page's 200-word map: within [-1, 1]."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-0.7, 0.7, size=(n_groups, 2))
    coords = np.concatenate([c + rng.normal(0, 0.12, size=(per_group, 2)) for c in centres])
    coords = coords / np.abs(coords).max()
    words = [f"word{'x' * (k % 7)}{k}" for k in range(len(coords))]
    groups = [f"g{k // per_group}" for k in range(len(coords))]
    order = rng.permutation(len(coords)).tolist()
    return words, groups, np.round(coords, 4).tolist(), order


def test_labels_do_not_collide_and_every_group_gets_one():
    for seed in range(5):
        words, groups, coords, order = clusters(seed=seed)
        chosen = choose_labels(words, groups, coords, order, cap=5)
        boxes = [label_box(coords[k][0], coords[k][1], words[k], pos, G) for k, pos in chosen.items()]
        assert 8 <= len(chosen) <= 40
        assert all(not overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        edge = G.half * G.scale
        assert all(-edge <= b[0] and b[2] <= edge and -edge <= b[1] and b[3] <= edge for b in boxes)
        per_group = {g: sum(groups[k] == g for k in chosen) for g in dict.fromkeys(groups)}
        assert all(1 <= n <= 5 for n in per_group.values()), per_group
        # No label covers another point, but the one label of a group crowded by others' may.
        for k, box in zip(chosen, boxes):
            covered = [j for j, (x, y) in enumerate(coords) if j != k
                       and box[0] < x * G.scale < box[2] and box[1] < y * G.scale < box[3]]
            assert not covered or per_group[groups[k]] == 1, (words[k], covered)
        assert set(chosen) <= set(range(len(words))) and set(chosen.values()) <= set(POSITIONS)


def test_the_choice_is_deterministic_and_follows_the_order():
    words, groups, coords, order = clusters(seed=3)
    assert choose_labels(words, groups, coords, order, cap=5) == choose_labels(words, groups, coords, order, cap=5)
    # Points far apart: each group writes its first words in the order given, up to the cap.
    words = ["alpha", "beta", "gamma", "delta"]
    groups = ["a", "a", "b", "b"]
    coords = [[-0.8, -0.8], [0.8, -0.8], [-0.8, 0.6], [0.8, 0.6]]
    assert list(choose_labels(words, groups, coords, [3, 1, 0, 2], cap=1)) == [1, 2]
    assert list(choose_labels(words, groups, coords, [3, 1, 0, 2], cap=2)) == [0, 1, 2, 3]
    assert choose_labels(words, groups, coords, [0, 1, 2, 3], cap=0) == {}


def test_a_label_that_would_collide_takes_another_side_or_gives_way():
    # Two points side by side: the second label cannot sit above (it would hit the first), so it
    # goes below; a third point in the same spot gets no label at all.
    words, groups = ["north", "south", "third"], ["a", "b", "c"]
    coords = [[0.0, 0.0], [0.08, 0.0], [0.04, 0.0]]
    chosen = choose_labels(words, groups, coords, [0, 1, 2], cap=3)
    assert chosen[0] == "top center" and chosen[1] == "bottom center" and 2 not in chosen
