"""Pages of comment moderation: the queue of an appraisal year's comments, and moderating one.

NHSCC staff only. Each comment shows its section and area team, never its CCG, lead or lead role;
the comment as given, where it has been redacted, is shown to admins only.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin
from comments import selectors, services
from comments.forms import CommentFilterForm, CommentModerationForm
from comments.models import CommentStatus
from core.errors import DomainError
from core.http import client_ip
from surveys.models import CycleState
from surveys.selectors import cycle_readable_by, results_cycles

PER_PAGE = 25
FILTERS = ("status", "area_team", "section")
MSG_APPROVED = "The comment is approved. It is shown on the {area_team} scorecard{when}."
MSG_HIDDEN = "The comment is hidden. It will not be shown on any scorecard."
MSG_PENDING = "The comment is saved. It is still waiting for moderation."
MSG_UNCHANGED = "Nothing was changed."
MSG_NEXT = "Here is the next comment in the list."
MSG_LAST = "That was the last comment in this list."
MSG_BULK_DONE = {
    CommentStatus.APPROVED: "{count} comments approved.",
    CommentStatus.HIDDEN: "{count} comments hidden.",
}
# Errors about the text go beside the text box; the rest at the top of the form.
TEXT_ERRORS = ("comment_text_empty", "comment_text_too_long", "comment_text_invalid")


class CommentsMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)


class CommentsLatestView(CommentsMixin, View):
    """Lead to the queue of the latest year with comments waiting (the home page's link takes no year)."""

    def get(self, request):
        cycle = selectors.latest_comments_cycle(user=request.user)
        if cycle is None:
            return render(request, "scorecards/no_results.html", {})
        return redirect("results-comments", cycle.year)


class CommentQueueView(CommentsMixin, View):
    """List a year's comments for moderation (waiting ones first by default), filtered and a page at a time."""

    def get(self, request, year: int):
        cycle = cycle_readable_by(user=request.user, year=year)
        form = CommentFilterForm(
            request.GET or None,
            area_teams=selectors.comment_area_team_choices(),
            sections=selectors.comment_sections(cycle=cycle),
        )
        params = form.params()
        comments = selectors.comments_for_moderator(user=request.user, cycle=cycle, **params)
        page = Paginator(comments, PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "comments/queue.html",
            {
                "cycle": cycle,
                "form": form,
                "params": params,
                "filter_query": urlencode(form.query()),
                "page": page,
                "counts": selectors.comment_status_counts(user=request.user, cycle=cycle),
                "min_base": selectors.comments_min_base(),
                "cycles": results_cycles(user=request.user),
            },
        )


def _filters(request, cycle) -> dict:
    """Return the queue's filters from the query string as the selector's arguments (defaults as the queue)."""
    form = CommentFilterForm(
        request.GET, area_teams=selectors.comment_area_team_choices(), sections=selectors.comment_sections(cycle=cycle)
    )
    return form.params()


def _filter_query(request) -> str:
    """Return the queue's filters from the query string, to go back to the same view of the queue."""
    return urlencode({name: request.GET[name] for name in FILTERS if request.GET.get(name)})


class CommentModerateView(CommentsMixin, View):
    """Redact, approve or hide one comment, or change an earlier decision."""

    def _render(self, request, cycle, comment, form, status=200):
        return render(
            request,
            "comments/moderate.html",
            {
                "cycle": cycle,
                "comment": comment,
                "form": form,
                "filter_query": _filter_query(request),
                "min_base": selectors.comments_min_base(),
            },
            status=status,
        )

    def _comment(self, request, year: int, pk):
        cycle = cycle_readable_by(user=request.user, year=year)
        return cycle, selectors.comment_for_moderator(user=request.user, cycle=cycle, comment_id=pk)

    def get(self, request, year: int, pk):
        cycle, comment = self._comment(request, year, pk)
        form = CommentModerationForm(initial={"text": comment.shown_text, "status": comment.status})
        return self._render(request, cycle, comment, form)

    def post(self, request, year: int, pk):
        cycle, comment = self._comment(request, year, pk)
        form = CommentModerationForm(request.POST)
        if form.is_valid():
            # Where to go next, read before the decision may take this comment out of the list.
            next_id = selectors.comment_after(
                user=request.user, cycle=cycle, comment_id=comment.pk, filters=_filters(request, cycle)
            )
            try:
                moderated = services.comment_moderate(
                    user=request.user,
                    comment=comment,
                    status=form.cleaned_data["status"],
                    text=form.cleaned_data["text"],
                    ip=client_ip(request),
                )
            except DomainError as error:
                if error.status in (403, 404):
                    raise
                form.add_error("text" if error.code in TEXT_ERRORS else None, error.message)
            else:
                message = _message(comment, moderated, cycle)
                query = _filter_query(request)
                suffix = f"?{query}" if query else ""
                if next_id is None:
                    messages.success(request, f"{message} {MSG_LAST}")
                    return redirect(reverse("results-comments", args=[year]) + suffix)
                messages.success(request, f"{message} {MSG_NEXT}")
                return redirect(reverse("results-comment", args=[year, next_id]) + suffix)
        return self._render(request, cycle, comment, form, status=400)


def _message(before, after, cycle) -> str:
    if after.moderated_at == before.moderated_at:
        return MSG_UNCHANGED
    if after.status == CommentStatus.APPROVED:
        when = "" if cycle.state == CycleState.PUBLISHED else f" once the {cycle.year} results are published"
        return MSG_APPROVED.format(area_team=after.area_team.name, when=when)
    return MSG_HIDDEN if after.status == CommentStatus.HIDDEN else MSG_PENDING


class CommentBulkView(CommentsMixin, View):
    """Approve or hide every comment of the filtered list: first a page with the count, then the change."""

    def post(self, request, year: int):
        cycle = cycle_readable_by(user=request.user, year=year)
        filters = _filters(request, cycle)
        status = request.POST.get("status", "")
        query = _filter_query(request)
        back = reverse("results-comments", args=[year]) + (f"?{query}" if query else "")
        try:
            if request.POST.get("confirm") != "yes":
                candidates = services.comments_bulk_candidates(
                    user=request.user, cycle=cycle, status=status, filters=filters
                )
                context = {
                    "cycle": cycle,
                    "status": status,
                    "count": candidates.count(),
                    "filter_query": query,
                    "back": back,
                    "verb": "approve" if status == CommentStatus.APPROVED else "hide",
                }
                return render(request, "comments/bulk_confirm.html", context)
            expected = int(request.POST.get("expected", "-1")) if request.POST.get("expected", "").isdigit() else -1
            count = services.comments_moderate_bulk(
                user=request.user, cycle=cycle, status=status, filters=filters, expected=expected, ip=client_ip(request)
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, MSG_BULK_DONE[status].format(count=count))
        return redirect(back)
