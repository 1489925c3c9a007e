"""What the comments area tells others (connected in consult/wiring.py), and the work it queues."""

from consult.events import Signal

# A comment is being published or withheld. Sent inside the moderation's transaction: what receivers
# write (its group's summary, the group's answer for a newly published member, that member's mail)
# commits or rolls back with the new state. Payload: comment, now.
comment_moderated = Signal("comment_moderated")
# The moderation has committed. Withholding the last unmoderated comment can complete a report that
# only waited for it. Payload: comment, now.
moderation_committed = Signal("moderation_committed")

# Jobs (consult/jobs/) queued in the transaction that stores or changes comments; their handlers are
# registered in consult/wiring.py. Scope: the consultation; subject: the comment.
# A new comment is compared with the consultation's others, and joins the group it copies.
GROUP_JOB = "group_comment"
# A comment's search entry follows its state and its public answer.
INDEX_JOB = "index_comment"
