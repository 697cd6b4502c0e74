use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::forms::testing::{load_ok, BASE};

/// The test form with an age and a sex question marked for statistics.
pub(crate) fn form() -> Form {
    let sex = r#"
  [[section.question]]
  id = "sex"
  type = "choice"
  measure = "sex"
  label = { uk = "Стать", en = "Sex" }
  choices = [
    { value = "female", label = { uk = "Жіноча", en = "Female" } },
    { value = "male", label = { uk = "Чоловіча", en = "Male" } },
    { value = "refused", label = { uk = "Не хоче відповідати", en = "Prefers not to say" }, missing = true },
  ]

[[section]]
id = "jobs""#;
    let text = BASE
        .replace(
            "  id = \"age\"\n  type = \"integer\"\n",
            "  id = \"age\"\n  type = \"integer\"\n  measure = \"age\"\n",
        )
        .replacen("\n[[section]]\nid = \"jobs\"", sex, 1);
    load_ok(&text)
}

pub(crate) fn record(region: Option<&str>, month: u32, age: Option<u64>, sex: Option<&str>, debt: bool) -> Value {
    json!({
        "form": "test-form", "version": "1", "language": "uk",
        "started": format!("2026-{month:02}-03T10:00:00Z"),
        "answers": { "consent": "yes", "owes_debt": if debt { "yes" } else { "no" }, "age": age, "sex": sex },
        "outcome": "none",
        "indicators": if debt { json!(["debt"]) } else { json!([]) },
        "unanswered": [],
        "id": "r", "region": region,
    })
}

pub(crate) fn options(tables: &[&str], min_count: u64) -> SummaryOptions {
    SummaryOptions {
        tables: tables.iter().map(|t| TableSpec::parse(t).unwrap()).collect(),
        min_count,
        ..SummaryOptions::default()
    }
}

fn by_region(counts: &[(&str, usize)]) -> Vec<Value> {
    counts.iter().flat_map(|(r, n)| (0..*n).map(move |_| record(Some(r), 1, Some(30), Some("female"), false))).collect()
}

#[test]
fn two_small_counts_in_a_sum_protect_each_other() {
    let records = by_region(&[("kyiv", 25), ("lviv", 3), ("odesa", 4)]);
    let s = summarise(&form(), &records, &options(&["region"], 10)).unwrap();
    let t = &s.tables[0];
    let ids: Vec<&str> = t.rows.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["kyiv", "lviv", "odesa"], "no national category without national records");
    assert_eq!(t.row_totals, [Shown::Count(25), Shown::Small, Shown::Small]);
    assert_eq!(t.total, Shown::Count(32));
}

#[test]
fn a_single_small_count_hides_the_next_smallest_so_the_total_does_not_give_it_away() {
    let mut records = by_region(&[("kyiv", 25), ("lviv", 3), ("odesa", 30)]);
    records.extend((0..12).map(|_| record(None, 1, Some(30), Some("female"), false)));
    let s = summarise(&form(), &records, &options(&["region"], 10)).unwrap();
    let t = &s.tables[0];
    assert_eq!(t.rows.last().map(|c| c.id.as_str()), Some("unknown"));
    assert_eq!(t.row_totals, [Shown::Count(25), Shown::Small, Shown::Count(30), Shown::Hidden]);
    assert_eq!(t.total, Shown::Count(70));
}

#[test]
fn tables_that_share_a_margin_suppress_it_alike() {
    let mut records = by_region(&[("kyiv", 40), ("lviv", 12)]);
    records.extend((0..4).map(|_| record(Some("lviv"), 2, Some(30), Some("male"), true)));
    let s = summarise(&form(), &records, &options(&["region", "region*month", "month"], 10)).unwrap();
    let one = &s.tables[0];
    let cross = &s.tables[1];
    assert_eq!(one.row_totals, cross.row_totals, "the region table is the cross table's row totals");
    assert_eq!(s.tables[2].row_totals, cross.column_totals);
}

#[test]
fn age_and_sex_need_marked_questions() {
    let plain = load_ok(BASE);
    let e = summarise(&plain, &[], &options(&["age_band"], 10)).unwrap_err();
    assert!(matches!(e, SummaryError::NoMeasure { measure: "age", .. }), "{e}");
    assert!(matches!(TableSpec::parse("region*region"), Err(SummaryError::BadTable(_))));
    assert!(matches!(TableSpec::parse("county"), Err(SummaryError::UnknownKey(_))));
}

#[test]
fn age_bands_and_sex_come_from_the_measured_questions() {
    let records = vec![
        record(None, 1, Some(17), Some("female"), false),
        record(None, 1, Some(18), Some("refused"), false),
        record(None, 1, None, None, false),
    ];
    let s = summarise(&form(), &records, &options(&["age_band", "sex"], 2)).unwrap();
    let ages: Vec<&str> = s.tables[0].rows.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ages, ["age_0", "age_18", "age_25", "age_35", "age_50", "unknown"]);
    let sexes: Vec<&str> = s.tables[1].rows.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(sexes, ["female", "male", "unknown"], "«prefers not to say» counts as not stated");
}

/// Rank of integer rows by fraction-free elimination (exact, unlike the library's `f64`).
fn rank(mut rows: Vec<Vec<i128>>) -> usize {
    let n = rows.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..n {
        let Some(p) = (r..rows.len()).find(|&i| rows[i][c] != 0) else { continue };
        rows.swap(r, p);
        for i in 0..rows.len() {
            if i != r && rows[i][c] != 0 {
                let (a, b) = (rows[r][c], rows[i][c]);
                let pivot = rows[r].clone();
                for (x, y) in rows[i].iter_mut().zip(&pivot) {
                    *x = *x * a - *y * b;
                }
                let g = rows[i].iter().fold(0i128, |g, &x| gcd(g, x.abs()));
                if g > 1 {
                    rows[i].iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        r += 1;
    }
    r
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The suppressed figures a reader can solve for from the published tables alone: every
/// figure is named by its categories, every table's sums are equations.
fn recoverable(s: &Summary) -> Vec<String> {
    let mut published = Published::default();
    for t in &s.tables {
        published.add(t);
    }
    let mut vars: BTreeMap<String, usize> = BTreeMap::new();
    for (n, v) in &published.shown {
        if !matches!(v, Shown::Count(_)) {
            let next = vars.len();
            vars.entry(n.clone()).or_insert(next);
        }
    }
    solvable(&vars, &published.equations)
}

/// Every figure the tables show, by name, and the sums that hold between them.
#[derive(Default)]
struct Published {
    shown: BTreeMap<String, Shown>,
    equations: Vec<Vec<(String, i128)>>,
}

/// A figure's name: its categories, in a fixed order, so the same figure in two tables is one.
fn figure(parts: &[(Key, &str)]) -> String {
    let mut p: Vec<String> = parts.iter().map(|(k, id)| format!("{}={id}", k.name())).collect();
    p.sort();
    p.join(",")
}

impl Published {
    /// Records that `parts` sum to `whole`, when the categories split the records (a partition).
    fn sum(&mut self, parts: impl Iterator<Item = String>, whole: &str) {
        let mut eq: Vec<(String, i128)> = parts.map(|n| (n, 1)).collect();
        eq.push((whole.to_string(), -1));
        self.equations.push(eq);
    }

    fn add(&mut self, t: &Table) {
        let r = t.spec.rows;
        let total = figure(&[]);
        self.shown.insert(total.clone(), t.total);
        let rows: Vec<String> = t.rows.iter().map(|c| figure(&[(r, &c.id)])).collect();
        for (n, v) in rows.iter().zip(&t.row_totals) {
            self.shown.insert(n.clone(), *v);
        }
        if r.is_partition() {
            self.sum(rows.iter().cloned(), &total);
        }
        if let Some(c) = t.spec.columns {
            self.add_columns(t, c, &rows, &total);
        }
    }

    /// A two-way table's column totals and cells, with the sums along its rows and columns.
    fn add_columns(&mut self, t: &Table, c: Key, rows: &[String], total: &str) {
        let r = t.spec.rows;
        let cols: Vec<String> = t.columns.iter().map(|k| figure(&[(c, &k.id)])).collect();
        for (n, v) in cols.iter().zip(&t.column_totals) {
            self.shown.insert(n.clone(), *v);
        }
        if c.is_partition() {
            self.sum(cols.iter().cloned(), total);
        }
        let cell = |i: usize, j: usize| figure(&[(r, &t.rows[i].id), (c, &t.columns[j].id)]);
        for (i, row) in rows.iter().enumerate() {
            for (j, v) in t.cells[i].iter().enumerate() {
                self.shown.insert(cell(i, j), *v);
            }
            if c.is_partition() {
                self.sum((0..t.columns.len()).map(|j| cell(i, j)), row);
            }
        }
        if r.is_partition() {
            for (j, col) in cols.iter().enumerate() {
                self.sum((0..t.rows.len()).map(|i| cell(i, j)), col);
            }
        }
    }
}

/// The unknowns (`vars`) the equations determine: those whose unit vector lies in the span of
/// the equations' rows.
fn solvable(vars: &BTreeMap<String, usize>, equations: &[Vec<(String, i128)>]) -> Vec<String> {
    let matrix: Vec<Vec<i128>> = equations
        .iter()
        .map(|eq| {
            let mut row = vec![0i128; vars.len()];
            for (n, c) in eq {
                if let Some(&i) = vars.get(n) {
                    row[i] += c;
                }
            }
            row
        })
        .collect();
    let base = rank(matrix.clone());
    vars.iter()
        .filter(|(_, &i)| {
            let mut with = matrix.clone();
            let mut unit = vec![0i128; vars.len()];
            unit[i] = 1;
            with.push(unit);
            rank(with) == base
        })
        .map(|(n, _)| n.clone())
        .collect()
}

const TABLES: [&str; 8] =
    ["region", "month", "region*month", "sex*age_band", "indicator*region", "outcome", "age_band", "month*sex"];

fn dataset() -> impl Strategy<Value = Vec<Value>> {
    let one = (0usize..4, 1u32..4, prop::option::of(0u64..80), 0usize..4, any::<bool>());
    prop::collection::vec(one, 0..160).prop_map(|rs| {
        rs.into_iter()
            .map(|(r, m, age, sex, debt)| {
                let region = ["kyiv", "lviv", "odesa"].get(r).copied();
                let sex = ["female", "male", "refused"].get(sex).copied();
                record(region, m, age, sex, debt)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_suppressed_figure_can_be_solved_for(
        records in dataset(),
        picks in prop::collection::btree_set(0usize..TABLES.len(), 1..5),
        min_count in 2u64..15,
    ) {
        let tables: Vec<&str> = picks.iter().map(|&i| TABLES[i]).collect();
        let s = summarise(&form(), &records, &options(&tables, min_count)).unwrap();
        let solved = recoverable(&s);
        prop_assert!(solved.is_empty(), "solvable: {solved:?}");
        for t in &s.tables {
            let all = t.cells.iter().flatten().chain(&t.row_totals).chain(&t.column_totals);
            for v in all.chain(std::iter::once(&t.total)) {
                if let Shown::Count(n) = v {
                    prop_assert!(*n >= min_count);
                }
            }
        }
    }
}

#[test]
fn the_checker_finds_a_lone_suppressed_cell() {
    // Built by hand: one small row in a one-way table, with the total published.
    let c = |id: &str| Category { id: id.into(), label: Default::default() };
    let spec = TableSpec { rows: Key::Region, columns: None };
    let table = Table {
        spec,
        rows: vec![c("a"), c("b")],
        columns: Vec::new(),
        cells: Vec::new(),
        row_totals: vec![Shown::Count(20), Shown::Small],
        column_totals: Vec::new(),
        total: Shown::Count(23),
    };
    let s = Summary {
        form_id: "f".into(),
        form_version: "1".into(),
        form_title: Default::default(),
        min_count: 10,
        tables: vec![table],
    };
    assert_eq!(recoverable(&s), ["region=b"]);
}

/// Two blocks of four small cells joined by one more: every row and column has two or more
/// suppressed cells, yet the joining cell follows from the sums (rows 1–2 less columns 1–2).
#[test]
fn a_cell_bridging_two_blocks_is_caught_by_the_exact_check() {
    use suppress::{determined, suppress, Relation};
    let cell = |i: usize, j: usize| tables::figure(&[(Key::Region, i), (Key::Month, j)]);
    let small = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)];
    let mut counts: BTreeMap<tables::Figure, u64> = BTreeMap::new();
    for i in 0..4 {
        for j in 0..4 {
            counts.insert(cell(i, j), if small.contains(&(i, j)) { 3 } else { 50 });
        }
    }
    let mut relations = Vec::new();
    for i in 0..4 {
        let parent = vec![(Key::Region, i)];
        counts.insert(parent.clone(), (0..4).map(|j| counts[&cell(i, j)]).sum());
        relations.push(Relation { parent, children: (0..4).map(|j| cell(i, j)).collect() });
    }
    for j in 0..4 {
        let parent = vec![(Key::Month, j)];
        counts.insert(parent.clone(), (0..4).map(|i| counts[&cell(i, j)]).sum());
        relations.push(Relation { parent, children: (0..4).map(|i| cell(i, j)).collect() });
    }
    let primary: BTreeMap<tables::Figure, Shown> =
        counts.iter().map(|(f, &n)| (f.clone(), if n < 10 { Shown::Small } else { Shown::Count(n) })).collect();
    assert_eq!(determined(&primary, &relations, &counts, 10), [cell(1, 2)]);
    let shown = suppress(&counts, &relations, 10);
    let left = determined(&shown, &relations, &counts, 10);
    assert!(left.is_empty(), "{left:?} {shown:?}");
    assert!(shown.values().any(|s| *s == Shown::Hidden));
}

/// Two «<10» cells that must add up to 18 are both 9: the bounds give them away.
#[test]
fn bounds_a_reader_knows_are_taken_into_account() {
    use suppress::{determined, Relation};
    let f = |i: usize| vec![(Key::Region, i)];
    let counts: BTreeMap<tables::Figure, u64> = [(vec![], 68), (f(0), 50), (f(1), 9), (f(2), 9)].into_iter().collect();
    let relations = vec![Relation { parent: vec![], children: vec![f(0), f(1), f(2)] }];
    let shown: BTreeMap<tables::Figure, Shown> =
        [(vec![], Shown::Count(68)), (f(0), Shown::Count(50)), (f(1), Shown::Small), (f(2), Shown::Small)]
            .into_iter()
            .collect();
    assert_eq!(determined(&shown, &relations, &counts, 10), [f(1), f(2)]);
}
