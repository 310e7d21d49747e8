"""Django admin for the questionnaire: editable while its cycle is a draft, read-only once frozen.

Cycles are run from the cycle pages (/manage/cycles/), so here they are read-only. Question edits go
through the services, which refuse any change to a frozen questionnaire.
"""

from django import forms
from django.contrib import admin

from surveys import services
from surveys.models import Cycle, CycleState, Question, Section
from surveys.services.questionnaires import _CODE as QUESTION_CODE
from surveys.services.questionnaires import MSG_CODE_INVALID, MSG_CODE_TAKEN, MSG_FROZEN


def _editable(questionnaire) -> bool:
    return questionnaire.frozen_at is None and questionnaire.cycle.state == CycleState.DRAFT


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "state", "opens_on", "closes_on", "published_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "order", "questionnaire"]
    list_filter = ["questionnaire__cycle__year"]
    fields = ["questionnaire", "order", "code", "title", "intro"]
    readonly_fields = ["questionnaire", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _editable(obj.questionnaire))

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["section", "order", "code", "text", "type", "behaviour", "role", "positively_worded"]

    def clean_section(self):
        section = self.cleaned_data["section"]
        if section is not None and not _editable(section.questionnaire):
            raise forms.ValidationError(MSG_FROZEN)
        return section

    def clean(self):
        cleaned = super().clean()
        section, code = cleaned.get("section"), (cleaned.get("code") or "").strip().upper()
        if self.instance.pk is None and section is not None and code:
            if not QUESTION_CODE.match(code):
                self.add_error("code", MSG_CODE_INVALID)
            elif Question.objects.filter(questionnaire_id=section.questionnaire_id, code=code).exists():
                self.add_error("code", MSG_CODE_TAKEN.format(code=code))
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["code", "text", "type", "section", "order"]
    list_filter = ["questionnaire__cycle__year", "type", "section__code"]
    search_fields = ["code", "text"]
    list_select_related = ["section", "questionnaire__cycle"]

    def get_readonly_fields(self, request, obj=None):
        # Results are tracked by code across years, so a code never changes once given.
        return ["code", "type", "behaviour", "role"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _editable(obj.questionnaire))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _editable(obj.questionnaire))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        # The form has checked what the services check, so a refusal here is a race; the page says why.
        if change:
            services.question_update(
                question=obj,
                text=data["text"],
                positively_worded=data["positively_worded"],
                order=data["order"],
                section=data["section"],
                actor=request.user,
            )
        else:
            saved = services.question_add(
                section=data["section"],
                code=data["code"],
                text=data["text"],
                type=data["type"],
                behaviour=data["behaviour"],
                role=data["role"],
                positively_worded=data["positively_worded"],
                order=data["order"],
                actor=request.user,
            )
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.question_remove(question=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for question in queryset:
            services.question_remove(question=question, actor=request.user)
