"""Pages of the results: league table, scorecards (England, region, area team); fieldwork is in surveys.fieldwork.

Each view checks who may see what (``scorecards.selectors``), asks ``scorecards.results`` for a read model
and renders it; the league table's content and the scorecards' figures are cached, keyed on the
scorecard set they come from (and on nothing about the viewer but what they may follow links to).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View

from accounts.models import UserRole
from accounts.permissions import RoleRequiredMixin
from comments import selectors as comment_selectors
from core.errors import DomainError
from scorecards import results, selectors, services
from scorecards.forms import AreaTeamResponseForm, LeagueTableFilterForm
from scorecards.models import Level
from surveys.selectors import cycle_readable_by, latest_results_cycle, results_cycles

MSG_RESPONSE_SAVED = "Your area team's response has been published on this scorecard."
ALL_ROLES = tuple(UserRole.values)


class ResultsMixin(RoleRequiredMixin):
    """Signed-in users of any role; which cycles and organisations they may read is checked per view."""

    allowed_roles = ALL_ROLES


class NHSCCMixin(RoleRequiredMixin):
    allowed_roles = (UserRole.ANALYST, UserRole.ADMIN)


class ResultsIndexView(ResultsMixin, View):
    """List the cycles whose results the user may read, with their pages."""

    def get(self, request):
        return render(
            request,
            "scorecards/index.html",
            {
                "cycles": results_cycles(user=request.user),
                "regions": results.regions_with_area_teams(user=request.user),
            },
        )


class LatestView(ResultsMixin, View):
    """Lead to a page of the latest cycle the user may read (the home page's links take no year)."""

    page = "league-table"

    def get(self, request):
        if self.page == "fieldwork" and not request.user.is_nhscc:
            raise DomainError("The fieldwork dashboard is for NHSCC staff.", status=403)
        if self.page == "my-scorecard" and not request.user.is_area_team_member:
            raise DomainError("This link is for members of an NHS England area team.", status=403)
        cycle = latest_results_cycle(user=request.user, fieldwork=self.page == "fieldwork")
        if cycle is None:
            return render(request, "scorecards/no_results.html", {})
        if self.page == "fieldwork":
            return redirect("results-fieldwork", cycle.year)
        if self.page == "my-scorecard":
            return redirect("results-area-team", cycle.year, request.user.area_team.ods_code)
        return redirect("results-league-table", cycle.year)


class LeagueTableView(ResultsMixin, View):
    """Area teams ranked on one measure, with intervals, bands against England and change.

    The page's content is cached whole in the shared cache, keyed on what it depends on
    (``results.league_table_page_key``); the layout around it is rendered on every request.
    """

    def get(self, request, year: int):
        cycle, scorecard_set = selectors.results_cycle_and_set_for_user(user=request.user, year=year)
        # Pages are stored under checked filters only: one found under the filters as requested is the
        # right page, without reading the choices to check the filters again.
        key = results.league_table_page_key(
            cycle=cycle, scorecard_set=scorecard_set, params=request.GET, user=request.user
        )
        content = results.cached_page(key)
        if content is None:
            content = self._content(request, cycle, scorecard_set)
        context = {"cycle": cycle, "content_html": content}
        return render(request, "scorecards/league_table.html", context)

    def _content(self, request, cycle, scorecard_set) -> str:
        """Return the content under the checked filters, cached under their key."""
        choices = results.league_table_choices(scorecard_set)
        form = LeagueTableFilterForm(request.GET or None, measures=choices.measures, regions=choices.regions)
        params = form.params()

        def render_content():
            table = results.league_table(
                cycle=cycle,
                user=request.user,
                scorecard_set=scorecard_set,
                measures=choices.measures,
                regions=choices.regions,
                **params,
            )
            return render_to_string(
                "scorecards/_league_table_page.html",
                {
                    "cycle": cycle,
                    "table": table,
                    "metrics": results.METRICS,
                    "weightings": results.WEIGHTINGS,
                    "measure_groups": choices.groups,
                },
            )

        key = results.league_table_page_key(cycle=cycle, scorecard_set=scorecard_set, params=params, user=request.user)
        return results.cached_fragment(key, render_content)


class BlindSpotsView(ResultsMixin, View):
    """Blind spots and hidden strengths across area teams, by behaviour and role, linking to each scorecard."""

    def get(self, request, year: int):
        cycle, scorecard_set = selectors.results_cycle_and_set_for_user(user=request.user, year=year)
        page = results.national_gaps(user=request.user, cycle=cycle, scorecard_set=scorecard_set)
        return render(request, "scorecards/blind_spots.html", {"cycle": cycle, "page": page})


class ScorecardView(ResultsMixin, View):
    """One organisation's scorecard: headlines against England and its region, each question, trend."""

    level = Level.ENGLAND

    def _page(self, request, year: int, code: str | None, *, form=None, status: int = 200):
        cycle = cycle_readable_by(user=request.user, year=year)
        page = results.scorecard_page_header(
            user=request.user, cycle=cycle, level=self.level, code=code, weighting=request.GET.get("weighting")
        )

        def render_body():
            results.scorecard_page_fill(page)
            return render_to_string("scorecards/_scorecard_body.html", {"page": page, "cycle": cycle})

        html = results.cached_fragment(page.cache_key, render_body)
        response = results.area_team_response(cycle=cycle, org=page.org)
        comments = comment_selectors.published_comments(
            cycle=cycle, area_team=page.org.code if page.org.level == Level.AREA_TEAM else None
        )
        can_respond = results.can_respond(user=request.user, cycle=cycle, org=page.org)
        if can_respond and form is None:
            form = AreaTeamResponseForm(initial={"text": response.text if response else ""})
        return render(
            request,
            "scorecards/scorecard.html",
            {
                "cycle": cycle,
                "page": page,
                "body_html": html,
                "area_team_response": response,
                "comments": comments,
                "comments_min_base": comment_selectors.comments_min_base(),
                "form": form if can_respond else None,
            },
            status=status,
        )

    def get(self, request, year: int, code: str | None = None):
        return self._page(request, year, code)

    def post(self, request, year: int, code: str | None = None):
        if self.level != Level.AREA_TEAM:
            return self.http_method_not_allowed(request)
        cycle = cycle_readable_by(user=request.user, year=year)
        page = results.scorecard_page_header(user=request.user, cycle=cycle, level=self.level, code=code)
        form = AreaTeamResponseForm(request.POST)
        if form.is_valid():
            try:
                services.area_team_response_save(
                    user=request.user,
                    cycle=cycle,
                    area_team=results.area_team_of(page.org),
                    text=form.cleaned_data["text"],
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form.add_error("text", error.message)
            else:
                messages.success(request, MSG_RESPONSE_SAVED)
                return redirect(reverse("results-area-team", args=[year, page.org.code]) + "#response")
        return self._page(request, year, code, form=form, status=400)
