from django.urls import path

from surveys.fieldwork import views

BASE = "results/<int:year>/fieldwork/"

urlpatterns = [
    path(BASE, views.FieldworkView.as_view(), name="results-fieldwork"),
    path(f"{BASE}send-invitations/", views.SendInvitationsView.as_view(), name="fieldwork-send-invitations"),
    path(f"{BASE}remind/", views.RemindChosenView.as_view(), name="fieldwork-remind"),
    path(f"{BASE}bounces/", views.BouncesImportView.as_view(), name="fieldwork-bounces"),
    path(f"{BASE}bounces-template.csv", views.BouncesTemplateView.as_view(), name="fieldwork-bounces-template"),
    path(f"{BASE}non-responders.csv", views.NonRespondersCSVView.as_view(), name="fieldwork-non-responders"),
]
