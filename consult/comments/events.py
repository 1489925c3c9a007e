"""What the comments area tells others (connected in consult/wiring.py)."""

from consult.events import Signal

# A new comment is stored (online or entered by staff). Payload: comment, now. Isolated: the comment
# is what matters, and a failing reaction (grouping it) must never lose it; the batch pass retries.
comment_stored = Signal("comment_stored", isolate=True)
# A comment was published or withheld. Payload: comment, now. Its group's answer and summary follow,
# and withholding the last unmoderated comment can complete a report that only waited for it.
comment_moderated = Signal("comment_moderated")
