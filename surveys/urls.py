from django.urls import include, path

from surveys import views

urlpatterns = [
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation-accept"),
    path("appraisal/<int:year>/", views.StartView.as_view(), name="appraisal-start"),
    path("appraisal/<int:year>/section/<str:code>/", views.SectionView.as_view(), name="appraisal-section"),
    path("appraisal/<int:year>/check/", views.CheckView.as_view(), name="appraisal-check"),
    path("appraisal/<int:year>/submitted/", views.SubmittedView.as_view(), name="appraisal-submitted"),
    path("manage/cycles/", views.CycleListView.as_view(), name="manage-cycles"),
    path("manage/cycles/<int:year>/", views.CycleDetailView.as_view(), name="manage-cycle"),
    path("manage/cycles/<int:year>/dates/", views.CycleDatesView.as_view(), name="manage-cycle-dates"),
    path("manage/cycles/<int:year>/state/", views.CycleStateView.as_view(), name="manage-cycle-state"),
    path(
        "manage/cycles/<int:year>/state/<str:state>/",
        views.CycleStateConfirmView.as_view(),
        name="manage-cycle-state-confirm",
    ),
    path("manage/cycles/<int:year>/invitations/", views.InvitationImportView.as_view(), name="manage-cycle-import"),
    path("manage/templates/invitations.csv", views.InvitationsTemplateView.as_view(), name="template-invitations"),
    path(
        "manage/templates/organisations.csv", views.OrganisationsTemplateView.as_view(), name="template-organisations"
    ),
    path(
        "manage/cycles/<int:year>/responses-template.csv",
        views.ResponsesTemplateView.as_view(),
        name="template-responses",
    ),
    path("", include("surveys.editor.urls")),
    path("", include("surveys.fieldwork.urls")),
]
