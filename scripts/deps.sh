#!/bin/sh
# Install the Debian 12 packages zwnet needs to build, run and test, if any is missing.
# Safe to run again: it asks apt-get only for what is not installed yet.
set -eu
PKGS="build-essential meson ninja-build pkg-config libmicrohttpd-dev libjansson-dev \
libsqlite3-dev libsodium-dev libcmocka-dev libzip-dev libexpat1-dev libcurl4-openssl-dev sqlite3 python3 curl wrk openssl nftables iptables iproute2 iputils-ping \
libpango1.0-dev libcairo2-dev fonts-noto-cjk poppler-utils libpcap-dev ieee-data libnftables-dev freeradius freeradius-rest freeradius-utils \
libsnmp-dev snmpd snmp eapoltest python3-hypothesis python3-jsonschema python3-openpyxl libutf8proc-dev \
dnsmasq-base isc-dhcp-client arping \
clang libclang-rt-14-dev clang-format chromium chromium-driver \
debhelper lintian systemd man-db adduser python3-seccomp"
# Node.js and npm for the web console, from Debian unless the machine already has them.
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "zwnet: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
