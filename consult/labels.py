"""Human names of stored enum values, as msgids (translated when shown)."""

from __future__ import annotations

from enum import StrEnum

from consult.i18n import N_, gettext

LABELS: dict[str, str] = {
    # roles
    "admin": N_("Government office"),
    "staff": N_("Department staff"),
    "reviewer": N_("Department reviewer"),
    # channels
    "online": N_("Online form"),
    "email": N_("E-mail"),
    "letter": N_("Letter"),
    "fax": N_("Fax"),
    "phone": N_("Phone"),
    "symposium": N_("Symposium"),
    "hearing": N_("Hearing"),
    "field_visit": N_("Field visit"),
    "survey": N_("Survey"),
    "solicitation_letter": N_("Letter requesting opinions"),
    "public_notice": N_("Public notice"),
    "research": N_("Research visit"),
    "consultative_talks": N_("Consultation and negotiation"),
    "media_outreach": N_("Media outreach"),
    # policy evaluation methods (seed 002) and the questionnaire
    "method_collection": N_("Call for opinions"),
    "method_symposium": N_("Topical symposium"),
    "method_interview": N_("Key interviews"),
    "method_open_day": N_("Government open day"),
    "method_opinion_monitoring": N_("Public opinion monitoring"),
    "method_online_qa": N_("Online questions to the government"),
    "method_questionnaire": N_("Questionnaire"),
    "part_standard": N_("Standard of execution"),
    "part_applicability": N_("Scope of application"),
    "part_usage": N_("How it was used"),
    "part_effects": N_("Results achieved"),
    "part_problems": N_("Problems found"),
    "part_suggestions": N_("Suggestions for improvement"),
    # questionnaires
    "survey_building": N_("Being prepared"),
    "survey_pending": N_("Awaiting review"),
    "survey_upcoming": N_("Not yet open"),
    "survey_open": N_("Open"),
    "survey_closed": N_("Closed"),
    "question_single": N_("Single choice"),
    "question_multiple": N_("Multiple choice"),
    "question_scale": N_("Scale of 1 to 5"),
    "question_short_text": N_("Short text"),
    "question_long_text": N_("Long text"),
    # what is put out for comment
    "major_decision": N_("Major administrative decision"),
    "government_rule": N_("Government rule draft"),
    "normative_document": N_("Normative document"),
    # procedure steps before the decision (国务院令第713号)
    "step_expert_review": N_("Expert review"),
    "step_risk_assessment": N_("Risk assessment"),
    "step_legality_review": N_("Legality review"),
    "step_collective_discussion": N_("Collective discussion"),
    "risk_low": N_("Low"),
    "risk_medium": N_("Medium"),
    "risk_high": N_("High"),
    # submitter categories
    "citizen": N_("Citizen"),
    "enterprise": N_("Enterprise"),
    "organisation": N_("Organisation"),
    "expert": N_("Expert"),
    "npc_deputy": N_("NPC deputy"),
    "cppcc_member": N_("CPPCC member"),
    "democratic_party": N_("Democratic party"),
    "social_organisation": N_("Social organisation"),
    "legal_adviser": N_("Legal adviser"),
    # display
    "masked": N_("Show my surname only (e.g. 张**)"),
    "anonymous": N_("Anonymous"),
    # moderation
    "pending": N_("Awaiting moderation"),
    "published": N_("Published"),
    "withheld": N_("Withheld"),
    "abuse": N_("Abusive language"),
    "irrelevant": N_("Unrelated to the draft"),
    "personal_data": N_("Contains personal data"),
    "duplicate": N_("Duplicate of the same person's comment"),
    "advertising": N_("Advertising or spam"),
    # answers
    "adopted": N_("Adopted"),
    "partly_adopted": N_("Partly adopted"),
    "not_adopted": N_("Not adopted"),
    "already_covered": N_("Already covered"),
    "out_of_scope": N_("Outside the scope of this consultation"),
    "approved": N_("Approved"),
    "returned": N_("Returned for revision"),
    # consultation states
    "draft": N_("Not yet published"),
    "upcoming": N_("Not yet open"),
    "open": N_("Open for comment"),
    "closed": N_("Closed"),
    # consultation events
    "closed_early": N_("Closed early"),
    "extended": N_("Extended"),
    "reopened": N_("Reopened"),
    # attachment kinds
    "explanation": N_("Drafting explanation"),
    "other": N_("Other material"),
    # catalog adjustments
    "added": N_("Added"),
    "changed": N_("Changed"),
    "removed": N_("Removed"),
    # decision stages
    "planned": N_("Planned"),
    "drafting": N_("Drafting"),
    "consulting": N_("Public consultation"),
    "deliberating": N_("Consultation closed, under deliberation"),
    "decided": N_("Decided"),
    # report publication
    "complete": N_("Published when every comment was answered"),
    "deadline": N_("Published on its due date"),
    "manual": N_("Published early by the department"),
    # meetings
    "stakeholder": N_("Stakeholder"),
    "citizen_representative": N_("Citizen representative"),
    "media": N_("Media"),
    "applied": N_("Application received"),
    "selected": N_("Selected"),
    "not_selected": N_("Not selected"),
    "invited": N_("Invited"),
    "lottery": N_("Public lottery"),
    "invitation": N_("Invitation"),
    "attended": N_("Attended"),
    "absent": N_("Absent"),
    # search result kinds
    "kind_decision": N_("Decision"),
    "kind_consultation": N_("Consultation"),
    "kind_interpretation": N_("Policy interpretation"),
    "kind_execution_update": N_("Execution update"),
    "kind_article": N_("Article of a draft"),
    "kind_comment": N_("Comment"),
    "kind_report": N_("Adoption report"),
    "kind_meeting": N_("Standing meeting"),
    "kind_hearing": N_("Hearing"),
    "kind_survey": N_("Questionnaire"),
    "kind_evaluation": N_("Policy evaluation"),
    "kind_procedure_step": N_("Step before the decision"),
    # search statuses (a comment's public answer, a decision's place in the catalog)
    "unanswered": N_("Not yet answered"),
    "listed": N_("In the catalog"),
    # catalog fields
    "title": N_("Title"),
    "department_id": N_("Lead department"),
    "planned_completion": N_("Planned completion"),
    "needs_hearing": N_("Hearing required"),
    # interpretation forms (seed 002: 多种形式解读)
    "form_text": N_("Written interpretation"),
    "form_graphic": N_("Graphic (一图读懂)"),
    "form_qa": N_("Questions and answers"),
    "form_video": N_("Video"),
    "form_audio": N_("Audio"),
    "form_press_conference": N_("Press conference"),
    "form_media_interview": N_("Media interview"),
    "form_expert": N_("Expert interpretation"),
    "form_h5": N_("H5 page"),
    "form_other": N_("Other form"),
    # in whose name a document is issued
    "level_government": N_("The government or its office"),
    "level_department": N_("A department or a town"),
    # status changes of an issued decision (713号令 第三十八条), and the state they leave it in
    "change_adjusted": N_("Adjusted"),
    "change_suspended": N_("Suspended"),
    "change_resumed": N_("Resumed"),
    "change_terminated": N_("Terminated"),
    "change_kind_unchanged": N_("Article unchanged"),
    "change_kind_changed": N_("Article changed"),
    "change_kind_added": N_("Article added"),
    "change_kind_removed": N_("Article removed"),
    "state_in_force": N_("In force"),
    "state_adjusted": N_("In force as adjusted"),
    "state_suspended": N_("Suspended"),
    "state_terminated": N_("Terminated"),
}
# Where two enums share a value, the enum's own reading wins.
BY_TYPE: dict[str, str] = {
    "ReviewState.pending": N_("Awaiting review"),
    "AttachmentKind.draft": N_("Full text of the draft"),
    "SelectionMethod.manual": N_("Selected by the office, with its reason"),
}


def label(value: StrEnum | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        specific = BY_TYPE.get(f"{type(value).__name__}.{value.value}")
        if specific:
            return gettext(specific)
        key = value.value
    else:
        key = str(value)
    return gettext(LABELS[key]) if key in LABELS else key
