#!/bin/sh
# Builds tether's macOS installer package from the runtime image, with pkgbuild:
#   jlink/packaging/macos/build-pkg.sh IMAGE DOCS VERSION OUTPUT.pkg
# ./mvnw -B package runs it on macOS (jlink/pom.xml, profile macos-pkg).
#
# The payload is the image, with the man page and the completions in its share/, installed as
# /usr/local/lib/tether; the postinstall script then links /usr/local/bin/tether to the image's own launcher,
# bin/tether, and the man page and completions into /usr/local/share (the list is share/tether/links). Links
# made by the script, not carried in the payload, keep every directory of /usr/local out of the payload but
# tether's own: Installer records and sets the owner and mode of each directory a payload holds, and
# /usr/local/bin may belong to someone else (Homebrew on an Intel Mac). jpackage is not used: its package
# would start tether through jpackage's launcher, not bin/tether, so without the launcher's signal mask,
# stdout handling and environment care, and it refuses a version whose first number is 0.
# share/tether/uninstall removes it all again (jlink/packaging/README.md).
set -eu

if [ $# -ne 4 ]; then
    echo "usage: $0 IMAGE DOCS VERSION OUTPUT.pkg" >&2
    exit 2
fi
image=$1 docs=$2 version=$3 output=$4
here=$(cd "$(dirname "$0")" && pwd)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# -R with -P keeps the image's symbolic links as links; -p its modes (both BSD and GNU cp).
cp -RPp "$image" "$root/tether"
share=$root/tether/share
mkdir -p "$share/man/man1" "$share/zsh/site-functions" "$share/bash-completion/completions" \
    "$share/fish/vendor_completions.d" "$share/tether"
cp "$docs/tether.1" "$share/man/man1/tether.1"
cp "$docs/_tether" "$share/zsh/site-functions/_tether"
cp "$docs/tether.bash" "$share/bash-completion/completions/tether"
cp "$docs/tether.fish" "$share/fish/vendor_completions.d/tether.fish"
cp "$here/links" "$share/tether/links"
cp "$here/uninstall" "$share/tether/uninstall"
chmod 755 "$share/tether/uninstall"

rm -f "$output"
pkgbuild --root "$root/tether" --install-location /usr/local/lib/tether --scripts "$here/scripts" \
    --identifier dev.tether --version "$version" --ownership recommended "$output"
