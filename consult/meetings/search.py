"""Standing meetings in the search index: public from the day they are entered."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.meetings.models import Meeting, MeetingTopic
from consult.search.index import Document, in_chinese, put_document


async def _document(meeting: Meeting) -> Document:
    topics = await MeetingTopic.filter(meeting_id=meeting.id)
    return Document(
        kind="meeting",
        ref_id=meeting.id,
        url=f"/meetings/{meeting.id}",
        title=in_chinese("Standing meeting no. %(n)s", n=meeting.number),
        body=" ".join(f"{t.title} {t.outcome}" for t in topics),
        department_id=None,
        year=meeting.held_on.year,
        published_on=meeting.held_on,
    )


async def index_meeting(meeting: Meeting) -> None:
    await put_document(await _document(meeting))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    if catalog_id is not None:  # meetings belong to no catalog: indexed when entered
        return
    for meeting in await Meeting.all():
        yield await _document(meeting)
