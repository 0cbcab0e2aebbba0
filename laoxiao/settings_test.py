"""Settings for the test suite: fixed throwaway keys, fast password hashing."""

import os

os.environ.setdefault("LAOXIAO_SECRET_KEY", "test-secret-key-not-for-production-000000000000000000")
os.environ.setdefault("LAOXIAO_SM4_KEYS", "t1:00112233445566778899aabbccddeeff,t0:ffeeddccbbaa99887766554433221100")
os.environ.setdefault("LAOXIAO_HASH_KEYS", "h1:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")
os.environ["LAOXIAO_ENV_FILE"] = "/nonexistent"

from laoxiao.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="laoxiao-media-"))  # noqa: F405
