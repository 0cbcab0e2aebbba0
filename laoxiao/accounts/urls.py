from django.urls import path

from laoxiao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
