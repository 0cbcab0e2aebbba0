"""Home and community care: the service catalogue, providers and caregivers, the monthly purchased-service
allowance, orders with visit verification, provider statements, visit plans, meal points and home care
beds. Orders are scoped by the recipient's area, the provider serving them and the recipient (or family)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class ServiceKind(models.Model):
    """One service of the catalogue (助餐 助洁 助浴 …) with its three prices. The catalogue is public."""

    class Unit(models.TextChoices):
        VISIT = "visit", _("visit")
        HOUR = "hour", _("hour")
        MEAL = "meal", _("meal")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    market_price = models.DecimalField(_("market price (yuan)"), max_digits=8, decimal_places=2)
    inclusive_price = models.DecimalField(_("inclusive price (yuan)"), max_digits=8, decimal_places=2)
    purchase_price = models.DecimalField(_("government purchase price (yuan)"), max_digits=8, decimal_places=2)
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes per unit"))
    tasks = models.JSONField(_("tasks"), default=list)
    active = models.BooleanField(_("in the catalogue"), default=True)
    history = audited()

    class Meta:
        ordering = ["id"]
        verbose_name = _("service kind")
        verbose_name_plural = _("service kinds")
        constraints = [
            models.CheckConstraint(
                condition=Q(purchase_price__lte=F("market_price"), inclusive_price__lte=F("market_price")),
                name="service_prices_within_market_price",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """A registered organisation that delivers home care; its key is its facility's, so a provider user's
    organisation scope reaches its orders directly."""

    facility = models.OneToOneField(
        "facilities.Facility",
        verbose_name=_("organisation"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="homecare_provider",
    )
    kinds = models.ManyToManyField(ServiceKind, verbose_name=_("services offered"), related_name="providers")
    daily_capacity = models.PositiveIntegerField(_("orders per day"), default=40)
    accepts_orders = models.BooleanField(_("accepts orders"), default=True)
    history = audited(m2m_fields=[kinds])

    scope_paths = ScopePaths(area="facility__area_id", organisation="facility_id")

    class Meta:
        verbose_name = _("home-care provider")
        verbose_name_plural = _("home-care providers")

    def __str__(self) -> str:
        return str(self.facility)


class ProviderArea(models.Model):
    """An area a provider serves, kept as its code prefix so matching a home is an index lookup."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    prefix = models.CharField(max_length=12, db_index=True)

    scope_paths = ScopePaths(area="provider__facility__area_id", organisation="provider_id")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "area"], name="one_row_per_provider_area")]

    def __str__(self) -> str:
        return f"{self.provider_id} → {self.area_id}"


class Caregiver(models.Model):
    """A provider's staff member who goes to homes, with the services they may deliver and their login."""

    staff = models.OneToOneField(
        "facilities.StaffMember", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="caregiver"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="caregivers"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caregiver",
    )
    skills = models.ManyToManyField(ServiceKind, verbose_name=_("skills"), related_name="caregivers")
    active = models.BooleanField(_("active"), default=True)
    history = audited(m2m_fields=[skills])

    scope_paths = ScopePaths(area="provider__facility__area_id", organisation="provider_id")

    class Meta:
        verbose_name = _("caregiver")
        verbose_name_plural = _("caregivers")

    def __str__(self) -> str:
        return self.staff.name


class Allowance(models.Model):
    """A person's purchased-service allowance for one month. `used` counts what orders have drawn; the
    database refuses a `used` beyond `granted` or below zero, so the balance never goes negative."""

    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    month = models.CharField(_("month"), max_length=7)
    granted = models.DecimalField(_("allowance (yuan)"), max_digits=10, decimal_places=2)
    used = models.DecimalField(_("used (yuan)"), max_digits=10, decimal_places=2, default=0)
    programme_code = models.CharField(_("programme"), max_length=60)
    rule_version = models.PositiveSmallIntegerField(_("rule version"))
    history = audited()

    scope_paths = ScopePaths(area="person__area_id", person="person_id")

    class Meta:
        verbose_name = _("service allowance")
        verbose_name_plural = _("service allowances")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="one_allowance_per_person_month"),
            models.CheckConstraint(condition=Q(used__gte=0, used__lte=F("granted")), name="allowance_within_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month}"

    @property
    def balance(self) -> object:
        return self.granted - self.used


class Order(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("offered to a provider")
        UNASSIGNED = "unassigned", _("no provider found")
        ACCEPTED = "accepted", _("accepted")
        IN_SERVICE = "in_service", _("in service")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Channel(models.TextChoices):
        SELF = "self", _("by the person or family")
        PROXY = "proxy", _("on their behalf (代下单)")
        CARE_PLAN = "care_plan", _("from a care plan")
        VISIT = "visit", _("from a visit")

    class Flag(models.TextChoices):
        FAR_CHECK_IN = "far_check_in", _("checked in far from the home")
        FAR_CHECK_OUT = "far_check_out", _("checked out far from the home")
        NO_LOCATION = "no_location", _("no location given")
        EARLY = "early", _("checked in early")
        LATE = "late", _("late")
        MISSED = "missed", _("missed")
        SHORT = "short", _("much shorter than planned")
        LONG = "long", _("much longer than planned")
        NO_TASKS = "no_tasks", _("no service task ticked")
        UNCONFIRMED = "unconfirmed", _("not confirmed by the person served")
        DEVICE_TIME = "device_time", _("device time far behind the server's")

    class Review(models.TextChoices):
        """A visit with exceptions is held out of the provider's statement until supervision has looked."""

        NOT_NEEDED = "", _("not needed")
        PENDING = "pending", _("to be reviewed")
        GENUINE = "genuine", _("reviewed: genuine")
        REFUSED = "refused", _("reviewed: not payable")

    recipient = models.ForeignKey("people.Person", verbose_name=_("recipient"), on_delete=models.PROTECT)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    kind = models.ForeignKey(ServiceKind, verbose_name=_("service"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("quantity"), max_digits=6, decimal_places=1)
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=8, decimal_places=2)
    total = models.DecimalField(_("total (yuan)"), max_digits=10, decimal_places=2)
    allowance = models.ForeignKey(
        Allowance, verbose_name=_("service allowance"), null=True, blank=True, on_delete=models.PROTECT
    )
    allowance_share = models.DecimalField(_("paid from the allowance (yuan)"), max_digits=10, decimal_places=2)
    personal_share = models.DecimalField(_("paid by the person (yuan)"), max_digits=10, decimal_places=2)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    planned_minutes = models.PositiveIntegerField(_("planned minutes"))
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    caregiver = models.ForeignKey(
        Caregiver, verbose_name=_("caregiver"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    check_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_distance_m = models.PositiveIntegerField(_("check-in distance from the home (m)"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    check_out_distance_m = models.PositiveIntegerField(_("check-out distance from the home (m)"), null=True, blank=True)
    recipient_confirmed = models.BooleanField(_("recipient confirmed"), default=False)
    tasks_done = models.JSONField(_("tasks done"), default=list)
    service_notes = models.TextField(_("service notes"), blank=True)
    flags = models.JSONField(_("exceptions"), default=list)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    disputed = models.BooleanField(_("disputed"), default=False)
    review = models.CharField(_("review"), max_length=8, choices=Review.choices, blank=True, default="")
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id", organisation="provider_id", person="recipient_id")

    class Meta:
        ordering = ["-scheduled_start"]
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_share__gte=0, personal_share__gte=0)
                & Q(total=F("allowance_share") + F("personal_share")),
                name="order_shares_make_the_total",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_1_5"
            ),
            # One person is served one service once at one time: a second open order of the same service
            # for the same start is the same order sent again (two tabs, two phones, the family and the
            # community both calling), not a second visit. Another time, or another service, is another order.
            models.UniqueConstraint(
                fields=["recipient", "kind", "scheduled_start"],
                condition=~Q(status="cancelled"),
                name="one_open_order_per_person_service_start",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "status", "scheduled_start"], name="order_provider_idx"),
            models.Index(fields=["status", "offer_expires_at"], name="order_offer_idx"),
            models.Index(fields=["caregiver", "scheduled_start"], name="order_caregiver_idx"),
            models.Index(fields=["area", "scheduled_start"], name="order_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.recipient}"

    @property
    def flag_labels(self) -> list[str]:
        return [str(Order.Flag(f).label) for f in self.flags]


class OrderEvent(models.Model):
    """What happened to an order, by whom and when. An action queued on a caregiver's phone carries its
    own id, so sending it twice records it once; `device_at` is when it happened on the device."""

    class Kind(models.TextChoices):
        CREATED = "created", _("ordered")
        OFFERED = "offered", _("offered")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("offer expired")
        ACCEPTED = "accepted", _("accepted")
        ASSIGNED = "assigned", _("caregiver assigned")
        CHECK_IN = "check_in", _("checked in")
        CHECK_OUT = "check_out", _("checked out")
        CANCELLED = "cancelled", _("cancelled")
        RATED = "rated", _("rated")
        COMPLAINT = "complaint", _("complaint")
        FLAGGED = "flagged", _("exception flagged")
        REVIEWED = "reviewed", _("exceptions reviewed")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    device_at = models.DateTimeField(_("time on the device"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict)
    client_action = models.CharField(max_length=40, null=True, blank=True, unique=True)

    scope_paths = ScopePaths(area="order__area_id", organisation="order__provider_id", person="order__recipient_id")

    class Meta:
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class Complaint(models.Model):
    """A complaint about an order. It goes to supervision; while open the order is disputed and its
    government share is held back from the provider's statement."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    order = models.ForeignKey(
        Order, verbose_name=_("service order"), on_delete=models.PROTECT, related_name="complaints"
    )
    text = models.TextField(_("complaint"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited()

    scope_paths = ScopePaths(area="order__area_id", organisation="order__provider_id", person="order__recipient_id")

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"{self.order} · {self.get_status_display()}"


class Statement(models.Model):
    """A provider's month: what the government owes (allowance shares of completed, undisputed orders),
    what people paid, and the disputed orders held back. Built again until confirmed."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="statements"
    )
    month = models.CharField(_("month"), max_length=7)
    orders = models.PositiveIntegerField(_("completed orders"))
    government_amount = models.DecimalField(_("owed by the government (yuan)"), max_digits=14, decimal_places=2)
    personal_amount = models.DecimalField(_("paid by people (yuan)"), max_digits=14, decimal_places=2)
    disputed_orders = models.PositiveIntegerField(_("disputed orders"))
    disputed_amount = models.DecimalField(_("government share held back (yuan)"), max_digits=14, decimal_places=2)
    held_orders = models.PositiveIntegerField(_("orders with exceptions not payable yet"), default=0)
    held_amount = models.DecimalField(
        _("government share of orders with exceptions (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    built_at = models.DateTimeField(_("built at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="provider__facility__area_id", organisation="provider_id")

    class Meta:
        ordering = ["-month", "provider"]
        verbose_name = _("provider statement")
        verbose_name_plural = _("provider statements")
        constraints = [models.UniqueConstraint(fields=["provider", "month"], name="one_statement_per_provider_month")]

    def __str__(self) -> str:
        return f"{self.provider} {self.month}"


class VisitPlan(models.Model):
    """巡访关爱: a special-difficulty older person visited a number of times a month by an assigned visitor."""

    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    visits_per_month = models.PositiveSmallIntegerField(_("visits a month"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="visit_plans"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id", person="visitor__person_id")

    class Meta:
        ordering = ["area", "id"]
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ends_on__isnull=True), name="one_open_visit_plan_per_person"
            ),
            models.CheckConstraint(condition=Q(visits_per_month__gte=1), name="visit_plan_at_least_monthly"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Visit(models.Model):
    class Outcome(models.TextChoices):
        WELL = "well", _("found well")
        NEEDS_HELP = "needs_help", _("needs help")
        EMERGENCY = "emergency", _("emergency")

    # No index of its own: (plan, visited_at) below serves every lookup by plan, and with both PostgreSQL
    # chose this one for a month's visits of each plan and read the whole year of each.
    plan = models.ForeignKey(
        VisitPlan, verbose_name=_("visit plan"), on_delete=models.PROTECT, related_name="visits", db_index=False
    )
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT)
    visited_at = models.DateTimeField(_("visited at"))
    # The city's day of the visit (visits.visit_record sets it); empty only for a second visit on one day
    # recorded before the rule below (migration 0003).
    visited_on = models.DateField(_("visited on"), null=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    alert = models.ForeignKey("alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client_action = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # A visit is written once and never changed, by the visitor it names: the row is its own audit record,
    # with when it was recorded (up to the record window after it was made). A history row per visit only
    # copied it — the largest table of the city, half of the demo city's rows (docs/architecture.md, Audit).
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_paths = ScopePaths(area="plan__area_id", person="plan__visitor__person_id")

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["plan", "visited_at"])]
        # A plan's visits are counted by the days the person was seen (visits a month, the visit rate): a
        # second record of the same day is the same visit sent twice (two tabs, a phone's queue and the desk)
        # and would make up for a day missed. What a return that day found goes in the alert's timeline.
        constraints = [models.UniqueConstraint(fields=["plan", "visited_on"], name="one_visit_per_plan_day")]

    def __str__(self) -> str:
        return f"{self.plan} {self.visited_at:%Y-%m-%d}"


class MealPoint(models.Model):
    """The meal-service settings of a facility of kind meal point (or a centre that serves meals)."""

    facility = models.OneToOneField(
        "facilities.Facility",
        verbose_name=_("facility"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="meal_point",
    )
    meal_price = models.DecimalField(_("price of a meal (yuan)"), max_digits=6, decimal_places=2)
    delivery_fee = models.DecimalField(_("delivery fee (yuan)"), max_digits=6, decimal_places=2, default=0)
    history = audited()

    scope_paths = ScopePaths(area="facility__area_id", organisation="facility_id")

    class Meta:
        verbose_name = _("meal point")
        verbose_name_plural = _("meal points")

    def __str__(self) -> str:
        return str(self.facility)


class Diner(models.Model):
    point = models.ForeignKey(MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="diners")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    registered_on = models.DateField(_("registered on"))
    active = models.BooleanField(_("active"), default=True)
    history = audited()

    scope_paths = ScopePaths(area="point__facility__area_id", organisation="point_id", person="person_id")

    class Meta:
        verbose_name = _("diner")
        verbose_name_plural = _("diners")
        constraints = [models.UniqueConstraint(fields=["point", "person"], name="one_registration_per_point")]

    def __str__(self) -> str:
        return str(self.person)


class Meal(models.Model):
    class Sitting(models.TextChoices):
        BREAKFAST = "breakfast", _("breakfast")
        LUNCH = "lunch", _("lunch")
        DINNER = "dinner", _("dinner")

    class Mode(models.TextChoices):
        EAT_IN = "eat_in", _("eat in")
        DELIVERED = "delivered", _("delivered")

    point = models.ForeignKey(MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="meals")
    diner = models.ForeignKey(Diner, verbose_name=_("diner"), on_delete=models.PROTECT, related_name="meals")
    served_on = models.DateField(_("served on"))
    sitting = models.CharField(_("meal"), max_length=10, choices=Sitting.choices)
    mode = models.CharField(_("eat in or delivered"), max_length=10, choices=Mode.choices)
    price = models.DecimalField(_("price (yuan)"), max_digits=6, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=6, decimal_places=2)
    paid = models.DecimalField(_("paid by the diner (yuan)"), max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_paths = ScopePaths(area="point__facility__area_id", organisation="point_id", person="diner__person_id")

    class Meta:
        ordering = ["-served_on", "sitting"]
        verbose_name = _("meal served")
        verbose_name_plural = _("meals served")
        constraints = [
            models.UniqueConstraint(fields=["diner", "served_on", "sitting"], name="one_meal_per_diner_sitting"),
            models.CheckConstraint(
                condition=Q(price=F("subsidy") + F("paid")), name="meal_subsidy_and_payment_make_the_price"
            ),
        ]
        indexes = [models.Index(fields=["point", "served_on"])]

    def __str__(self) -> str:
        return f"{self.diner} {self.served_on} {self.sitting}"


class IngredientRecord(models.Model):
    """食材可溯: what came in, from whom, with which inspection certificate or batch."""

    point = models.ForeignKey(
        MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="ingredients"
    )
    received_on = models.DateField(_("received on"))
    item = models.CharField(_("ingredient"), max_length=50)
    supplier = models.CharField(_("supplier"), max_length=100)
    quantity = models.CharField(_("quantity"), max_length=30)
    certificate = models.CharField(_("inspection certificate or batch"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = audited()

    scope_paths = ScopePaths(area="point__facility__area_id", organisation="point_id")

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("ingredient record")
        verbose_name_plural = _("ingredient records")

    def __str__(self) -> str:
        return f"{self.received_on} {self.item}"


class FoodSample(models.Model):
    """安全可查: a kept sample of each dish of a meal."""

    point = models.ForeignKey(MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="samples")
    sampled_on = models.DateField(_("sampled on"))
    sitting = models.CharField(_("meal"), max_length=10, choices=Meal.Sitting.choices)
    dish = models.CharField(_("dish"), max_length=50)
    grams = models.PositiveSmallIntegerField(_("weight (g)"))
    kept_until = models.DateTimeField(_("kept until"))
    kept_by = models.CharField(_("kept by"), max_length=50)
    history = audited()

    scope_paths = ScopePaths(area="point__facility__area_id", organisation="point_id")

    class Meta:
        ordering = ["-sampled_on", "-id"]
        verbose_name = _("food sample")
        verbose_name_plural = _("food samples")

    def __str__(self) -> str:
        return f"{self.sampled_on} {self.dish}"


class MealRating(models.Model):
    """质量可评."""

    point = models.ForeignKey(MealPoint, verbose_name=_("meal point"), on_delete=models.PROTECT, related_name="ratings")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    rated_on = models.DateField(_("rated on"))
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    scope_paths = ScopePaths(area="point__facility__area_id", organisation="point_id", person="person_id")

    class Meta:
        ordering = ["-rated_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="meal_rating_1_5")]

    def __str__(self) -> str:
        return f"{self.person} {self.score}"


class HomeCareBed(models.Model):
    """家庭养老床位: a home set up for care after an assessment and adaptation, with a contracted provider
    and a monthly service plan from which orders are made."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("being set up")
        ACTIVE = "active", _("in service")
        ENDED = "ended", _("ended")

    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    provider = models.ForeignKey(
        Provider, verbose_name=_("contracted provider"), on_delete=models.PROTECT, related_name="beds"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", verbose_name=_("assessment"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    contracted_on = models.DateField(_("contracted on"))
    activated_on = models.DateField(_("in service since"), null=True, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id", organisation="provider_id", person="person_id")

    class Meta:
        verbose_name = _("home care bed")
        verbose_name_plural = _("home care beds")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="ended"), name="one_home_care_bed_per_person"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class Adaptation(models.Model):
    """适老化改造: one item done in the home, with its cost."""

    bed = models.ForeignKey(
        HomeCareBed, verbose_name=_("home care bed"), on_delete=models.CASCADE, related_name="adaptations"
    )
    item = models.CharField(_("adaptation"), max_length=60)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=10, decimal_places=2)
    completed_on = models.DateField(_("completed on"))
    history = audited()

    scope_paths = ScopePaths(area="bed__area_id", organisation="bed__provider_id", person="bed__person_id")

    class Meta:
        ordering = ["bed", "completed_on"]
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")

    def __str__(self) -> str:
        return self.item


class PlannedService(models.Model):
    """A line of a home care bed's monthly service plan."""

    bed = models.ForeignKey(HomeCareBed, on_delete=models.CASCADE, related_name="plan")
    kind = models.ForeignKey(ServiceKind, verbose_name=_("service"), on_delete=models.PROTECT)
    times_per_month = models.PositiveSmallIntegerField(_("times a month"))
    quantity = models.DecimalField(_("quantity each time"), max_digits=6, decimal_places=1, default=1)
    history = audited()

    scope_paths = ScopePaths(area="bed__area_id", organisation="bed__provider_id", person="bed__person_id")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bed", "kind"], name="one_plan_line_per_service")]

    def __str__(self) -> str:
        return f"{self.kind} × {self.times_per_month}"


class Device(models.Model):
    """A monitoring device in a home care bed, registered for the emergency-response desk."""

    class Kind(models.TextChoices):
        CALL_BUTTON = "call_button", _("emergency call button")
        SMOKE = "smoke", _("smoke detector")
        GAS = "gas", _("gas detector")
        FALL = "fall", _("fall detector")
        DOOR = "door", _("door sensor")
        BED_MAT = "bed_mat", _("bed-exit mat")
        WATER = "water", _("water-use monitor")

    bed = models.ForeignKey(
        HomeCareBed, verbose_name=_("home care bed"), on_delete=models.PROTECT, related_name="devices"
    )
    kind = models.CharField(_("device"), max_length=12, choices=Kind.choices)
    serial = models.CharField(_("serial number"), max_length=60, unique=True)
    installed_on = models.DateField(_("installed on"))
    active = models.BooleanField(_("in use"), default=True)
    history = audited()

    scope_paths = ScopePaths(area="bed__area_id", organisation="bed__provider_id", person="bed__person_id")

    class Meta:
        verbose_name = _("monitoring device")
        verbose_name_plural = _("monitoring devices")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"
