"""The questionnaire editor's pages: NHSCC staff read a cycle's questionnaire; admins edit it while a draft.

Each view checks its input, calls one editor service and goes back to the questionnaire page, where the
change is shown; a refusal is shown on the page it came from, and nothing is written.
"""

from functools import cached_property

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin, user_has_role
from core.errors import DomainError
from surveys import selectors
from surveys.defaults import COMMENT_PREFIX
from surveys.editor import forms
from surveys.forms import DONT_KNOW_VALUE, SectionForm
from surveys.models import CycleState, Question, RaterGroup, Section
from surveys.services import questionnaire_editor as editor

MSG_FROZEN_PAGE = (
    "The questionnaire is frozen: the {year} cycle opened on {date}. Questions cannot change once leads may "
    "answer, so that every lead answers the same questions and the figures compare like with like."
)
MSG_NO_CHANGE_CHANGED = "{what} has been changed."
MSG_ADDED = "{code} has been added to {section}."
MSG_REMOVED = "{code} has been removed."
MSG_SECTION_ADDED = "The section {title} has been added."
MSG_SECTION_REMOVED = "The section {title} has been removed."
MSG_NEW_CODE = "The new wording has the new code {code}: it is not compared with earlier years."


class EditorMixin(RoleRequiredMixin):
    """A page about one cycle's questionnaire: NHSCC staff read it; only admins change it."""

    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)
    write = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.write and not user_has_role(request.user, UserRole.ADMIN):
            self.allowed_roles = (UserRole.ADMIN,)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cycle(self):
        cycle = selectors.cycles_for_user(user=self.request.user).filter(year=self.kwargs["year"]).first()
        if cycle is None:
            raise Http404("No such cycle.")
        return cycle

    @cached_property
    def questionnaire(self):
        try:
            return selectors.questionnaire_for_cycle(cycle=self.cycle)
        except DomainError:
            raise Http404("No questionnaire.") from None

    @property
    def editable(self) -> bool:
        return self.cycle.state == CycleState.DRAFT and self.questionnaire.frozen_at is None

    def frozen_message(self) -> str:
        opened = self.cycle.opens_on or (self.questionnaire.frozen_at and self.questionnaire.frozen_at.date())
        return MSG_FROZEN_PAGE.format(year=self.cycle.year, date=date_format(opened, "j F Y") if opened else "")

    def section(self, code: str) -> Section:
        for section in self.questionnaire.sections.all():
            if section.code == code:
                return section
        raise Http404("No such section.")

    def question(self, code: str) -> Question:
        return get_object_or_404(
            Question.objects.select_related("section", "questionnaire__cycle", "behaviour", "role"),
            questionnaire=self.questionnaire,
            code=code,
        )

    def overview_url(self, anchor: str = "") -> str:
        url = reverse("manage-questionnaire", args=[self.cycle.year])
        return f"{url}#{anchor}" if anchor else url

    def render_page(self, template: str, status: int = 200, **context):
        context = {"cycle": self.cycle, "questionnaire": self.questionnaire, "editable": self.editable, **context}
        if not self.editable:
            context["frozen_message"] = self.frozen_message()
        return render(self.request, f"surveys/editor/{template}", context, status=status)

    def refuse_if_frozen(self):
        if self.editable:
            return None
        return self.render_page("questionnaire.html", status=409, problems=[self.frozen_message()])


class QuestionnaireView(EditorMixin, View):
    """The questionnaire by section, with the edits an admin can make while the cycle is a draft."""

    write = False

    def get(self, request, year: int):
        can_edit = self.editable and user_has_role(request.user, UserRole.ADMIN)
        return self.render_page("questionnaire.html", can_edit=can_edit, comment_prefix=COMMENT_PREFIX)


class SectionAddView(EditorMixin, View):
    def get(self, request, year: int):
        return self.refuse_if_frozen() or self.render_page("section_form.html", form=forms.SectionEditForm())

    def post(self, request, year: int):
        if refused := self.refuse_if_frozen():
            return refused
        form = forms.SectionEditForm(request.POST)
        if form.is_valid():
            try:
                section = editor.editor_section_add(
                    actor=request.user, questionnaire=self.questionnaire, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error("title", error.message)
            else:
                messages.success(request, MSG_SECTION_ADDED.format(title=section.title))
                return redirect(self.overview_url(f"section-{section.code}"))
        return self.render_page("section_form.html", form=form, status=400)


class SectionEditView(EditorMixin, View):
    def get(self, request, year: int, code: str):
        section = self.section(code)
        form = forms.SectionEditForm(initial={"title": section.title, "intro": section.intro})
        return self.refuse_if_frozen() or self.render_page("section_form.html", form=form, section=section)

    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        section = self.section(code)
        form = forms.SectionEditForm(request.POST)
        if form.is_valid():
            try:
                editor.editor_section_update(actor=request.user, section=section, **form.cleaned_data)
            except DomainError as error:
                form.add_error("title", error.message)
            else:
                messages.success(request, MSG_NO_CHANGE_CHANGED.format(what=f"The section {section.title}"))
                return redirect(self.overview_url(f"section-{section.code}"))
        return self.render_page("section_form.html", form=form, section=section, status=400)


class SectionMoveView(EditorMixin, View):
    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        section = self.section(code)
        try:
            editor.editor_section_move(actor=request.user, section=section, direction=request.POST.get("direction"))
        except DomainError as error:
            return self.render_page("questionnaire.html", status=error.status, problems=[error.message], can_edit=True)
        return redirect(self.overview_url(f"section-{section.code}"))


class SectionRemoveView(EditorMixin, View):
    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        section = self.section(code)
        try:
            editor.editor_section_remove(actor=request.user, section=section)
        except DomainError as error:
            return self.render_page("questionnaire.html", status=error.status, problems=[error.message], can_edit=True)
        messages.success(request, MSG_SECTION_REMOVED.format(title=section.title))
        return redirect(self.overview_url())


class StatementAddView(EditorMixin, View):
    """Add a statement to a section: one from the framework library, or a new one with a new code."""

    def _forms(self, data=None, which=""):
        statements = editor.library_statements_not_asked(questionnaire=self.questionnaire)
        library = forms.LibraryStatementForm(
            data if which == "library" else None, statements=statements, prefix="library"
        )
        new = forms.NewStatementForm(data if which == "new" else None, prefix="new")
        return library, new

    def _render(self, section, library, new, status=200):
        return self.render_page("statement_add.html", section=section, library=library, new=new, status=status)

    def get(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        return self._render(self.section(code), *self._forms())

    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        section = self.section(code)
        which = "library" if request.POST.get("source") == "library" else "new"
        library, new = self._forms(request.POST, which)
        form = library if which == "library" else new
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "library":
                    question = editor.editor_statement_add(
                        actor=request.user, section=section, statement=data["statement"]
                    )
                else:
                    question = editor.editor_question_create(
                        actor=request.user,
                        section=section,
                        code=data["code"],
                        text=data["text"],
                        behaviour=data["behaviour"],
                        role=data["role"],
                        positively_worded=not data["negatively_worded"],
                        offers_not_applicable=data["offers_not_applicable"],
                    )
            except DomainError as error:
                field = {"code_taken": "code", "code_used_before": "code", "code_in_library": "code"}.get(error.code)
                if which == "library":
                    field = "statement"
                elif error.code == "text_empty":
                    field = "text"
                elif error.code == "invalid_code":
                    field = "code"
                elif error.code in ("tag_missing", "too_many_groups"):
                    field = "behaviour"
                form.add_error(field, error.message)
            else:
                messages.success(request, MSG_ADDED.format(code=question.code, section=section.title))
                return redirect(self.overview_url(f"question-{question.code}"))
        return self._render(section, library, new, status=400)


class QuestionEditView(EditorMixin, View):
    """Change a statement's wording, tags and options; a statement asked before gets a new code if reworded."""

    def _form(self, question, data=None):
        earlier = editor.code_asked_before(questionnaire=self.questionnaire, code=question.code)
        initial = {
            "text": question.text,
            "behaviour": question.behaviour,
            "role": question.role,
            "negatively_worded": not question.positively_worded,
            "offers_not_applicable": question.offers_not_applicable,
            "self_wording": question.wordings.get(RaterGroup.SELF, ""),
        }
        return forms.QuestionEditForm(
            data,
            initial=initial,
            comment_box=question.code.startswith(COMMENT_PREFIX),
            asked_in=earlier.questionnaire.cycle.year if earlier else None,
            suggested_code=editor.code_for_rewording(question=question),
        ), earlier

    def get(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        question = self.question(code)
        form, earlier = self._form(question)
        return self.render_page("question_form.html", question=question, form=form, earlier=earlier)

    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        question = self.question(code)
        form, earlier = self._form(question, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                updated = editor.editor_question_update(
                    actor=request.user,
                    question=question,
                    text=data["text"],
                    new_code=data.get("new_code", ""),
                    behaviour=data.get("behaviour", question.behaviour),
                    role=data.get("role", question.role),
                    positively_worded=not data.get("negatively_worded", False),
                    offers_not_applicable=data.get("offers_not_applicable", False),
                    self_wording=data.get("self_wording"),
                )
            except DomainError as error:
                field = {
                    "text_empty": "text",
                    "tag_missing": "behaviour",
                    "too_many_groups": "behaviour",
                    "code_taken": "new_code",
                    "code_used_before": "new_code",
                    "code_in_library": "new_code",
                    "invalid_code": "new_code",
                }.get(error.code)
                form.add_error(field if field in form.fields else None, error.message)
            else:
                if updated.code != code:
                    messages.success(request, MSG_NEW_CODE.format(code=updated.code))
                else:
                    messages.success(request, MSG_NO_CHANGE_CHANGED.format(what=code))
                return redirect(self.overview_url(f"question-{updated.code}"))
        return self.render_page("question_form.html", question=question, form=form, earlier=earlier, status=400)


class QuestionMoveView(EditorMixin, View):
    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        question = self.question(code)
        try:
            editor.editor_question_move(actor=request.user, question=question, direction=request.POST.get("direction"))
        except DomainError as error:
            return self.render_page("questionnaire.html", status=error.status, problems=[error.message], can_edit=True)
        return redirect(self.overview_url(f"question-{code}"))


class QuestionRemoveView(EditorMixin, View):
    def post(self, request, year: int, code: str):
        if refused := self.refuse_if_frozen():
            return refused
        question = self.question(code)
        try:
            editor.editor_question_remove(actor=request.user, question=question)
        except DomainError as error:
            return self.render_page("questionnaire.html", status=error.status, problems=[error.message], can_edit=True)
        messages.success(request, MSG_REMOVED.format(code=code))
        return redirect(self.overview_url(f"section-{question.section.code}"))


class SectionPreviewView(EditorMixin, View):
    """A section exactly as a lead sees it (the lead's own template), with nothing saved."""

    write = False

    def get(self, request, year: int, code: str):
        sections = list(self.questionnaire.sections.all())
        section = self.section(code)
        index = sections.index(section)
        following = sections[index + 1] if index + 1 < len(sections) else None
        previous = sections[index - 1] if index else None
        preview_next = (
            reverse("manage-questionnaire-preview", args=[year, following.code]) if following else self.overview_url()
        )
        back = reverse("manage-questionnaire-preview", args=[year, previous.code]) if previous else self.overview_url()
        context = {
            "preview": True,
            "preview_next_url": preview_next,
            "cycle": self.cycle,
            "appraisal": {"is_open": True},
            "form": SectionForm(section=section, draft={}),
            "section": section,
            "number": index + 1,
            "total": len(sections),
            "back_url": back,
            "dont_know": DONT_KNOW_VALUE,
            "closed_message": "",
        }
        return render(request, "surveys/section.html", context)
