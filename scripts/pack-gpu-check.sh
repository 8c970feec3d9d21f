#!/usr/bin/env bash
# Builds the travelling GPU check: one folder (<= 64 MiB) that runs `bench:gpu` on a Linux x64 machine with no
# network and no npm, and no Node.js if need be. Usage: scripts/pack-gpu-check.sh [OUT_DIR] [--with-node]
# Then copy OUT_DIR to the GPU machine and run OUT_DIR/run.sh [bench:gpu options] (README: GPU training).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-gpu-check}"
with_node=0
for a in "$@"; do [ "$a" = --with-node ] && with_node=1; done
[ "$out" = --with-node ] && out=gpu-check

rm -rf "$out" && mkdir -p "$out/app" "$out/debs"
npx tsc -p tsconfig.json
cp -r dist data proto package.json "$out/app/"
rm -rf "$out/app/dist/test"

# Production dependencies only, as installed here, pruned to what Node loads on linux-x64.
npm ls --omit=dev --all --parseable 2>/dev/null | sed "s#^$PWD/##" | grep '^node_modules/' | sort -u | while read -r p; do
  mkdir -p "$out/app/$p" && cp -rT "$p" "$out/app/$p"
done
nm="$out/app/node_modules"
# tfjs packages: Node loads each one's "main" (dist/*.node.js) and the wasm binaries; the other builds are for browsers.
for pkg in "$nm"/@tensorflow/*; do
  [ -d "$pkg/dist" ] || continue
  main=$(node -p "require(process.argv[1]).main" "$(realpath "$pkg/package.json")")
  find "$pkg/dist" -type f ! -path "$pkg/$main" ! -name '*.wasm' -delete
  find "$pkg/dist" -type d -empty -delete
done
# Dawn: the linux-x64 build only.
find "$nm/webgpu/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
rm -rf "$nm"/@resvg/resvg-js-{darwin,win32,android,linux-arm,linux-x64-musl}* "$nm"/@tensorflow/tfjs-node*
find "$nm" \( -name '*.map' -o -name '*.d.ts' -o -name '*.md' -o -name '*.markdown' \) -type f -delete

# The Vulkan loader, for machines that have a GPU driver but no libvulkan.so.1 (unpacked by run.sh when missing).
(cd "$out/debs" && apt-get download libvulkan1 >/dev/null)
if [ "$with_node" = 1 ]; then xz -T0 -6 -c "$(command -v node)" > "$out/node.xz"; fi
# Compressed (dawn.node and the JavaScript shrink ~5x): run.sh unpacks it on its first run.
tar -C "$out" -cf - app | xz -T0 -6 > "$out/app.tar.xz"
rm -rf "$out/app"

cat > "$out/run.sh" <<'RUN'
#!/bin/sh
# The GPU check (bench:gpu). Needs nothing but this folder on Linux x64 (and the GPU's driver).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
unxz() { # unxz FILE: to stdout, with xz or else Python's lzma
  if command -v xz >/dev/null 2>&1; then xz -dc "$1"
  else python3 -c 'import lzma,sys,shutil; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi
}
[ -d "$here/app" ] || unxz "$here/app.tar.xz" | tar -C "$here" -xf -
node_ok() { command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; }
NODE=node
if ! node_ok; then
  [ -f "$here/node.xz" ] || { echo "run.sh: no Node.js >= 20 here and no node.xz in $here (pack with --with-node)" >&2; exit 1; }
  if [ ! -x "$here/node" ]; then
    unxz "$here/node.xz" > "$here/node"
    chmod +x "$here/node"
  fi
  NODE="$here/node"
fi
if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libvulkan.so.1 '; then
  mkdir -p "$here/sysroot"
  for d in "$here"/debs/*.deb; do
    if command -v dpkg-deb >/dev/null 2>&1; then dpkg-deb -x "$d" "$here/sysroot"
    else (t=$(mktemp -d) && cd "$t" && ar x "$d" && tar -xf data.tar.* -C "$here/sysroot" && rm -rf "$t"); fi
  done
  LD_LIBRARY_PATH="$here/sysroot/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi
cd "$here/app"
exec "$NODE" dist/bench/gpu.js "$@"
RUN
chmod +x "$out/run.sh"
du -sh "$out"
size=$(du -sm "$out" | cut -f1)
[ "$size" -le 64 ] || { echo "pack-gpu-check: $out is $size MiB, over the 64 MiB limit" >&2; exit 1; }
