#!/bin/sh
# Rebuild vendor/portal-modeler.min.js (bpmn-js + properties panel + src/) and copy the panel's CSS and
# licences. Needs node and npm with registry access; not part of `make test`. Versions: vendor/README.md.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
# diagram-js pinned to the one bpmn-js 17.11.1 depends on, so the bundle carries a single copy.
npm install --no-audit --no-fund --save-exact \
  bpmn-js@17.11.1 diagram-js@14.11.3 bpmn-js-properties-panel@5.65.3 @bpmn-io/properties-panel@3.55.0 \
  esbuild@0.28.2
cp -r "$here/src" "$work/src"
# The policy has no 'unsafe-inline' for styles: the panel's two containers are built from HTML with style
# attributes, which the browser would refuse. Drop the attributes; ../modeler.css gives the same styles.
panel=node_modules/bpmn-js-properties-panel/dist/index.esm.js
sed -i -e 's/<div style="height: 100%" tabindex/<div tabindex/' \
  -e 's/<div style="flex: none; height: auto" class/<div class/' "$panel"
if grep -q '<div style=' "$panel"; then
  echo "bpmn-js-properties-panel still builds elements with style attributes" >&2
  exit 1
fi
./node_modules/.bin/esbuild src/portal_modeler.js --bundle --minify --format=iife \
  --global-name=PortalModeler --target=es2019 ${ESBUILD_FLAGS:-} --legal-comments=eof \
  --outfile="$here/vendor/portal-modeler.min.js"
cp node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css "$here/vendor/properties-panel.css"
cp node_modules/bpmn-js/dist/assets/diagram-js.css "$here/vendor/diagram-js.css"
cp node_modules/bpmn-js/dist/assets/bpmn-js.css "$here/vendor/bpmn-js.css"
cp node_modules/bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css "$here/vendor/bpmn-embedded.css"
cp node_modules/bpmn-js/LICENSE "$here/vendor/LICENSE-bpmn-js.txt"
cp node_modules/bpmn-js-properties-panel/LICENSE "$here/vendor/LICENSE-bpmn-js-properties-panel.txt"
cp node_modules/@bpmn-io/properties-panel/LICENSE "$here/vendor/LICENSE-properties-panel.txt"
cp node_modules/diagram-js/LICENSE "$here/vendor/LICENSE-diagram-js.txt"
cp node_modules/preact/LICENSE "$here/vendor/LICENSE-preact.txt"
# The policy has no 'unsafe-eval': the bundle must not build code from strings.
if grep -q -e 'new Function' -e '[^.a-zA-Z_$]eval(' "$here/vendor/portal-modeler.min.js"; then
  echo "portal-modeler.min.js uses eval or new Function" >&2
  exit 1
fi
echo "built $here/vendor/portal-modeler.min.js"
