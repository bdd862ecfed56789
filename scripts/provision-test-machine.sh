#!/usr/bin/env bash
# Installs the system packages the tests need, once: Debian's Chromium for Playwright
# (Playwright's own browser download does not work here) and unzip for the Java corpus.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "provision: missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
    exit 1
  fi
  echo "provision: installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "provision: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), java $(java -version 2>&1 | head -1 | awk -F'"' '{print $2}')"
