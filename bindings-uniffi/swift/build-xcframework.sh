#!/usr/bin/env bash
# Builds CamsKitFFI.xcframework next to Package.swift (bindings-uniffi/swift/), from the Rust
# static library for each Apple target: the binary target the Swift package `CamsKit` wraps.
# Runs on a Mac with Xcode (xcodebuild, lipo) and rustup; NOT run on the Linux build machines,
# which have neither (see README.md here: what was checked there and what was not).
#
#   bindings-uniffi/swift/build-xcframework.sh            # iOS, iOS simulator, macOS
#   bindings-uniffi/swift/build-xcframework.sh --zip      # also CamsKitFFI.xcframework.zip + its checksum
#
# Slices (one static library each, the simulator's and macOS's two architectures joined by lipo):
#   ios-arm64                      aarch64-apple-ios
#   ios-arm64_x86_64-simulator     aarch64-apple-ios-sim + x86_64-apple-ios
#   macos-arm64_x86_64             aarch64-apple-darwin + x86_64-apple-darwin
# Each slice is a static framework bundle CamsKitFFI.framework (the library as its binary, the
# uniffi header in Headers/, `framework module CamsKitFFI` in Modules/module.modulemap), not the
# `-library … -headers …` form: a bare Headers/module.modulemap is copied by Xcode into the
# app's shared include/ folder and collides with any other XCFramework shipping one ("Multiple
# commands produce …/include/module.modulemap"), and a module map in a Headers/ subfolder is not
# found by Xcode 26's explicit module builds. A framework's Modules/ has neither problem.
#
# The header and module map are the shipped ffi/ files; check-generated.sh runs first and stops
# the build if they (or CamsKit.swift) no longer match the Rust API.
# Honours CARGO_TARGET_DIR. Deployment targets: IPHONEOS_DEPLOYMENT_TARGET (default 13.0),
# MACOSX_DEPLOYMENT_TARGET (default 11.0), as in Package.swift's `platforms`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
zip=0
[ "${1:-}" = "--zip" ] && zip=1

export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-13.0}"
export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-11.0}"
PROFILE=mobile
NAME=CamsKitFFI
LIBNAME=libcamskit_uniffi.a
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
BUILD="$ROOT/target/apple"
OUT="$HERE/$NAME.xcframework"
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"

for tool in cargo rustup xcodebuild lipo plutil; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (this script runs on a Mac with Xcode)" >&2; exit 1; }
done

echo "== the shipped Swift sources match the Rust API"
"$HERE/check-generated.sh"

TRIPLES=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
installed="$(rustup target list --installed)"
for t in "${TRIPLES[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

echo "== static libraries (profile $PROFILE)"
# `cargo rustc --crate-type staticlib`: only the static library (the crate also declares `lib`
# and `cdylib`; an rlib built alongside keeps LTO from dropping dead code, see ANDROID.md "Size").
# uniffi's UNIFFI_META_* statics stay in the archive (no link here, so link-nometa.py does not
# apply): they are unreferenced globals, which the app's link with -dead_strip (Xcode's default)
# leaves out of its executable (ANDROID.md, "Size"; not verified on Apple here).
for t in "${TRIPLES[@]}"; do
  # --no-default-features: without the JVM's JNI entry points (feature `jni`, ~17 KB), which iOS never calls.
  cargo rustc --profile "$PROFILE" -p camskit-uniffi --lib --crate-type staticlib --no-default-features --target "$t"
done
lib() { echo "$TARGET/$1/$PROFILE/$LIBNAME"; }

rm -rf "$BUILD" "$OUT"
mkdir -p "$BUILD"

# info_plist PATH PLATFORM MIN_OS: the framework's Info.plist (CFBundleSupportedPlatforms:
# iPhoneOS, iPhoneSimulator, MacOSX; the minimum OS key is MinimumOSVersion on iOS,
# LSMinimumSystemVersion on macOS).
info_plist() {
  cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleDevelopmentRegion</key>
	<string>en</string>
	<key>CFBundleExecutable</key>
	<string>$NAME</string>
	<key>CFBundleIdentifier</key>
	<string>io.camskit.$NAME</string>
	<key>CFBundleInfoDictionaryVersion</key>
	<string>6.0</string>
	<key>CFBundleName</key>
	<string>$NAME</string>
	<key>CFBundlePackageType</key>
	<string>FMWK</string>
	<key>CFBundleShortVersionString</key>
	<string>$VERSION</string>
	<key>CFBundleVersion</key>
	<string>$VERSION</string>
	<key>CFBundleSupportedPlatforms</key>
	<array>
		<string>$2</string>
	</array>
	<key>$([ "$2" = MacOSX ] && echo LSMinimumSystemVersion || echo MinimumOSVersion)</key>
	<string>$3</string>
</dict>
</plist>
EOF
  plutil -lint "$1" >/dev/null
}

# The module map of a framework: uniffi's `module CamsKitFFI { header "CamsKitFFI.h" … }` becomes
# `framework module CamsKitFFI { … }` (the header is then looked up in the bundle's Headers/).
modulemap() { sed 's/^module /framework module /' "$HERE/ffi/$NAME.modulemap" >"$1"; }

# ios_framework DIR LIBRARY PLATFORM: a shallow bundle (iOS and its simulator).
ios_framework() {
  local fw="$1/$NAME.framework"
  mkdir -p "$fw/Headers" "$fw/Modules"
  cp "$2" "$fw/$NAME"
  cp "$HERE/ffi/$NAME.h" "$fw/Headers/"
  modulemap "$fw/Modules/module.modulemap"
  info_plist "$fw/Info.plist" "$3" "$IPHONEOS_DEPLOYMENT_TARGET"
}

# macos_framework DIR LIBRARY: macOS frameworks are versioned bundles (Versions/A, symlinks);
# Xcode rejects a shallow one ("expected Versions/Current/Resources/Info.plist").
macos_framework() {
  local fw="$1/$NAME.framework"
  mkdir -p "$fw/Versions/A/Headers" "$fw/Versions/A/Modules" "$fw/Versions/A/Resources"
  cp "$2" "$fw/Versions/A/$NAME"
  cp "$HERE/ffi/$NAME.h" "$fw/Versions/A/Headers/"
  modulemap "$fw/Versions/A/Modules/module.modulemap"
  info_plist "$fw/Versions/A/Resources/Info.plist" MacOSX "$MACOSX_DEPLOYMENT_TARGET"
  ln -s A "$fw/Versions/Current"
  for entry in "$NAME" Headers Modules Resources; do
    ln -s "Versions/Current/$entry" "$fw/$entry"
  done
}

echo "== framework bundles"
mkdir -p "$BUILD/ios" "$BUILD/ios-sim" "$BUILD/macos"
ios_framework "$BUILD/ios" "$(lib aarch64-apple-ios)" iPhoneOS
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$BUILD/ios-sim/$LIBNAME"
ios_framework "$BUILD/ios-sim" "$BUILD/ios-sim/$LIBNAME" iPhoneSimulator
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$BUILD/macos/$LIBNAME"
macos_framework "$BUILD/macos" "$BUILD/macos/$LIBNAME"

echo "== $NAME.xcframework"
xcodebuild -create-xcframework \
  -framework "$BUILD/ios/$NAME.framework" \
  -framework "$BUILD/ios-sim/$NAME.framework" \
  -framework "$BUILD/macos/$NAME.framework" \
  -output "$OUT"

# What came out: three slices, each with the library of the right architectures.
for slice in ios-arm64 ios-arm64_x86_64-simulator macos-arm64_x86_64; do
  bin="$OUT/$slice/$NAME.framework/$NAME"
  [ -e "$bin" ] || { echo "missing slice $slice ($bin)" >&2; exit 1; }
  echo "$slice: $(lipo -archs "$bin") ($(wc -c <"$bin" | tr -d ' ') bytes)"
done

if [ $zip = 1 ]; then
  (cd "$HERE" && rm -f "$NAME.xcframework.zip" && ditto -c -k --sequesterRsrc --keepParent "$NAME.xcframework" "$NAME.xcframework.zip")
  echo "checksum (Package.swift, url: form): $(swift package compute-checksum "$HERE/$NAME.xcframework.zip")"
fi
echo "done: $OUT — now \`swift build\` in bindings-uniffi/swift (macOS), or add the package in Xcode"
