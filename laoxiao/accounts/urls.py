from django.urls import path

from laoxiao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.account_list, name="accounts"),
    path("users/new/", views.account_create, name="account_create"),
    path("users/<int:pk>/", views.account_detail, name="account"),
    path("users/<int:pk>/history/", views.account_history, name="account_history"),
    path("users/<int:pk>/disable/", views.account_disable, name="account_disable"),
    path("users/<int:pk>/enable/", views.account_enable, name="account_enable"),
    path("users/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("users/<int:pk>/password-reset/", views.account_password_reset, name="account_password_reset"),
]
