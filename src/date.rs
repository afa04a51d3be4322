//! Date phrases in notices ("by **September 23, 2024**", "after December 2022", "in 2022").
//!
//! Notices state deadlines at day, month or year precision, and the word before a date
//! ("by", "after", "since") says what it means, so a mention keeps both. Impossible dates
//! ("February 30, 2025") are reported as problems, never clamped to a real day.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::{Captures, Regex};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

/// Years accepted as dates in notices; other four-digit numbers are build numbers and such.
const YEARS: Range<i16> = 1900..2200;

/// Month names for messages, January first.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How much of a date a notice stated. Ordered coarse to fine (`Year < Quarter < Month <
/// Day`), which is what makes [`PartialDate`]'s order put `2024` before `2024-Q1` before
/// `2024-01` before `2024-01-01`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year ("deprecated in 2022", "end of calendar year 2026").
    Year,
    /// A calendar quarter ("Q1 2023", "end of the first quarter of 2024").
    Quarter,
    /// Year and month ("after December 2022").
    Month,
    /// A calendar day ("by September 23, 2024").
    Day,
}

/// A date stated to day, month or year precision, so "after December 2022" is not silently
/// read as December 1.
///
/// Ordered chronologically by first covered day; when two start on the same day the coarser
/// sorts first (`2024` < `2024-01` < `2024-01-01`), which matches sorting the ISO strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    first: Date,
    precision: Precision,
}

impl PartialDate {
    /// A calendar quarter (1-4) of a year; `None` for another quarter number or a year outside
    /// 0..=9999.
    pub fn quarter(year: i16, quarter: i8) -> Option<Self> {
        if !(0..=9999).contains(&year) || !(1..=4).contains(&quarter) {
            return None;
        }
        let first = Date::new(year, (quarter - 1) * 3 + 1, 1).ok()?;
        Some(PartialDate {
            first,
            precision: Precision::Quarter,
        })
    }

    /// The same date at day precision, for a day computed from a stated one.
    pub fn from_day(day: Date) -> Self {
        PartialDate {
            first: day,
            precision: Precision::Day,
        }
    }

    /// The date just before this one at the same precision: the last day, month, quarter or
    /// year that is still allowed when something takes effect *on* or *from* this date.
    pub fn previous(&self) -> Option<Self> {
        let first = match self.precision {
            Precision::Day => self.first.yesterday().ok()?,
            Precision::Month => self.first.checked_sub(jiff::Span::new().months(1)).ok()?,
            Precision::Quarter => self.first.checked_sub(jiff::Span::new().months(3)).ok()?,
            Precision::Year => self.first.checked_sub(jiff::Span::new().years(1)).ok()?,
        };
        (first.year() >= 0).then_some(PartialDate {
            first,
            precision: self.precision,
        })
    }

    /// A date from its parts: year alone, year and month, or all three. `None` when the parts
    /// are not a real date, the year is outside 0..=9999, or a day is given without a month.
    pub fn new(year: i16, month: Option<i8>, day: Option<i8>) -> Option<Self> {
        if !(0..=9999).contains(&year) {
            return None;
        }
        let (m, d, precision) = match (month, day) {
            (None, None) => (1, 1, Precision::Year),
            (Some(m), None) => (m, 1, Precision::Month),
            (Some(m), Some(d)) => (m, d, Precision::Day),
            (None, Some(_)) => return None,
        };
        let first = Date::new(year, m, d).ok()?;
        Some(PartialDate { first, precision })
    }

    /// How precisely the notice stated this date.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The year.
    pub fn year(&self) -> i16 {
        self.first.year()
    }

    /// The month (1-12), when stated.
    pub fn month(&self) -> Option<i8> {
        (self.precision >= Precision::Month).then(|| self.first.month())
    }

    /// The day of the month, when stated.
    pub fn day(&self) -> Option<i8> {
        (self.precision == Precision::Day).then(|| self.first.day())
    }

    /// The quarter (1-4), when the date was stated as one.
    pub fn quarter_number(&self) -> Option<i8> {
        (self.precision == Precision::Quarter).then(|| (self.first.month() - 1) / 3 + 1)
    }

    /// The first civil day this date covers (January 1 for a year, the 1st for a month):
    /// the earliest reading of "after"/"since".
    pub fn first_day(&self) -> Date {
        self.first
    }

    /// The last civil day this date covers (December 31 for a year, the month's last day for
    /// a month): the latest reading of a deadline like "by December 2022".
    pub fn last_day(&self) -> Date {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => self.first.last_of_month(),
            Precision::Quarter => self
                .first
                .checked_add(jiff::Span::new().months(2))
                .map_or(self.first, |d| d.last_of_month()),
            Precision::Year => self.first.last_of_year(),
        }
    }

    /// ISO 8601 at the stated precision: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `YYYY-Qn` for a
    /// quarter.
    pub fn to_iso(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PartialDate {
    /// Same as [`PartialDate::to_iso`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first;
        match self.precision {
            Precision::Year => write!(f, "{:04}", d.year()),
            Precision::Quarter => write!(f, "{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    /// Reads what [`Serialize`] writes: the ISO form at its precision.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_date(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an ISO date")))
    }
}

impl JsonSchema for PartialDate {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-Q[1-4])?$",
            "description": "An ISO 8601 date at day, month or year precision, or a quarter (`2023-Q1`)."
        })
    }
}

/// The word just before a date, which says how the date binds: a deadline ("by"), a cut-off
/// ("after"), a past event ("since").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cue {
    /// "by", "no later than": a deadline.
    By,
    /// "after": things change once the date has passed.
    After,
    /// "before", "prior to".
    Before,
    /// "as of".
    AsOf,
    /// "since": a past event that still holds.
    Since,
    /// "on".
    On,
    /// "in".
    In,
    /// "from", "starting", "beginning", "effective".
    From,
    /// "until", "till", "through", "up to".
    Until,
    /// "the end of", "at the end of": the last day the date covers.
    EndOf,
    /// No recognized cue word.
    None,
}

impl Cue {
    /// Whether a bare year after this cue reads as a date ("in 2022", not "Server 2019").
    fn allows_bare_year(self) -> bool {
        matches!(
            self,
            Cue::By
                | Cue::After
                | Cue::Before
                | Cue::AsOf
                | Cue::Since
                | Cue::In
                | Cue::Until
                | Cue::EndOf
        )
    }

    /// Whether a day without a year after this cue reads as a date ("by September 18th",
    /// not "the September 18 release").
    fn allows_yearless(self) -> bool {
        matches!(
            self,
            Cue::By | Cue::After | Cue::Before | Cue::AsOf | Cue::On | Cue::From | Cue::Until
        )
    }
}

/// A date found in text, with where it is and the cue word before it, so later stages can
/// point diagnostics at the phrase and tell deadlines from past events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DateMention {
    /// The date as stated.
    pub date: PartialDate,
    /// Byte range of the date phrase within the input text (bold markers excluded).
    pub range: Range<usize>,
    /// The cue word immediately before the date.
    pub cue: Cue,
}

/// A date phrase that cannot be a real date; reported so the notice can be fixed, since any
/// guess (clamping February 30 to February 28) could move a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DateProblem {
    /// A day or month that does not exist, e.g. "February 30, 2025".
    Impossible {
        /// The phrase as written.
        text: String,
        /// Byte range of the phrase within the input text.
        range: Range<usize>,
        /// Why it is impossible, e.g. "February 2025 has only 28 days".
        reason: String,
    },
}

/// The shapes a date phrase can take, in no particular order (overlaps are resolved by
/// position and length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `2025-04-30`.
    Iso,
    /// `2025-04`; only in [`parse_date`], since free text has ranges like `2019-20`.
    IsoMonth,
    /// `2023-Q1`; only in [`parse_date`], the feed's own form.
    IsoQuarter,
    /// `9/23/2024`: Learn writes numeric dates month first, as in `ms.date`.
    Numeric,
    /// `September 23, 2024`.
    MonthDayYear,
    /// `23 September 2024`.
    DayMonthYear,
    /// `September 23`, without a year: only when the caller knows the year from the text
    /// around it, and only after a cue word.
    MonthDay,
    /// `December 2022`.
    MonthYear,
    /// `Q1 2023`, `the first quarter of 2024`.
    Quarter,
    /// `2022`, only after a cue word in free text.
    Year,
}

/// Month names, full or abbreviated (`Sept` too), with an optional period.
const MONTH: &str = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?";

/// Between date words: a comma and/or whitespace, possibly with bold markers around it.
const SEP: &str = r"(?:\*\*|__)?(?:,\s*|\s+)(?:\*\*|__)?";

/// A day of the month with an optional ordinal suffix.
const DAY: &str = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\b";

/// A quarter: `Q1`, `first quarter`, `1st quarter`.
const QUARTER: &str =
    r"(?:Q(?P<q>[1-4])|(?P<qword>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)";

/// One compiled pattern per [`Kind`].
static PATTERNS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    let year = r"(?P<year>[0-9]{4})\b";
    let sources = [
        (
            Kind::Iso,
            r"\b(?P<year>[0-9]{4})[-\u{2010}\u{2011}](?P<mon>[0-9]{2})[-\u{2010}\u{2011}](?P<day>[0-9]{2})\b".to_owned(),
        ),
        (
            Kind::IsoMonth,
            r"\b(?P<year>[0-9]{4})[-\u{2010}\u{2011}](?P<mon>[0-9]{2})\b".to_owned(),
        ),
        (
            Kind::IsoQuarter,
            r"\b(?P<year>[0-9]{4})-Q(?P<q>[1-4])\b".to_owned(),
        ),
        (
            Kind::Numeric,
            r"\b(?P<mon>[0-9]{1,2})/(?P<day>[0-9]{1,2})/(?P<year>[0-9]{4})\b".to_owned(),
        ),
        (
            Kind::MonthDayYear,
            format!(r"(?i)\b{MONTH}\s+{DAY}{SEP}{year}"),
        ),
        (
            Kind::DayMonthYear,
            format!(r"(?i)\b{DAY}\s+(?:of\s+)?{MONTH}{SEP}{year}"),
        ),
        (Kind::MonthDay, format!(r"(?i)\b{MONTH}\s+{DAY}")),
        (Kind::MonthYear, format!(r"(?i)\b{MONTH},?\s+{year}")),
        (
            Kind::Quarter,
            format!(
                r"(?i)\b(?:the\s+)?{QUARTER},?\s+(?:of\s+)?(?:the\s+)?(?:CY\s?(?P<cy>[0-9]{{2}})\b|(?:calendar\s+year\s+|CY\s?)?{year})"
            ),
        ),
        (Kind::Year, format!(r"\b(?:CY\s?)?{year}")),
    ];
    sources
        .into_iter()
        .map(|(kind, src)| (kind, Regex::new(&src).expect("literal regex")))
        .collect()
});

/// The month number for a name matched by [`MONTH`].
fn month_number(name: &str) -> Option<i8> {
    let prefix = name.get(..3)?.to_ascii_lowercase();
    let n = match prefix.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// The last alphabetic word of `s` (after trimming whitespace) and the text before it.
fn last_word(s: &str) -> (&str, &str) {
    let s = s.trim_end();
    let start = s
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    (&s[start..], &s[..start])
}

/// The cue word right before byte `start`, skipping whitespace, bold markers, link brackets
/// and escapes ("by **September 16, 2024**" -> [`Cue::By`]), and the words "calendar year"
/// ("the end of calendar year 2026").
fn cue_before(text: &str, start: usize) -> Cue {
    let trim = |s: &str| -> usize {
        s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '[' | '\\'))
            .len()
    };
    let mut before = &text[..trim(&text[..start])];
    for filler in ["year", "calendar"] {
        let (word, rest) = last_word(before);
        if word.eq_ignore_ascii_case(filler) {
            before = &rest[..trim(rest)];
        }
    }
    let (word, rest) = last_word(before);
    let previous = || last_word(rest).0.to_lowercase();
    match word.to_lowercase().as_str() {
        "by" => Cue::By,
        "after" => Cue::After,
        "before" => Cue::Before,
        "since" => Cue::Since,
        "on" => Cue::On,
        "in" => Cue::In,
        "from" | "starting" | "beginning" | "effective" => Cue::From,
        "until" | "till" | "through" | "thru" => Cue::Until,
        "of" if previous() == "as" => Cue::AsOf,
        "of" if previous() == "end" => {
            // "by the end of 2026" binds like "by"; "at the end of" is the end itself.
            let (_, before_end) = last_word(rest);
            let (mut word, rest) = last_word(before_end);
            if word.eq_ignore_ascii_case("the") {
                word = last_word(rest).0;
            }
            match word.to_lowercase().as_str() {
                "by" => Cue::By,
                "before" => Cue::Before,
                "after" => Cue::After,
                "until" | "till" | "through" => Cue::Until,
                _ => Cue::EndOf,
            }
        }
        "to" => match previous().as_str() {
            "prior" => Cue::Before,
            "up" => Cue::Until,
            _ => Cue::None,
        },
        "than"
            if previous() == "later"
                && last_word(last_word(rest).1).0.eq_ignore_ascii_case("no") =>
        {
            Cue::By
        }
        _ => Cue::None,
    }
}

/// True when the ISO date or year at byte `start` is a value of a "version" ("API version
/// `2021-08-01`", `api-version=2024-10-01-preview`, `"apiVersion": "2023-07-01"`, a cell
/// "Version 2107"): there it names a version, not a day.
fn names_a_version(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '`' | '"' | '\'' | '=' | ':' | '*' | '_')
    });
    // The start of the last word: after the last character that is not part of one, however
    // many bytes it takes (a narrow no-break space is three).
    let word_start = before
        .char_indices()
        .rfind(|&(_, c)| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = before[word_start..].to_ascii_lowercase();
    word.ends_with("version") || word.ends_with("versions")
}

/// True when the character before byte `i` makes a number part of something else (a version,
/// a path, an identifier).
fn glued_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '.' | '-' | '\u{2010}' | NON_BREAKING_HYPHEN | '/' | '#' | '_'
        ) || c.is_alphanumeric()
    })
}

/// The hyphen pages write dates with so they never break across lines (Learn's lifecycle
/// tables: `2034&#8209;10&#8209;10`); `U+2010` is read the same way.
const NON_BREAKING_HYPHEN: char = '\u{2011}';

/// True when the text after byte `end` continues the number (`2022.5`, `2022-23`, `2022/1`).
fn glued_after(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        Some('.') => rest.next().is_some_and(|c| c.is_ascii_digit()),
        Some('-' | '\u{2010}' | NON_BREAKING_HYPHEN | '/') => {
            rest.next().is_some_and(char::is_alphanumeric)
        }
        Some(c) => c.is_alphanumeric() || c == '_',
        None => false,
    }
}

/// Why year/month/day is not a calendar date, for [`DateProblem::Impossible`].
fn impossible_reason(year: i16, month: i8, day: i8) -> String {
    let Some(name) = usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTH_NAMES.get(i))
    else {
        return format!("month {month} does not exist");
    };
    if day < 1 {
        return format!("day {day} does not exist");
    }
    match Date::new(year, month, 1) {
        Ok(first) => format!("{name} {year} has only {} days", first.days_in_month()),
        Err(_) => format!("{name} {day}, {year} is not a calendar date"),
    }
}

/// Why a text is not a day written in numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotADay {
    /// It is not written `YYYY-MM-DD` (nor, where allowed, `MM/DD/YYYY`).
    Shape,
    /// It has the shape but names no calendar day; the reason, e.g. "February 2025 has
    /// only 28 days".
    Impossible(String),
}

static NUMERIC_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}))$").expect("literal regex")
});

/// Parses a day written `YYYY-MM-DD` or, when `month_first` is allowed, `MM/DD/YYYY` (as
/// Learn writes `ms.date`), ignoring surrounding whitespace.
pub fn parse_numeric_day(text: &str, month_first: bool) -> Result<Date, NotADay> {
    let caps = NUMERIC_DAY.captures(text.trim()).ok_or(NotADay::Shape)?;
    let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<i16>().ok());
    let (year, month, day) = match (number(1), number(2), number(3)) {
        (Some(year), Some(month), Some(day)) => (year, month, day),
        _ if month_first => match (number(6), number(4), number(5)) {
            (Some(year), Some(month), Some(day)) => (year, month, day),
            _ => return Err(NotADay::Shape),
        },
        _ => return Err(NotADay::Shape),
    };
    // Two digits always fit an i8.
    let (month, day) = (month as i8, day as i8);
    Date::new(year, month, day)
        .map_err(|_| NotADay::Impossible(impossible_reason(year, month, day)))
}

/// A match before overlap resolution: a date, or the reason it is impossible.
struct Candidate {
    range: Range<usize>,
    cue: Cue,
    date: Result<PartialDate, String>,
}

/// How a scan treats phrases that are only dates in some texts.
#[derive(Debug, Clone, Copy)]
struct Mode {
    /// The text is known to be one date: a bare year and `YYYY-MM` count without a cue.
    bare: bool,
    /// The year the text around this one is about, for days written without a year.
    year: Option<i16>,
}

/// Turns one regex match into a candidate, or `None` when the context says it is not a date
/// (a build number, a year without a cue, a year out of range, an API version).
fn candidate(text: &str, kind: Kind, caps: &Captures<'_>, mode: Mode) -> Option<Candidate> {
    let range = caps.get(0)?.range();
    let starts_with_digit = !matches!(
        kind,
        Kind::MonthDayYear | Kind::MonthYear | Kind::MonthDay | Kind::Quarter
    );
    if (starts_with_digit && glued_before(text, range.start)) || glued_after(text, range.end) {
        return None;
    }
    // "Version 2107", "API version `2021-08-01`": a version named by its year or day.
    if matches!(kind, Kind::Iso | Kind::Year) && names_a_version(text, range.start) {
        return None;
    }
    let cue = cue_before(text, range.start);
    let year: i16 = match (kind, mode.year) {
        (Kind::MonthDay, Some(year)) if cue.allows_yearless() => year,
        (Kind::MonthDay, _) => return None,
        // "Q1 CY21": a calendar year written with two digits, this century's.
        _ => match caps.name("cy") {
            Some(cy) => 2000 + cy.as_str().parse::<i16>().ok()?,
            None => caps.name("year")?.as_str().parse().ok()?,
        },
    };
    if !YEARS.contains(&year) {
        return None;
    }
    if kind == Kind::Year && !mode.bare && !cue.allows_bare_year() {
        return None;
    }
    let number = |name: &str| -> Option<i8> { caps.name(name)?.as_str().parse().ok() };
    if matches!(kind, Kind::Quarter | Kind::IsoQuarter) {
        let quarter = match caps.name("qword") {
            Some(word) => match word.as_str().get(..3)?.to_ascii_lowercase().as_str() {
                "fir" | "1st" => 1,
                "sec" | "2nd" => 2,
                "thi" | "3rd" => 3,
                _ => 4,
            },
            None => number("q")?,
        };
        let date = PartialDate::quarter(year, quarter).ok_or_else(|| "no such quarter".into());
        return Some(Candidate { range, cue, date });
    }
    let month = match kind {
        Kind::Iso | Kind::IsoMonth | Kind::Numeric => Some(number("mon")?),
        Kind::MonthDayYear | Kind::DayMonthYear | Kind::MonthYear | Kind::MonthDay => {
            Some(month_number(caps.name("month")?.as_str())?)
        }
        Kind::Year | Kind::Quarter | Kind::IsoQuarter => None,
    };
    let day = match kind {
        Kind::Iso | Kind::MonthDayYear | Kind::DayMonthYear | Kind::Numeric | Kind::MonthDay => {
            Some(number("day")?)
        }
        Kind::IsoMonth | Kind::MonthYear | Kind::Year | Kind::Quarter | Kind::IsoQuarter => None,
    };
    let date = PartialDate::new(year, month, day)
        .ok_or_else(|| impossible_reason(year, month.unwrap_or(1), day.unwrap_or(1)));
    // A numeric date that is not a real day is more likely something else (a ratio, a
    // fraction) than a mistake worth reporting.
    if kind == Kind::Numeric && date.is_err() {
        return None;
    }
    Some(Candidate { range, cue, date })
}

/// Finds dates in `text` as `mode` says.
fn scan(text: &str, mode: Mode) -> (Vec<DateMention>, Vec<DateProblem>) {
    // Every pattern but a day without a year needs a four-digit year (or a quarter's "CY21"),
    // and most sentences have none: a byte scan spares them the regex searches, and a day
    // without a year needs a month's name.
    let years = has_four_digits(text) || text.contains("CY");
    // A day without a year also needs a digit.
    let yearless =
        mode.year.is_some() && text.bytes().any(|b| b.is_ascii_digit()) && names_a_month(text);
    if !years && !yearless {
        return (Vec::new(), Vec::new());
    }
    let mut candidates: Vec<Candidate> = PATTERNS
        .iter()
        .filter(|(kind, _)| mode.bare || !matches!(kind, Kind::IsoMonth | Kind::IsoQuarter))
        .filter(|(kind, _)| {
            if *kind == Kind::MonthDay {
                yearless
            } else {
                years
            }
        })
        .flat_map(|(kind, re)| {
            re.captures_iter(text)
                .filter_map(move |caps| candidate(text, *kind, &caps, mode))
        })
        .collect();
    candidates.sort_by_key(|c| (c.range.start, Reverse(c.range.end)));

    let mut mentions = Vec::new();
    let mut problems = Vec::new();
    let mut taken_until = 0;
    for c in candidates {
        if c.range.start < taken_until {
            continue;
        }
        taken_until = c.range.end;
        match c.date {
            Ok(date) => mentions.push(DateMention {
                date,
                range: c.range,
                cue: c.cue,
            }),
            Err(reason) => problems.push(DateProblem::Impossible {
                text: text[c.range.clone()].to_owned(),
                range: c.range,
                reason,
            }),
        }
    }
    (mentions, problems)
}

/// Whether `text` may name a month: it holds the first three letters of one.
fn names_a_month(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| {
        matches!(
            [w[0] | 0x20, w[1] | 0x20, w[2] | 0x20],
            [b'j', b'a', b'n']
                | [b'f', b'e', b'b']
                | [b'm', b'a', b'r' | b'y']
                | [b'a', b'p', b'r']
                | [b'j', b'u', b'n' | b'l']
                | [b'a', b'u', b'g']
                | [b's', b'e', b'p']
                | [b'o', b'c', b't']
                | [b'n', b'o', b'v']
                | [b'd', b'e', b'c']
        )
    })
}

/// Whether `text` holds four ASCII digits in a row.
fn has_four_digits(text: &str) -> bool {
    let mut run = 0;
    text.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run == 4
    })
}

/// Every date phrase in one line of Markdown, in order and without overlaps, plus phrases
/// that name impossible dates. A bare year counts only after a cue word ("in 2022"), so
/// "SQL Server 2012" and version parts are not dates.
pub fn find_dates(text: &str) -> (Vec<DateMention>, Vec<DateProblem>) {
    scan(
        text,
        Mode {
            bare: false,
            year: None,
        },
    )
}

/// As [`find_dates`], and also days written without a year after a cue word ("by September
/// 18th"), read as days of `year`: the year the text around them is about.
pub fn find_dates_in_year(text: &str, year: i16) -> (Vec<DateMention>, Vec<DateProblem>) {
    scan(
        text,
        Mode {
            bare: false,
            year: Some(year),
        },
    )
}

/// The dates of a table cell, where a bare year is a date ("Estimated 2026", "2030") and
/// `YYYY-MM` a month, as in text known to hold dates.
pub fn find_dates_in_cell(text: &str) -> Vec<DateMention> {
    scan(
        text,
        Mode {
            bare: true,
            year: None,
        },
    )
    .0
}

/// Parses text that is exactly one date phrase ("September 23, 2024", "2022", "2024-09",
/// "2024-Q3"), ignoring surrounding whitespace; `None` for anything else, including impossible
/// dates.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    let (mentions, problems) = scan(
        text,
        Mode {
            bare: true,
            year: None,
        },
    );
    match (mentions.as_slice(), problems.is_empty()) {
        ([only], true) if only.range == (0..text.len()) => Some(only.date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell's bare year is a date, unless the word "version" names it.
    #[test]
    fn a_year_named_by_version_is_no_date_in_a_cell() {
        let dates = |text: &str| -> Vec<String> {
            find_dates_in_cell(text)
                .into_iter()
                .map(|m| m.date.to_string())
                .collect()
        };
        assert_eq!(dates("Version 2107"), Vec::<String>::new());
        // A character of several bytes before the year is no byte to cut at.
        assert_eq!(dates("→ 2030"), ["2030"]);
        assert_eq!(dates("the→version 2107"), Vec::<String>::new());
        assert_eq!(dates("Estimated 2026"), ["2026"]);
        assert_eq!(
            dates("The first release after March 1, 2023"),
            ["2023-03-01"]
        );
    }

    #[test]
    fn numeric_days_say_why_they_are_not_days() {
        assert_eq!(
            parse_numeric_day("2025-04-30", false),
            Ok(jiff::civil::date(2025, 4, 30))
        );
        assert_eq!(
            parse_numeric_day(" 11/06/2023 ", true),
            Ok(jiff::civil::date(2023, 11, 6))
        );
        assert_eq!(parse_numeric_day("11/06/2023", false), Err(NotADay::Shape));
        assert_eq!(parse_numeric_day("tomorrow", true), Err(NotADay::Shape));
        assert_eq!(parse_numeric_day("2025-4-30", true), Err(NotADay::Shape));
        assert_eq!(
            parse_numeric_day("2025-13-01", false),
            Err(NotADay::Impossible("month 13 does not exist".into()))
        );
        assert_eq!(
            parse_numeric_day("02/30/2025", true),
            Err(NotADay::Impossible("February 2025 has only 28 days".into()))
        );
    }
    use proptest::prelude::*;

    fn pd(iso: &str) -> PartialDate {
        let parts: Vec<i16> = iso
            .split('-')
            .map(|p| p.parse().expect("test iso"))
            .collect();
        let small = |i: usize| parts.get(i).map(|&p| i8::try_from(p).expect("test iso"));
        PartialDate::new(parts[0], small(1), small(2)).expect("test date")
    }

    #[test]
    fn four_digit_runs() {
        for (text, expected) in [
            ("", false),
            ("by September 23", false),
            ("version 1.2.345", false),
            ("in 2024", true),
            ("build 4.5.2487.0", true),
            ("123 4567", true),
            ("12a34", false),
        ] {
            assert_eq!(has_four_digits(text), expected, "{text}");
        }
    }

    /// (text, [(phrase, iso, precision, cue)]).
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str, Precision, Cue)],
    );

    #[test]
    fn finds_phrasings() {
        use Cue as C;
        use Precision::{Day, Month, Quarter, Year};
        let cases: &[Case] = &[
            (
                "by September 23, 2024",
                &[("September 23, 2024", "2024-09-23", Day, C::By)],
            ),
            // Non-breaking hyphens, as Learn's lifecycle tables write days.
            (
                "until 2034\u{2011}10\u{2011}10",
                &[("2034\u{2011}10\u{2011}10", "2034-10-10", Day, C::Until)],
            ),
            (
                "September 23 2024",
                &[("September 23 2024", "2024-09-23", Day, C::None)],
            ),
            (
                "Sept. 23, 2024",
                &[("Sept. 23, 2024", "2024-09-23", Day, C::None)],
            ),
            (
                "Sep 23, 2024",
                &[("Sep 23, 2024", "2024-09-23", Day, C::None)],
            ),
            ("sep 3,2024", &[("sep 3,2024", "2024-09-03", Day, C::None)]),
            (
                "23 September 2024",
                &[("23 September 2024", "2024-09-23", Day, C::None)],
            ),
            (
                "on 31 August, 2022",
                &[("31 August, 2022", "2022-08-31", Day, C::On)],
            ),
            (
                "the 1st of May 2025",
                &[("1st of May 2025", "2025-05-01", Day, C::None)],
            ),
            (
                "September 23rd, 2024",
                &[("September 23rd, 2024", "2024-09-23", Day, C::None)],
            ),
            (
                "by **September 16, 2024**",
                &[("September 16, 2024", "2024-09-16", Day, C::By)],
            ),
            (
                "by **September 16**, 2024",
                &[("September 16**, 2024", "2024-09-16", Day, C::By)],
            ),
            (
                "after December 2022",
                &[("December 2022", "2022-12", Month, C::After)],
            ),
            ("in July 2022", &[("July 2022", "2022-07", Month, C::In)]),
            ("Dec. 2022", &[("Dec. 2022", "2022-12", Month, C::None)]),
            (
                "December, 2022",
                &[("December, 2022", "2022-12", Month, C::None)],
            ),
            ("deprecated in 2022", &[("2022", "2022", Year, C::In)]),
            ("by 2025", &[("2025", "2025", Year, C::By)]),
            ("after **2023**", &[("2023", "2023", Year, C::After)]),
            ("until 2026", &[("2026", "2026", Year, C::Until)]),
            (
                "through March 2026",
                &[("March 2026", "2026-03", Month, C::Until)],
            ),
            (
                "as of August 31, 2022",
                &[("August 31, 2022", "2022-08-31", Day, C::AsOf)],
            ),
            (
                "date of April 7, 2025",
                &[("April 7, 2025", "2025-04-07", Day, C::None)],
            ),
            (
                "prior to 2025-04-30",
                &[("2025-04-30", "2025-04-30", Day, C::Before)],
            ),
            (
                "no later than June 1, 2025",
                &[("June 1, 2025", "2025-06-01", Day, C::By)],
            ),
            (
                "starting [June 1, 2025](x)",
                &[("June 1, 2025", "2025-06-01", Day, C::From)],
            ),
            (
                "from 2025-04-30",
                &[("2025-04-30", "2025-04-30", Day, C::From)],
            ),
            (
                "BY SEPTEMBER 2024",
                &[("SEPTEMBER 2024", "2024-09", Month, C::By)],
            ),
            (
                "before March 1, 2024 and after April 2024",
                &[
                    ("March 1, 2024", "2024-03-01", Day, C::Before),
                    ("April 2024", "2024-04", Month, C::After),
                ],
            ),
            ("Q1 2023", &[("Q1 2023", "2023-Q1", Quarter, C::None)]),
            ("Q1 CY21", &[("Q1 CY21", "2021-Q1", Quarter, C::None)]),
            ("Q3 CY 2025", &[("Q3 CY 2025", "2025-Q3", Quarter, C::None)]),
            (
                "by the end of Q1 2023",
                &[("Q1 2023", "2023-Q1", Quarter, C::By)],
            ),
            (
                "at the end of the first quarter of 2024",
                &[("the first quarter of 2024", "2024-Q1", Quarter, C::EndOf)],
            ),
            (
                "end of calendar year 2026",
                &[("2026", "2026", Year, C::EndOf)],
            ),
            ("by end of CY2026", &[("CY2026", "2026", Year, C::By)]),
            (
                "retires 1 October 2023",
                &[("1 October 2023", "2023-10-01", Day, C::None)],
            ),
            (
                "February 1 2027",
                &[("February 1 2027", "2027-02-01", Day, C::None)],
            ),
            (
                "date: 7/3/2026",
                &[("7/3/2026", "2026-07-03", Day, C::None)],
            ),
            ("13/25/2026 and 1/2/2026/x", &[]),
            ("API version 2021-08-01 or later", &[]),
            ("api-version=2024-10-01-preview", &[]),
            ("`\"apiVersion\": \"2023-07-01\"`", &[]),
            ("by September 18th", &[]),
            ("in 1899 and in 2200", &[]),
            ("SQL Server 2012", &[]),
            ("Windows Server 2019 in 2019.1", &[]),
            ("from 2022", &[]),
            ("in 2022-23", &[]),
            ("2025-04", &[]),
            ("path/2025-04-30 and v2025-04-30", &[]),
            ("version 4.5.2487.0", &[]),
            ("marching 2024", &[]),
        ];
        for &(text, expected) in cases {
            let (mentions, problems) = find_dates(text);
            assert!(problems.is_empty(), "{text:?}: {problems:?}");
            let got: Vec<(&str, String, Precision, Cue)> = mentions
                .iter()
                .map(|m| {
                    (
                        &text[m.range.clone()],
                        m.date.to_iso(),
                        m.date.precision(),
                        m.cue,
                    )
                })
                .collect();
            let want: Vec<(&str, String, Precision, Cue)> = expected
                .iter()
                .map(|&(p, iso, prec, cue)| (p, iso.to_owned(), prec, cue))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn days_without_a_year_take_the_year_around_them() {
        let cases: &[(&str, &[(&str, Cue)])] = &[
            ("upgrade by September 18th.", &[("2025-09-18", Cue::By)]),
            ("stops working on March 3", &[("2025-03-03", Cue::On)]),
            ("the September 18 release", &[]),
            (
                "by September 18, 2026 or after May 2",
                &[("2026-09-18", Cue::By), ("2025-05-02", Cue::After)],
            ),
            ("by May 2024", &[("2024-05", Cue::By)]),
        ];
        for &(text, expected) in cases {
            let (mentions, _) = find_dates_in_year(text, 2025);
            let got: Vec<(String, Cue)> =
                mentions.iter().map(|m| (m.date.to_iso(), m.cue)).collect();
            let want: Vec<(String, Cue)> = expected
                .iter()
                .map(|&(iso, cue)| (iso.to_owned(), cue))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn quarters_and_previous_dates() {
        let q = PartialDate::quarter(2023, 1).expect("quarter");
        assert_eq!(q.to_iso(), "2023-Q1");
        assert_eq!(q.last_day(), jiff::civil::date(2023, 3, 31));
        assert_eq!(
            parse_date("2023-Q4").map(|d| d.last_day()),
            Some(jiff::civil::date(2023, 12, 31))
        );
        assert!(pd("2023") < q && q < pd("2023-01"));
        for (date, previous) in [
            ("2026-09-30", "2026-09-29"),
            ("2026-01-01", "2025-12-31"),
            ("2026-10", "2026-09"),
            ("2026", "2025"),
        ] {
            assert_eq!(
                pd(date).previous().map(|d| d.to_iso()).as_deref(),
                Some(previous)
            );
        }
        assert_eq!(q.previous().map(|d| d.to_iso()).as_deref(), Some("2022-Q4"));
    }

    #[test]
    fn real_sentences() {
        let cases: &[(&str, &[(&str, Cue)])] = &[
            (
                "we **strongly recommend** that you upgrade to the [latest versions](reference-connect-version-history.md) by **September 23, 2024**.",
                &[("2024-09-23", Cue::By)],
            ),
            (
                "Since January 2024, we have been auto-upgrading",
                &[("2024-01", Cue::Since)],
            ),
            (
                "**__All Azure AD Connect V1 versions have been retired on 31 August, 2022.__**",
                &[("2022-08-31", Cue::On)],
            ),
            (
                "SQL Server 2012 will go out of extended support in July 2022.",
                &[("2022-07", Cue::In)],
            ),
            (
                "The deadline has been extended by three weeks from the earlier communicated date of April 7, 2025.",
                &[("2025-04-07", Cue::None)],
            ),
            (
                "After April 30, 2025, all authentication requests",
                &[("2025-04-30", Cue::After)],
            ),
            (
                "during the time period between **April 30, 2025 and when you upgrade**",
                &[("2025-04-30", Cue::None)],
            ),
            (
                "Support for TLS 1.2 in Microsoft Entra Connect was deprecated in 2022",
                &[("2022", Cue::In)],
            ),
            ("Version 2.3.20.0 is a security update", &[]),
            (
                "Microsoft Entra Connect Health may stop working after March 2023.",
                &[("2023-03", Cue::After)],
            ),
            (
                "customers won't work after **September 23, 2024**",
                &[("2024-09-23", Cue::After)],
            ),
            (
                "Microsoft Entra Connect: [version 2.3.2.0](reference-connect-version-history.md#2320) or higher",
                &[],
            ),
        ];
        for &(text, expected) in cases {
            let (mentions, problems) = find_dates(text);
            assert!(problems.is_empty(), "{text:?}: {problems:?}");
            let got: Vec<(String, Cue)> =
                mentions.iter().map(|m| (m.date.to_iso(), m.cue)).collect();
            let want: Vec<(String, Cue)> = expected
                .iter()
                .map(|&(iso, cue)| (iso.to_owned(), cue))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn reports_impossible_dates() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "February 30, 2025",
                "February 30, 2025",
                "February 2025 has only 28 days",
            ),
            (
                "by April 31, 2024.",
                "April 31, 2024",
                "April 2024 has only 30 days",
            ),
            (
                "on 30 February 2024",
                "30 February 2024",
                "February 2024 has only 29 days",
            ),
            (
                "September 0, 2024",
                "September 0, 2024",
                "day 0 does not exist",
            ),
            ("May 99, 2024", "May 99, 2024", "May 2024 has only 31 days"),
            ("2025-13-01", "2025-13-01", "month 13 does not exist"),
            ("2025-02-29", "2025-02-29", "February 2025 has only 28 days"),
        ];
        for &(text, phrase, reason) in cases {
            let (mentions, problems) = find_dates(text);
            assert!(mentions.is_empty(), "{text:?}: {mentions:?}");
            let got: Vec<(&str, &str)> = problems
                .iter()
                .map(
                    |DateProblem::Impossible {
                         text: t,
                         range,
                         reason: why,
                     }| {
                        assert_eq!(&text[range.clone()], t);
                        (t.as_str(), why.as_str())
                    },
                )
                .collect();
            assert_eq!(got, vec![(phrase, reason)], "{text:?}");
        }
    }

    #[test]
    fn partial_date_bounds_and_order() {
        type Ymd = (i16, i8, i8);
        let cases: &[(&str, Precision, Ymd, Ymd)] = &[
            ("2024-09-23", Precision::Day, (2024, 9, 23), (2024, 9, 23)),
            ("2024-02", Precision::Month, (2024, 2, 1), (2024, 2, 29)),
            ("2023-02", Precision::Month, (2023, 2, 1), (2023, 2, 28)),
            ("2022", Precision::Year, (2022, 1, 1), (2022, 12, 31)),
        ];
        for &(iso, precision, first, last) in cases {
            let d = pd(iso);
            assert_eq!(d.precision(), precision, "{iso}");
            assert_eq!(d.to_iso(), iso);
            assert_eq!(
                d.first_day(),
                jiff::civil::date(first.0, first.1, first.2),
                "{iso}"
            );
            assert_eq!(
                d.last_day(),
                jiff::civil::date(last.0, last.1, last.2),
                "{iso}"
            );
            assert_eq!(
                serde_json::to_string(&d).expect("json"),
                format!("\"{iso}\"")
            );
        }
        let sorted = [
            "2023-12-31",
            "2024",
            "2024-01",
            "2024-01-01",
            "2024-01-02",
            "2024-02",
        ];
        for pair in sorted.windows(2) {
            assert!(pd(pair[0]) < pd(pair[1]), "{pair:?}");
        }
        let invalid: &[(i16, Option<i8>, Option<i8>)] = &[
            (2025, Some(2), Some(30)),
            (2025, Some(13), None),
            (2025, None, Some(1)),
            (-1, None, None),
            (10000, None, None),
        ];
        for &(y, m, d) in invalid {
            assert_eq!(PartialDate::new(y, m, d), None, "{y} {m:?} {d:?}");
        }
    }

    #[test]
    fn parses_single_phrases() {
        let cases: &[(&str, Option<&str>)] = &[
            ("September 23, 2024", Some("2024-09-23")),
            ("  23 Sept 2024 ", Some("2024-09-23")),
            ("2022", Some("2022")),
            ("2024-09", Some("2024-09")),
            ("2024-09-23", Some("2024-09-23")),
            ("December 2022", Some("2022-12")),
            ("February 30, 2025", None),
            ("by 2022", None),
            ("2022 and 2023", None),
            ("1800", None),
            ("", None),
            ("soon", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(
                parse_date(text).map(|d| d.to_iso()),
                expected.map(str::to_owned),
                "{text:?}"
            );
        }
    }

    #[test]
    fn serializes_mentions() {
        let (mentions, problems) = find_dates("as of May 2024 or on April 31, 2024");
        let json = serde_json::to_value((&mentions, &problems)).expect("json");
        assert_eq!(json[0][0]["date"], "2024-05");
        assert_eq!(json[0][0]["cue"], "as_of");
        assert_eq!(json[0][0]["range"]["start"], 6);
        assert_eq!(json[1][0]["kind"], "impossible");
        let schema = serde_json::to_value(schemars::schema_for!(DateMention)).expect("schema");
        assert_eq!(schema["properties"]["date"]["type"], "string");
    }

    fn date_strategy() -> impl Strategy<Value = PartialDate> {
        (1900i16..2200, 0i8..=12, 0i8..=31).prop_filter_map("valid date", |(y, m, d)| {
            let month = (m > 0).then_some(m);
            let day = (m > 0 && d > 0).then_some(d);
            PartialDate::new(y, month, day)
        })
    }

    proptest! {
        #[test]
        fn iso_round_trips(d in date_strategy()) {
            prop_assert_eq!(parse_date(&d.to_iso()), Some(d));
        }

        #[test]
        fn order_matches_iso_strings(a in date_strategy(), b in date_strategy()) {
            prop_assert_eq!(a.cmp(&b), a.to_iso().cmp(&b.to_iso()));
            prop_assert!(a.first_day() <= a.last_day());
        }

        #[test]
        fn never_panics_and_ranges_are_ordered(
            s in prop_oneof![
                "\\PC{0,60}",
                "(by|in|of|as|May|Sept\\.|feb|2024|1899|31|30|0|-|/|\\*\\*|__|, | |2\\.4|é){0,14}",
            ]
        ) {
            let (mentions, problems) = find_dates(&s);
            let mut end = 0;
            for m in &mentions {
                prop_assert!(m.range.start >= end && s.get(m.range.clone()).is_some());
                end = m.range.end;
            }
            prop_assert!(problems.len() <= s.len());
            let _ = parse_date(&s);
        }
    }
}
