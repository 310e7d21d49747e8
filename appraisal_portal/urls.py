from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from appraisal_portal import home
from core import public
from core import views as core_views

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

api_v1 = [
    path("", include("organisations.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("surveys.api_urls")),
    path("", include("scorecards.api_urls")),
    path("", include("exports.api_urls")),
    path("", include("comments.api_urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots-txt"),
    path("manage/audit/", core_views.audit_log, name="manage-audit"),
    path("status/", public.status, name="status"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
    path("cookies/", public.cookies, name="cookies"),
    path("contact/", public.contact, name="contact"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("", home.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("surveys.urls")),
    path("", include("comments.urls")),
    path("", include("scorecards.urls")),
    path("", include("exports.urls")),
]
