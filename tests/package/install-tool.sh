#!/usr/bin/env bash
# Packs the gmm .NET tool, checks the package's size and contents, installs it from the local folder into a
# temporary tool path exactly as the README says, and runs `gmm demo` from it. Bounded: every step has a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timeout 600 dotnet pack src/DistributedGmm.Cli -c Release -o "$work/package" >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; echo "FAIL: dotnet pack"; exit 1; }
grep -qi "warning" "$work/pack.log" && { grep -i warning "$work/pack.log"; echo "FAIL: dotnet pack warned"; exit 1; }
nupkg=$(ls "$work"/package/DistributedGmm.Cli.*.nupkg)
size=$(stat -c %s "$nupkg")
limit=$((40 * 1024 * 1024))
[ "$size" -le "$limit" ] || { echo "FAIL: package is $size bytes, more than $limit"; exit 1; }
listing=$(unzip -l "$nupkg")
for rid in linux-x64 linux-arm64 osx win-x64; do
  grep -q "runtimes/$rid/native/libSkiaSharp" <<<"$listing" || { echo "FAIL: no SkiaSharp native for $rid"; exit 1; }
done
grep -q "runtimes/linux-riscv64/" <<<"$listing" && { echo "FAIL: natives for platforms not shipped"; exit 1; }
[ "$(grep -c 'config/gmm.conf' <<<"$listing")" -eq 1 ] || { echo "FAIL: config/gmm.conf not exactly once"; exit 1; }
unzip -p "$nupkg" '*.nuspec' | grep -q '<license type="expression">MIT</license>' || { echo "FAIL: no license in the nuspec"; exit 1; }
unzip -p "$nupkg" '*.nuspec' | grep -q '<readme>README.md</readme>' || { echo "FAIL: no readme in the nuspec"; exit 1; }

# The README's install line, into a private tool path instead of -g.
timeout 300 dotnet tool install DistributedGmm.Cli --tool-path "$work/tools" --add-source "$work/package" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; echo "FAIL: dotnet tool install"; exit 1; }
timeout 300 "$work/tools/gmm" demo --out "$work/demo" >"$work/demo.log" 2>&1 \
  || { cat "$work/demo.log"; echo "FAIL: gmm demo from the installed tool"; exit 1; }
[ -s "$work/demo/synthetic.model.json" ] || { echo "FAIL: the demo wrote no model"; exit 1; }
echo "PASS: tool package $((size / 1024 / 1024)) MB, installed and ran gmm demo"
