#!/usr/bin/env bash
# Installs what llama3-tools needs on a fresh Debian machine: the C libraries and the tools the
# tests compare against (apt), the official Llama 3 vocabulary (vocab/install.sh), and the
# pinned Python fixture tools in .venv (Fixtures/make-venv.sh). Safe to rerun.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(libzstd-dev libxxhash-dev zlib1g-dev zstd xxhash pkg-config time)  # time: peak memory in Tests/Benchmarks
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bash "$root/vocab/install.sh"
bash "$root/Fixtures/make-venv.sh"
