#!/bin/sh
# Link the offline FHIR packages into the FHIR package cache, where SUSHI looks for them.
# The packages live beside the repository in ../shared/fhir-packages (see its README);
# run from anywhere, as often as you like.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
source_dir=$(cd "$repo/../shared/fhir-packages" && pwd)
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
