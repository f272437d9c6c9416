#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks for the local engine and its tests, then the npm packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(python3 python3-numpy python3-pandas python3-pil python3-sklearn python3-debugpy python3-onnx)
# `npm run lint` checks the Python worker and the samples with Debian's flake8.
apt_packages+=(flake8)
# The UI tests drive a real VS Code (code-server) from Debian's chromium; kerberos is a code-server build need.
if [ "${PARALLEL_RUN_SETUP_UI:-1}" = 1 ]; then apt_packages+=(chromium libkrb5-dev); fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # onnxruntime-node's postinstall would fetch a CUDA provider (fails offline); its CPU binaries ship in the package.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi
