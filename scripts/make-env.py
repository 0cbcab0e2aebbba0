"""Print a fresh env file of secrets for the demo or a first installation (see docs/deploy.md)."""

import secrets

print(f"LAOXIAO_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"LAOXIAO_SM4_KEYS=k1:{secrets.token_hex(16)}")
print(f"LAOXIAO_HASH_KEYS=h1:{secrets.token_hex(32)}")
