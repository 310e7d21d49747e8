from django.urls import path

from surveys import api

urlpatterns = [
    path("cycles/", api.CycleListApi.as_view(), name="api-cycles"),
    path("cycles/<int:year>/questionnaire/", api.QuestionnaireApi.as_view(), name="api-cycle-questionnaire"),
    path("cycles/<int:year>/my-response/", api.MyResponseApi.as_view(), name="api-my-response"),
    path("cycles/<int:year>/my-response/submit/", api.MyResponseSubmitApi.as_view(), name="api-my-response-submit"),
]
