//! Small-cell suppression over every figure of a run at once (see the module docs of
//! [`super`] for the method).

use std::collections::{BTreeMap, BTreeSet};

use super::tables::{figure, Classified, Figure};
use super::{Key, TableSpec};

/// How a figure is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    /// Below the threshold: shown as «<N».
    Small,
    /// Not small, hidden so that a small figure cannot be worked out from the others.
    Hidden,
}

/// `parent = sum of children`: a published total and the figures it adds up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub parent: Figure,
    pub children: Vec<Figure>,
}

impl Relation {
    fn members(&self) -> impl Iterator<Item = &Figure> {
        std::iter::once(&self.parent).chain(&self.children)
    }
}

/// Every additive relation among the figures of the tables: a partition key's categories add
/// up to the figure without it, within every other category. Indicators and dimensions are not
/// partitions (a record may have several), so their categories add up to nothing.
pub fn relations(c: &Classified, specs: &[TableSpec]) -> Vec<Relation> {
    let n = |k: Key| c.categories.get(&k).map_or(0, Vec::len);
    let mut out: Vec<Relation> = Vec::new();
    let mut add = |parent: Figure, children: Vec<Figure>| {
        let r = Relation { parent, children };
        if !r.children.is_empty() && !out.contains(&r) {
            out.push(r);
        }
    };
    for s in specs {
        let keys = s.keys();
        // Summing out `k` within each category of the other key (if any).
        for &k in keys.iter().filter(|k| k.is_partition()) {
            let other = keys.iter().copied().find(|&o| o != k);
            let within: Vec<Vec<(Key, usize)>> = match other {
                None => vec![Vec::new()],
                Some(o) => (0..n(o)).map(|j| vec![(o, j)]).collect(),
            };
            for w in within {
                let children = (0..n(k)).map(|i| figure(&[w.clone(), vec![(k, i)]].concat())).collect();
                add(figure(&w), children);
            }
            if other.is_some() {
                add(Vec::new(), (0..n(k)).map(|i| vec![(k, i)]).collect());
            }
        }
    }
    out
}

/// Decides how every figure is shown: primary suppression below `min_count`, then
/// complementary suppression until no suppressed figure is determined by the relations.
pub fn suppress(counts: &BTreeMap<Figure, u64>, relations: &[Relation], min_count: u64) -> BTreeMap<Figure, Shown> {
    let mut shown: BTreeMap<Figure, Shown> =
        counts.iter().map(|(f, &n)| (f.clone(), if n < min_count { Shown::Small } else { Shown::Count(n) })).collect();
    loop {
        close_single_gaps(&mut shown, counts, relations);
        let pinned = determined(&shown, relations, counts, min_count);
        let Some(f) = pinned.first() else { return shown };
        // Hide one more figure that shares a relation with the pinned one, the smallest first.
        let partner = relations
            .iter()
            .filter(|r| r.members().any(|m| m == f))
            .flat_map(|r| r.members())
            .filter(|m| matches!(shown.get(*m), Some(Shown::Count(_))))
            .min_by_key(|m| (counts.get(*m).copied().unwrap_or(0), m.is_empty()))
            .cloned();
        let fallback = || shown.iter().find(|(_, s)| matches!(s, Shown::Count(_))).map(|(f, _)| f.clone());
        match partner.or_else(fallback) {
            Some(p) => {
                shown.insert(p, Shown::Hidden);
            }
            None => return shown,
        }
    }
}

/// In every relation with exactly one suppressed member, hides the smallest published one.
fn close_single_gaps(shown: &mut BTreeMap<Figure, Shown>, counts: &BTreeMap<Figure, u64>, relations: &[Relation]) {
    let suppressed = |s: &BTreeMap<Figure, Shown>, f: &Figure| !matches!(s.get(f), Some(Shown::Count(_)));
    let mut changed = true;
    while changed {
        changed = false;
        for r in relations {
            if r.members().filter(|m| suppressed(shown, m)).count() != 1 {
                continue;
            }
            // Prefer a child over the total: a hidden total costs every reader.
            let pick = r
                .members()
                .filter(|m| !suppressed(shown, m))
                .min_by_key(|m| (*m == &r.parent, counts.get(*m).copied().unwrap_or(0)))
                .cloned();
            if let Some(p) = pick {
                shown.insert(p, Shown::Hidden);
                changed = true;
            }
        }
    }
}

/// The suppressed figures whose value follows from the published ones: exactly, through the
/// relations as linear equations, or because the bounds a reader knows (a small figure is
/// 0..N−1, a hidden one at least N) leave one value.
pub fn determined(
    shown: &BTreeMap<Figure, Shown>,
    relations: &[Relation],
    counts: &BTreeMap<Figure, u64>,
    min_count: u64,
) -> Vec<Figure> {
    let unknowns: Vec<&Figure> = shown.iter().filter(|(_, s)| !matches!(s, Shown::Count(_))).map(|(f, _)| f).collect();
    let at: BTreeMap<&Figure, usize> = unknowns.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let rows: Vec<Vec<f64>> = relations
        .iter()
        .map(|r| {
            let mut row = vec![0.0; unknowns.len()];
            for (m, sign) in r.members().map(|m| (m, if m == &r.parent { 1.0 } else { -1.0 })) {
                if let Some(&i) = at.get(m) {
                    row[i] += sign;
                }
            }
            row
        })
        .filter(|row| row.iter().any(|&x| x != 0.0))
        .collect();
    let mut pinned: BTreeSet<usize> = super::linear::pinned(rows, unknowns.len()).into_iter().collect();
    pinned.extend(by_bounds(shown, relations, counts, min_count, &at));
    pinned.into_iter().map(|i| unknowns[i].clone()).collect()
}

/// Interval reasoning per relation, repeated until nothing narrows: a suppressed member lies
/// between the relation's total less the others' upper bounds and less their lower bounds.
fn by_bounds(
    shown: &BTreeMap<Figure, Shown>,
    relations: &[Relation],
    counts: &BTreeMap<Figure, u64>,
    min_count: u64,
    at: &BTreeMap<&Figure, usize>,
) -> Vec<usize> {
    // A reader knows no upper bound but the published number of screenings.
    let total = match shown.get(&Vec::new()) {
        Some(Shown::Count(n)) => *n as i64,
        _ => counts.values().copied().max().unwrap_or(0) as i64 * 1000 + 1000,
    };
    let mut bounds: BTreeMap<&Figure, (i64, i64)> = at
        .keys()
        .map(|f| {
            let b = match shown.get(*f) {
                Some(Shown::Small) => (0, min_count as i64 - 1),
                _ => (min_count as i64, total),
            };
            (*f, b)
        })
        .collect();
    let value = |f: &Figure, b: &BTreeMap<&Figure, (i64, i64)>| match shown.get(f) {
        Some(Shown::Count(n)) => (*n as i64, *n as i64),
        _ => b.get(f).copied().unwrap_or((0, total)),
    };
    for _ in 0..50 {
        let mut narrowed = false;
        for r in relations {
            // parent − Σ children = 0, each member with its bounds.
            let members: Vec<(&Figure, i64)> = r.members().map(|m| (m, if m == &r.parent { 1 } else { -1 })).collect();
            for (f, sign) in &members {
                let Some(&(lo, hi)) = bounds.get(*f) else { continue };
                let (mut rest_lo, mut rest_hi) = (0i64, 0i64);
                for (g, s) in members.iter().filter(|(g, _)| g != f) {
                    let (glo, ghi) = value(g, &bounds);
                    let (a, b) = (s * glo, s * ghi);
                    rest_lo += a.min(b);
                    rest_hi += a.max(b);
                }
                // sign·f = −rest
                let (flo, fhi) = if *sign == 1 { (-rest_hi, -rest_lo) } else { (rest_lo, rest_hi) };
                let (nlo, nhi) = (lo.max(flo), hi.min(fhi));
                if (nlo, nhi) != (lo, hi) && nlo <= nhi {
                    bounds.insert(f, (nlo, nhi));
                    narrowed = true;
                }
            }
        }
        if !narrowed {
            break;
        }
    }
    bounds.iter().filter(|(_, (lo, hi))| lo >= hi).filter_map(|(f, _)| at.get(*f).copied()).collect()
}
