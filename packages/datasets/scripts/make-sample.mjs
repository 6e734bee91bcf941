#!/usr/bin/env node
// Generates data/nq-sample.jsonl: Natural-Questions-style (question, passage) pairs made from
// invented entities, so the sample is free of third-party text and can ship under the package's
// MIT license. Deterministic: same script, same file (mulberry32, seed below).
//
//   node scripts/make-sample.mjs [count=2000] > data/nq-sample.jsonl
//
// Style of NQ (sentence-transformers/natural-questions, config `pair`): the question is lowercase
// with no question mark; the passage starts with the article title, then Wikipedia-like prose.
// Questions paraphrase the passage ("established" vs "founded", "based" vs "headquartered"), so a
// lexical retriever has to rely on names and a few content words: neither trivial nor hopeless.
// One passage answers several questions (duplicate passages, as in NQ) and names recur across
// entities (a town, a river and a club share a name) to create lexical confusers.

const SEED = 20240607;
const COUNT = Number(process.argv[2] ?? 2000);

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const chance = (p) => random() < p;
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- name material -------------------------------------------------------------------------
const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'k',
  'kl',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ei', 'ou', 'ia', 'ar', 'el', 'or'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'th', 'nd', 'rk', 'm', 'v', 'sk'];
const PLACE_SUFFIX = [
  'ford',
  'holm',
  'burg',
  'mouth',
  'stad',
  'ovo',
  'ia',
  'ville',
  'dale',
  'wick',
  'ton',
  'grad',
  'sund',
  'mere',
];
const FIRST = [
  'Anna',
  'Marcus',
  'Elena',
  'Tomas',
  'Clara',
  'Jonas',
  'Sofia',
  'Victor',
  'Ingrid',
  'Rafael',
  'Helena',
  'Oskar',
  'Nadia',
  'Felix',
  'Greta',
  'Luca',
  'Miriam',
  'Arthur',
  'Lena',
  'Pavel',
  'Rosa',
  'Hugo',
  'Irene',
  'Samuel',
  'Vera',
  'Anton',
  'Julia',
  'Edgar',
  'Nora',
  'Milan',
  'Alma',
  'Bruno',
  'Celia',
  'Dmitri',
  'Edith',
  'Fabian',
  'Hanna',
  'Ivan',
  'Karin',
  'Leon',
  'Maren',
  'Niklas',
  'Olga',
  'Peter',
  'Ruth',
  'Stefan',
];
const words = new Set();
function coinWord(minSyl = 2, maxSyl = 3) {
  for (;;) {
    let w = '';
    const n = int(minSyl, maxSyl);
    for (let i = 0; i < n; i++) w += pick(ONSETS) + pick(VOWELS) + (i === n - 1 ? pick(CODAS) : '');
    if (w.length >= 4 && w.length <= 11 && !words.has(w)) {
      words.add(w);
      return cap(w);
    }
  }
}
// A pool of place stems reused by towns, rivers, clubs and surnames: the lexical confusers.
const STEMS = Array.from({ length: 110 }, () => coinWord(2, 2));
// Surnames are mostly place stems too ("Anna Kelmar" vs the town of Kelmarford and Kelmar United).
const SURNAMES = Array.from({ length: 90 }, (_, i) => (i < 60 ? STEMS[i] : coinWord(2, 3)));
const COUNTRIES = Array.from(
  { length: 16 },
  () => coinWord(2, 3) + pick(['ia', 'land', 'istan', 'a', 'or']),
);
const demonym = (c) => c.replace(/(ia|land|istan|a|or)$/, '') + pick(['ian', 'ish', 'ese']);
const DEMONYM = new Map(COUNTRIES.map((c) => [c, demonym(c)]));
const usedTitles = new Set();
function unique(make) {
  for (let attempt = 0; ; attempt++) {
    // Past 50 collisions (only for very large counts) a coined word makes the title unique.
    const t = attempt < 50 ? make() : `${make()} ${coinWord(2, 3)}`;
    if (!usedTitles.has(t)) {
      usedTitles.add(t);
      return t;
    }
  }
}
const town = () => pick(STEMS) + pick(PLACE_SUFFIX);
const person = () => `${pick(FIRST)} ${pick(SURNAMES)}`;
const year = (lo, hi) => int(lo, hi);
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const date = (y) => `${int(1, 28)} ${pick(MONTHS)} ${y}`;
const num = (n) => n.toLocaleString('en-US');

// Generic sentences that add realistic, retrieval-irrelevant vocabulary.
const FILLER = [
  (t) => `The article about ${t} was expanded after a local archive released new material.`,
  () => 'Critics have since noted its influence on later work in the region.',
  () => 'Records from the period are incomplete, and some dates remain disputed among historians.',
  () => 'Several streets and a school in the capital carry the name.',
  () =>
    'A restoration project began in the early twenty-first century with support from the national heritage fund.',
  () =>
    'The surrounding area is known for its vineyards, timber mills and a small fishing harbour.',
  () => 'Its early history is documented mainly through church registers and trade ledgers.',
  () => 'Tourism has grown steadily since the opening of a regional rail line.',
];
// Cross-references to earlier entities, as Wikipedia prose links related articles: their names
// then appear in passages that do not answer questions about them.
const seen = [];
const CROSS = [
  (a, b) => `It is often mentioned together with ${a} and ${b}.`,
  (a) => `A 1990s documentary linked it to ${a}.`,
  (a, b) => `Local guidebooks list it next to ${a}, ${b} and the old market hall.`,
  (a) => `Not to be confused with ${a}.`,
];
const filler = (t) => {
  let out = chance(0.7) ? ' ' + pick(FILLER)(t) : '';
  if (seen.length > 10 && chance(0.75)) out += ' ' + pick(CROSS)(pick(seen), pick(seen));
  seen.push(t);
  return out;
};

// ---- entity kinds: each returns { title, passage, questions[] } ----------------------------
const KINDS = [
  function writer() {
    const name = unique(person);
    const country = pick(COUNTRIES);
    const born = year(1801, 1975);
    const died = born + int(38, 92);
    const birthplace = town();
    const novel = `The ${pick(['Silent', 'Last', 'Winter', 'Hollow', 'Crimson', 'Distant', 'Broken', 'Golden'])} ${pick(['Harbour', 'Orchard', 'Letters', 'Season', 'Crossing', 'Garden', 'Tower', 'Shore'])}`;
    const pubYear = born + int(22, 45);
    const prize = `${pick(STEMS)} Prize for Literature`;
    const prizeYear = pubYear + int(1, 12);
    const [first, surname] = name.split(' ');
    // NQ questions often name people by surname only.
    const ref = () => (chance(0.5) ? name : `the writer ${surname}`).toLowerCase();
    const passage = `${name} ${name} (${born} – ${died}) was a ${DEMONYM.get(country)} novelist and essayist. Born in ${birthplace}, ${first} worked as a schoolteacher before publishing ${novel} in ${pubYear}, a novel about three generations of a fishing family. ${name.split(' ')[1]} received the ${prize} in ${prizeYear}.${filler(name)}`;
    const q = [
      pick([
        `who wrote the novel ${novel.toLowerCase()}`,
        `author of ${novel.toLowerCase()}`,
        `who is the writer of ${novel.toLowerCase()}`,
      ]),
      pick([`when was ${ref()} born`, `what year was ${ref()} born`, `${ref()} date of birth`]),
      pick([`where was ${ref()} born`, `${ref()} place of birth`, `which town is ${ref()} from`]),
      `when did ${name.toLowerCase()} win the ${prize.toLowerCase()}`,
      `which ${DEMONYM.get(country).toLowerCase()} writer was born in ${birthplace.toLowerCase()}`,
    ];
    return { passage, questions: q };
  },
  function river() {
    const title = unique(() => `${chance(0.6) ? pick(STEMS) : coinWord(2, 2)} River`);
    const stem = title.slice(0, -' River'.length);
    const country = pick(COUNTRIES);
    const length = int(40, 2400);
    const mouth = pick([
      `the ${pick(STEMS)} Sea`,
      `Lake ${pick(STEMS)}`,
      `the ${pick(STEMS)} River`,
    ]);
    const towns = [town(), town()];
    const passage = `${title} The ${title} is a river in ${pick(['northern', 'southern', 'eastern', 'western', 'central'])} ${country}. It rises in the ${pick(STEMS)} Mountains and flows for ${num(length)} kilometres through ${towns[0]} and ${towns[1]} before emptying into ${mouth}. The river was an important trade route for salt and timber.${filler(title)}`;
    const q = [
      pick([
        `how long is the ${stem.toLowerCase()} river`,
        `length of the ${stem.toLowerCase()} river in km`,
      ]),
      pick([
        `where does the ${stem.toLowerCase()} river end`,
        `what does the ${stem.toLowerCase()} river flow into`,
      ]),
      `which country is the ${stem.toLowerCase()} river in`,
      `what river runs through ${towns[0].toLowerCase()} and ${towns[1].toLowerCase()}`,
    ];
    return { passage, questions: q };
  },
  function club() {
    const stem = pick(STEMS);
    const title = unique(
      () => `${stem} ${pick(['United', 'Rovers', 'Athletic', 'City', 'Wanderers', 'FC'])}`,
    );
    const founded = year(1870, 1990);
    const ground = `${pick(STEMS)} ${pick(['Park', 'Arena', 'Stadium', 'Road', 'Field'])}`;
    const titles = int(0, 14);
    const league = `${pick(COUNTRIES)} ${pick(['Premier League', 'First Division', 'Super League'])}`;
    const passage = `${title} ${title} is a professional football club based in ${stem}, competing in the ${league}. The club was founded in ${founded} by workers from the local ${pick(['railway', 'shipyard', 'brewery', 'textile mill', 'coal mine'])} and plays its home matches at ${ground}, which holds ${num(int(4, 60) * 1000)} spectators. ${title} has won the league title ${titles === 0 ? 'no times' : `${titles} time${titles === 1 ? '' : 's'}`}.${filler(title)}`;
    const low = title.toLowerCase();
    const q = [
      pick([
        `when was ${chance(0.5) ? low : `${stem.toLowerCase()} football club`} established`,
        `what year did ${low} form`,
        `${low} year of foundation`,
      ]),
      pick([
        `where do ${low} play their home games`,
        `what is the name of ${low} stadium`,
        `${low} home ground`,
      ]),
      pick([`how many league titles have ${low} won`, `how many times have ${low} been champions`]),
      `which team plays at ${ground.toLowerCase()}`,
    ];
    return { passage, questions: q };
  },
  function company() {
    const title = unique(
      () =>
        `${pick(STEMS)} ${pick(['Industries', 'Motors', 'Foods', 'Telecom', 'Airlines', 'Pharmaceuticals', 'Bank'])}`,
    );
    const founder = person();
    const founded = year(1850, 2005);
    const hq = town();
    const employees = int(2, 180) * 1000;
    const passage = `${title} ${title} is a ${DEMONYM.get(pick(COUNTRIES))} company headquartered in ${hq}. It was set up in ${founded} by ${founder}, initially as a family workshop, and became a public company several decades later. As of the latest annual report it employs about ${num(employees)} people.${filler(title)}`;
    const low = title.toLowerCase();
    const q = [
      pick([`who founded ${low}`, `who started ${low}`, `founder of ${low}`]),
      pick([
        `where is ${low.split(' ')[0]} based`,
        `where are the headquarters of ${low}`,
        `${low} head office location`,
      ]),
      pick([`how many employees does ${low} have`, `how many people work for ${low}`]),
      `when was ${low} founded`,
      `what company did ${founder.toLowerCase()} start`,
    ];
    return { passage, questions: q };
  },
  function series() {
    const title = unique(
      () =>
        `${pick(['The', 'Inside', 'Beyond', 'Under'])} ${pick(STEMS)} ${pick(['Files', 'Road', 'Affair', 'House', 'Line', 'Years'])}`,
    );
    const seasons = int(1, 12);
    const episodes = seasons * int(6, 22);
    const creator = person();
    const lead = person();
    const character = `${pick(FIRST)} ${pick(SURNAMES)}`;
    const network = `${coinWord(1, 2).toUpperCase().slice(0, 3)} ${pick(['One', 'Network', 'Television', 'Channel'])}`;
    const premiere = year(1975, 2022);
    const passage = `${title} ${title} is a ${pick(['drama', 'crime', 'comedy', 'science fiction', 'period'])} television series created by ${creator} that premiered on ${network} on ${date(premiere)}. ${lead} stars as ${character}, a ${pick(['detective', 'surgeon', 'journalist', 'teacher', 'ship captain', 'lawyer'])} in a small coastal town. The series ran for ${seasons} season${seasons === 1 ? '' : 's'} and ${episodes} episodes.${filler(title)}`;
    const low = title.toLowerCase();
    const q = [
      pick([
        `how many seasons of ${low} are there`,
        `how many series of ${low} were made`,
        `number of episodes of ${low}`,
      ]),
      pick([
        `who plays ${character.toLowerCase()} in ${low}`,
        `who is the actor that plays ${character.toLowerCase()}`,
      ]),
      pick([`when did ${low} first air`, `when did ${low} start`, `who created ${low}`]),
      `what show does ${lead.toLowerCase()} star in`,
    ];
    return { passage, questions: q };
  },
  function battle() {
    const stem = pick(STEMS);
    const kind = pick(['Battle', 'Siege', 'Treaty']);
    const title = unique(() => `${kind} of ${town()}`);
    const y = year(1100, 1918);
    const [a, b] = [pick(COUNTRIES), pick(COUNTRIES)];
    const winner = pick([a, b]);
    const commander = person();
    const passage =
      kind === 'Treaty'
        ? `${title} The ${title} was a peace agreement signed on ${date(y)} between ${a} and ${b}, ending a ${int(2, 30)}-year border war. It was negotiated by ${commander} and transferred the ${stem} valley to ${winner}.${filler(title)}`
        : `${title} The ${title} was fought in ${y} between the armies of ${a} and ${b}. Forces led by ${commander} won a decisive victory for ${winner}, which secured control of the ${stem} valley for a generation.${filler(title)}`;
    const low = title.toLowerCase();
    const q =
      kind === 'Treaty'
        ? [
            pick([`when was the ${low} signed`, `what year was the ${low} agreed`]),
            `who negotiated the ${low}`,
            `what did the ${low} end`,
          ]
        : [
            pick([`who won the ${low}`, `which side was victorious at the ${low}`]),
            pick([`when did the ${low} take place`, `what year was the ${low}`]),
            `who commanded at the ${low}`,
          ];
    return { passage, questions: q };
  },
  function species() {
    const genus = pick(STEMS.slice(0, 50));
    const common = unique(
      () =>
        `${pick(['red', 'lesser', 'great', 'spotted', 'mountain', 'golden', 'common', 'striped'])} ${genus.toLowerCase()} ${pick(['owl', 'frog', 'lizard', 'finch', 'bat', 'salmon', 'beetle', 'fox'])}`,
    );
    const short = common.split(' ').slice(1).join(' ');
    const habitat = pick([
      'temperate forests',
      'alpine meadows',
      'coastal wetlands',
      'dry savanna',
      'river estuaries',
      'cloud forests',
    ]);
    const country = pick(COUNTRIES);
    const life = int(2, 40);
    const passage = `${cap(common)} The ${common} is a species native to the ${habitat} of ${country}. Adults reach about ${int(3, 90)} centimetres in length and can live for up to ${life} years in the wild. Its population has declined because of habitat loss, and it is listed as ${pick(['vulnerable', 'near threatened', 'endangered', 'of least concern'])}.${filler(cap(common))}`;
    const q = [
      pick([
        `where does the ${short} live`,
        `what is the habitat of the ${common}`,
        `where can you find the ${short}`,
      ]),
      pick([`how long does a ${common} live`, `life expectancy of the ${common}`]),
      `how big does the ${common} get`,
      `what ${common.split(' ').pop()} lives in the ${habitat} of ${country.toLowerCase()}`,
    ];
    return { passage, questions: q };
  },
  function mountain() {
    const title = unique(() => `Mount ${chance(0.6) ? pick(STEMS) : coinWord(2, 2)}`);
    const stem = title.slice('Mount '.length);
    const height = int(900, 7800);
    const country = pick(COUNTRIES);
    const first = year(1786, 1975);
    const climber = person();
    const passage = `${title} ${title} is a mountain in the ${pick(STEMS)} range of ${country}, rising to ${num(height)} metres above sea level. The first recorded ascent was made in ${first} by ${climber}. The summit is reached by a glacier route from the village of ${stem}${pick(PLACE_SUFFIX)}.${filler(title)}`;
    const low = title.toLowerCase();
    const q = [
      pick([`how tall is ${low}`, `how high is ${low} in metres`, `elevation of ${low}`]),
      pick([`who first climbed ${low}`, `who was the first person to reach the top of ${low}`]),
      `when was ${low} first climbed`,
      `which mountain did ${climber.toLowerCase()} climb first`,
    ];
    return { passage, questions: q };
  },
];

// ---- assemble -------------------------------------------------------------------------------
const pairs = [];
while (pairs.length < COUNT) {
  const { passage, questions } = pick(KINDS)();
  const k = Math.min(questions.length, pick([1, 1, 2, 2, 2, 3]));
  // Pick k distinct questions for this passage: one passage, several pairs, as in NQ.
  const order = questions
    .map((q, i) => [random(), i])
    .sort((x, y) => x[0] - y[0])
    .slice(0, k);
  for (const [, i] of order) {
    if (pairs.length < COUNT) pairs.push({ query: questions[i], passage });
  }
  // NQ repeats a few questions verbatim.
  if (chance(0.01) && pairs.length < COUNT) pairs.push(pairs[pairs.length - 1]);
}
process.stdout.write(pairs.map((p) => JSON.stringify(p)).join('\n') + '\n');
