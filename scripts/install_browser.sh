#!/usr/bin/env bash
# Installs what the browser tests of the HTML report need, from Debian's packages: Chromium (the
# tests drive /usr/bin/chromium with Playwright; Playwright's own browser download does not work
# without the internet) and CJK fonts (so Chinese renders as text, not boxes, in screenshots).
# Does nothing when both are there. Without root (and without sudo) it says so and leaves it to the
# tests, which then skip with that reason outside CI and fail in CI.
set -euo pipefail

packages=(chromium fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ -x /usr/bin/chromium && ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: no apt-get here; install Chromium at /usr/bin/chromium to run the browser tests" >&2
    exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "install_browser: not root; run 'apt-get install chromium fonts-noto-cjk' as root to run the browser tests" >&2
    exit 0
fi
echo "install_browser: installing ${missing[*]:-chromium} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]:-chromium}" >/dev/null
