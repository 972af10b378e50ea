#!/usr/bin/env bash
# Builds one OCI image per Bianzhi service with buildah, without a container engine:
# FROM scratch around a static binary compiled by the host Go (no base image can be
# pulled here). Archives land in build/images/bianzhi-<service>-<version>.tar.
#
#   scripts/images.sh [build] [service...]   build the images (all six by default)
#   scripts/images.sh check [service]        build one image (quota by default) and run
#                                            its `version` inside it with buildah run
#
# Without buildah, `build` skips with a message and exits 0 (image building is not a
# developer's prerequisite); `check` fails, since it exists to prove the build.
# Environment: VERSION (default: git describe), COMMIT (default: git HEAD),
# OUT (default: build/images), GOARCH (default: the host's),
# SOURCE=worktree (default) or head: head compiles the committed HEAD (via git archive
#   into a temporary folder), so the image holds exactly the commit it is stamped with,
#   whatever is half-edited in the working tree,
# BUILDAH_BIN: the buildah binary (default: buildah from $PATH),
# BIN_DIR: take <BIN_DIR>/<service> (e.g. from `make build`, same VERSION and COMMIT)
#   instead of compiling.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ALL=(gateway units quota talent enforcement eduhealth)
VERSION="${VERSION:-$(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || echo dev)}"
COMMIT="${COMMIT:-$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}"
OUT="${OUT:-$ROOT/build/images}"
# vfs storage and chroot isolation need neither overlayfs nor a runtime such as runc;
# the storage flag goes on every call, or buildah looks in another store.
BUILDAH_BIN="${BUILDAH_BIN:-buildah}"
BUILDAH=("$BUILDAH_BIN" --storage-driver vfs)
SOURCE="${SOURCE:-worktree}"
BIN_DIR="${BIN_DIR:-}"
SRC="$ROOT"

log() { printf 'images: %s\n' "$*" >&2; }

# context prepares build/images/context/<service>: the binary and the files it needs.
context() {
  local svc="$1" ctx="$OUT/context/$1"
  rm -rf "$ctx"
  mkdir -p "$ctx/etc/ssl/certs" "$ctx/usr/share"
  if [[ -n "$BIN_DIR" ]]; then
    log "taking $BIN_DIR/$svc"
    cp "$BIN_DIR/$svc" "$ctx/$svc"
  else
    log "compiling $svc $VERSION ($COMMIT) from the $SOURCE"
    (cd "$SRC" && CGO_ENABLED=0 GOOS=linux go build -trimpath \
      -ldflags "-s -w -X github.com/bianzhi/bianzhi/pkg/buildinfo.Version=$VERSION -X github.com/bianzhi/bianzhi/pkg/buildinfo.Commit=$COMMIT" \
      -o "$ctx/$svc" "./services/$svc/cmd/$svc")
  fi
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/etc/ssl/certs/"
  # posix/ and right/ duplicate the zones (Debian keeps them); Go needs neither.
  rsync -a --exclude posix --exclude right /usr/share/zoneinfo "$ctx/usr/share/" 2>/dev/null ||
    cp -a /usr/share/zoneinfo "$ctx/usr/share/"
  printf 'root:x:0:0:root:/:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/:/sbin/nologin\n' >"$ctx/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$ctx/etc/group"
}

# image builds one service's image and writes its OCI archive; prints the image name.
image() {
  local svc="$1" name="localhost/bianzhi/$1:$VERSION"
  context "$svc"
  log "building $name"
  "${BUILDAH[@]}" bud --isolation chroot --quiet \
    -f "$ROOT/deploy/images/Containerfile" \
    --build-arg SERVICE="$svc" --build-arg VERSION="$VERSION" --build-arg COMMIT="$COMMIT" \
    -t "$name" "$OUT/context/$svc" >/dev/null
  local archive="$OUT/bianzhi-$svc-$VERSION.tar"
  rm -f "$archive"
  "${BUILDAH[@]}" push --quiet "$name" "oci-archive:$archive:bianzhi/$svc:$VERSION"
  log "wrote $archive ($(du -h "$archive" | cut -f1))"
  echo "$name"
}

# check runs the image's binary inside the image and verifies what it says and how the
# image is configured: numeric non-root user, entrypoint, no shell.
check() {
  local svc="${1:-quota}" name ctr out user
  name="$(image "$svc")"
  ctr="$("${BUILDAH[@]}" from --quiet "$name")"
  trap '"${BUILDAH[@]}" rm "$ctr" >/dev/null 2>&1 || true' RETURN
  out="$("${BUILDAH[@]}" run --isolation chroot "$ctr" -- /service version)"
  log "buildah run $name -- /service version: $out"
  [[ "$out" == *"$VERSION"* && "$out" == *"$COMMIT"* ]] || { log "FAIL: version output lacks $VERSION / $COMMIT"; return 1; }
  user="$("${BUILDAH[@]}" inspect --format '{{.OCIv1.Config.User}}' "$name")"
  [[ "$user" == "65532:65532" ]] || { log "FAIL: image user is '$user', want 65532:65532"; return 1; }
  if "${BUILDAH[@]}" run --isolation chroot "$ctr" -- /bin/sh -c true >/dev/null 2>&1; then
    log "FAIL: the image has a shell"; return 1
  fi
  log "check passed: $name runs as 65532, has no shell, reports $VERSION ($COMMIT)"
}

cmd="${1:-build}"
case "$cmd" in
  build | check) shift || true ;;
  -h | --help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
  *) cmd=build ;;
esac

if ! command -v "$BUILDAH_BIN" >/dev/null 2>&1; then
  if [[ "$cmd" == check ]]; then
    log "buildah not found: cannot prove the image build (apt-get install buildah)"; exit 1
  fi
  log "buildah not found: skipping the image build (apt-get install buildah to build images here)"
  exit 0
fi

mkdir -p "$OUT"
if [[ "$SOURCE" == head && -z "$BIN_DIR" ]]; then
  SRC="$(mktemp -d)"
  trap 'rm -rf "$SRC"' EXIT
  git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
  VERSION="${VERSION%-dirty}"
fi
if [[ "$cmd" == check ]]; then
  check "${1:-quota}"
else
  services=("$@")
  [[ ${#services[@]} -gt 0 ]] || services=("${ALL[@]}")
  for s in "${services[@]}"; do image "$s" >/dev/null; done
  log "built ${#services[@]} image(s) $VERSION under $OUT"
fi
