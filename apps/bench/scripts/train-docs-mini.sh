#!/usr/bin/env bash
# Retrains the docs model (apps/bench/models/rtk-docs-mini) end to end, from the Python and Django
# manuals that Debian installs, with nothing downloaded:
#
#   apt-get install -y python3-doc python-django-doc
#   pnpm turbo run build
#   bash apps/bench/scripts/train-docs-mini.sh [WORK_DIR] [MODEL_DIR]
#
# WORK_DIR (default .docs-mini, git-ignored) holds the pairs, the tokenizer, the random
# initialisation and the training run; started again, `rtk train` resumes from the run's last
# checkpoint. MODEL_DIR (default apps/bench/models/rtk-docs-mini) receives the trained model,
# its ONNX graph, train-log.jsonl and first-batches.jsonl (the examples of the run's first three
# batches, on which apps/bench/src/docs-model.test.ts replays them).
set -euo pipefail
cd "$(dirname "$0")/../../.."
WORK=${1:-.docs-mini}
MODEL=${2:-apps/bench/models/rtk-docs-mini}
RECIPE="node apps/bench/dist/docs-model/recipe-cli.js"
RTK="node apps/rtk/dist/cli.js"
SEED=42
mkdir -p "$WORK"

# 1. Pairs: every paragraph of the manuals with a query made of its heading and part of its first
#    sentence, plus heading → first paragraph of its section (--titles).
node packages/tfidf/scripts/make-perf-pairs.mjs --titles --seed "$SEED" --out "$WORK/pairs.jsonl"
# 2. A 4096-token WordPiece vocabulary trained on those texts.
$RECIPE vocab --pairs "$WORK/pairs.jsonl" --out "$WORK/tokenizer" --vocab-size 4096 --max-length 128
# 3. The seeded random BERT: hidden 128, 2 layers, 2 heads, feed-forward 512, 128 positions.
$RECIPE init --tokenizer "$WORK/tokenizer" --out "$WORK/init" --hidden 128 --layers 2 --heads 2 \
  --positions 128 --seed "$SEED"
# 4. Contrastive training (InfoNCE with in-batch negatives, scale 20); resumes when run again.
TRAIN=(--data "$WORK/pairs.jsonl" --loss infonce --scale 20 --batch-size 32 --lr 0.001 \
  --warmup 16 --steps 160 --max-query-length 32 --max-passage-length 128 --dropout 0 \
  --seed "$SEED" --weight-decay 0.01)
$RTK train --model "$WORK/init" --out "$WORK/run" "${TRAIN[@]}" --checkpoint-every 40 --keep-last 1
# 5. The model folder: the final weights with their ONNX graph (rtk export writes the whole
#    folder), the log and the replayable first batches.
$RTK export --model "$WORK/run/final" --out "$WORK/export" --overwrite
mkdir -p "$MODEL"
cp -r "$WORK"/export/. "$MODEL/"
cp "$WORK/run/final/model.safetensors" "$MODEL/"
cp "$WORK/run/train-log.jsonl" "$MODEL/"
$RECIPE head --data "$WORK/pairs.jsonl" --out "$MODEL/first-batches.jsonl" --batch-size 32 \
  --batches 3 --seed "$SEED"
