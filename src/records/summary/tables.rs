//! From records to counts: the categories of each key, and the count of every figure a run
//! publishes (a cell, a row or column total, or the number of screenings).

use std::collections::BTreeMap;

use super::{Key, TableSpec};
use crate::forms::expr::FiredIndicator;
use crate::forms::form::Measure;
use crate::forms::form::QuestionType;
use crate::forms::{Form, LangText};
use crate::records::json::Json;

/// One category of a key: its stable id and its label per language.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: String,
    pub label: LangText,
}

/// A figure: the records that fall in one category of each of some keys (none: every record).
/// The same figure in two tables is one value, so it is suppressed in both or in neither.
pub type Figure = Vec<(Key, usize)>;

/// What a summary reads of one record: a few codes, so a run over many records holds little.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub outcome: Option<String>,
    pub indicators: Vec<String>,
    /// The answer to the question marked `measure = "age"`, in full years.
    pub age: Option<u64>,
    /// The code chosen for the single choice marked `measure = "sex"`.
    pub sex: Option<String>,
    /// `started` as (year, month).
    pub month: Option<(i32, u32)>,
    pub region: Option<String>,
}

impl Facts {
    /// The facts of `r`, a record read as `form`'s current version.
    pub fn of(form: &Form, r: &Json) -> Facts {
        let answers = r.get("answers");
        let measured = |m: Measure| {
            let q = form.questions().map(|(_, q)| q).find(|q| q.measure == Some(m))?;
            Some((q, answers.get(&q.id))).filter(|(_, v)| **v != Json::Null)
        };
        let text = |key: &str| r.get(key).as_str().map(str::to_string);
        Facts {
            outcome: text("outcome"),
            indicators: r
                .get("indicators")
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect(),
            age: measured(Measure::Age).and_then(|(_, v)| v.as_u64()),
            sex: match measured(Measure::Sex) {
                Some((q, Json::String(code))) if q.kind == QuestionType::Choice => Some(code.to_string()),
                _ => None,
            },
            month: month_of(r),
            region: text("region"),
        }
    }
}

/// Where each record falls, key by key: one category for a partition key, any number for
/// indicators and dimensions.
pub struct Classified {
    pub categories: BTreeMap<Key, Vec<Category>>,
    /// Per record, per key: the category indices.
    pub records: Vec<BTreeMap<Key, Vec<usize>>>,
}

fn label(uk: &str, en: &str) -> LangText {
    [("uk".to_string(), uk.to_string()), ("en".to_string(), en.to_string())].into_iter().collect()
}

fn cat(id: &str, uk: &str, en: &str) -> Category {
    Category { id: id.to_string(), label: label(uk, en) }
}

/// Age bands in full years; wide enough that a band is rarely one person.
const AGE_BANDS: [(u64, Option<u64>, &str); 5] = [
    (0, Some(17), "0–17"),
    (18, Some(24), "18–24"),
    (25, Some(34), "25–34"),
    (35, Some(49), "35–49"),
    (50, None, "50+"),
];

/// The category used for a record that does not say (no answer, "doesn't know", "prefers not to
/// say", no date): kept as a category of its own so every partition adds up to the total.
pub const UNKNOWN: &str = "unknown";

fn unknown() -> Category {
    cat(UNKNOWN, "Не зазначено", "Not stated")
}

/// Sorts every record into the categories of the keys the tables use.
pub fn classify(
    form: &Form,
    records: &[Facts],
    specs: &[TableSpec],
    region_labels: &BTreeMap<String, LangText>,
) -> Classified {
    let mut keys: Vec<Key> = specs.iter().flat_map(|s| s.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut categories = BTreeMap::new();
    for &k in &keys {
        categories.insert(k, fixed_categories(form, k, records, region_labels));
    }
    let records =
        records.iter().map(|r| keys.iter().map(|&k| (k, place(form, k, r, &categories[&k]))).collect()).collect();
    Classified { categories, records }
}

/// The categories of `key`: the form's own for outcomes, indicators, dimensions and sex; the age
/// bands; every month from the first to the last (so an empty month shows as small, not as
/// missing); the regions the records come from. Undated records and records of the national
/// portal have a category only when there are some.
fn fixed_categories(
    form: &Form,
    key: Key,
    records: &[Facts],
    region_labels: &BTreeMap<String, LangText>,
) -> Vec<Category> {
    match key {
        Key::Outcome => {
            let mut out: Vec<Category> =
                form.outcomes.iter().map(|o| Category { id: o.id.clone(), label: o.label.clone() }).collect();
            out.push(cat(crate::forms::form::INCOMPLETE, "Скринінг не завершено", "Screening incomplete"));
            out.push(cat(UNKNOWN, "Результат не визначено", "No outcome worked out"));
            out
        }
        Key::Indicator => {
            form.indicators.iter().map(|i| Category { id: i.id.clone(), label: i.label.clone() }).collect()
        }
        Key::Dimension => {
            form.dimensions.iter().map(|d| Category { id: d.id.clone(), label: d.label.clone() }).collect()
        }
        Key::AgeBand => {
            let mut out: Vec<Category> = AGE_BANDS.iter().map(|(lo, _, l)| cat(&format!("age_{lo}"), l, l)).collect();
            out.push(unknown());
            out
        }
        Key::Sex => sex_categories(form),
        Key::Month => month_categories(records),
        Key::Region => region_categories(records, region_labels),
    }
}

/// The choices of the form's question that measures sex (but "doesn't know" and the like), then
/// unknown.
fn sex_categories(form: &Form) -> Vec<Category> {
    let q = form.questions().map(|(_, q)| q).find(|q| q.measure == Some(Measure::Sex));
    let mut out: Vec<Category> = q
        .into_iter()
        .flat_map(|q| q.choices.iter().filter(|c| !c.missing))
        .map(|c| Category { id: c.value.clone(), label: c.label.clone() })
        .collect();
    out.push(unknown());
    out
}

/// Every month from the records' first to their last, then unknown when a record is undated.
fn month_categories(records: &[Facts]) -> Vec<Category> {
    let months: Vec<(i32, u32)> = records.iter().filter_map(|r| r.month).collect();
    let mut out = Vec::new();
    if let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) {
        let (mut y, mut m) = first;
        while (y, m) <= last {
            let id = format!("{y:04}-{m:02}");
            out.push(cat(&id, &id, &id));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    // Never no category at all: an empty partition would tell that its total is zero.
    if months.len() < records.len() || out.is_empty() {
        out.push(unknown());
    }
    out
}

/// The regions the records come from, by their names, then the national portal when a record
/// comes from it (or none names a region).
fn region_categories(records: &[Facts], region_labels: &BTreeMap<String, LangText>) -> Vec<Category> {
    let mut ids: Vec<&str> = records.iter().filter_map(|r| r.region.as_deref()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out: Vec<Category> = ids
        .into_iter()
        .map(|id| match region_labels.get(id) {
            Some(label) => Category { id: id.to_string(), label: label.clone() },
            None => cat(id, id, id),
        })
        .collect();
    if out.is_empty() || records.iter().any(|r| r.region.is_none()) {
        out.push(cat(UNKNOWN, "Національний портал", "National portal"));
    }
    out
}

/// `started` as (year, month), when it reads as a date.
fn month_of(r: &Json) -> Option<(i32, u32)> {
    let s = r.get("started").as_str()?;
    let y: i32 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    (s.get(4..5) == Some("-") && (1..=12).contains(&m)).then_some((y, m))
}

fn index(cats: &[Category], id: &str) -> Option<usize> {
    cats.iter().position(|c| c.id == id)
}

/// The categories record `r` falls in for `key`.
fn place(form: &Form, key: Key, r: &Facts, cats: &[Category]) -> Vec<usize> {
    let unknown = || index(cats, UNKNOWN).into_iter().collect::<Vec<_>>();
    let fired: Vec<&str> = r.indicators.iter().map(String::as_str).collect();
    match key {
        // An outcome the form no longer has counts as not worked out, so the categories still
        // add up to the total.
        Key::Outcome => match r.outcome.as_deref().and_then(|id| index(cats, id)) {
            Some(i) => vec![i],
            None => unknown(),
        },
        Key::Indicator => {
            cats.iter().enumerate().filter(|(_, c)| fired.contains(&c.id.as_str())).map(|(i, _)| i).collect()
        }
        Key::Dimension => {
            let fired: Vec<FiredIndicator> = form
                .indicators
                .iter()
                .filter(|i| fired.contains(&i.id.as_str()))
                .map(|i| FiredIndicator { dimension: i.dimension.clone(), strength: i.strength })
                .collect();
            cats.iter()
                .enumerate()
                .filter(|(_, c)| form.rule.dimension_positive(&c.id, &fired))
                .map(|(i, _)| i)
                .collect()
        }
        Key::AgeBand => match r.age {
            Some(age) => {
                let band = AGE_BANDS.iter().position(|(lo, hi, _)| age >= *lo && hi.is_none_or(|h| age <= h));
                band.into_iter().collect()
            }
            None => unknown(),
        },
        Key::Sex => match r.sex.as_deref() {
            Some(code) => index(cats, code).map_or_else(unknown, |i| vec![i]),
            None => unknown(),
        },
        Key::Month => match r.month {
            Some((y, m)) => index(cats, &format!("{y:04}-{m:02}")).into_iter().collect(),
            None => unknown(),
        },
        Key::Region => match r.region.as_deref() {
            Some(id) => index(cats, id).into_iter().collect(),
            None => unknown(),
        },
    }
}

/// The count of every figure the tables publish: each record adds one to every figure it falls
/// in, found from its own categories (a figure shared by two tables is counted once).
pub fn count(c: &Classified, specs: &[TableSpec]) -> BTreeMap<Figure, u64> {
    let mut counts: BTreeMap<Figure, u64> = BTreeMap::new();
    for spec in specs {
        for f in figures(c, spec) {
            counts.entry(f).or_insert(0);
        }
    }
    let mut mine: std::collections::BTreeSet<Figure> = std::collections::BTreeSet::new();
    for r in &c.records {
        mine.clear();
        mine.insert(Vec::new());
        let of = |k: Key| r.get(&k).map(Vec::as_slice).unwrap_or_default();
        for spec in specs {
            for &i in of(spec.rows) {
                mine.insert(vec![(spec.rows, i)]);
                let Some(col) = spec.columns else { continue };
                for &j in of(col) {
                    mine.insert(vec![(col, j)]);
                    mine.insert(figure(&[(spec.rows, i), (col, j)]));
                }
            }
            if let Some(col) = spec.columns {
                for &j in of(col) {
                    mine.insert(vec![(col, j)]);
                }
            }
        }
        for f in &mine {
            if let Some(n) = counts.get_mut(f) {
                *n += 1;
            }
        }
    }
    counts
}

/// Every figure of one table: its cells, its totals and the number of screenings.
pub fn figures(c: &Classified, spec: &TableSpec) -> Vec<Figure> {
    let n = |k: Key| c.categories.get(&k).map_or(0, Vec::len);
    let mut out = vec![Vec::new()];
    out.extend((0..n(spec.rows)).map(|i| vec![(spec.rows, i)]));
    if let Some(col) = spec.columns {
        out.extend((0..n(col)).map(|j| vec![(col, j)]));
        for i in 0..n(spec.rows) {
            out.extend((0..n(col)).map(|j| figure(&[(spec.rows, i), (col, j)])));
        }
    }
    out
}

/// A figure with its keys in one order, whichever table names it.
pub fn figure(parts: &[(Key, usize)]) -> Figure {
    let mut f = parts.to_vec();
    f.sort();
    f
}
