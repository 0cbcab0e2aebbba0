from django.urls import path

from laoxiao.homecare.beds import views as beds_views
from laoxiao.homecare.meals import views as meals_views
from laoxiao.homecare.orders import views as orders_views
from laoxiao.homecare.providers import views as providers_views
from laoxiao.homecare.visits import views as visits_views

app_name = "homecare"
urlpatterns = [
    path("", orders_views.order_list, name="orders"),
    path("people/<int:pk>/", orders_views.person_care, name="person"),
    path("orders/<int:pk>/", orders_views.order_detail, name="order"),
    path("orders/<int:pk>/accept/", orders_views.order_accept, name="accept"),
    path("orders/<int:pk>/decline/", orders_views.order_decline, name="decline"),
    path("orders/<int:pk>/assign/", orders_views.order_assign, name="assign"),
    path("orders/<int:pk>/cancel/", orders_views.order_cancel, name="cancel"),
    path("orders/<int:pk>/rate/", orders_views.order_rate, name="rate"),
    path("orders/<int:pk>/complain/", orders_views.order_complain, name="complain"),
    path("orders/<int:pk>/review/", orders_views.order_review, name="review"),
    path("orders/<int:pk>/check-in/", orders_views.visit_check_in, name="check_in"),
    path("orders/<int:pk>/check-out/", orders_views.visit_check_out, name="check_out"),
    path("orders/<int:pk>/phone/", orders_views.visit_phone, name="phone"),
    path("today/", orders_views.caregiver_today, name="today"),
    path("providers/", providers_views.provider_list, name="providers"),
    path("providers/new/", providers_views.provider_register, name="provider_new"),
    path("providers/<int:pk>/", providers_views.provider_detail, name="provider"),
    path("statements/", providers_views.statement_list, name="statements"),
    path("statements/<int:pk>/", providers_views.statement_detail, name="statement"),
    path("complaints/", orders_views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", orders_views.complaint_resolve, name="complaint"),
    path("visits/", visits_views.visit_plan_list, name="visit_plans"),
    path("visits/<int:pk>/", visits_views.visit_plan_detail, name="visit_plan"),
    path("people/<int:pk>/visit-plan/", visits_views.visit_plan_create, name="visit_plan_new"),
    path("meals/", meals_views.meal_point_list, name="meal_points"),
    path("meals/<int:pk>/", meals_views.meal_point_detail, name="meal_point"),
    path("beds/", beds_views.bed_list, name="beds"),
    path("beds/<int:pk>/", beds_views.bed_detail, name="bed"),
    path("people/<int:pk>/bed/", beds_views.bed_create, name="bed_new"),
]
