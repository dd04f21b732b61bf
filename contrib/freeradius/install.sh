#!/bin/sh
# Install zwnet's FreeRADIUS module and site into a Debian FreeRADIUS 3.2 configuration and
# enable them. FreeRADIUS must then be started with ZWNET_URL and ZWNET_TOKEN in its
# environment (README.md next to this file).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
conf=${1:-/etc/freeradius/3.0}
[ -d "$conf/mods-available" ] || { echo "no FreeRADIUS configuration in $conf" >&2; exit 1; }
install -m 0640 "$here/mods-available/zwnet" "$conf/mods-available/zwnet"
install -m 0640 "$here/sites-available/zwnet" "$conf/sites-available/zwnet"
ln -sf ../mods-available/zwnet "$conf/mods-enabled/zwnet"
ln -sf ../sites-available/zwnet "$conf/sites-enabled/zwnet"
echo "zwnet: FreeRADIUS module and site installed in $conf"
