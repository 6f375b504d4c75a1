# The shape of the source tree: calls and includes go one way between the
# files and folders of src/ (no circle), long files say why, no source
# folder is named like the build output.
. "$(dirname "$0")/lib.sh"
check "src/: no circle between files or folders (includes and calls), long files say why" \
  bash tests/tools/layers.sh "$(dirname "$ROT")"
check "src/: no folder named build" bash -c "! find src -type d -name build | grep -q ."
