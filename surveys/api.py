"""The surveys API: cycles, questionnaires, and the response the caller answers (a lead's or partner's own; an
area team member's, their team's shared self-assessment). Views call one service or selector."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.models import UserRole
from accounts.permissions import HasRole
from core.api import ApiView, ScopedListAPIView, error_responses
from core.errors import NotFound
from surveys import selectors, services
from surveys.models import NOT_APPLICABLE, NOT_APPLICABLE_LABEL, Agreement, QuestionType, YesNo

AGREEMENT_OPTIONS = [{"value": choice.value, "label": choice.label} for choice in Agreement]
YES_NO_OPTIONS = [{"value": True, "label": YesNo.YES.label}, {"value": False, "label": YesNo.NO.label}]


NOT_APPLICABLE_OPTION = {"value": NOT_APPLICABLE, "label": NOT_APPLICABLE_LABEL}


def _options(question) -> list[dict]:
    if question.type == QuestionType.AGREEMENT:
        # "Not applicable" only where the question offers it; like "Don't know", it is outside every base.
        return [*AGREEMENT_OPTIONS, NOT_APPLICABLE_OPTION] if question.offers_not_applicable else AGREEMENT_OPTIONS
    if question.type == QuestionType.YES_NO:
        return YES_NO_OPTIONS
    return []


class _TagSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Tag"

    code = serializers.CharField()
    name = serializers.CharField()


class CycleListApi(ScopedListAPIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CycleOutput"

        year = serializers.IntegerField()
        state = serializers.CharField()
        opens_on = serializers.DateField(allow_null=True)
        closes_on = serializers.DateField(allow_null=True)
        published_at = serializers.DateTimeField(allow_null=True)

    serializer_class = OutputSerializer

    def scoped_queryset(self, user):
        return selectors.cycles_for_user(user=user)


class QuestionnaireApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "QuestionnaireOutput"

        class SectionSerializer(serializers.Serializer):
            class Meta:
                ref_name = "QuestionnaireSection"

            class QuestionSerializer(serializers.Serializer):
                class Meta:
                    ref_name = "QuestionnaireQuestion"

                code = serializers.CharField()
                text = serializers.CharField()
                type = serializers.CharField()
                order = serializers.IntegerField()
                behaviour = _TagSerializer(allow_null=True)
                role = _TagSerializer(allow_null=True)
                positively_worded = serializers.BooleanField()
                offers_not_applicable = serializers.BooleanField()
                wording = serializers.SerializerMethodField()
                # The statement as each rater group with its own wording reads it (others read ``text``).
                wordings = serializers.DictField(child=serializers.CharField())
                options = serializers.SerializerMethodField()

                def get_wording(self, question) -> str:
                    return "positive" if question.positively_worded else "negative"

                def get_options(self, question) -> list[dict]:
                    return _options(question)

            code = serializers.CharField()
            title = serializers.CharField()
            intro = serializers.CharField()
            order = serializers.IntegerField()
            questions = QuestionSerializer(many=True, source="questions.all")

        year = serializers.IntegerField(source="cycle.year")
        state = serializers.CharField(source="cycle.state")
        version = serializers.IntegerField()
        frozen_at = serializers.DateTimeField(allow_null=True)
        agreement_scale = serializers.SerializerMethodField()
        sections = SectionSerializer(many=True, source="sections.all")

        def get_agreement_scale(self, questionnaire) -> list[dict]:
            return AGREEMENT_OPTIONS

    @extend_schema(responses=OutputSerializer)
    def get(self, request, year: int):
        cycle = selectors.cycle_for_user(user=request.user, year=year)
        questionnaire = selectors.questionnaire_for_cycle(cycle=cycle)
        return Response(self.OutputSerializer(questionnaire).data)


class _MyResponseOutput(serializers.Serializer):
    class Meta:
        ref_name = "MyResponseOutput"

    year = serializers.IntegerField(source="cycle.year")
    rater_group = serializers.CharField()
    status = serializers.CharField()
    answers = serializers.DictField(source="draft")
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


IsRespondent = HasRole.of(UserRole.CCG_LEAD, UserRole.PARTNER, UserRole.AREA_TEAM_MEMBER)


def _my_invitation(request, year: int):
    """Return the invitation the caller answers in ``year``'s cycle; anything else is a 404."""
    cycle = selectors.cycle_for_user(user=request.user, year=year)
    invitation = selectors.invitation_for_respondent(user=request.user, cycle=cycle)
    if invitation is None:
        raise NotFound(selectors.MSG_CYCLE_NOT_FOUND.format(year=year))
    return cycle, invitation


class MyResponseApi(ApiView):
    """The response the caller answers: ``status`` is ``not_started`` until the first save.

    ``rater_group`` says whose it is; for ``self`` it is the area team's one shared response.
    """

    permission_classes = [IsRespondent]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MyResponseInput"

        answers = serializers.DictField(child=serializers.JSONField(allow_null=True))

    OutputSerializer = _MyResponseOutput

    def _output(self, cycle, invitation, response):
        if response is None:
            return {
                "year": cycle.year,
                "rater_group": invitation.rater_group,
                "status": "not_started",
                "answers": {},
                "submitted_at": None,
                "updated_at": None,
            }
        return self.OutputSerializer(response).data

    @extend_schema(responses=_MyResponseOutput)
    def get(self, request, year: int):
        cycle, invitation = _my_invitation(request, year)
        response = selectors.response_for_respondent(user=request.user, cycle=cycle)
        return Response(self._output(cycle, invitation, response))

    @extend_schema(request=InputSerializer, responses={200: _MyResponseOutput, **error_responses(409)})
    def put(self, request, year: int):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cycle, invitation = _my_invitation(request, year)
        response = services.response_get_or_create_draft(invitation=invitation)
        response = services.response_save_draft(response=response, answers=serializer.validated_data["answers"])
        return Response(self._output(cycle, invitation, response))


class MyResponseSubmitApi(ApiView):
    """Submit the caller's draft; submitting again returns the submitted response unchanged."""

    permission_classes = [IsRespondent]

    @extend_schema(request=None, responses={200: _MyResponseOutput, **error_responses(400, 409)})
    def post(self, request, year: int):
        _, invitation = _my_invitation(request, year)
        response = services.response_get_or_create_draft(invitation=invitation)
        response = services.response_submit(response=response)
        return Response(_MyResponseOutput(response).data)
