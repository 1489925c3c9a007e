"""Near-duplicate detection for Chinese comments. Pure: texts in, groups out.

Campaign copies differ by greetings, punctuation, spacing and small edits. Texts are normalised
(NFKC, greetings and punctuation removed), cut into character bigrams, and hashed with MinHash (64
hash functions, computed in numpy).
Leader clustering keeps only one representative per group in the LSH index, so a campaign of 20,000
copies costs one index entry, not 20,000² comparisons; each LSH candidate is confirmed with a direct
edit-distance ratio (rapidfuzz) before a text joins a group.

Arriving comments are compared with every group's representative (a consultation has few groups),
and with the comments still alone that share an LSH band with them. Those bands live in the database
(`SimilarityKey`, a few rows per comment alone), so any process groups arrivals without building an
index in memory first: `assign` takes a batch of arrivals, the groups and the candidates their keys
found, and says which group each arrival joins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

NUM_PERM = 64
MATCH_SCORE = 75.0  # rapidfuzz ratio (0–100) on normalised text to confirm a candidate
SHINGLE = 2  # character bigrams: Chinese words are mostly two characters; measured in bench/grouping.py
_LEADING = re.compile(
    r"^(?:尊敬的[^，,:：!！。]{0,15}[，,:：!！]?|各位领导[，,:：!！]?|领导[，,:：]|您好[，,:：!！。]?|你好[，,:：!！。]?|大家好[，,!！。]?)+"
)
_TRAILING = re.compile(
    r"(?:谢谢[大家您领导]*[!！。.]*|此致[，,]?敬礼[!！。]*|以上(?:意见|建议)[^。]{0,10}[。!！]?|望采纳[!！。]*)+$"
)
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """What a copy keeps of the original: no greetings, punctuation, spaces or width differences."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text.rstrip())
    return _NOISE.sub("", text)


@dataclass(frozen=True)
class Layout:
    """How a signature's 64 minimum hashes are cut into LSH bands: two texts are candidates when all
    the hashes of one band agree."""

    bands: int
    rows: int


# Arrivals find groups by their representative in 16 bands of 4: likely from a Jaccard similarity of
# about 0.5 up (0.89 at 0.6, 0.99 at 0.7). A copy with a personal preamble of its own ("我住在…，电话…，"
# and the campaign's text) shares about 0.6 of its bigrams with the campaign, and finds its group.
GROUP_BANDS = Layout(21, 3)
# Arrivals find comments still alone in 12 bands of 5: likely from about 0.6 up (0.98 at 0.8), and
# rarely below 0.4 (0.06 at 0.35). Texts written from the same phrases meet by chance far less often
# than in 16 bands of 4 (measured in bench/grouping.py: a third of the candidates, the same precision
# and recall on the campaigns). Pairing with a comment alone only starts a group; once two copies of a
# campaign meet, the others find the group, in the layout above or compared with every group.
ALONE_BANDS = Layout(12, 5)
# The hash family, fixed once: the band keys in the database were computed with it (migration 0014
# wrote those of existing comments). Changing it means recomputing every key. Each shingle is mixed
# once (SplitMix64), then hashed 64 ways by multiply-add-shift (odd multipliers, the high 32 bits).
_RANDOM = np.random.default_rng(20261207)
_MULTIPLIERS = _RANDOM.integers(0, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_ADDENDS = _RANDOM.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_CHUNK = 1000  # texts hashed at once (a (shingles × 64) matrix of 64-bit hashes each time)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, on whole arrays (unsigned arithmetic wraps around by design)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _shingles(norm: str) -> np.ndarray:
    """The text's character bigrams as 64-bit codes (a one-character text is its own shingle)."""
    chars = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(chars) < SHINGLE:
        return chars
    return (chars[:-1] << np.uint64(21)) | chars[1:]


def signatures(norms: Sequence[str]) -> np.ndarray:
    """The MinHash signature of each (non-empty, normalised) text: its 64 minimum hashes, one row each.
    Computed for many texts at once in numpy (a thousand texts in a few milliseconds)."""
    rows = []
    for start in range(0, len(norms), _CHUNK):
        shingles = [_shingles(n) for n in norms[start : start + _CHUNK]]
        offsets = np.cumsum([0] + [len(s) for s in shingles[:-1]])
        hashes = _mix(np.concatenate(shingles))[:, None] * _MULTIPLIERS[None, :]
        hashes += _ADDENDS[None, :]  # in place: the matrix is the whole cost, no second one
        hashes >>= np.uint64(32)
        rows.append(np.minimum.reduceat(hashes, offsets, axis=0))
    return np.concatenate(rows) if rows else np.zeros((0, NUM_PERM), dtype=np.uint64)


def band_keys(signatures: np.ndarray, scope: int, layout: Layout) -> list[list[int]]:
    """Each text's LSH band keys (one row of signatures each) as signed 64-bit integers (a database
    index column), with its scope (the consultation), the layout and the band's number mixed in, so
    that texts of two consultations, or keys of two layouts, never meet."""
    bands = signatures[:, : layout.bands * layout.rows].reshape(len(signatures), layout.bands, layout.rows)
    first = (np.uint64(scope) << np.uint64(10)) | np.uint64(layout.rows << 6) | np.arange(layout.bands, dtype=np.uint64)
    keys = np.broadcast_to(_mix(first), bands.shape[:2])
    for row in range(layout.rows):
        keys = _mix(keys ^ bands[:, :, row])
    return keys.view(np.int64).tolist()


def text_keys(norm: str, scope: int, layout: Layout) -> list[int]:
    return band_keys(signatures([norm]), scope, layout)[0] if norm else []


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity of two texts' bigram sets, as their signatures estimate it."""
    return float(np.mean(a == b))


@dataclass(frozen=True)
class Arrival:
    """A new comment: its id, its normalised text and its band keys in the two layouts."""

    id: int
    norm: str
    keys: list[int]  # ALONE_BANDS
    group_keys: list[int]  # GROUP_BANDS


@dataclass
class Known:
    """What the arrivals are compared with: groups by their representative (every group, for a
    consultation with few; else, for each arrival, those sharing the most band keys with it), and,
    for each arrival, the comments still alone that share the most band keys with it, by their text."""

    groups: dict[int, str] = field(default_factory=dict)
    group_candidates: dict[int, list[int]] = field(default_factory=dict)  # arrival -> groups sharing keys
    every_group: bool = True
    alone: dict[int, str] = field(default_factory=dict)
    candidates: dict[int, list[int]] = field(default_factory=dict)  # arrival -> comments alone
    # The comments that stayed alone most recently, oldest first (their texts are in `alone`).
    recent: list[int] = field(default_factory=list)


# The copies that start a campaign arrive close together, some with a sentence of their own that the
# band keys may miss: each arrival is also compared with this many comments that stayed alone last.
RECENT = 200


@dataclass
class Assignment:
    """Arrivals that join existing groups (group id -> arrivals); new groups (first member -> the
    representative's text and every member, the first included); arrivals that stay alone."""

    joins: dict[int, list[int]] = field(default_factory=dict)
    new_groups: dict[int, tuple[str, list[int]]] = field(default_factory=dict)
    alone: list[Arrival] = field(default_factory=list)


def best_groups(arrivals: Sequence[Arrival], known: Known) -> list[tuple[float, int | None]]:
    """Each arrival's best-matching existing group and its score: in a consultation with many groups,
    among those that share the most band keys with it (where nearly every copy finds its campaign);
    in one with few, among all of them, compared at once (in C++), so that a copy with much text of
    its own still finds its group."""
    best: list[tuple[float, int | None]] = []
    for arrival in arrivals:
        choices = {g: known.groups[g] for g in known.group_candidates.get(arrival.id, ()) if g in known.groups}
        found = process.extractOne(arrival.norm, choices, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE)
        best.append((found[1], found[2]) if found else (0.0, None))
    rest = [i for i, (_, group) in enumerate(best) if group is None and arrivals[i].norm]
    if not known.every_group or not known.groups or not rest:
        return best
    ids = list(known.groups)
    scores = process.cdist(
        [arrivals[i].norm for i in rest], [known.groups[g] for g in ids], scorer=fuzz.ratio, score_cutoff=MATCH_SCORE
    )
    for row, i in enumerate(rest):
        column = int(scores[row].argmax())
        if scores[row, column]:
            best[i] = (float(scores[row, column]), ids[column])
    return best


def assign(
    arrivals: Sequence[Arrival], known: Known, best: Sequence[tuple[float, int | None]] | None = None
) -> Assignment:
    """In arrival order, each arrival joins the best-matching group (of the consultation, or started by
    this batch); else it pairs with the best-matching comment still alone among those its band keys
    find and the RECENT that stayed alone last (the two start a group whose representative is the
    earlier text); else it stays alone and is a candidate for those after it. A match is the
    edit-distance ratio, never the hash alone. `best`: each arrival's best existing group, when
    already found (best_groups)."""
    buckets: dict[int, set[int]] = {}  # key -> arrivals of this batch left alone so far
    alone_texts = dict(known.alone)
    # The comments that stayed alone last, oldest first (compared with every arrival, in C++).
    window = [cid for cid in known.recent[-RECENT:] if cid in alone_texts]
    window_texts = [alone_texts[cid] for cid in window]
    started: dict[int, str] = {}  # groups this batch started: first member -> representative
    result = Assignment()
    alone_now: dict[int, Arrival] = {}
    for arrival, (score, group_id) in zip(arrivals, best or best_groups(arrivals, known), strict=True):
        if not arrival.norm:
            continue
        new = None
        if started:
            new = process.extractOne(arrival.norm, started, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE)
        if new is not None and new[1] > score:
            result.new_groups[new[2]][1].append(arrival.id)
            continue
        if group_id is not None:
            result.joins.setdefault(group_id, []).append(arrival.id)
            continue
        found = {c for key in arrival.keys for c in buckets.get(key, ())}
        found.update(known.candidates.get(arrival.id, ()))
        single = {c: alone_texts[c] for c in found if c in alone_texts}
        pair = process.extractOne(arrival.norm, single, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE) if single else None
        near = None
        if window_texts:
            near = process.extractOne(arrival.norm, window_texts, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE)
        if near is not None and (pair is None or near[1] > pair[1]):
            pair = (near[0], near[1], window[near[2]])
        if pair is None:
            alone_now[arrival.id] = arrival
            alone_texts[arrival.id] = arrival.norm
            window.append(arrival.id)
            window_texts.append(arrival.norm)
            if len(window) > RECENT:
                del window[0], window_texts[0]
            for key in arrival.keys:
                buckets.setdefault(key, set()).add(arrival.id)
            continue
        first = pair[2]
        # The comment alone becomes the first member of a new group, found from now on by its text.
        started[first] = alone_texts.pop(first)
        result.new_groups[first] = (started[first], [first, arrival.id])
        alone_now.pop(first, None)
        if first in window:
            at = window.index(first)
            del window[at], window_texts[at]
    result.alone = list(alone_now.values())
    return result
