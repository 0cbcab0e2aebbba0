#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it with apt when it is missing. Never download a browser.
# With it a CJK font (Noto Sans CJK, as on the desktops of a bureau): without one every Chinese glyph is a
# box of another width, so layouts and screenshots are not what a user sees.
set -euo pipefail
[ -x /usr/bin/chromium ] && fc-list :lang=zh | grep -q . && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium or a CJK font is missing: run 'sudo apt-get install chromium fonts-noto-cjk' and try again" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
