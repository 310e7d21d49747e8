"""Every write of the surveys app, one module per entity; import them from here."""

from surveys.services.cycles import cycle_create, cycle_set_rater_groups, cycle_set_state, cycle_update_dates
from surveys.services.emails import invitation_email_deliver, response_receipt_deliver
from surveys.services.fieldwork import reminders_preview, reminders_queue_now, reminders_send_chosen
from surveys.services.files import ImportFileError
from surveys.services.import_jobs import import_job_run, import_job_start
from surveys.services.invitations import (
    InvitationImportResult,
    invitation_redeem,
    invitation_send,
    invitations_import,
    invitations_send_unsent,
    reminders_count_due,
    reminders_send_due,
)
from surveys.services.questionnaires import (
    question_add,
    question_remove,
    question_update,
    questionnaire_copy,
    questionnaire_seed_default,
)
from surveys.services.responses import (
    DraftChangedElsewhere,
    ResponseImportResult,
    response_get_or_create_draft,
    response_save_draft,
    response_submit,
    responses_import,
)

__all__ = [
    "DraftChangedElsewhere",
    "ImportFileError",
    "InvitationImportResult",
    "ResponseImportResult",
    "cycle_create",
    "cycle_set_rater_groups",
    "cycle_set_state",
    "cycle_update_dates",
    "import_job_run",
    "import_job_start",
    "invitation_email_deliver",
    "invitation_redeem",
    "invitation_send",
    "invitations_import",
    "invitations_send_unsent",
    "question_add",
    "question_remove",
    "question_update",
    "questionnaire_copy",
    "questionnaire_seed_default",
    "reminders_count_due",
    "reminders_preview",
    "reminders_queue_now",
    "reminders_send_chosen",
    "reminders_send_due",
    "response_get_or_create_draft",
    "response_receipt_deliver",
    "response_save_draft",
    "response_submit",
    "responses_import",
]
