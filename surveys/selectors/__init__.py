"""Reads of the surveys app, each scoped to the caller: a respondent only ever gets the invitation and response
they answer (their own; for an area team member, their team's self-assessment).

One module per subject; import them from here.
"""

from surveys.selectors.appraisals import (
    MSG_CLOSED,
    MSG_CLOSED_DRAFT,
    MSG_CLOSED_NOT_STARTED,
    MSG_CLOSED_ON,
    MSG_CLOSED_SUBMITTED,
    MSG_NOT_OPEN,
    AppraisalStatus,
    RespondentAppraisal,
    RespondentTexts,
    ReviewItem,
    SectionReview,
    invitation_for_respondent,
    invitation_for_token,
    respondent_appraisal,
    respondent_appraisal_current,
    respondent_texts,
    response_for_respondent,
    response_review,
)
from surveys.selectors.cycles import (
    MSG_CYCLE_NOT_FOUND,
    cycle_current_open,
    cycle_for_user,
    cycles_for_user,
    cycles_with_counts,
    cycles_with_responses,
    questionnaire_for_cycle,
)
from surveys.selectors.rates import (
    fieldwork_dashboard,
    response_rates,
)
from surveys.selectors.readable import (
    MSG_NO_APPRAISAL,
    MSG_NOT_PUBLISHED,
    MSG_RESULTS_AFTER_FIELDWORK,
    ResultsNotYetAvailable,
    cycle_check_readable,
    cycle_rates_readable_by,
    cycle_readable_by,
    latest_results_cycle,
    results_cycles,
)
from surveys.selectors.respondents import cycles_answered_by, invitations_for_respondent, is_respondent
from surveys.selectors.state_changes import (
    StateChange,
    cycle_state_change,
)

__all__ = [
    "AppraisalStatus",
    "RespondentAppraisal",
    "RespondentTexts",
    "MSG_CLOSED",
    "MSG_CLOSED_DRAFT",
    "MSG_CLOSED_NOT_STARTED",
    "MSG_CLOSED_ON",
    "MSG_CLOSED_SUBMITTED",
    "MSG_CYCLE_NOT_FOUND",
    "MSG_NOT_OPEN",
    "MSG_NOT_PUBLISHED",
    "MSG_NO_APPRAISAL",
    "MSG_RESULTS_AFTER_FIELDWORK",
    "ResultsNotYetAvailable",
    "ReviewItem",
    "SectionReview",
    "StateChange",
    "cycle_check_readable",
    "cycle_current_open",
    "cycle_for_user",
    "cycle_rates_readable_by",
    "cycle_readable_by",
    "cycle_state_change",
    "cycles_for_user",
    "cycles_with_counts",
    "cycles_with_responses",
    "fieldwork_dashboard",
    "cycles_answered_by",
    "invitation_for_respondent",
    "invitations_for_respondent",
    "is_respondent",
    "invitation_for_token",
    "latest_results_cycle",
    "respondent_appraisal",
    "respondent_appraisal_current",
    "respondent_texts",
    "questionnaire_for_cycle",
    "response_for_respondent",
    "response_rates",
    "response_review",
    "results_cycles",
]
