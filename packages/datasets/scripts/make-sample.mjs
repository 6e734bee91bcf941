#!/usr/bin/env node
// Generates data/nq-sample.jsonl: Natural-Questions-style (question, passage) pairs made from
// invented entities, so the sample is free of third-party text and can ship under the package's
// MIT license. Deterministic: same script, same file (mulberry32, seed below).
//
//   node scripts/make-sample.mjs [count=2000] > data/nq-sample.jsonl
//
// Shaped like NQ (sentence-transformers/natural-questions, config `pair`) so that lexical retrieval
// lands near its real-NQ scores instead of being trivial:
// - Passages are paragraphs of articles: each starts with the article title, and an article has
//   two to four paragraphs, so the title alone does not pick the paragraph.
// - Most passages answer one question, a few answer two, as in NQ.
// - Articles come in families that share vocabulary: every article of a kind follows the same
//   templates, and a small pool of name stems is reused by people, towns, rivers, clubs and
//   companies (the writer Anna Kelmar, the town of Kelmarford, Kelmar United, the Kelmar River).
// - Questions are short and lowercase without "?", and paraphrase their passage: synonyms ("how
//   long" for "flows for … kilometres", "started" for "founded"), a surname or stem for the full
//   name, a description instead of the name ("which club plays at …"), or no name at all.

const SEED = 20240607;
const COUNT = Number(process.argv[2] ?? 2000);
const CROSS_RATE = 0.4; // share of paragraphs that name other articles
const KEEP = 0.8; // share of an article's paragraphs kept (at least two)

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
const low = (s) => s.toLowerCase();
/** Picks from `[weight, value]` entries; a function value is called. */
function weighted(entries) {
  let r = random() * entries.reduce((sum, [w]) => sum + w, 0);
  for (const [w, v] of entries) {
    r -= w;
    if (r < 0) return typeof v === 'function' ? v() : v;
  }
  const last = entries[entries.length - 1][1];
  return typeof last === 'function' ? last() : last;
}

// ---- name material -------------------------------------------------------------------------
const ONSETS = 'b br c ch d dr f g gr h k kl l m n p r s st t tr v w z'.split(' ');
const VOWELS = 'a e i o u ei ou ia ar el or'.split(' ');
const CODAS = ['', '', 'n', 'r', 'l', 's', 'th', 'nd', 'rk', 'm', 'v', 'sk'];
const PLACE_SUFFIX = 'ford holm burg mouth stad ovo ville dale wick ton grad sund mere'.split(' ');
const FIRST = (
  'Anna Marcus Elena Tomas Clara Jonas Sofia Victor Ingrid Rafael Helena Oskar Nadia Felix Greta ' +
  'Luca Miriam Arthur Lena Pavel Rosa Hugo Irene Samuel Vera Anton Julia Edgar Nora Milan'
).split(' ');
const FEMALE = new Set(
  'Anna Elena Clara Sofia Ingrid Helena Nadia Greta Miriam Lena Rosa Irene Vera Julia Nora'.split(
    ' ',
  ),
);
const MONTHS =
  'January February March April May June July August September October November December'.split(
    ' ',
  );
const words = new Set();
function coinWord(minSyl = 2, maxSyl = 3) {
  for (;;) {
    let w = '';
    const n = int(minSyl, maxSyl);
    for (let i = 0; i < n; i++) w += pick(ONSETS) + pick(VOWELS) + (i === n - 1 ? pick(CODAS) : '');
    if (w.length >= 4 && w.length <= 10 && !words.has(w)) {
      words.add(w);
      return cap(w);
    }
  }
}
// A small pool of stems reused by people, towns, rivers, clubs and companies: the lexical confusers.
const STEMS = Array.from({ length: 32 }, () => coinWord(2, 2));
const SURNAMES = [...STEMS.slice(0, 24), ...Array.from({ length: 10 }, () => coinWord(2, 3))];
const COUNTRIES = Array.from({ length: 10 }, () => coinWord(2, 2) + pick(['ia', 'land', 'a']));
const DEMONYM = new Map(
  COUNTRIES.map((c) => [c, c.replace(/(ia|land|a)$/, '') + pick(['ian', 'ish', 'ese'])]),
);
const REGIONS = ['northern', 'southern', 'eastern', 'western', 'central'];
// Towns recur: a town named in one article is the subject or setting of others.
const TOWNS = [...new Set(Array.from({ length: 140 }, () => pick(STEMS) + pick(PLACE_SUFFIX)))];
const usedTitles = new Set();
/**
 * A fresh title `make(stem)` and its stem: a shared stem while one is free, else (once the pool's
 * titles of this shape are used up) a newly coined stem.
 */
function titled(make, stems = STEMS) {
  for (let attempt = 0; ; attempt++) {
    const stem = attempt < 30 ? pick(stems) : coinWord(2, 2);
    const title = make(stem);
    if (!usedTitles.has(title)) {
      usedTitles.add(title);
      return [stem, title];
    }
  }
}
const person = () => `${pick(FIRST)} ${pick(SURNAMES)}`;
const date = (y) => `${int(1, 28)} ${pick(MONTHS)} ${y}`;
const num = (n) => n.toLocaleString('en-US');
const CLUB_SUFFIX = ['United', 'Rovers', 'Athletic', 'City', 'Wanderers', 'FC'];
const club = (stem = pick(STEMS)) => `${stem} ${pick(CLUB_SUFFIX)}`;
const COMPANY_SUFFIX = ['Industries', 'Motors', 'Foods', 'Telecom', 'Airlines', 'Steel', 'Bank'];
const company = (stem = pick(STEMS)) => `${stem} ${pick(COMPANY_SUFFIX)}`;
const ADJ =
  'Silent Last Winter Hollow Crimson Distant Broken Golden Quiet Northern Long Hidden'.split(' ');
const NOUN =
  'Harbour Orchard Letters Season Crossing Garden Tower Shore River Road House Bridge'.split(' ');
const work = () => `The ${pick(ADJ)} ${pick(NOUN)}`;

// Sentences shared by every kind: common vocabulary that matches many questions a little.
const FILLER = [
  'Records from the period are incomplete, and some dates remain disputed among historians.',
  'Several streets and a school in the capital carry the name.',
  'A restoration project began in the early twenty-first century with support from the national heritage fund.',
  'The surrounding area is known for its vineyards, timber mills and a small fishing harbour.',
  'Its early history is documented mainly through church registers and trade ledgers.',
  'Tourism has grown steadily since the opening of a regional rail line.',
  'The first season of local radio coverage began in the same year.',
  'A museum in the old town hall holds letters, photographs and maps from the time.',
  'The name is thought to come from an old word for a river crossing.',
  'Many people in the region still refer to it by its older name.',
];
// Cross-references to earlier articles, as Wikipedia prose links related ones: their names then
// appear in passages that do not answer questions about them.
const seen = [];
const CROSS = [
  (a, b) => `It is often mentioned together with ${a} and ${b}.`,
  (a) => `A documentary later linked it to ${a}.`,
  (a) => `Not to be confused with ${a}.`,
  (a, b) => `Guidebooks list it next to ${a} and ${b}.`,
];
const filler = () => {
  let out = chance(0.6) ? ' ' + pick(FILLER) : '';
  if (seen.length > 10 && chance(CROSS_RATE)) out += ' ' + pick(CROSS)(pick(seen), pick(seen));
  return out;
};

// A question: a template filled with one of the subject's references (full name, short name, or a
// description without the name), lowercased.
const q = (text) => low(text).replace(/\s+/g, ' ').trim();

// ---- article kinds: each returns { title, paragraphs: [{ text, questions }] } ---------------
// Every paragraph's text starts with the title, like NQ passages.
const KINDS = [
  function personArticle() {
    const [surname, name] = titled((s) => `${pick(FIRST)} ${s}`, SURNAMES);
    const first = name.split(' ')[0];
    const she = FEMALE.has(first);
    const [he, his, him] = she ? ['she', 'her', 'her'] : ['he', 'his', 'him'];
    const country = pick(COUNTRIES);
    const dem = DEMONYM.get(country);
    const [job, made, field] = pick([
      ['novelist', 'wrote', 'literature'],
      ['painter', 'painted', 'fine art'],
      ['composer', 'composed', 'music'],
      ['architect', 'designed', 'architecture'],
      ['poet', 'wrote', 'philosophy'],
      ['film director', 'directed', 'law'],
    ]);
    const born = int(1801, 1960);
    const died = born + int(38, 92);
    const birthplace = pick(TOWNS);
    const deathplace = pick(TOWNS);
    const uni = pick(TOWNS);
    const opus = work();
    const opusYear = born + int(22, 45);
    const prize = `${pick(STEMS)} Prize`;
    const prizeYear = opusYear + int(1, 12);
    const spouse = person();
    const ref = () =>
      weighted([
        [1, name],
        [4, surname],
        [2, `the ${job} ${surname}`],
        [3, `the ${dem} ${job}`],
      ]);
    const paragraphs = [
      {
        text: `${name} ${name} (${born} – ${died}) was a ${dem} ${job}. ${cap(he)} was born in ${birthplace}, the ${pick(['eldest', 'second', 'youngest'])} child of a ${pick(['schoolteacher', 'merchant', 'railway clerk', 'farmer', 'pastor'])}, and studied ${field} at the University of ${uni}.${filler()}`,
        questions: [
          q(pick([`where was ${ref()} born`, `${ref()} place of birth`, `${ref()} hometown`])),
          q(
            pick([
              `where did ${ref()} go to university`,
              `what did ${ref()} study`,
              `${ref()} education`,
            ]),
          ),
          q(
            pick([
              `when was ${ref()} born`,
              `${ref()} birthday`,
              `how old was ${ref()} when ${he} died`,
            ]),
          ),
        ],
      },
      {
        text: `${name} In ${opusYear - int(1, 6)}, ${surname} moved to ${pick(TOWNS)}, where ${he} ${made} ${opus}, first shown to the public in ${opusYear}. The work made ${his} name across ${country} and remains ${his} best known.${filler()}`,
        questions: [
          q(
            pick([
              `who ${made} ${opus}`,
              `${opus} ${job}`,
              `who is the ${job} of ${opus}`,
              `${opus.slice(4)} by whom`,
            ]),
          ),
          q(
            pick([
              `what is ${ref()} most famous for`,
              `${ref()} best known work`,
              `what did ${ref()} create`,
            ]),
          ),
          q(`when did ${ref()} make ${opus}`),
        ],
      },
      {
        text: `${name} ${surname} received the ${prize} in ${prizeYear} and was elected to the ${country} Academy ${int(2, 15)} years later. Younger artists in ${pick(TOWNS)} counted ${him} among their teachers.${filler()}`,
        questions: [
          q(
            pick([
              `what award did ${ref()} win`,
              `when did ${ref()} get the ${prize}`,
              `${ref()} awards`,
            ]),
          ),
          q(`who won the ${prize} in ${prizeYear}`),
        ],
      },
      {
        text: `${name} ${surname} married ${spouse} in ${opusYear + int(-5, 10)}; they had ${pick(['two', 'three', 'four', 'no'])} children. ${cap(he)} spent ${his} last years in ${deathplace}, where ${he} died in ${died}.${filler()}`,
        questions: [
          q(
            pick([
              `who was ${ref()} married to`,
              `${ref()} ${she ? 'husband' : 'wife'}`,
              `who is ${ref()} spouse`,
            ]),
          ),
          q(pick([`where did ${ref()} die`, `when did ${ref()} die`, `${ref()} death`])),
        ],
      },
    ];
    return { title: name, paragraphs };
  },
  function riverArticle() {
    const [stem, title] = titled((s) => `${s} River`);
    const country = pick(COUNTRIES);
    const [t1, t2, t3, source] = [pick(TOWNS), pick(TOWNS), pick(TOWNS), pick(TOWNS)];
    const mouth = pick([
      `the ${pick(STEMS)} Sea`,
      `Lake ${pick(STEMS)}`,
      `the ${pick(STEMS)} River`,
    ]);
    const goods = pick([
      'salt and timber',
      'grain and wool',
      'coal and iron ore',
      'wine and cloth',
    ]);
    const ref = () =>
      weighted([
        [2, `${stem} river`],
        [3, stem],
        [3, `river in ${country}`],
      ]);
    const paragraphs = [
      {
        text: `${title} The ${title} is a river in ${pick(REGIONS)} ${country}. It rises in the ${pick(STEMS)} Mountains near ${source} and flows for ${num(int(40, 2400))} kilometres before emptying into ${mouth}.${filler()}`,
        questions: [
          q(pick([`how long is the ${ref()}`, `length of ${ref()} in km`, `${ref()} length`])),
          q(
            pick([
              `where does the ${ref()} start`,
              `source of the ${ref()}`,
              `where does the ${ref()} end`,
              `what does the ${ref()} flow into`,
            ]),
          ),
          q(`which country is the ${ref()} in`),
        ],
      },
      {
        text: `${title} From the ${pick(['twelfth', 'fourteenth', 'sixteenth'])} century the ${title} carried ${goods} downstream. Stone bridges at ${t1} and ${t2} date from ${int(1500, 1890)}, and a canal links it to the ${pick(STEMS)} River.${filler()}`,
        questions: [
          q(
            pick([`what was shipped on the ${ref()}`, `what was the ${ref()} used for in history`]),
          ),
          q(
            pick([
              `what river flows through ${t1}`,
              `which river goes through ${t2}`,
              `river in ${t1}`,
            ]),
          ),
        ],
      },
      {
        text: `${title} The basin of the ${title} covers ${num(int(8, 900) * 100)} square kilometres and is home to ${pick(['trout', 'pike', 'sturgeon', 'salmon'])} and ${pick(['otters', 'kingfishers', 'herons', 'beavers'])}. A dam at ${t3}, finished in ${int(1920, 2010)}, supplies power to the region.${filler()}`,
        questions: [
          q(pick([`what fish live in the ${ref()}`, `animals in the ${ref()}`])),
          q(
            pick([
              `when was the dam on the ${ref()} built`,
              `is there a dam on the ${ref()}`,
              `${t3} dam`,
            ]),
          ),
          q(`how big is the ${ref()} drainage area`),
        ],
      },
    ];
    return { title, paragraphs };
  },
  function townArticle() {
    // Drawn like the pool of TOWNS, so the town may also be named in other articles.
    const [, title] = titled((s) => s + pick(PLACE_SUFFIX));
    const country = pick(COUNTRIES);
    const river = `${pick(STEMS)} River`;
    const team = club(pick(STEMS));
    const firm = company(pick(STEMS));
    const fest = `${pick(STEMS)} ${pick(['Music', 'Film', 'Harvest', 'Lantern'])} Festival`;
    const ref = () =>
      weighted([
        [3, title],
        [3, `the town on the ${river}`],
      ]);
    const paragraphs = [
      {
        text: `${title} ${title} is a town in the ${pick(REGIONS)} province of ${country}, on the ${river}. It has a population of ${num(int(3, 400) * 100)} and is the seat of ${pick(STEMS)} District.${filler()}`,
        questions: [
          q(pick([`what is the population of ${ref()}`, `how many people live in ${ref()}`])),
          q(
            pick([
              `what river is ${title} on`,
              `which country is ${ref()} in`,
              `where is ${ref()}`,
            ]),
          ),
        ],
      },
      {
        text: `${title} ${title} was first mentioned in ${int(900, 1400)} as a market of the ${pick(STEMS)} monastery. It received town rights in ${int(1400, 1700)} and was largely destroyed by ${pick(['a fire', 'a flood', 'an earthquake'])} in ${int(1700, 1900)}.${filler()}`,
        questions: [
          q(
            pick([
              `when was ${ref()} founded`,
              `how old is ${ref()}`,
              `when did ${ref()} become a town`,
            ]),
          ),
          q(pick([`what happened to ${ref()}`, `what destroyed ${ref()}`])),
        ],
      },
      {
        text: `${title} The economy of ${title} rests on ${pick(['shipbuilding and fishing', 'textiles and brewing', 'mining and steel', 'tourism and wine'])}. The largest employer is ${firm}, whose main plant opened there in ${int(1880, 2000)}.${filler()}`,
        questions: [
          q(
            pick([
              `what is the main industry in ${ref()}`,
              `what do people in ${ref()} do for work`,
            ]),
          ),
          q(pick([`what company has a factory in ${ref()}`, `where is the ${firm} plant`])),
        ],
      },
      {
        text: `${title} ${title} is home to ${team} and hosts the ${fest} every ${pick(MONTHS)}. ${pick(FIRST)} ${pick(SURNAMES)} and ${pick(FIRST)} ${pick(SURNAMES)} were born in the town.${filler()}`,
        questions: [
          q(
            pick([
              `what football team is from ${ref()}`,
              `where is the ${fest} held`,
              `when is the ${fest}`,
            ]),
          ),
        ],
      },
    ];
    return { title, paragraphs };
  },
  function clubArticle() {
    const [stem, title] = titled(club);
    const home = pick(TOWNS);
    const ground = `${pick(STEMS)} ${pick(['Park', 'Arena', 'Stadium', 'Road', 'Field'])}`;
    const league = `${pick(COUNTRIES)} ${pick(['Premier League', 'First Division', 'Super League'])}`;
    const rival = club();
    const manager = person();
    const ref = () =>
      weighted([
        [1, title],
        [4, stem],
        [3, `the football club in ${home}`],
      ]);
    const paragraphs = [
      {
        text: `${title} ${title} is a professional football club based in ${home}, competing in the ${league}. The club was founded in ${int(1870, 1990)} by workers from the local ${pick(['railway', 'shipyard', 'brewery', 'textile mill', 'coal mine'])}.${filler()}`,
        questions: [
          q(
            pick([
              `when was ${ref()} established`,
              `what year did ${ref()} form`,
              `${ref()} founded`,
            ]),
          ),
          q(
            pick([
              `what league does ${ref()} play in`,
              `where is ${ref()} from`,
              `who started ${ref()}`,
            ]),
          ),
        ],
      },
      {
        text: `${title} ${title} plays its home matches at ${ground}, which holds ${num(int(4, 60) * 1000)} spectators. The ground opened in ${int(1890, 2015)} and was rebuilt after a stand collapsed.${filler()}`,
        questions: [
          q(
            pick([
              `where do ${ref()} play their home games`,
              `${ref()} stadium`,
              `${ref()} home ground capacity`,
            ]),
          ),
          q(pick([`which team plays at ${ground}`, `how many people does ${ground} hold`])),
        ],
      },
      {
        text: `${title} ${title} has won the league ${int(1, 14)} times and the national cup ${int(1, 9)} times. The most successful manager in the club's history was ${manager}, in charge from ${int(1950, 2010)}.${filler()}`,
        questions: [
          q(
            pick([
              `how many titles have ${ref()} won`,
              `how many times have ${ref()} been champions`,
            ]),
          ),
          q(
            pick([
              `who was the best manager of ${ref()}`,
              `what team did ${manager} manage`,
              `${ref()} coach`,
            ]),
          ),
        ],
      },
      {
        text: `${title} The club's fiercest rivals are ${rival}; matches between them are known as the ${stem} derby and draw the season's largest crowds.${filler()}`,
        questions: [q(pick([`who are ${ref()} biggest rivals`, `what is the ${stem} derby`]))],
      },
    ];
    return { title, paragraphs };
  },
  function companyArticle() {
    const [stem, title] = titled(company);
    const founder = person();
    const hq = pick(TOWNS);
    const buyer = company();
    const goods = pick([
      ['cars and trucks', 'vehicles'],
      ['frozen food and snacks', 'food'],
      ['steel pipes and rails', 'steel'],
      ['mobile phone networks', 'phone service'],
      ['passenger flights', 'flights'],
      ['loans and savings accounts', 'banking'],
    ]);
    const ref = () =>
      weighted([
        [1, title],
        [4, stem],
        [3, `the company started by ${founder}`],
      ]);
    const paragraphs = [
      {
        text: `${title} ${title} is a ${DEMONYM.get(pick(COUNTRIES))} company headquartered in ${hq}. It was set up in ${int(1850, 2005)} by ${founder}, initially as a family workshop.${filler()}`,
        questions: [
          q(pick([`who founded ${ref()}`, `who started ${ref()}`, `founder of ${ref()}`])),
          q(pick([`where is ${ref()} based`, `${ref()} head office`, `when was ${ref()} founded`])),
        ],
      },
      {
        text: `${title} The company sells ${goods[0]} in ${int(3, 70)} countries. Its best-selling line was launched in ${int(1950, 2015)} and is made at plants in ${pick(TOWNS)} and ${pick(TOWNS)}.${filler()}`,
        questions: [
          q(pick([`what does ${ref()} make`, `what does ${ref()} sell`, `${ref()} products`])),
          q(pick([`which company makes ${goods[1]} in ${hq}`, `where are ${ref()} factories`])),
        ],
      },
      {
        text: `${title} In ${int(1960, 2020)} ${title} was taken over by ${buyer} for ${int(2, 90) * 10} million. It employs about ${num(int(2, 180) * 1000)} people.${filler()}`,
        questions: [
          q(pick([`who owns ${ref()}`, `who bought ${ref()}`, `${ref()} parent company`])),
          q(pick([`how many employees does ${ref()} have`, `how many people work for ${ref()}`])),
        ],
      },
    ];
    return { title, paragraphs };
  },
  function seriesArticle() {
    const [stem, title] = titled(
      (s) =>
        `${pick(['The', 'Inside', 'Beyond', 'Under'])} ${s} ${pick(['Files', 'Road', 'Affair', 'House', 'Line', 'Years'])}`,
    );
    const creator = person();
    const [lead, co] = [person(), person()];
    const [char, char2] = [person(), person()];
    const job = pick(['detective', 'surgeon', 'journalist', 'teacher', 'ship captain', 'lawyer']);
    const setting = pick(TOWNS);
    const network = `${coinWord(1, 2).toUpperCase().slice(0, 3)} ${pick(['One', 'Network', 'Television'])}`;
    const seasons = int(1, 12);
    const ref = () =>
      weighted([
        [1, title],
        [4, `${stem} ${title.split(' ').pop()}`],
        [3, `the tv show about a ${job} in ${setting}`],
      ]);
    const paragraphs = [
      {
        text: `${title} ${title} is a ${pick(['drama', 'crime', 'comedy', 'period'])} television series created by ${creator} that premiered on ${network} on ${date(int(1975, 2022))}. It follows a ${job} in the small town of ${setting}.${filler()}`,
        questions: [
          q(
            pick([
              `who created ${ref()}`,
              `when did ${ref()} first air`,
              `what channel is ${ref()} on`,
            ]),
          ),
          q(
            pick([
              `what is ${ref()} about`,
              `where is ${ref()} set`,
              `tv series about a ${job} in ${setting}`,
            ]),
          ),
        ],
      },
      {
        text: `${title} ${lead} stars as ${char}, with ${co} as ${char2}. ${lead.split(' ')[1]} was nominated for a ${pick(STEMS)} Award for the role.${filler()}`,
        questions: [
          q(pick([`who plays ${char} in ${ref()}`, `who plays ${char}`, `${char} actor`])),
          q(
            pick([
              `who played ${char2} in ${ref()}`,
              `what show does ${lead} star in`,
              `cast of ${ref()}`,
            ]),
          ),
        ],
      },
      {
        text: `${title} Filming took place in ${pick(TOWNS)} and ${pick(TOWNS)}. The series ran for ${seasons} season${seasons === 1 ? '' : 's'} and ${seasons * int(6, 22)} episodes before it ended in ${int(1980, 2024)}.${filler()}`,
        questions: [
          q(
            pick([
              `how many seasons of ${ref()} are there`,
              `how many episodes of ${ref()}`,
              `where was ${ref()} filmed`,
            ]),
          ),
          q(pick([`when did ${ref()} end`, `is ${ref()} still on`])),
        ],
      },
    ];
    return { title, paragraphs };
  },
];

// ---- assemble -------------------------------------------------------------------------------
const pairs = [];
while (pairs.length < COUNT) {
  const { title, paragraphs } = pick(KINDS)();
  seen.push(title);
  // An article contributes two to all of its paragraphs.
  const kept = paragraphs.filter(() => chance(KEEP));
  for (const { text, questions } of kept.length >= 2 ? kept : paragraphs.slice(0, 2)) {
    // Most passages answer one question, some two, as in NQ.
    const order = questions.map((x) => [random(), x]).sort((a, b) => a[0] - b[0]);
    const k = chance(0.12) ? 2 : 1;
    for (const [, query] of order.slice(0, k)) {
      if (pairs.length < COUNT) pairs.push({ query, passage: text });
    }
  }
  // NQ repeats a few questions verbatim.
  if (chance(0.01) && pairs.length < COUNT) pairs.push(pairs[pairs.length - 1]);
}
process.stdout.write(pairs.map((p) => JSON.stringify(p)).join('\n') + '\n');
