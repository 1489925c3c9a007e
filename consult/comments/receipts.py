"""Receipt codes: unguessable (60 random bits) yet easy to read over the phone."""

from __future__ import annotations

import secrets

from consult.i18n import N_

# Crockford's base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V when read aloud.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_receipt_code() -> str:
    bits = int.from_bytes(secrets.token_bytes(8), "big") >> 4  # 60 random bits, 5 per character
    raw = "".join(ALPHABET[(bits >> shift) & 31] for shift in range(55, -1, -5))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt_code(code: str) -> str | None:
    """Accept lower case, spaces, missing dashes and confusable letters; None when it cannot be a code."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(cleaned) != 12 or any(ch not in ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


CODE_LENGTH = 12


def receipt_code_problem(code: str) -> tuple[str, dict[str, object]] | None:
    """Why `code` cannot be a receipt code (a message and its values), or None when it can: a
    citizen who mistyped a character learns that, not that no comment has the code."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)
    foreign = [ch for ch in cleaned if ch not in ALPHABET]
    if foreign:
        return N_("A receipt code has only Latin letters and digits; “%(char)s” cannot be part of one."), {
            "char": foreign[0]
        }
    if len(cleaned) != CODE_LENGTH:
        return N_("A receipt code has 12 letters and digits; this one has %(n)s."), {"n": len(cleaned)}
    return None
