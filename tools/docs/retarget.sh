#!/usr/bin/env bash
# Makes docs/images/retarget.png: a 20-epoch OneCycleLR run, and the same run resumed at epoch 10 with --epochs 40.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
spec='OneCycleLR(max_lr=0.1, total_steps=total_steps)'
"$root/lr4j" train --quiet --epochs 20 --scheduler "$spec" --checkpoint-dir "$tmp/ck" --keep 30 -o "$tmp/r20"
"$root/lr4j" train --quiet --epochs 40 --scheduler "$spec" --checkpoint-dir "$tmp/ck" --resume "$tmp/ck/epoch-00010.ckpt" -o "$tmp/r40"
java -cp "$root/lr4j-cli/target/lr4j-cli-all.jar" "$root/tools/docs/RetargetChart.java" "$tmp/r20/logs/steps.csv" \
  "$tmp/r40/logs/steps.csv" "$root/docs/images/retarget.png" "OneCycleLR(max_lr=0.1, total_steps=total_steps): 20 epochs, resumed at 10 with --epochs 40" \
  "--epochs 20" "resumed at epoch 10 with --epochs 40"
