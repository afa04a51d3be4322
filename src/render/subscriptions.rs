//! What readers subscribe to: an Atom feed of advisories and iCalendar files of deadlines.
//!
//! Both must behave well in the reader's client across builds: Atom entries keep their ids,
//! and calendar events keep their UIDs when a date is corrected, so the client moves the
//! event instead of adding a second one. Dates that no longer stand are published as
//! cancelled events, so a client that had them removes them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use atom_syndication::{Content, Entry, Feed as AtomFeed, Link, Person, Text};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Trigger};

use crate::model::MilestoneKind;
use crate::policy::feed::{Feed, FeedAdvisory, FeedDeadline};
use crate::reconcile::SupersedeReason;
use crate::routes::Routes;
use rayon::prelude::*;

use crate::render::AdvisorySummary;
use crate::slug::slugify;

/// How a calendar's text ends.
const CALENDAR_END: &str = "END:VCALENDAR\r\n";

/// Days before an event its reminders fire.
const REMINDER_DAYS: &[i64] = &[30, 7];

/// A stable identifier for `path` on this site: the absolute URL when the site has an
/// absolute base URL, else a URN made from the site's title (`urn:bulletin:<site>:<path>`).
fn stable_id(routes: Routes<'_>, site_title: &str, path: &str) -> String {
    if routes.is_absolute() {
        routes.url(path)
    } else {
        let path = path.trim_end_matches('/').replace('/', ":");
        format!("urn:bulletin:{}:{path}", slugify(site_title))
    }
}

/// The host part of calendar UIDs: the site's host, else `<site>.bulletin`.
fn uid_host(base_url: &str, site_title: &str) -> String {
    base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|host| !host.is_empty())
        .map_or_else(
            || format!("{}.bulletin", slugify(site_title)),
            str::to_string,
        )
}

fn timestamp(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap_or_default()
}

/// An entry of the Atom feed: an advisory (with the standing revision's text), or, with git
/// history, a revision that changed its facts.
pub struct AtomEntry<'a> {
    /// The site path its stable id is made from: `advisories/<id>/`, or
    /// `advisories/<id>/revisions/<commit>/` for a revision.
    pub id_path: String,
    /// Its title.
    pub title: String,
    /// The page it links to.
    pub url: String,
    /// When it last changed (RFC 3339).
    pub updated: String,
    /// A one-line summary.
    pub summary: Option<String>,
    /// Its content, sanitised HTML.
    pub body: Cow<'a, str>,
}

impl<'a> AtomEntry<'a> {
    /// An advisory with the standing revision's sanitised HTML. Its `updated` is the date of
    /// the last revision that changed a requirement or a deadline.
    pub fn advisory(summary: &AdvisorySummary, body: &'a str) -> AtomEntry<'a> {
        AtomEntry {
            id_path: Routes::advisory(&summary.id),
            title: summary.title.clone(),
            url: summary.url.clone(),
            updated: summary.updated.clone(),
            summary: summary.description.clone(),
            body: Cow::Borrowed(body),
        }
    }
}

/// `atom.xml`: one entry per item of `entries`.
pub fn atom(
    site_title: &str,
    routes: Routes<'_>,
    generated_at: &str,
    entries: &[AtomEntry<'_>],
) -> String {
    let entries: Vec<Entry> = entries
        .iter()
        .map(|entry| Entry {
            id: stable_id(routes, site_title, &entry.id_path),
            title: Text::plain(entry.title.clone()),
            updated: timestamp(&entry.updated),
            links: vec![Link {
                href: entry.url.clone(),
                rel: "alternate".to_string(),
                mime_type: Some("text/html".to_string()),
                ..Link::default()
            }],
            summary: entry.summary.clone().map(Text::plain),
            content: Some(Content {
                value: Some(entry.body.to_string()),
                content_type: Some("html".to_string()),
                ..Content::default()
            }),
            ..Entry::default()
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| timestamp(generated_at));
    let feed = AtomFeed {
        id: stable_id(routes, site_title, Routes::ATOM),
        title: Text::plain(site_title.to_string()),
        updated,
        authors: vec![Person {
            name: site_title.to_string(),
            ..Person::default()
        }],
        links: vec![
            Link {
                href: routes.url(Routes::ATOM),
                rel: "self".to_string(),
                ..Link::default()
            },
            Link {
                href: routes.url(Routes::HOME),
                rel: "alternate".to_string(),
                ..Link::default()
            },
        ],
        generator: None,
        entries,
        ..AtomFeed::default()
    };
    feed.to_string()
}

/// One milestone as a calendar event, with the identity that keeps it stable.
struct CalendarItem<'a> {
    advisory: &'a FeedAdvisory,
    deadline: &'a FeedDeadline,
    uid: String,
}

/// Every calendar item of the feed, with UIDs: a standing milestone is identified by its
/// advisory, its kind and its rank among that advisory's standing milestones of that kind
/// (not by its date, so a corrected date moves the event); a superseded one by its date.
fn items<'a>(feed: &'a Feed, ns_host: &str) -> Vec<CalendarItem<'a>> {
    let mut items = Vec::new();
    for advisory in &feed.advisories {
        let mut rank: BTreeMap<MilestoneKind, usize> = BTreeMap::new();
        for deadline in &advisory.deadlines {
            // A date a later commit replaced was the same event, now moved (its SEQUENCE
            // says so), not an event of its own.
            let replaced_in_history = deadline
                .superseded_by
                .as_ref()
                .is_some_and(|s| s.reason == SupersedeReason::LaterCommit);
            if replaced_in_history {
                continue;
            }
            let kind = deadline.kind.id();
            let uid = match &deadline.superseded_by {
                None => {
                    let slot = rank.entry(deadline.kind).or_default();
                    *slot += 1;
                    format!("{kind}-{slot}.{}@{ns_host}", advisory.id)
                }
                Some(_) => format!(
                    "{kind}-{}-superseded.{}@{ns_host}",
                    deadline.date, advisory.id
                ),
            };
            items.push(CalendarItem {
                advisory,
                deadline,
                uid,
            });
        }
    }
    items
}

/// The calendars: `deadlines.ics` (everything), one per product and one per advisory. Each
/// file is first `claim`ed (by site-relative path), and only when some claim gives a slot,
/// saying the file must be made, are the events formatted and each claimed file handed to
/// `fill` (slot, text): `serve` keys calendars by the feed, so a rebuild after an edit that
/// changes no date formats none. A product's calendar holds the cutoffs of the advisories
/// `cited` lists for it that name it or no product.
pub fn calendars<S: Send, E: Send>(
    feed: &Feed,
    cited: &BTreeMap<&str, Vec<&FeedAdvisory>>,
    site_title: &str,
    routes: Routes<'_>,
    claim: &(dyn Fn(&str) -> Result<Option<S>, E> + Sync),
    fill: &(dyn Fn(S, &str) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let site = claim(Routes::CALENDAR)?;
    let products = feed
        .products
        .par_iter()
        .map(|product| claim(&Routes::product_calendar(&product.id)))
        .collect::<Result<Vec<_>, E>>()?;
    let advisories = feed
        .advisories
        .par_iter()
        .map(|advisory| claim(&Routes::advisory_calendar(&advisory.id)))
        .collect::<Result<Vec<_>, E>>()?;
    if site.is_none() && products.iter().chain(&advisories).all(Option::is_none) {
        return Ok(());
    }
    let items = items(feed, &uid_host(routes.base(), site_title));
    let stamp = timestamp(&feed.generated_at).with_timezone(&Utc);
    // Each event is formatted once and its text shared by every calendar that holds it:
    // formatting is most of the cost, and a busy product's calendar holds hundreds.
    let events: Vec<(&CalendarItem<'_>, String)> = items
        .par_iter()
        .filter_map(|item| {
            let event = event(item, stamp, routes)?;
            Some((item, event.try_into_string().ok()?))
        })
        .collect();
    let mut by_advisory: HashMap<&str, Vec<&(&CalendarItem<'_>, String)>> = HashMap::new();
    for event in &events {
        by_advisory
            .entry(event.0.advisory.id.as_str())
            .or_default()
            .push(event);
    }
    let calendar =
        |name: &str, advisories: &mut dyn Iterator<Item = &str>, product: Option<&str>| {
            let mut calendar = Calendar::new();
            calendar.name(name);
            let empty = calendar.done().to_string();
            let head = empty.strip_suffix(CALENDAR_END).unwrap_or(&empty);
            let mut text = head.to_string();
            for id in advisories {
                for (item, event) in by_advisory.get(id).into_iter().flatten() {
                    let concerns = match (product, item.deadline.product.as_deref()) {
                        (Some(wanted), Some(named)) => wanted == named,
                        _ => true,
                    };
                    if concerns {
                        text.push_str(event);
                    }
                }
            }
            text.push_str(CALENDAR_END);
            text
        };
    if let Some(slot) = site {
        let all = feed.advisories.iter().map(|a| a.id.as_str());
        fill(
            slot,
            &calendar(&format!("{site_title}: deadlines"), &mut { all }, None),
        )?;
    }
    feed.products
        .par_iter()
        .zip(products)
        .try_for_each(|(product, slot)| {
            let Some(slot) = slot else { return Ok(()) };
            let advisories = cited.get(product.id.as_str()).into_iter().flatten();
            fill(
                slot,
                &calendar(
                    &format!("{}: deadlines", product.name),
                    &mut advisories.map(|a| a.id.as_str()),
                    Some(&product.id),
                ),
            )
        })?;
    feed.advisories
        .par_iter()
        .zip(advisories)
        .try_for_each(|(advisory, slot)| {
            let Some(slot) = slot else { return Ok(()) };
            fill(
                slot,
                &calendar(
                    &format!("{}: deadlines", advisory.title),
                    &mut std::iter::once(advisory.id.as_str()),
                    None,
                ),
            )
        })
}

/// An all-day event on the last day the milestone covers, with reminders while it is still
/// ahead on the build's date (`stamp`): a reminder of a day already past can never ring, and
/// on a site with years of history such reminders were two fifths of every calendar's bytes.
fn event(item: &CalendarItem<'_>, stamp: DateTime<Utc>, routes: Routes<'_>) -> Option<Event> {
    let date = item.deadline.date.last_day();
    let day = NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )?;
    // Each revision that moved a date of this kind changed the event: clients keep the
    // version with the highest sequence.
    let moves = item
        .advisory
        .history
        .iter()
        .filter(|h| {
            h.changes
                .iter()
                .any(|c| c.field == item.deadline.kind.id() && c.from.is_some())
        })
        .count();
    let sequence = item.advisory.revisions.len().saturating_sub(1) + moves;
    let mut event = Event::new();
    event
        .uid(&item.uid)
        .timestamp(stamp)
        .sequence(u32::try_from(sequence).unwrap_or(u32::MAX))
        .summary(&format!(
            "{}: {}",
            item.deadline.kind.label(),
            item.advisory.title
        ))
        .description(&format!(
            "{}\n\nSource: content/{}:{}",
            item.deadline.text, item.deadline.source.file, item.deadline.source.line
        ))
        .starts(day)
        .ends(day + TimeDelta::days(1));
    // URL must be absolute; a site served under a relative base_url has no such address.
    if routes.is_absolute() {
        event.url(&item.advisory.url);
    }
    match &item.deadline.superseded_by {
        Some(_) => {
            event.status(EventStatus::Cancelled);
        }
        None => {
            event.status(EventStatus::Confirmed);
            let reminders = if day >= stamp.date_naive() {
                REMINDER_DAYS
            } else {
                &[]
            };
            for days in reminders {
                let mut alarm = Alarm::display(
                    &format!("In {days} days: {}", item.advisory.title),
                    Trigger::before_start(TimeDelta::days(*days)),
                );
                // icalendar stamps components it was not given a UID and DTSTAMP for with
                // random and current values; fixed ones keep the output reproducible.
                alarm.uid(&format!("{days}d.{}", item.uid)).timestamp(stamp);
                event.alarm(alarm.done());
            }
        }
    }
    Some(event.done())
}
