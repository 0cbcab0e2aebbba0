from django.urls import URLPattern, include, path
from django.views.i18n import set_language

from laoxiao.api.main import api
from laoxiao.core import views as core
from laoxiao.core.scope import declare_scope, public_view
from laoxiao.web import views as web

api_patterns, api_app, api_namespace = api.urls
# Every API operation authenticates by token and reads through the same scoped selectors as the UI.
declare_scope([p.callback for p in api_patterns if isinstance(p, URLPattern)], "api-token")

urlpatterns = [
    path("", web.home, name="home"),
    path("overview/", web.overview, name="overview"),
    path("my/", web.my_page, name="my"),
    path("login/", web.login, name="login"),
    path("logout/", web.logout, name="logout"),
    path("elder-mode/", web.elder_mode, name="elder_mode"),
    path("account/", include("laoxiao.accounts.urls")),
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("people/", include("laoxiao.people.urls")),
    path("facilities/", include("laoxiao.facilities.urls")),
    path("areas/", include("laoxiao.core.urls")),
    path("imports/", include("laoxiao.core.import_urls")),
    path("exports/", core.export_log, name="export_log"),
    path("assessments/", include("laoxiao.assessments.urls")),
    path("plans/", include("laoxiao.planning.urls")),
    path("benefits/", include("laoxiao.benefits.urls")),
    path("homecare/", include("laoxiao.homecare.urls")),
    path("alerts/", include("laoxiao.alerts.urls")),
    path("api/v1/", include((api_patterns, api_app), namespace=api_namespace)),
]

handler403 = "laoxiao.web.views.forbidden"
handler404 = "laoxiao.web.views.not_found"
