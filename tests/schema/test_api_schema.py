"""Schemathesis against the running app's OpenAPI document: generated requests, valid and not, never
get a 5xx, every answer matches what the document promises (status, content type, body schema), and
valid requests are accepted. Bounded: a fixed number of examples per operation, so CI stays fast."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

EXAMPLES = 30


def _checker(operation) -> Callable[[], None]:
    # Whether a comment is accepted depends on more than its shape (the article must belong to the
    # draft, the consultation must be open): for the submission, every check but that one.
    excluded = [positive_data_acceptance] if operation.method.upper() == "POST" else []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def check(case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    return check


def test_the_api_keeps_its_promises(api_schema) -> None:
    # schemathesis's own pytest integration (from_fixture) does not run under pytest 9: drive each
    # operation's hypothesis strategy directly instead, and report every operation that fails.
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        try:
            _checker(operation)()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
