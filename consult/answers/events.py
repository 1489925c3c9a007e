"""What the answers area tells others (connected in consult/wiring.py)."""

from consult.events import Signal

# Answers of a consultation became public (one approved, or a group's inherited by its members):
# its adoption report may now be complete. Payload: consultation_id, now.
answers_published = Signal("answers_published")
