"""意见较为集中: when a group of similar comments is concentrated, and what answering it requires.

Seed 002 二(二): where the public's opinions are concentrated and not adopted, the reason is explained
publicly. "Not adopted" covers every answer that does not fully adopt them: 部分采纳 leaves a part not
adopted, and 已有规定 / 不属于征求意见范围 refuse too. Pure: the figures come from the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from consult.review.models import AnswerStatus
from consult.settings import Settings


@dataclass(frozen=True)
class ConcentratedRule:
    # At least `min_size` published comments, or at least `floor` that make up `share` of them all.
    min_size: int = 10
    share: float = 0.05
    floor: int = 3
    # A refusal's published reason needs this many meaningful characters (letters, digits, CJK).
    reason_min_chars: int = 15

    @classmethod
    def of(cls, settings: Settings) -> ConcentratedRule:
        return cls(
            settings.concentrated_min_size,
            settings.concentrated_share,
            settings.concentrated_floor,
            settings.concentrated_reason_min_chars,
        )

    def is_concentrated(self, size: int, total: int) -> bool:
        return size >= self.min_size or (size >= self.floor and total > 0 and size / total >= self.share)

    def reason_is_missing(self, status: AnswerStatus, reason: str) -> bool:
        """True when an answer to a concentrated opinion does not meet the rule."""
        return status is not AnswerStatus.ADOPTED and meaningful_length(reason) < self.reason_min_chars


def meaningful_length(text: str) -> int:
    """Letters, digits and Chinese characters; punctuation, spaces and symbols padding a reason such as
    “经研究，暂不采纳。。。。。。” do not count (str.isalnum is true for CJK ideographs)."""
    return sum(1 for ch in text if ch.isalnum())


# Answers that say the opposite of each other: adopting against refusing.
_ADOPTING = {AnswerStatus.ADOPTED, AnswerStatus.PARTLY_ADOPTED}


def contradicts(own: AnswerStatus, group: AnswerStatus) -> bool:
    """A member's own answer that says the opposite of its group's answer (采纳 or 部分采纳 against a
    refusal), flagged to the reviewer before approval. 已有规定 against 不予采纳 are two refusals with
    different reasons, and 采纳 against 部分采纳 a difference of degree: neither is a contradiction."""
    return (own in _ADOPTING) != (group in _ADOPTING)
