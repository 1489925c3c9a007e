"""Near-duplicate detection for Chinese comments. Pure: texts in, groups out.

Campaign copies differ by greetings, punctuation, spacing and small edits. Texts are normalised
(NFKC, greetings and punctuation removed), cut into character bigrams, and hashed with MinHash.
Leader clustering keeps only one representative per group in the LSH index, so a campaign of 20,000
copies costs one index entry, not 20,000² comparisons; each LSH candidate is confirmed with a direct
edit-distance ratio (rapidfuzz) before a text joins a group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

NUM_PERM = 64
LSH_THRESHOLD = 0.4  # estimated Jaccard of the bigram sets to be a candidate; measured in bench/grouping.py
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


def _shingles(norm: str) -> list[bytes]:
    if len(norm) <= SHINGLE:
        return [norm.encode()]
    return [norm[i : i + SHINGLE].encode() for i in range(len(norm) - SHINGLE + 1)]


def similar(a: str, b: str) -> bool:
    """Both texts already normalised."""
    return fuzz.ratio(a, b) >= MATCH_SCORE


@dataclass
class Clusterer:
    """Assigns texts to clusters one by one; clusters are identified by their leader's key."""

    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM))
    leaders: dict[str, str] = field(default_factory=dict)  # leader key -> normalised text

    def add_leader(self, key: str, norm: str, minhash: MinHash | None = None) -> None:
        self.lsh.insert(key, minhash or MinHash.bulk([_shingles(norm)], num_perm=NUM_PERM)[0])
        self.leaders[key] = norm

    def match(self, norm: str, minhash: MinHash) -> str | None:
        candidates = self.lsh.query(minhash)
        if not candidates:
            return None
        texts = {key: self.leaders[key] for key in candidates}
        best = process.extractOne(norm, texts, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE)
        return best[2] if best else None


def cluster(texts: Sequence[str], leaders: dict[str, str] | None = None) -> tuple[list[str | None], dict[str, str]]:
    """For each text, the key of the cluster it belongs to (None when it stands alone).

    `leaders` are existing groups (key -> normalised representative); texts that match none of them
    and no earlier text stay None; texts that match an earlier lone text start a new cluster keyed
    "new:<index of the first text>". Returns the assignment and the new clusters' representatives.
    """
    norms = [normalise(t) for t in texts]
    minhashes = MinHash.bulk([_shingles(n) for n in norms], num_perm=NUM_PERM)
    clusterer = Clusterer()
    for key, norm in (leaders or {}).items():
        clusterer.add_leader(key, norm)
    assignment: list[str | None] = [None] * len(texts)
    lone: dict[str, int] = {}  # leader key of a lone text -> its index
    new_clusters: dict[str, str] = {}
    for i, (norm, minhash) in enumerate(zip(norms, minhashes, strict=True)):
        if not norm:
            continue
        key = clusterer.match(norm, minhash)
        if key is None:
            own = f"lone:{i}"
            clusterer.add_leader(own, norm, minhash)
            lone[own] = i
            continue
        if key in lone:
            # Two lone texts meet: they found a new cluster, keyed by the first.
            first = lone.pop(key)
            new_key = f"new:{first}"
            assignment[first] = new_key
            new_clusters[new_key] = clusterer.leaders[key]
            clusterer.leaders[new_key] = clusterer.leaders.pop(key)
            clusterer.lsh.remove(key)
            clusterer.lsh.insert(new_key, minhashes[first])
            key = new_key
        assignment[i] = key
    return assignment, new_clusters
