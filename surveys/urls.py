from django.urls import include, path

from surveys.views import cycles, imports, journey

urlpatterns = [
    path("invitations/<str:token>/", journey.InvitationView.as_view(), name="invitation-accept"),
    path("appraisal/<int:year>/", journey.StartView.as_view(), name="appraisal-start"),
    path("appraisal/<int:year>/section/<str:code>/", journey.SectionView.as_view(), name="appraisal-section"),
    path("appraisal/<int:year>/check/", journey.CheckView.as_view(), name="appraisal-check"),
    path("appraisal/<int:year>/submitted/", journey.SubmittedView.as_view(), name="appraisal-submitted"),
    path("manage/cycles/", cycles.CycleListView.as_view(), name="manage-cycles"),
    path("manage/cycles/<int:year>/", cycles.CycleDetailView.as_view(), name="manage-cycle"),
    path("manage/cycles/<int:year>/dates/", cycles.CycleDatesView.as_view(), name="manage-cycle-dates"),
    path("manage/cycles/<int:year>/state/", cycles.CycleStateView.as_view(), name="manage-cycle-state"),
    path(
        "manage/cycles/<int:year>/rater-groups/",
        cycles.CycleRaterGroupsView.as_view(),
        name="manage-cycle-rater-groups",
    ),
    path(
        "manage/cycles/<int:year>/state/<str:state>/",
        cycles.CycleStateConfirmView.as_view(),
        name="manage-cycle-state-confirm",
    ),
    path("manage/cycles/<int:year>/invitations/", imports.InvitationImportView.as_view(), name="manage-cycle-import"),
    path(
        "manage/cycles/<int:year>/responses/",
        imports.ResponsesImportView.as_view(),
        name="manage-cycle-import-responses",
    ),
    path("manage/cycles/<int:year>/imports/<int:pk>/", imports.ImportJobView.as_view(), name="manage-import"),
    path(
        "manage/cycles/<int:year>/imports/<int:pk>/progress/",
        imports.ImportJobProgressView.as_view(),
        name="manage-import-progress",
    ),
    path("manage/templates/invitations.csv", imports.InvitationsTemplateView.as_view(), name="template-invitations"),
    path(
        "manage/templates/organisations.csv", imports.OrganisationsTemplateView.as_view(), name="template-organisations"
    ),
    path(
        "manage/cycles/<int:year>/responses-template.csv",
        imports.ResponsesTemplateView.as_view(),
        name="template-responses",
    ),
    path("", include("surveys.editor.urls")),
    path("", include("surveys.fieldwork.urls")),
]
