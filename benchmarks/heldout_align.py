"""Held-out alignment yardsticks: comparable English/Indonesian documents built from NTREX-128 and FLORES-200.

NTREX-128 (``../shared/data/parallel/en-id/ntrex128.{en,id}``, CC BY-SA 4.0) is line-parallel news.
Each yardstick's stories (consecutive line ranges, headline first, boundaries found by reading) become
documents: the English side and the Indonesian side of each story as separate files, so the pipeline
sees them as a comparable corpus and must pair the entities across documents.

Fifteen yardsticks: gold A (``STORIES``, ``tests/data/align_gold_heldout.tsv``, 175 pairs over 15
stories) and gold B (``STORIES_B``, ``tests/data/align_gold_heldout_b.tsv``, 180 pairs over 14
stories) were held out when written and developed on since (their misses were read): development sets.
Gold C (``STORIES_C``, 267 pairs over 15 stories chosen by a fixed rule, written blind) was the
held-out one until it was measured and its misses read; D (174 pairs), E (230) and F (141), 15 more
stories each by the same rule with shifted anchors, written blind, were each measured once and then
developed on. G (``STORIES_G``, 182 pairs over 16 stories) and H (``STORIES_H``, 159 pairs over 17)
are every story no earlier gold used (lines 44-988 and 1021-1875), written blind on 2026-12-04: G was
run before and after that round's precision work, H once with its final code; both were read after.
I (``STORIES_I``) is FLORES-200 dev lines 1-300 (``flores200-dev.{en,id}``, ``SET_SOURCES``), written blind
on 2026-12-07 when no NTREX story was left; J (``STORIES_J``) lines 301-630, written blind after I was read;
K (``STORIES_K``) lines 631-997, the last of FLORES dev, written blind after J was read; L (``STORIES_L``)
TICO-19 lines 1-360, written blind after K was read; M (``STORIES_M``) TICO-19 lines 361-1080, written
blind after L was read; N (``STORIES_N``) TICO-19 lines 1081-1800, written blind after M was read; O
(``STORIES_O``) TICO-19 lines 1801-2100, the last unused parallel text, written blind after N was read.
Each gold is ``GOLD_<letter>`` under
``tests/data/align_gold_heldout_<letter>.tsv`` (A: no letter).

Only the line ranges are committed. The text is third-party, share-alike data: it is written into a
folder given at evaluation time and never into the repository. The gold pairs were written by hand
from the texts. ``pipeline.training.lexicon`` keeps these lines out of lexicon induction.

    python -m benchmarks.heldout_align build DIR [--set b ... h]   # writes DIR/en/*.txt and DIR/id/*.txt
    python -m benchmarks.heldout_align methods OUT    # recall per method / per type of a run's alignments
    python -m benchmarks.heldout_align misses OUT     # why each gold pair was missed; labels reconciled
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = ROOT.parent / "shared" / "data" / "parallel" / "en-id"
SOURCE = "ntrex128"
GOLD = ROOT / "tests" / "data" / "align_gold_heldout.tsv"
GOLD_B = ROOT / "tests" / "data" / "align_gold_heldout_b.tsv"
GOLD_C = ROOT / "tests" / "data" / "align_gold_heldout_c.tsv"
GOLD_D = ROOT / "tests" / "data" / "align_gold_heldout_d.tsv"
GOLD_E = ROOT / "tests" / "data" / "align_gold_heldout_e.tsv"
GOLD_F = ROOT / "tests" / "data" / "align_gold_heldout_f.tsv"
GOLD_G = ROOT / "tests" / "data" / "align_gold_heldout_g.tsv"
GOLD_H = ROOT / "tests" / "data" / "align_gold_heldout_h.tsv"
GOLD_I = ROOT / "tests" / "data" / "align_gold_heldout_i.tsv"
GOLD_J = ROOT / "tests" / "data" / "align_gold_heldout_j.tsv"
GOLD_K = ROOT / "tests" / "data" / "align_gold_heldout_k.tsv"
GOLD_L = ROOT / "tests" / "data" / "align_gold_heldout_l.tsv"
GOLD_M = ROOT / "tests" / "data" / "align_gold_heldout_m.tsv"
GOLD_N = ROOT / "tests" / "data" / "align_gold_heldout_n.tsv"
GOLD_O = ROOT / "tests" / "data" / "align_gold_heldout_o.tsv"

# (first line, last line), 1-based and inclusive, of each story in ntrex128.en / ntrex128.id.
STORIES: tuple[tuple[int, int], ...] = (
    (114, 129),    # Indonesia tsunami and quake devastate an island (Lombok, Palu, Joko Widodo)
    (279, 297),    # Police clash with Catalan separatists
    (462, 467),    # Mexico's AMLO vows not to use military against civilians
    (488, 513),    # Macedonians vote in referendum on the country's name
    (604, 627),    # Landlocked Bolivia hopes court will reopen path to Pacific
    (745, 769),    # North Korea says 'no way' will disarm unilaterally
    (989, 1005),   # US could use Navy for "blockade" of Russian energy exports
    (1055, 1065),  # U.S. ambassador accuses China of 'bullying'
    (1207, 1226),  # Germany's new warship postponed yet again
    (1461, 1477),  # Syria tells US, French and Turkish forces to withdraw
    (1511, 1522),  # U.S. weighed penalizing El Salvador over support for China
    (1583, 1609),  # Earthquakes and tsunamis in Indonesia (Palu, Donggala, Sulawesi)
    (1700, 1709),  # Russian Grand Prix: Hamilton, Vettel, Bottas
    (1941, 1949),  # How the US-China trade war may be good for Beijing
    (1950, 1959),  # Syria 'ready' for refugees to return
)

# Gold B: fourteen other stories (none overlaps STORIES), chosen and annotated before the method changes
# of issue 18's last part; never used to tune.
STORIES_B: tuple[tuple[int, int], ...] = (
    (1, 16),       # Welsh AMs worried about 'looking like muppets' (Welsh Parliament, Elin Jones)
    (330, 338),    # Erdogan gets mixed reception in Cologne
    (383, 395),    # Trump says Kavanaugh 'suffered' the Democratic Party
    (396, 441),    # Hundreds killed by Indonesian quake (Palu, BNPB, BPPT, Roa Roa Hotel)
    (628, 637),    # North Korea: no disarmament unless it can trust the US (Ri Yong Ho, Pompeo)
    (638, 652),    # Paris fashion shows: massive headwear (Valentino, Thom Browne, Jacquemus)
    (883, 895),    # HIV/Aids: China reports surge in new cases
    (896, 918),    # Maxine Waters denies staffer leaked GOP senators' data
    (1254, 1274),  # Ronaldo dismisses rape claims (Der Spiegel, Juventus, Las Vegas)
    (1769, 1785),  # Micronesia plane crash (Air Niugini, Chuuk Island)
    (1885, 1898),  # North Korea defector numbers 'drop' under Kim
    (1899, 1913),  # Nancy Pelosi calls Brett Kavanaugh "hysterical"
    (1914, 1940),  # Women and anger (Steinem, Patricia Schroeder, Gary Hart)
    (1960, 1988),  # Europe clinches Ryder Cup victory in Paris
)

# Gold C: fifteen more stories, chosen by a fixed rule (the story holding each of the anchor lines 60,
# 190, ..., 1880, none overlapping A or B) and annotated blind (texts only, before any pipeline run on
# them) on 2026-12-03, when A and B had both become development sets; measured once, never tuned on.
STORIES_C: tuple[tuple[int, int], ...] = (
    (58, 75),      # Sainsbury's plans push into UK beauty market (Boots, Mike Coupe, Lloyds Pharmacy)
    (178, 198),    # Killer pig mauls Chinese farmer to death (Yuan, Liupanshui, Guizhou)
    (303, 329),    # Menga strike gives Livingston 1-0 win over Rangers (Gerrard, Gary Holt)
    (448, 461),    # Kanye West changes his name to Ye (Saturday Night Live, Ariana Grande)
    (558, 584),    # Chris Leslie: Labour no longer a broad church (Momentum, Jeremy Corbyn)
    (706, 729),    # Ryder Cup 2018: Team USA (Spieth, Justin Thomas, Molinari, Fleetwood)
    (833, 859),    # Kanye West's pro-Trump rant after SNL (Chris Rock, TPUSA)
    (957, 970),    # Graham and Kennedy on "60 Minutes" about the FBI Kavanaugh probe
    (1085, 1106),  # Tim Berners-Lee launches Inrupt / Solid
    (1227, 1253),  # National Trust for Scotland studies bats (Inverewe Gardens, Threave)
    (1357, 1380),  # Jack Ross: ultimate ambition is to manage Scotland (Sunderland, St Mirren)
    (1478, 1501),  # Why Trump Will Win a Second Term (CNN, MSNBC, Fox News)
    (1610, 1624),  # Sarah Palin's eldest son Track Palin arrested (Alaska, Wasilla)
    (1745, 1768),  # Air traffic controller dies so plane can escape quake (Palu, Batik Air)
    (1876, 1884),  # Kavanaugh's future hangs in balance as FBI begins investigation (Flake)
)

# Gold D: fifteen more stories, chosen by the same rule with the anchors shifted by 65 (the story holding
# each of the lines 125, 255, ..., 1945; where it overlaps A, B or C, the first free story after it) and
# annotated blind on 2026-12-03, after C had been measured; measured once, never tuned on.
STORIES_D: tuple[tuple[int, int], ...] = (
    (130, 144),    # Watch: Liverpool's Daniel Sturridge dips deep equalizer vs. Chelsea (Sturridge, Liverp...
    (253, 256),    # British PM May accuses critics of 'playing politics' over Brexit (Theresa May, Boris J...
    (442, 447),    # Thieves take $26,750 during ATM refill at Newport on the Levee (Brink's, Newport)
    (514, 533),    # Watch: Manchester City's Sergio Aguero navigates through entire Brighton defense (Ague...
    (653, 682),    # John Edward: Languages skills essential for global citizens (John Edward, SCIS, Nelson...
    (770, 790),    # Harvard students take course in getting enough rest (Harvard, Charles Czeisler, Paul B...
    (919, 941),    # Johnny English Strikes Again review (Rowan Atkinson, Johnny English, Bough)
    (1027, 1040),  # 18 states, D.C. support challenge to new asylum policy (Jeff Sessions, Karl Racine, ACLU)
    (1163, 1182),  # Out-of-form Mickelson benched on Ryder Cup Saturday (Phil Mickelson, Jim Furyk, Nick F...
    (1294, 1316),  # Trump meeting with Rosenstein may be delayed again (Rod Rosenstein, Sarah Sanders, Rob...
    (1419, 1446),  # Breast pump advert comparing mothers to cows divides opinion online (Elvie, Mother, An...
    (1544, 1555),  # Rangers' Graham Dorrans optimistic ahead of Rapid Vienna clash (Dorrans, Rangers, Vill...
    (1682, 1689),  # Warren plans to take a 'hard look' at running for president (Elizabeth Warren, Boston...
    (1806, 1826),  # NY nanny sues couple over firing after "racist" text (Lynsey Plasco-Flaxman, Giselle M...
    (1989, 1997),  # Red Tide Update: Concentrations decrease in Pinellas, Manatee and Sarasota (FWC, Pinel...
)

# Gold E: fifteen more stories, the same rule with the anchors 95, 225, ..., 1915 (where the story overlaps
# A-D, the first free story after it, wrapping at the end) annotated blind on 2026-12-03 after D had been
# measured; measured once, never tuned on.
STORIES_E: tuple[tuple[int, int], ...] = (
    (76, 96),      # Peter Jones 'furious' after Holly Willoughby pulls out of £11million deal (Peter Jones...
    (199, 225),    # Hurricane Rosa's remnants to bring widespread heavy rain to southwest US (Rosa, Mexico...
    (346, 356),    # Long Lartin prison: Six officers hurt in disorder (HMP Long Lartin, Prison Service)
    (468, 487),    # U.S. should double A.I. funding (China, DARPA, NSF, AI Next)
    (683, 690),    # LeBron to make Lakers debut Sunday in San Diego (LeBron James, Luke Walton, Lakers)
    (791, 811),    # Livingston 1 - 0 Rangers: Menga goal downs Gerrard's men (Dolly Menga, Steven Gerrard,...
    (865, 882),    # Game of Thrones star Kit Harington hits out at toxic masculinity (Kit Harington, Rose...
    (1006, 1020),  # Elizabeth Warren Will Take "Hard Look" At Running For President in 2020 (Elizabeth War...
    (1119, 1136),  # MMA fans stayed up all night to watch Bellator 206, they got Peppa Pig instead (Bellat...
    (1275, 1293),  # Brexit: UK 'would forever regret' losing carmakers (Greg Clark, Toyota, Burnaston)
    (1381, 1395),  # Perfect time for a pint is 5.30pm on a Saturday, survey finds (CGA, Peter Martin, RSM,...
    (1523, 1543),  # Study History (Robert Mueller, Rod Rosenstein, Prague, Norman Eisen)
    (1653, 1681),  # Tory MP says NIGEL FARAGE should be put in charge of Brexit negotiations (Nigel Farage...
    (1786, 1799),  # Analyst lays out timeline of night woman was burned alive (Paul Rowlett, Quinton Telli...
    (17, 22),      # Macedonians go to polls in referendum on changing country's name (Macedonia, Greece, G...
)

# Gold F: fifteen more stories, the same rule with the anchors 30, 160, ..., 1850 (where the story overlaps
# A-E, the first free story after it), annotated blind on 2026-12-03 after E had been measured; measured
# once, never tuned on.
STORIES_F: tuple[tuple[int, int], ...] = (
    (23, 43),      # The Bells of St. Martin's Fall Silent as Churches in Harlem Struggle (Harlem, St. Mart...
    (149, 166),    # Police arrest man, 32, on suspicion of murder after woman is stabbed to death (Birkenh...
    (298, 302),    # Londonderry: Men arrested after house rammed by car (Londonderry, Ballynagard Crescent...
    (534, 542),    # Scherzer wants to play spoiler vs. Rockies (Scherzer, Nationals, Colorado Rockies)
    (543, 557),    # Trump rallies in West Virginia (Trump, Brett Kavanaugh, Dianne Feinstein)
    (691, 705),    # Trump's West Virginia Rally Time, YouTube Channel (Trump, Wheeling, Patrick Morrisey)
    (812, 821),    # Almanac: The inventor of the Geiger Counter (Hans Geiger, Bells of Coronado, Roy Roger...
    (942, 956),    # Labour denies it is devising a plan for a four day week (Jeremy Corbyn, Labour Party,...
    (1066, 1084),  # Republicans Alienating Women Voters Ahead of Midterms With Kavanaugh Debacle (Kavanaug...
    (1183, 1206),  # Europe captain Thomas Bjorn knows big lead can soon disappear (Thomas Bjorn, Jim Furyk...
    (1327, 1335),  # Christion Abercrombie Undergoes Emergency Surgery After Suffering Head Injury (Abercro...
    (1447, 1460),  # Hundreds of Migrant Children Quietly Moved to a Tent Camp on the Texas Border (Matthew...
    (1625, 1631),  # Indonesia earthquake tsunami: hundreds killed (Sulawesi, Jakarta, Palu)
    (1710, 1730),  # That Was Really Bad Body Language (Trump, Dianne Feinstein, Christine Blasey Ford)
    (1836, 1854),  # My daughter was dying and I had to say goodbye over the phone (Nice, Hospital Louis Pa...
)

# Gold G: every story in the lines no earlier gold used, first half (lines 44-988), annotated blind on
# 2026-12-04 by an annotator who read the texts only; measured once, never tuned on.
STORIES_G: tuple[tuple[int, int], ...] = (
    (44, 57),     # Shark injures 13-year-old in California (Chad Hammel, Encinitas, Larry Giles)
    (97, 113),    # Tough talk 'and then we fell in love' (Trump, Kim, North Korea)
    (145, 148),   # Death toll from Indonesia tsunami rises (Indonesia, Sutopo Purwo Nugroho, Palu)
    (167, 177),   # Parliament's statue of Cromwell (Oliver Cromwell, Cromwell Society, John Goldsmith)
    (226, 252),   # 20 million watched Kavanaugh hearing (Brett Kavanaugh, Jeff Flake, Nielsen)
    (257, 271),   # Wayde Sims shooting (Wayde Sims, Dyteon Simpson, LSU)
    (272, 278),   # Volcano spews ash on Mexico City (Popocatepetl, Mexico City, National Center for Disaster Prevention)
    (339, 345),   # Deptford road crash (Deptford, London, Metropolitan Police)
    (357, 376),   # Hurricane Rosa threatening Phoenix (Hurricane Rosa, Arizona, National Hurricane Center)
    (377, 382),   # Midsomer Norton attack (Midsomer Norton, Somerset, Radstock)
    (585, 597),   # Ayr 38 - 17 Melrose (Ayr, Melrose, Frazier Climo)
    (598, 603),   # Still Game star's new career (Still Game, Ford Kieran, Adriftmorn Limited)
    (730, 744),   # Europe lead into Ryder Cup final day (Ryder Cup, Tommy Fleetwood, Tiger Woods)
    (822, 832),   # New cancer vaccine (HER2, Jay Berzofsky, National Cancer Institute)
    (860, 864),   # Belfast restaurant stabbing (Belfast, Ballyhackamore, Belfast Magistrates' Court)
    (971, 988),   # Global Citizen Festival (Global Citizen Festival, The Power of Nutrition, Janet Jackson)
)

# Gold H: the same for the second half (lines 1021-1875), annotated blind on 2026-12-04; measured once,
# with the final code of that round.
STORIES_H: tuple[tuple[int, int], ...] = (
    (1021, 1026),  # Sarah Palin cites Track Palin's PTSD (Sarah Palin, Donald Trump, Wasilla)
    (1041, 1054),  # Desperate rescue efforts in Palu (Palu, Risa Kusuma, Dwi Haris)
    (1107, 1118),  # Bernard Vann: WW1 Victoria Cross cleric (Bernard Vann, Victoria Cross, Rushden)
    (1137, 1162),  # Desert Island Discs: Tom Daley (Tom Daley, Lauren Laverne, Dustin Lance Black)
    (1317, 1326),  # Health secretary writes to EU workers at NHS Scotland (Jeane Freeman, NHS Scotland, EU)
    (1336, 1356),  # Foreign buyers higher stamp duty (Theresa May, Jeremy Corbyn, Boris Johnson)
    (1396, 1407),  # One in five children have secret social media accounts (Instagram, HMC, Mike Buchanan)
    (1408, 1418),  # Eilidh Doyle "voice for athletes" (Eilidh Doyle, Scottish Athletics, Ian Beattie)
    (1502, 1510),  # Outside money floods into midterm House races (Conor Lamb, Keith Rothfus, Pennsylvania)
    (1556, 1576),  # Women losing sleep over retirement savings fear (Nationwide, Holly Snyder)
    (1577, 1582),  # Man shot with air rifle in Ilfracombe (Ilfracombe, Oxford Grove, Devon)
    (1632, 1652),  # Death penalty for NYC terror attack suspect (Sayfullo Saipov, New York City, ISIS)
    (1690, 1699),  # Arrest in shooting death of LSU's Sims (Wayde Sims, Dyteon Simpson, Baton Rouge)
    (1731, 1744),  # Elite League: Dundee Stars 5-3 Belfast Giants (Dundee Stars, Belfast Giants, Patrick Dwyer)
    (1800, 1805),  # The High Breed: conscious hip hop (The High Breed, Bristol, The Fugees)
    (1827, 1835),  # Paddington publishers letter (Paddington, Bond, Karen Jankel)
    (1855, 1875),  # Grieving women post cards on bridge (Sharon Davis, Kelly Humphreys, Samaritans)
)

# Gold I: other text than NTREX (no NTREX story was left): FLORES-200 dev (Wikinews, Wikivoyage and
# Wikibooks sentences, CC BY-SA 4.0), lines 1-300 cut into twenty documents of 15 lines (FLORES marks
# no article boundaries; a cut inside an article only splits it into two documents). Annotated blind on
# 2026-12-07 by two annotators who read those lines only; kept out of lexicon induction and the lexicon
# rebuilt before any pipeline run on them; measured once.
STORIES_I: tuple[tuple[int, int], ...] = tuple((first, first + 14) for first in range(1, 301, 15))

# Gold J: FLORES-200 dev lines 301-630 cut the same way (twenty-two documents), annotated blind on
# 2026-12-07 after I had been measured and read; kept out of lexicon induction (the lexicon rebuilt
# before any run on them); measured once, with the final code of that round.
STORIES_J: tuple[tuple[int, int], ...] = tuple((first, first + 14) for first in range(301, 631, 15))

# Gold K: the rest of FLORES-200 dev, lines 631-997 cut the same way (twenty-five documents, the last of
# seven lines), annotated blind on 2026-12-07 after J had been measured and read; kept out of lexicon
# induction (the lexicon rebuilt before any run on them); measured with the final code of its round.
STORIES_K: tuple[tuple[int, int], ...] = tuple((first, min(first + 14, 997)) for first in range(631, 998, 15))

# Gold L: when FLORES dev was used up, TICO-19 (``tico19.{en,id}``, COVID-19 text, CC0), lines 1-360 cut
# the same way (twenty-four documents), annotated blind on 2026-12-07 after K had been measured and read;
# kept out of lexicon induction (the lexicon rebuilt before any run on them); measured once, with the final
# code of its round.
STORIES_L: tuple[tuple[int, int], ...] = tuple((first, first + 14) for first in range(1, 361, 15))

# Gold M: TICO-19 lines 361-1080 cut the same way (forty-eight documents), annotated blind on 2026-12-07
# after L had been measured and read, with L's convention stated up front (disease and virus names,
# genes, proteins, lab tests and generic drugs are terms, not rows); kept out of lexicon induction (the
# lexicon rebuilt before any run on them); measured once, with the final code of the session.
STORIES_M: tuple[tuple[int, int], ...] = tuple((first, first + 14) for first in range(361, 1081, 15))

# Gold N: TICO-19 lines 1081-1800 cut the same way (forty-eight documents), annotated blind on 2026-12-07
# after M had been measured and read, with the same convention told up front; kept out of lexicon
# induction (the lexicon rebuilt before any run on them); measured once, with the final code of the
# session's third round.
STORIES_N: tuple[tuple[int, int], ...] = tuple((first, first + 14) for first in range(1081, 1801, 15))

# Gold O: TICO-19 lines 1801-2100, the last unused parallel text, cut the same way (twenty documents),
# annotated blind on 2026-12-08 after N had been measured and read, with the same convention told up
# front; kept out of lexicon induction (the lexicon rebuilt before any run on them).
STORIES_O: tuple[tuple[int, int], ...] = tuple((first, first + 14) for first in range(1801, 2101, 15))

SETS = {"a": (STORIES, GOLD), "b": (STORIES_B, GOLD_B), "c": (STORIES_C, GOLD_C), "d": (STORIES_D, GOLD_D),
        "e": (STORIES_E, GOLD_E), "f": (STORIES_F, GOLD_F),
        "g": (STORIES_G, GOLD_G), "h": (STORIES_H, GOLD_H), "i": (STORIES_I, GOLD_I),
        "j": (STORIES_J, GOLD_J), "k": (STORIES_K, GOLD_K),
        "l": (STORIES_L, GOLD_L), "m": (STORIES_M, GOLD_M), "n": (STORIES_N, GOLD_N),
        "o": (STORIES_O, GOLD_O)}
# The parallel corpus each yardstick's line ranges refer to (SOURCE unless named here).
SET_SOURCES = {"i": "flores200-dev", "j": "flores200-dev", "k": "flores200-dev", "l": "tico19", "m": "tico19",
               "n": "tico19", "o": "tico19"}


def source_of(name: str) -> str:
    """The parallel corpus (file stem under PARALLEL) of yardstick ``name``."""
    return SET_SOURCES.get(name, SOURCE)


def heldout_lines(source: str = SOURCE) -> set[int]:
    """0-based line numbers of ``source`` used by the yardsticks (to keep out of lexicon induction)."""
    return {n - 1 for name, (stories, _) in SETS.items() if source_of(name) == source
            for first, last in stories for n in range(first, last + 1)}


def build(out_dir: Path, parallel: Path = PARALLEL, stories=STORIES, source_name: str = SOURCE) -> list[Path]:
    """Write one document per story and language under out_dir/en and out_dir/id; return the paths."""
    written = []
    for lang in ("en", "id"):
        source = parallel / f"{source_name}.{lang}"
        if not source.exists():
            raise FileNotFoundError(f"{source} is absent: the held-out documents are built from ../shared")
        lines = source.read_text(encoding="utf-8").splitlines()
        (out_dir / lang).mkdir(parents=True, exist_ok=True)
        for first, last in stories:
            story = [line.strip() for line in lines[first - 1:last]]
            path = out_dir / lang / f"{source_name}_{first:04d}-{last:04d}.{lang}.txt"
            if source_name == SOURCE:
                # Headline, blank line, one sentence per line: the segmenter sees the headline as its own unit.
                text = story[0] + "\n\n" + "\n".join(story[1:]) + "\n"
            else:
                text = "\n".join(story) + "\n"   # FLORES has no headlines: one sentence per line
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def as_list(value) -> list[str]:
    """A list column's value: a list (Parquet), or a '|'-joined string (older outputs)."""
    return [part for part in (value.split("|") if isinstance(value, str) else list(value)) if part]


def method_recall(output: Path, gold_path: Path = GOLD) -> dict:
    """Recall per method (a gold pair counts for every method that agreed on a correct alignment,
    from the ``methods`` column) and per gold type, for an output folder's alignments."""
    from pipeline.eval.scoring import aligned_forms, pair_matches, read_gold_alignments
    from pipeline.output.tables import read_table

    gold = read_gold_alignments(gold_path)
    table = read_table(output, "alignments").to_pylist()
    pairs = aligned_forms(table, read_table(output, "entities").to_pylist())
    per_method: dict[str, set[int]] = {}
    found: set[int] = set()
    for row, pair in zip(table, pairs):
        for index, g in enumerate(gold):
            if pair_matches(pair, g):
                found.add(index)
                for method in as_list(row.get("methods") or row["method"]):
                    per_method.setdefault(method, set()).add(index)
                per_method.setdefault("top:" + row["method"], set()).add(index)
    by_type: dict[str, list[int]] = {}
    for index, g in enumerate(gold):
        hit = by_type.setdefault(g["type"], [0, 0])
        hit[0] += index in found
        hit[1] += 1
    return {"gold": len(gold),
            "recall_by_method": {m: round(100 * len(v) / len(gold), 2) for m, v in sorted(per_method.items())},
            "recall_by_type": {t: f"{h[0]}/{h[1]}" for t, h in sorted(by_type.items())}}


def miss_breakdown(output: Path, gold_path: Path = GOLD) -> dict:
    """Why each missed gold pair was missed (is each side in the entity tables, and with which
    label), the wrong pairs, and how many English entity labels the label reconciliation changed."""
    from pipeline.core.labels import labels_compatible
    from pipeline.core.text import normalized_key
    from pipeline.eval.scoring import aligned_forms, pair_matches, read_gold_alignments
    from pipeline.output.tables import read_table

    gold = read_gold_alignments(gold_path)
    table = read_table(output, "alignments").to_pylist()
    entities = read_table(output, "entities").to_pylist()
    pairs = aligned_forms(table, entities)
    by_key: dict[tuple[str, str], list[dict]] = {}
    for e in entities:
        for form in [e["canonical"], *(e["aliases"] or [])]:
            by_key.setdefault((e["lang"], normalized_key(form)), []).append(e)
    found = {i for i, g in enumerate(gold) for p in pairs if pair_matches(p, g)}
    categories: dict[str, list[str]] = {}
    for i, g in enumerate(gold):
        if i in found:
            continue
        en = [e for k in sorted(g["en_keys"]) for e in by_key.get(("en", k), [])]
        ind = [e for k in sorted(g["id_keys"]) for e in by_key.get(("id", k), [])]
        if not en and not ind:
            kind = "NER miss on both sides"
        elif not en:
            kind = "NER miss on the English side"
        elif not ind:
            kind = "NER miss on the Indonesian side"
        elif not any(labels_compatible(a["label"], b["label"]) for a in en for b in ind):
            kind = "both present, labels incompatible"
        else:
            kind = "both present, no evidence"
        labels = f" ({en[0]['label']}/{ind[0]['label']})" if en and ind else ""
        categories.setdefault(kind, []).append(f"{g['en']} = {g['id']}{labels}")
    relabeled = [r["relabeled"] for r in table if r.get("relabeled")]
    gold_type = {}
    for r, p in zip(table, pairs):
        for g in gold:
            if pair_matches(p, g):
                gold_type[(r["en_term"], r["id_term"])] = (g["type"], r["label"], bool(r.get("relabeled")))
                break
    reconciled = [v for v in gold_type.values() if v[2]]
    return {"missed": categories,
            "wrong": sorted(f"{r['en_term']} = {r['id_term']}" for r, p in zip(table, pairs)
                            if not any(pair_matches(p, g) for g in gold)),
            "pairs_relabeled": len(relabeled),
            "en_labels_changed": sum(part.startswith("en:") for r in relabeled for part in as_list(r)),
            "id_labels_changed": sum(part.startswith("id:") for r in relabeled for part in as_list(r)),
            "reconciled_as_gold": f"{sum(t == l for t, l, _ in reconciled)}/{len(reconciled)}",
            "reconciled_wrong": sorted(f"{en} = {ind} ({l}, gold {t})" for (en, ind), (t, l, changed) in gold_type.items()
                                       if changed and t != l)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_ = sub.add_parser("build", help="write the held-out documents (en/ and id/) into a folder")
    build_.add_argument("out_dir", type=Path)
    build_.add_argument("--set", choices=sorted(SETS), default="a", help="gold A's stories (default) or B's ... J's")
    methods = sub.add_parser("methods", help="recall per method and per gold type of an output folder")
    methods.add_argument("output", type=Path)
    methods.add_argument("--gold", type=Path, default=GOLD)
    methods.add_argument("--set", choices=sorted(SETS), help="score against gold A ... J (instead of --gold)")
    misses = sub.add_parser("misses", help="why each gold pair was missed; wrong pairs; labels reconciled")
    misses.add_argument("output", type=Path)
    misses.add_argument("--gold", type=Path, default=GOLD)
    misses.add_argument("--set", choices=sorted(SETS), help="score against gold A ... J (instead of --gold)")
    args = parser.parse_args(argv)
    if args.command != "build" and args.set:
        args.gold = SETS[args.set][1]
    if args.command == "misses":
        report = miss_breakdown(args.output, args.gold)
        for kind, items in sorted(report["missed"].items()):
            print(f"{kind}: {len(items)}: " + "; ".join(items))
        print(f"wrong: {len(report['wrong'])}: " + "; ".join(report["wrong"]))
        print(f"label reconciliation: {report['pairs_relabeled']} pairs, English labels changed "
              f"{report['en_labels_changed']}, Indonesian labels changed {report['id_labels_changed']}; "
              f"reconciled label = gold type for {report['reconciled_as_gold']} correct reconciled pairs; "
              "differs: " + "; ".join(report["reconciled_wrong"]))
        return 0
    if args.command == "methods":
        report = method_recall(args.output, args.gold)
        print(f"held-out gold {args.gold.name}: {report['gold']} pairs")
        print("recall by method (agreeing on a correct pair; top: = the pair's reported method): " + ", ".join(
            f"{m} {r:.2f}" for m, r in report["recall_by_method"].items()))
        print("found by gold type: " + ", ".join(f"{t} {h}" for t, h in report["recall_by_type"].items()))
        return 0
    try:
        stories = SETS[args.set][0]
        paths = build(args.out_dir, stories=stories, source_name=source_of(args.set))
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{len(paths)} documents ({len(stories)} stories x 2 languages, gold {args.set.upper()}) written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
