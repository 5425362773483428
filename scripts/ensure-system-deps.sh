#!/usr/bin/env bash
# Make sure the system tools named as arguments are present: python, graphviz, chromium, wrk,
# node (Node.js and npm), postgresql (PostgreSQL 15 server), redis (redis-server), nginx.
# Present tools are skipped at once. Missing ones are installed with apt-get when running as root
# on a machine that has it; otherwise the script stops with one line saying what to install.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

missing_pkgs=()
missing_names=()

need() { # need PACKAGE NAME: remember a Debian package to install
    missing_pkgs+=("$1")
    missing_names+=("$2")
}

for tool in "$@"; do
    case "$tool" in
        python)
            if ! command -v "$PYTHON" >/dev/null 2>&1; then
                echo "missing Python: install Python 3.11 or newer (e.g. 'sudo apt-get install python3 python3-venv')" >&2
                exit 1
            fi
            if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
                echo "Python 3.11 or newer is required, found $("$PYTHON" --version 2>&1): install a newer python3" >&2
                exit 1
            fi
            "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || need python3-venv "Python venv"
            ;;
        graphviz) command -v dot >/dev/null 2>&1 || need graphviz Graphviz ;;
        chromium) [ -x "$CHROMIUM_PATH" ] || need chromium Chromium ;;
        wrk) command -v wrk >/dev/null 2>&1 || need wrk wrk ;;
        postgresql)
            [ -x /usr/lib/postgresql/15/bin/postgres ] && command -v pg_ctlcluster >/dev/null 2>&1 \
                || need postgresql-15 "PostgreSQL 15"
            ;;
        redis) command -v redis-server >/dev/null 2>&1 || need redis-server Redis ;;
        nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need nginx-light nginx ;;
        node)
            command -v node >/dev/null 2>&1 || need nodejs Node.js
            command -v npm >/dev/null 2>&1 || need npm npm
            ;;
        *)
            echo "ensure-system-deps.sh: unknown tool '$tool'" >&2
            exit 2
            ;;
    esac
done

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing_pkgs[*]} with apt-get"
    # Wait for another apt or dpkg run (e.g. unattended upgrades) instead of failing.
    apt_opts=(-o DPkg::Lock::Timeout=600 -qq)
    apt-get "${apt_opts[@]}" update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y \
        "${missing_pkgs[@]}" >/dev/null
    exit 0
fi

pronoun=it
[ ${#missing_pkgs[@]} -gt 1 ] && pronoun=them
IFS=/ names="${missing_names[*]}"
IFS=' '
echo "missing ${names}: install ${pronoun} with 'sudo apt-get install ${missing_pkgs[*]}'" >&2
exit 1
