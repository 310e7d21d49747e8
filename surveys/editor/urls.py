from django.urls import path

from surveys.editor import views

BASE = "manage/cycles/<int:year>/questionnaire/"

urlpatterns = [
    path(BASE, views.QuestionnaireView.as_view(), name="manage-questionnaire"),
    path(f"{BASE}sections/add/", views.SectionAddView.as_view(), name="manage-questionnaire-section-add"),
    path(f"{BASE}sections/<str:code>/", views.SectionEditView.as_view(), name="manage-questionnaire-section"),
    path(f"{BASE}sections/<str:code>/move/", views.SectionMoveView.as_view(), name="manage-questionnaire-section-move"),
    path(
        f"{BASE}sections/<str:code>/remove/",
        views.SectionRemoveView.as_view(),
        name="manage-questionnaire-section-remove",
    ),
    path(
        f"{BASE}sections/<str:code>/add-statement/",
        views.StatementAddView.as_view(),
        name="manage-questionnaire-statement-add",
    ),
    path(
        f"{BASE}sections/<str:code>/preview/", views.SectionPreviewView.as_view(), name="manage-questionnaire-preview"
    ),
    path(f"{BASE}questions/<str:code>/", views.QuestionEditView.as_view(), name="manage-questionnaire-question"),
    path(
        f"{BASE}questions/<str:code>/move/", views.QuestionMoveView.as_view(), name="manage-questionnaire-question-move"
    ),
    path(
        f"{BASE}questions/<str:code>/remove/",
        views.QuestionRemoveView.as_view(),
        name="manage-questionnaire-question-remove",
    ),
]
