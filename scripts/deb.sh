#!/bin/sh
# deb.sh BINARY OUTDIR — merit as a Debian package (make deb): the binary
# (stripped), the man page, the systemd units for /usr/bin, the
# maintainer scripts of dist/deb (a system user, /var/lib/merit with an
# empty database, the services enabled; the data kept on remove and
# purge), Depends from dpkg-shlibdeps.  Prints the .deb's path.
set -eu
[ $# -eq 2 ] || { echo "usage: deb.sh BINARY OUTDIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2"
bin=$1 out=$(cd "$2" && pwd)
version=$(sed -n 's/^#define MR_VERSION "\(.*\)"$/\1/p' "$root/src/util/version.h")
arch=$(dpkg --print-architecture)
pkg=$out/merit_${version}-1_$arch
rm -rf "$pkg" "$out/shlibs"
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/man/man1" "$pkg/usr/share/doc/merit" \
	"$pkg/lib/systemd/system" "$pkg/usr/share/lintian/overrides" "$out/shlibs/debian"
install -m 755 "$bin" "$pkg/usr/bin/merit"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$pkg/usr/bin/merit"
install -m 644 "$root/dist/deb/lintian-overrides" "$pkg/usr/share/lintian/overrides/merit"
gzip -9n < "$root/doc/merit.1" > "$pkg/usr/share/man/man1/merit.1.gz"
chmod 644 "$pkg/usr/share/man/man1/merit.1.gz"
sh "$root/scripts/units.sh" /usr/bin "$pkg/lib/systemd/system"
install -m 644 "$root/dist/deb/copyright" "$pkg/usr/share/doc/merit/copyright"
when=$(git -C "$root" log -1 --format=%aD 2>/dev/null || date -R)
printf 'merit (%s-1) unstable; urgency=medium\n\n  * Built from the merit repository (make deb).\n\n -- merit authors <merit@example.invalid>  %s\n' \
	"$version" "$when" | gzip -9n > "$pkg/usr/share/doc/merit/changelog.Debian.gz"
chmod 644 "$pkg/usr/share/doc/merit/changelog.Debian.gz"
for s in postinst prerm postrm; do install -m 755 "$root/dist/deb/$s" "$pkg/DEBIAN/$s"; done
# the shared libraries merit links, as Debian's package names
(cd "$out/shlibs" && printf 'Source: merit\n\nPackage: merit\nArchitecture: any\n' > debian/control &&
	dpkg-shlibdeps -O "$pkg/usr/bin/merit" 2>/dev/null) > "$out/shlibs/deps"
depends=$(sed -n 's/^shlibs:Depends=//p' "$out/shlibs/deps")
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: merit
Version: $version-1
Architecture: $arch
Maintainer: merit authors <merit@example.invalid>
Installed-Size: $size
Depends: $depends, adduser, fonts-noto-cjk, fonts-dejavu-core
Section: web
Priority: optional
Homepage: https://example.invalid/merit
Description: appraisal of an online-operations team from its real data
 merit scores the team that runs a company's website and online
 marketing (operations manager, editors, promoters, designer, developer,
 support) by indicators that follow from the operating goal, from web
 server logs, shop, CRM, tracker and search-rank exports and its own
 uptime probe, explains every number down to the file line it came from,
 and runs the review cycle (ratings, grades, bonus) from the command line
 and a web app.
CONTROL
(cd "$pkg" && find usr lib -type f -exec md5sum {} + | sort -k 2) > "$pkg/DEBIAN/md5sums"
chmod 644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$pkg.deb" >/dev/null
echo "$pkg.deb"
