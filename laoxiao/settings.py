"""Settings read from the environment (see docs/deploy.md).

For the demo and development an env file (default var/laoxiao.env, made by `make demo`) supplies the
secrets; real environment variables always win over it.
"""

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("LAOXIAO_PROJECT_DIR", BASE_DIR.parent))


def _load_env_file(path: Path) -> None:
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


_load_env_file(Path(os.environ.get("LAOXIAO_ENV_FILE", PROJECT_DIR / "var" / "laoxiao.env")))

DEBUG = os.environ.get("LAOXIAO_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("LAOXIAO_SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("LAOXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LAOXIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Keys for personal identifiers: "id:hex32,id:hex32", the first one current (see laoxiao.core.crypto).
LAOXIAO_SM4_KEYS = os.environ.get("LAOXIAO_SM4_KEYS", "")
LAOXIAO_HASH_KEYS = os.environ.get("LAOXIAO_HASH_KEYS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from its own static files: the API docs work offline
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "laoxiao.core",
    "laoxiao.accounts",
    "laoxiao.people",
    "laoxiao.facilities",
    "laoxiao.assessments",
    "laoxiao.planning",
    "laoxiao.benefits",
    "laoxiao.alerts",
    "laoxiao.homecare",
    "laoxiao.web",
    "laoxiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "laoxiao.accounts.middleware.IdleSessionMiddleware",
    "laoxiao.accounts.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "laoxiao.accounts.middleware.PasswordChangeRequiredMiddleware",
    "laoxiao.core.request_guard.ControlCharacterMiddleware",
    "laoxiao.core.writes.SafeRequestsMiddleware",  # a GET writes nothing: services refuse while one is served
    "laoxiao.core.once.OnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "laoxiao.core.scope.ScopeDeclarationMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "laoxiao.urls"
WSGI_APPLICATION = "laoxiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "laoxiao.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'laoxiao.sqlite3'}"),
        conn_max_age=int(os.environ.get("LAOXIAO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the task worker and the web process share the demo database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # No JIT: the planner compiles any query it costs above 100,000, and on a page's short queries over a
    # city (the visit rate of its 239k plans) the compiling took 136 ms of an 830 ms query.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): after this many wrong passwords for one user name from one address,
# that pair is refused for the cool-off time, which every further attempt restarts. An administrator
# lifts a lockout with `laoxiao axes_reset_username <name>`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LAOXIAO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LAOXIAO_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "laoxiao.accounts.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "laoxiao.accounts.signin.client_ip"
# Reverse proxies in front of the web process that append to X-Forwarded-For (0: clients connect directly).
LAOXIAO_TRUSTED_PROXIES = int(os.environ.get("LAOXIAO_TRUSTED_PROXIES", "0"))

# A session ends after this many minutes without a request (sliding; see accounts.middleware).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("LAOXIAO_SESSION_IDLE_MINUTES", "30"))
# API tokens are issued for at most this many days.
LAOXIAO_API_TOKEN_MAX_DAYS = int(os.environ.get("LAOXIAO_API_TOKEN_MAX_DAYS", "90"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["laoxiao.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("LAOXIAO_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendor/ holds assets fetched at install time

# Uploaded documents (applications); served only through scoped views, never as public static files.
MEDIA_ROOT = Path(os.environ.get("LAOXIAO_MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
MEDIA_URL = "/media-not-public/"

SESSION_COOKIE_HTTPONLY = True
# Production runs behind HTTPS (LAOXIAO_HTTPS=1; LAOXIAO_SECURE_COOKIES is its former name): Secure cookies,
# HSTS and a redirect of plain HTTP, which `laoxiao check --deploy` asks for. The demo on
# http://127.0.0.1 leaves it off.
HTTPS = os.environ.get("LAOXIAO_HTTPS", os.environ.get("LAOXIAO_SECURE_COOKIES", "0")) == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# W021 asks for HSTS preload: that list is for public domains, an intranet host is never on it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if HTTPS:
    # The TLS proxy tells the web process the request came over HTTPS (nginx: X-Forwarded-Proto $scheme).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script anywhere (data reaches scripts through json_script); ECharts and htmx set inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LAOXIAO_PAGE_SIZE = 25
LAOXIAO_LIST_COUNT_CAP = int(os.environ.get("LAOXIAO_LIST_COUNT_CAP", "10000"))  # lists count this far: "10,000+"
# Payment-file layouts per bank: {"name": {"header": "field", ...}}; fields are n, name, id_number,
# account_kind, bank, account, amount, period, programme. The built-in "default" layout is always there.
LAOXIAO_PAYMENT_FILE_LAYOUTS = json.loads(os.environ.get("LAOXIAO_PAYMENT_FILE_LAYOUTS", "{}"))
# A JSON file that replaces laoxiao/homecare/rules.json (verification thresholds, visit frequencies,
# meal subsidies, the offer time limit).
LAOXIAO_HOMECARE_RULES = os.environ.get("LAOXIAO_HOMECARE_RULES", "")
# A certificate is shown as 即将到期 this many days before it expires.
LAOXIAO_CERTIFICATE_WARNING_DAYS = int(os.environ.get("LAOXIAO_CERTIFICATE_WARNING_DAYS", "60"))
# Rows parsed per database round trip during imports.
LAOXIAO_IMPORT_CHUNK = 2000
# An uploaded xlsx may unpack to at most this much (a zip bomb is refused before it is opened).
LAOXIAO_XLSX_MAX_UNPACKED_MB = int(os.environ.get("LAOXIAO_XLSX_MAX_UNPACKED_MB", "200"))
# Uploads are sealed in memory as they arrive (never a plaintext temporary file), up to this size.
LAOXIAO_UPLOAD_MAX_MB = int(os.environ.get("LAOXIAO_UPLOAD_MAX_MB", "50"))
FILE_UPLOAD_HANDLERS = ["laoxiao.core.uploads.SealingUploadHandler"]

# Days an uploaded import file is kept (sealed) for its rejected-rows report; `laoxiao purge`
# deletes older ones.
LAOXIAO_IMPORT_KEEP_DAYS = int(os.environ.get("LAOXIAO_IMPORT_KEEP_DAYS", "7"))

# Every handler, including the request log of `runserver`, drops ID and mobile numbers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "laoxiao.core.log_filters.RedactIdentifiers"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LAOXIAO_LOG_LEVEL", "WARNING")},
    # Who exported which list, with its filters: kept whatever the general level.
    "loggers": {
        "laoxiao.export": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

SITE_TITLE = _("laoxiao · elderly care and childcare")
