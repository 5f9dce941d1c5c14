#!/bin/sh
# Install or upgrade Workbench for every user of this Linux workstation:
#   sudo ./install.sh [--config practice.toml]
# Copies this folder to /opt/workbench, adds the menu entry and /usr/local/bin/workbench, and
# puts the machine-wide configuration in /etc/xdg/workbench/ (an existing one is kept unless
# --config names a new one). `sudo ./install.sh --uninstall` removes the program and keeps the
# configuration and the users' stores. DESTDIR works in a staging root (packagers, tests).
set -eu

config=""
uninstall=""
while [ $# -gt 0 ]; do
    case "$1" in
        --config) config=${2:?--config needs a file}; shift 2 ;;
        --uninstall) uninstall=yes; shift ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

root=${DESTDIR:-}
if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
    echo "install.sh: run as root: sudo $0" >&2
    exit 1
fi
source_dir=$(cd "$(dirname "$0")" && pwd)
target="$root/opt/workbench"
config_dir="$root/etc/xdg/workbench"

if [ -n "$uninstall" ]; then
    rm -rf "$target" "$root/usr/share/applications/workbench.desktop" \
        "$root/usr/local/bin/workbench"
    echo "Workbench removed; /etc/xdg/workbench/ and the users' stores are kept."
    exit 0
fi

if [ "$source_dir" != "$target" ]; then
    # Copy beside the old version first, then swap, so a failed copy leaves it working.
    mkdir -p "$root/opt"
    rm -rf "$target.new"
    cp -R "$source_dir" "$target.new"
    rm -rf "$target.old"
    if [ -e "$target" ]; then mv "$target" "$target.old"; fi
    mv "$target.new" "$target"
    rm -rf "$target.old"
fi

mkdir -p "$root/usr/share/applications" "$root/usr/local/bin" "$config_dir"
cp "$target/workbench.desktop" "$root/usr/share/applications/workbench.desktop"
ln -sf /opt/workbench/workbench "$root/usr/local/bin/workbench"
cp "$target/workbench.toml.example" "$config_dir/workbench.toml.example"
if [ -n "$config" ]; then
    cp "$config" "$config_dir/workbench.toml"
    chmod 644 "$config_dir/workbench.toml"
fi
version=$(cat "$target/VERSION" 2>/dev/null || echo "?")
echo "Workbench $version installed in /opt/workbench."
if [ ! -e "$config_dir/workbench.toml" ]; then
    echo "Next: write /etc/xdg/workbench/workbench.toml (see workbench.toml.example there)."
fi
echo "Then, as each user: workbench credentials set, and workbench check."
