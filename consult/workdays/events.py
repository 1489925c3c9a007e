"""What the working-day calendar tells others (connected in consult/wiring.py)."""

from consult.events import Signal

# The office entered or corrected a year's holidays and make-up workdays. Payload: now. Every running
# consultation's legal last day (Civil Code Art.203) may move.
calendar_changed = Signal("calendar_changed")
