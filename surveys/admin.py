"""Django admin for cycles, questionnaires and invitations, read-only for NHSCC admins.

Cycles are run from the cycle pages (/manage/cycles/) and questionnaires edited in the questionnaire
editor, whose services audit every change and refuse a frozen questionnaire. Responses and answers are
not here at all: an admin never reads a lead's answers beside their name (only in the audited
respondent-level export, which carries no names).
"""

from django.contrib import admin

from core.admin_access import ReadOnlyModelAdmin
from surveys.models import Cycle, Invitation, Question, Section


@admin.register(Cycle)
class CycleAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "state", "opens_on", "closes_on", "opened_at", "closed_at", "published_at"]
    list_filter = ["state"]


@admin.register(Section)
class SectionAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "title", "order", "questionnaire"]
    list_filter = ["questionnaire__cycle__year"]
    fields = ["questionnaire", "order", "code", "title", "intro"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "text", "type", "section", "order", "positively_worded", "offers_not_applicable"]
    list_filter = ["questionnaire__cycle__year", "type", "section__code"]
    search_fields = ["code", "text"]
    list_select_related = ["section", "questionnaire__cycle"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "cycle", "ccg", "rater_group", "sent_at", "reminder_count", "opened_at", "submitted_at"]
    list_filter = ["cycle__year", "rater_group", "area_team"]
    search_fields = ["user__email", "ccg__name", "ccg__ods_code"]
    list_select_related = ["user", "cycle", "ccg"]
    # The token's hash is never shown: it is enough to know whether a link is still live.
    exclude = ["token_hash"]
