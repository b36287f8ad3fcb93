#!/usr/bin/env bash
# Install the system packages of bindep.txt that this machine lacks.
#
# As root it runs apt-get (or dnf); otherwise it prints the one command to
# run and exits 1. Run by "tox -e bindep", the first env of a plain "tox",
# and by .ci/run. Needs the bindep command (pip install bindep).
set -u
cd "$(dirname "$0")/.."
profiles=${BINDEP_PROFILES:-test doc}

if ! command -v bindep >/dev/null 2>&1; then
    echo "bindep is not installed: pip install bindep (or run tox -e bindep)"
    exit 1
fi
# bindep exits 1 when something is missing; -b prints just the names.
missing=$(bindep -b $profiles 2>/dev/null)
if [ -z "$missing" ]; then
    echo "bindep: every system package is installed ($profiles)"
    exit 0
fi
missing=$(echo $missing)
if command -v apt-get >/dev/null 2>&1; then
    install="apt-get install -y -qq $missing"
    update="apt-get update -qq"
else
    install="dnf install -y $missing"
    update="true"
fi
if [ "$(id -u)" != 0 ]; then
    echo "Missing system packages: $missing"
    echo "Run: sudo sh -c '$update && $install'"
    exit 1
fi
echo "bindep: installing $missing"
export DEBIAN_FRONTEND=noninteractive
if ! { $update && $install; } >/tmp/os-vif-hostinfo-bindep.log 2>&1; then
    tail -n 20 /tmp/os-vif-hostinfo-bindep.log
    echo "bindep: could not install $missing"
    exit 1
fi
missing=$(bindep -b $profiles 2>/dev/null)
if [ -n "$missing" ]; then
    echo "bindep: still missing after the install: $missing"
    exit 1
fi
echo "bindep: installed"
