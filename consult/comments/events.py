"""What the comments area tells others (connected in consult/wiring.py)."""

from consult.events import Signal

# A new comment is stored (online or entered by staff). Payload: comment, now. Isolated: the comment
# is what matters, and a failing reaction (grouping it) must never lose it; the batch pass retries.
comment_stored = Signal("comment_stored", isolate=True)
# A comment is being published or withheld. Sent inside the moderation's transaction: what receivers
# write (its group's summary, the group's answer for a newly published member, that member's mail)
# commits or rolls back with the new state. Payload: comment, now.
comment_moderated = Signal("comment_moderated")
# The moderation has committed and the comment's search entry follows it. Withholding the last
# unmoderated comment can complete a report that only waited for it. Payload: comment, now.
moderation_committed = Signal("moderation_committed")
