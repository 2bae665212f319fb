#!/usr/bin/env bash
# Install Pasban's build and test dependencies from Debian bookworm.
# Does nothing when everything is already installed; otherwise runs
# apt-get update once and installs only what is missing (needs root, or
# sudo when it is available).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libpcap-dev libvectorscan-dev libpcre2-dev libyaml-cpp-dev rapidjson-dev
  libabsl-dev libssl-dev zlib1g-dev libmagic-dev
  libhtp-dev
  libnetfilter-queue-dev libmnl-dev
  libgtest-dev libbenchmark-dev
  python3 python3-yaml python3-jsonschema
  clang-14 libclang-rt-14-dev
  # the network test (tests/netns): namespaces, NFQUEUE, real peers
  iproute2 iptables nginx-light dnsmasq-base bind9-dnsutils curl tcpdump iputils-ping ethtool
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-deps: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
