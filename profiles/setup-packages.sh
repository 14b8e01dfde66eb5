#!/bin/sh
# Link the offline FHIR packages into the FHIR package cache, where SUSHI looks for them.
# The packages live beside the repository in ../shared/fhir-packages (see its README);
# run from anywhere, as often as you like.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
wanted="${FHIR_PACKAGES_DIR:-$repo/../shared/fhir-packages}"
if [ ! -d "$wanted" ]; then
    echo "FHIR packages not found at $wanted (set FHIR_PACKAGES_DIR): SUSHI cannot run," \
         "and the tests that need it are skipped" >&2
    exit 0
fi
source_dir=$(cd "$wanted" && pwd)
cache="${FHIR_PACKAGE_CACHE:-$HOME/.fhir/packages}"

mkdir -p "$cache"
for package in "$source_dir"/*#*/; do
    name=$(basename "$package")
    target="$cache/$name"
    if [ -e "$target" ] && [ ! -L "$target" ]; then
        echo "keep $target (a real directory, not ours)"
        continue
    fi
    ln -sfn "${package%/}" "$target"
    echo "linked $name"
done
