#!/usr/bin/env bash
# Packs the library (AudioPrune) and the tool (AudioPrune.Tool) and uses them as a new user would, in a temporary
# folder: the README's C# snippet is compiled and run in a fresh console project against the package, and the tool
# is installed with `dotnet tool install --add-source` and asked for its version and to inspect what the snippet wrote.
# Each run packs a version of its own, so NuGet's package cache never hands back an older build; the script removes
# those cache entries again when it ends.
# Usage: build/check-packages.sh   (exit 0 when every step worked)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
version="0.9.0-check.$(date +%s).$$"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() {
  rm -rf "$work" "$cache/audioprune/$version" "$cache/audioprune.tool/$version"
}
trap cleanup EXIT
step() { echo "check-packages: $*"; }

step "packing $version"
dotnet pack "$root" -c Release -p:Version="$version" -p:PackageOutputPath="$work/feed" --nologo -v quiet >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log" >&2; exit 1; }
for id in AudioPrune AudioPrune.Tool; do
  [ -f "$work/feed/$id.$version.nupkg" ] || { echo "check-packages: dotnet pack wrote no $id.$version.nupkg" >&2; ls "$work/feed" >&2; exit 1; }
done

# The console project sees only the local feed and the registry, never the repository's projects.
mkdir -p "$work/app"
cat >"$work/app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF
cat >"$work/app/PackageCheck.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="AudioPrune" Version="$version" />
  </ItemGroup>
</Project>
EOF
# The README's first csharp block, as it stands.
awk '/^```csharp$/ {inside = 1; next} /^```$/ && inside {exit} inside {print}' "$root/README.md" >"$work/app/Program.cs"
[ -s "$work/app/Program.cs" ] || { echo "check-packages: README.md has no csharp block" >&2; exit 1; }

step "building and running the README snippet against the package"
(cd "$work/app" && dotnet run -c Release --nologo -v quiet) >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
cat "$work/run.log"
for file in pruned.safetensors plan.json; do
  [ -s "$work/app/$file" ] || { echo "check-packages: the snippet did not write $file" >&2; exit 1; }
done

# The package's build step must have fixed TorchSharp's native shim in the app's output: fixing a copy changes nothing.
shim="$(find "$work/app/bin" -name libLibTorchSharp.so -print -quit)"
[ -n "$shim" ] || { echo "check-packages: the app's output has no libLibTorchSharp.so" >&2; exit 1; }
mkdir -p "$work/shim" && cp "$shim" "$work/shim/"
bash "$root/build/fix-libtorchsharp.sh" "$work/shim"
cmp -s "$shim" "$work/shim/libLibTorchSharp.so" || { echo "check-packages: the package did not fix $shim" >&2; exit 1; }

step "installing the tool"
dotnet tool install AudioPrune.Tool --version "$version" --tool-path "$work/tool" --add-source "$work/feed" >"$work/tool.log" 2>&1 \
  || { cat "$work/tool.log" >&2; exit 1; }
reported="$("$work/tool/audioprune" --version)"
case "$reported" in
  "$version"*) step "audioprune --version: $reported" ;;
  *) echo "check-packages: audioprune --version printed '$reported', expected $version" >&2; exit 1 ;;
esac
"$work/tool/audioprune" inspect "$work/app/pruned.safetensors" >"$work/inspect.log" 2>&1 || { cat "$work/inspect.log" >&2; exit 1; }
grep -q "MACs" "$work/inspect.log" || { echo "check-packages: inspect printed no MACs" >&2; cat "$work/inspect.log" >&2; exit 1; }
# libtorch through the installed tool: a short TorchSharp latency run of the pruned model.
"$work/tool/audioprune" bench "$work/app/pruned.safetensors" --engine torch --runs 3 >"$work/bench.log" 2>&1 || { cat "$work/bench.log" >&2; exit 1; }
step "$(grep -m1 -i "median" "$work/bench.log")"
step "ok"
