"""Questionnaires: built and reviewed by staff, answered once per person without an account, results
counted right, free text moderated, nothing private in the results, the CSV or the API."""

from __future__ import annotations

import random
from datetime import date

import pytest

from consult.accounts.models import Role
from consult.comments.models import ModerationState
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.surveys.models import SurveyAnswer, SurveyChoice, SurveyQuestion
from consult.surveys.queries import survey_results
from consult.surveys.services import (
    OTHER,
    QuestionInput,
    RawAnswer,
    SurveyInput,
    add_question,
    create_survey,
    moderate_text,
    respond,
    review_survey,
    submit_for_review,
)
from tests.factories import at, freeze, log_in, make_department, make_user, post

OPENS, CLOSES = date(2026, 12, 10), date(2026, 12, 20)


async def _survey(published: bool = True):
    """A questionnaire with every kind of question: satisfaction (scale), the main concern (single,
    with other), what to improve (up to 2 of 4), and a comment (long text, optional)."""
    department = await make_department()
    staff = await make_user(Role.STAFF, department)
    survey = await create_survey(
        department.id, SurveyInput("城区停车满意度调查", OPENS, CLOSES, "约3分钟。"), staff, at(date(2026, 12, 1))
    )
    questions = [
        await add_question(survey, QuestionInput("scale", "您对城区停车的总体满意度"), staff),
        await add_question(
            survey, QuestionInput("single", "您最关心的问题", choices=["收费", "车位", "秩序"], allow_other=True), staff
        ),
        await add_question(
            survey,
            QuestionInput("multiple", "希望优先改进的方面", choices=["收费", "车位", "秩序", "充电"], max_choices=2),
            staff,
        ),
        await add_question(survey, QuestionInput("long_text", "其他意见建议", required=False), staff),
    ]
    if published:
        await submit_for_review(survey, staff, at(date(2026, 12, 2)))
        reviewer = await make_user(Role.REVIEWER, department)
        await review_survey(survey, True, "", reviewer, at(date(2026, 12, 3)))
    return survey, questions, staff


async def _choices(question: SurveyQuestion) -> list[int]:
    return list(await SurveyChoice.filter(question_id=question.id).order_by("seq").values_list("id", flat=True))


async def test_the_builder_checks_each_kind_of_question(calendar) -> None:
    survey, _, staff = await _survey(published=False)
    refused = [
        QuestionInput("single", "只有一个选项", choices=["是"]),
        QuestionInput("multiple", "重复选项", choices=["是", "是"]),
        QuestionInput("multiple", "最多选五项", choices=["甲", "乙"], max_choices=5),
        QuestionInput("dropdown", "未知题型"),
        QuestionInput("scale", ""),
    ]
    for data in refused:
        with pytest.raises(ValidationError):
            await add_question(survey, data, staff)
    stranger = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await add_question(survey, QuestionInput("scale", "满意度"), stranger)


async def test_review_before_publication_by_another_reviewer(calendar) -> None:
    survey, _, staff = await _survey(published=False)
    reviewer = await make_user(Role.REVIEWER, await survey.department)
    with pytest.raises(Conflict):  # not submitted yet
        await review_survey(survey, True, "", reviewer, at(date(2026, 12, 3)))
    await submit_for_review(survey, reviewer, at(date(2026, 12, 2)))
    with pytest.raises(PermissionDenied):  # nobody approves what they submitted
        await review_survey(survey, True, "", reviewer, at(date(2026, 12, 3)))
    other = await make_user(Role.REVIEWER, await survey.department)
    with pytest.raises(ValidationError):
        await review_survey(survey, False, "", other, at(date(2026, 12, 3)))
    await review_survey(survey, False, "第三题选项不全", other, at(date(2026, 12, 3)))
    await add_question(survey, QuestionInput("short_text", "您的社区"), staff)  # editable again
    await submit_for_review(survey, staff, at(date(2026, 12, 4)))
    await review_survey(survey, True, "", other, at(date(2026, 12, 4)))
    assert survey.published_at is not None
    with pytest.raises(Conflict):  # a published questionnaire never changes under its respondents
        await add_question(survey, QuestionInput("scale", "再加一题"), staff)


# What a respondent may send for each kind of question, and what is refused (table by question).
@pytest.mark.parametrize(
    ("question", "answer", "ok"),
    [
        (0, RawAnswer(scale="5"), True),
        (0, RawAnswer(scale="6"), False),
        (0, RawAnswer(), False),  # required
        (1, RawAnswer(choices=["first"]), True),
        (1, RawAnswer(choices=["first", "second"]), False),  # one only
        (1, RawAnswer(choices=[OTHER], other_text="噪音"), True),
        (1, RawAnswer(choices=[OTHER]), False),  # "other" says what
        (1, RawAnswer(choices=["999999"]), False),  # not a choice of this question
        (2, RawAnswer(choices=["first", "second"]), True),
        (2, RawAnswer(choices=["first", "second", "third"]), False),  # at most 2
        (3, RawAnswer(text="x" * 2001), False),
    ],
)
async def test_every_question_kind_is_validated(calendar, question: int, answer: RawAnswer, ok: bool) -> None:
    survey, questions, _ = await _survey()
    ids = {q.id: await _choices(q) for q in questions}
    target = questions[question]
    names = {"first": 0, "second": 1, "third": 2}
    answer.choices = [str(ids[target.id][names[c]]) if c in names else c for c in answer.choices]
    raw = {
        questions[0].id: RawAnswer(scale="4"),
        questions[1].id: RawAnswer(choices=[str(ids[questions[1].id][0])]),
        questions[2].id: RawAnswer(choices=[str(ids[questions[2].id][1])]),
        target.id: answer,
    }
    attempt = respond(survey, raw, "13800000000", "", date(2026, 12, 12), at(date(2026, 12, 12)))
    if ok:
        assert (await attempt).receipt_code
    else:
        with pytest.raises(ValidationError) as refused:
            await attempt
        assert f"q{target.id}" in refused.value.errors


async def test_one_response_per_person_and_only_while_open(calendar) -> None:
    survey, questions, _ = await _survey()
    raw = {questions[0].id: RawAnswer(scale="3"), questions[1].id: RawAnswer(choices=[OTHER], other_text="噪音")}
    raw[questions[2].id] = RawAnswer(choices=[str((await _choices(questions[2]))[0])])
    with pytest.raises(Conflict):
        await respond(survey, raw, "13800000000", "", date(2026, 12, 9), at(date(2026, 12, 9)))
    await respond(survey, raw, "138-0000-0000", "", date(2026, 12, 12), at(date(2026, 12, 12)))
    with pytest.raises(Conflict):  # the same number written another way
        await respond(survey, raw, "+86 138 0000 0000", "", date(2026, 12, 12), at(date(2026, 12, 12)))
    with pytest.raises(ValidationError) as no_contact:
        await respond(survey, raw, "", "", date(2026, 12, 12), at(date(2026, 12, 12)))
    assert "contact" in no_contact.value.errors
    with pytest.raises(Conflict):
        await respond(survey, raw, "13900000000", "", date(2026, 12, 21), at(date(2026, 12, 21)))


async def test_results_agree_with_a_direct_count(calendar) -> None:
    survey, questions, staff = await _survey()
    scale, single, multiple, text = questions
    single_ids, multiple_ids = await _choices(single), await _choices(multiple)
    rng = random.Random(7)
    expected_scale: list[int] = []
    expected_single = {c: 0 for c in single_ids}
    expected_other = 0
    expected_multiple = {c: 0 for c in multiple_ids}
    for i in range(60):
        value = rng.randint(1, 5)
        expected_scale.append(value)
        pick = rng.choice([*single_ids, OTHER])
        if pick == OTHER:
            expected_other += 1
        else:
            expected_single[pick] += 1
        ticks = rng.sample(multiple_ids, rng.randint(1, 2))
        for c in ticks:
            expected_multiple[c] += 1
        raw = {
            scale.id: RawAnswer(scale=str(value)),
            single.id: RawAnswer(choices=[str(pick)], other_text="路面坑洼" if pick == OTHER else ""),
            multiple.id: RawAnswer(choices=[str(c) for c in ticks]),
            text.id: RawAnswer(text=f"建议{i}" if i % 10 == 0 else ""),
        }
        await respond(survey, raw, f"1380000{i:04d}", "", date(2026, 12, 12), at(date(2026, 12, 12)))
    results = await survey_results(survey)
    by_q = {r.question.id: r for r in results.questions}
    assert results.responses == 60
    assert by_q[scale.id].mean == pytest.approx(sum(expected_scale) / 60)
    assert by_q[scale.id].distribution == [(v, expected_scale.count(v)) for v in range(1, 6)]
    assert [n for _, n, _ in by_q[single.id].choices] == [*expected_single.values(), expected_other]
    assert [n for _, n, _ in by_q[multiple.id].choices] == list(expected_multiple.values())
    shares = [share for _, _, share in by_q[multiple.id].choices]
    assert shares == [pytest.approx(n / 60) for n in expected_multiple.values()]  # of those who answered
    assert by_q[text.id].answered == 6 and by_q[text.id].texts == []  # unread text is not published
    pending = await SurveyAnswer.filter(question_id=text.id).order_by("id")
    await moderate_text(pending[0], True, staff)
    await moderate_text(pending[1], False, staff)
    texts = {r.question.id: r.texts for r in (await survey_results(survey)).questions}
    assert texts[text.id] == ["建议0"]
    assert (await SurveyAnswer.get(id=pending[1].id)).text_state is ModerationState.WITHHELD


async def test_a_citizen_answers_on_the_page_and_reads_the_results_after_it_closes(
    client, calendar, monkeypatch
) -> None:
    survey, questions, staff = await _survey()
    scale, single, multiple, text = questions
    multiple_ids = await _choices(multiple)
    freeze(monkeypatch, date(2026, 12, 12))
    page = (await client.get(f"/surveys/{survey.id}")).text
    assert "您对城区停车的总体满意度" in page and "第1题（共4题）" in page
    form = {
        f"q{scale.id}": "4",
        f"q{single.id}": OTHER,
        f"q{single.id}_other": "",
        f"q{multiple.id}": [str(multiple_ids[0]), str(multiple_ids[1]), str(multiple_ids[2])],
        "phone": "13800000001",
        "form_token": "form-token-of-this-page-1",
    }
    refused = await post(client, f"/surveys/{survey.id}/responses", form)
    assert refused.status_code == 422 and "最多选择2项" in refused.text
    # What was ticked is still ticked.
    assert f'value="{multiple_ids[2]}" checked' in refused.text and 'value="4" checked' in refused.text
    form[f"q{multiple.id}"] = [str(multiple_ids[0]), str(multiple_ids[1])]
    form[f"q{single.id}_other"] = "路面坑洼"
    form[f"q{text.id}"] = "希望公开收费收入的使用情况"
    done = await post(client, f"/surveys/{survey.id}/responses", form)
    assert done.status_code == 303
    # The same form sent again (a double click) shows the same receipt; another form from the same
    # phone is refused: one response per person.
    again = await post(client, f"/surveys/{survey.id}/responses", form)
    assert again.status_code == 303 and again.headers["location"] == done.headers["location"]
    other = await post(client, f"/surveys/{survey.id}/responses", {**form, "form_token": "another-form-token-22"})
    assert other.status_code == 409 and "每人限答一次" in other.text
    receipt = (await client.get(done.headers["location"])).text
    assert "城区停车满意度调查" in receipt and "13800000001" not in receipt
    assert (await client.get(f"/surveys/{survey.id}/results.csv")).status_code == 404  # not before it closes
    assert (await client.get(f"/api/v1/surveys/{survey.id}/results")).status_code == 404
    await moderate_text(await SurveyAnswer.get(question_id=text.id), True, staff)
    freeze(monkeypatch, date(2026, 12, 21))
    page = (await client.get(f"/surveys/{survey.id}")).text
    assert "结果" in page and "希望公开收费收入的使用情况" in page and "13800000001" not in page
    chart = await client.get(f"/surveys/{survey.id}/charts/{multiple.id}.svg")
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    csv = (await client.get(f"/surveys/{survey.id}/results.csv")).content.decode("utf-8-sig")
    assert "路面坑洼" not in csv  # "other" text unread: not published
    assert "希望公开收费收入的使用情况" in csv and "13800000001" not in csv
    api = (await client.get(f"/api/v1/surveys/{survey.id}/results")).json()["data"]
    assert api["responses"] == 1 and api["questions"][0]["mean"] == 4
    assert f"/surveys/{survey.id}" in (await client.get("/search", params={"q": "停车满意度"})).text
    assert f"/surveys/{survey.id}" in (await client.get("/feeds/participation.atom")).text
    assert "13800000001" not in str(api) and "receipt" not in str(api)


async def test_staff_build_preview_and_submit_over_http(client, calendar, monkeypatch) -> None:
    freeze(monkeypatch, date(2026, 12, 1))
    department = await make_department()
    staff = await make_user(Role.STAFF, department)
    await log_in(client, staff)
    created = await post(
        client, "/manage/surveys", {"title": "学校课后服务问卷", "opens_on": "2026-12-05", "closes_on": "2026-12-15"}
    )
    assert created.status_code == 303
    url = created.headers["location"]
    renamed = await post(
        client, f"{url}/details", {"title": "课后服务满意度问卷", "opens_on": "2026-12-06", "closes_on": "2026-12-16"}
    )
    assert renamed.status_code == 303 and "课后服务满意度问卷" in (await client.get(url)).text
    bad = await post(client, f"{url}/question", {"kind": "single", "text": "您是否满意", "choices": "满意"})
    assert bad.status_code == 422
    await post(
        client, f"{url}/question", {"kind": "single", "text": "您是否满意", "choices": "满意\n不满意", "required": "on"}
    )
    page = (await client.get(url)).text
    assert "您是否满意" in page and "不满意" in page and "disabled" in page  # the preview
    assert (await post(client, f"{url}/submit")).status_code == 303
    await log_in(client, await make_user(Role.STAFF))
    assert (await client.get(url)).status_code == 403
    assert "学校课后服务问卷" not in (await client.get("/surveys/")).text  # not approved yet
