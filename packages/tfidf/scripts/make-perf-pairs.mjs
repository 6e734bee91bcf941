#!/usr/bin/env node
// Builds a JSONL pairs file ({"query", "passage"} a line) of REAL text for `pnpm bench:perf tfidf`,
// from the Sphinx HTML manuals that Debian's documentation packages install. Nothing is downloaded.
//
//   apt-get install -y python3-doc python-django-doc
//   node packages/tfidf/scripts/make-perf-pairs.mjs [--src DIR[,DIR...]] [--out FILE] [--seed N] [--titles]
//
// Default sources: /usr/share/doc/python3.X/html (python3-doc) and
// /usr/share/doc/python-django-doc/html (python-django-doc), whichever exist.
// Passages: the text of every <p> paragraph (tags stripped, entities decoded, whitespace
// collapsed; code lives in <pre> and is skipped); paragraphs under 8 words and exact duplicates
// dropped. Query per passage: the nearest preceding heading plus the passage's first sentence with
// about 40% of its words dropped at random (seeded), so a query overlaps its passage without
// copying it. With --titles, each section's heading alone is also a query, paired with the
// section's first passage (heading → section pairs, as the training recipe of
// apps/bench/models/rtk-docs-mini uses). Output order is shuffled with the same seed. The output is generated data: do not
// commit it (the default path .perf/ is git-ignored).
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const isDir = (d) => {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
};
const defaults = [
  ...readdirSync('/usr/share/doc')
    .filter((d) => /^python3\.\d+$/.test(d))
    .map((d) => join('/usr/share/doc', d, 'html')),
  '/usr/share/doc/python-django-doc/html',
].filter(isDir);
const sources = opt('--src', defaults.join(','))
  .split(',')
  .filter((d) => d !== '');
const out = opt('--out', '.perf/tfidf-pairs.jsonl');
let seed = Number(opt('--seed', '42')) >>> 0;
const titles = args.includes('--titles');
if (sources.length === 0) {
  console.error(
    'No documentation found: run `apt-get install -y python3-doc python-django-doc` or pass --src DIR.',
  );
  process.exit(1);
}

// mulberry32: small seeded generator, so the file is reproducible.
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function walk(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    if (
      name.startsWith('_') ||
      ['genindex', 'search', 'py-modindex'].some((n) => name.startsWith(n))
    )
      continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...walk(path));
    else if (name.endsWith('.html')) files.push(path);
  }
  return files;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const text = (html) =>
  html
    .replace(/<a class="headerlink"[^>]*>.*?<\/a>/gs, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) =>
      e[0] === '#'
        ? String.fromCodePoint(
            e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
          )
        : (ENTITIES[e] ?? m),
    )
    .replace(/\s+/g, ' ')
    .trim();

const passages = [];
const seen = new Set();
let files = 0;
for (const src of sources) {
  for (const file of walk(src)) {
    files++;
    const html = readFileSync(file, 'utf8');
    let heading = '';
    let first = false;
    for (const m of html.matchAll(/<(h[1-6]|p)(?:\s[^>]*)?>(.*?)<\/\1>/gs)) {
      const t = text(m[2]);
      if (m[1] !== 'p') {
        heading = t;
        first = true;
        continue;
      }
      if (t.split(' ').length >= 8 && /[a-z]/.test(t) && !seen.has(t)) {
        seen.add(t);
        passages.push({ heading, text: t, first });
        first = false;
      }
    }
  }
}

function queryOf({ heading, text }) {
  const first = (text.match(/^.*?[.?!](\s|$)/)?.[0] ?? text).trim();
  const kept = first.split(' ').filter(() => random() >= 0.4);
  const words = kept.length >= 3 ? kept : first.split(' ').slice(0, 6);
  return `${heading} ${words.join(' ')}`.trim();
}

for (let i = passages.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [passages[i], passages[j]] = [passages[j], passages[i]];
}
const stream = createWriteStream(out);
let pairs = 0;
for (const p of passages) {
  stream.write(JSON.stringify({ query: queryOf(p), passage: p.text }) + '\n');
  pairs++;
  // A heading of a few words (not a whole sentence) is a title query for its section.
  if (titles && p.first && /[a-z]/i.test(p.heading) && p.heading.split(' ').length <= 12) {
    stream.write(JSON.stringify({ query: p.heading, passage: p.text }) + '\n');
    pairs++;
  }
}
stream.end(() =>
  console.log(`wrote ${pairs} pairs from ${files} pages in ${sources.join(', ')} to ${out}`),
);
