#!/usr/bin/env bash
# Fetches real source trees (from Debian packages) for tests and the bench, into .cache/corpus/.
# Usage: scripts/fetch-corpus.sh NAME...   with NAME one of: django go java typescript linux
# Prints NAME=<absolute path of the source folder> for each name. Idempotent: an extracted
# package is not downloaded again. The downloads are git-ignored and must never be committed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus_dir="$repo_root/.cache/corpus"
mkdir -p "$corpus_dir"

apt_lists_refreshed=0

package_of() {
  case "$1" in
    django) echo python3-django ;;
    go) echo golang-1.19-src ;;
    java) echo openjdk-17-source ;;
    typescript) echo node-typescript ;;
    linux) echo linux-source-6.1 ;;
    *) return 1 ;;
  esac
}

# Downloads the package's .deb into $2 (retrying once after `apt-get update`, since stale
# package lists are the usual reason a download fails) and extracts it into $2/root.
download_and_extract() {
  local package="$1" dir="$2"
  if [[ -f "$dir/.extracted" ]]; then return 0; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! (cd "$dir" && apt-get download "$package" >&2); then
    if [[ $apt_lists_refreshed -eq 0 ]]; then
      echo "apt-get download $package failed; refreshing package lists and retrying" >&2
      apt-get update >&2
      apt_lists_refreshed=1
      (cd "$dir" && apt-get download "$package" >&2)
    else
      return 1
    fi
  fi
  local deb
  deb="$(ls "$dir"/*.deb | head -n 1)"
  dpkg -x "$deb" "$dir/root"
  rm -f "$deb"
  touch "$dir/.extracted"
}

# Unpacks an archive found inside a package once, into $2; marks success so reruns skip it.
unpack_once() {
  local archive="$1" dest="$2"
  if [[ -f "$dest/.unpacked" ]]; then return 0; fi
  rm -rf "$dest"
  mkdir -p "$dest"
  case "$archive" in
    *.zip) unzip -q "$archive" -d "$dest" ;;
    *.tar.xz|*.tar.gz|*.tar.bz2|*.tar) tar -xf "$archive" -C "$dest" ;;
    *) echo "don't know how to unpack $archive" >&2; return 1 ;;
  esac
  touch "$dest/.unpacked"
}

source_folder_of() {
  local name="$1" root="$2" found
  case "$name" in
    django)
      found="$(find "$root/usr/lib/python3/dist-packages" -maxdepth 1 -type d -name django | head -n 1)" ;;
    go)
      found="$(find "$root/usr/share" -maxdepth 3 -type d -path '*/go-1.19/src' | head -n 1)" ;;
    java)
      local zip
      zip="$(find "$root" -name src.zip | head -n 1)"
      [[ -n "$zip" ]] || { echo "no src.zip in openjdk-17-source" >&2; return 1; }
      unpack_once "$zip" "$corpus_dir/java/src"
      found="$corpus_dir/java/src" ;;
    typescript)
      found="$(find "$root/usr/share/nodejs" -maxdepth 1 -type d -name typescript | head -n 1)" ;;
    linux)
      local tarball
      tarball="$(find "$root/usr/src" -maxdepth 1 -name 'linux-source-*.tar.*' | head -n 1)"
      [[ -n "$tarball" ]] || { echo "no linux-source tarball in linux-source-6.1" >&2; return 1; }
      unpack_once "$tarball" "$corpus_dir/linux/src"
      found="$(find "$corpus_dir/linux/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
      # Debian's packaging appends "/*" to the kernel's root .gitignore (its packaging repo holds
      # only debian/), which would hide the whole tree from a scanner that honours .gitignore.
      if [[ -n "$found" && -f "$found/.gitignore" ]] && grep -qx '/\*' "$found/.gitignore"; then
        sed -i -e '\|^/\*$|d' -e '\|^!/debian/$|d' "$found/.gitignore"
      fi ;;
  esac
  [[ -n "${found:-}" && -d "$found" ]] || { echo "could not find the $name source folder under $root" >&2; return 1; }
  (cd "$found" && pwd)
}

if [[ $# -eq 0 ]]; then
  echo "usage: $0 NAME...   (NAME: django go java typescript linux)" >&2
  exit 2
fi

for name in "$@"; do
  package="$(package_of "$name")" || { echo "unknown corpus '$name': use django, go, java, typescript or linux" >&2; exit 2; }
  dir="$corpus_dir/$name"
  download_and_extract "$package" "$dir"
  echo "$name=$(source_folder_of "$name" "$dir/root")"
done
