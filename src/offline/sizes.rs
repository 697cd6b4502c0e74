//! Which files of a copy are compressed to learn their kept (gzip) size, and the estimate for
//! the others.
//!
//! A copy of a small portal is measured whole. In a large one most files are alike (thousands of
//! pages from one template, thousands of search files), and compressing each only to state the
//! size of the copy was a fifth of a 10,000-page build. So of each kind of file (its extension)
//! every k-th is compressed, at most [`MEASURED_PER_KIND`] of them, and so is every file of
//! [`MEASURED_ABOVE`] bytes or more; the others are given their kind's measured ratio. The pick
//! follows the sorted paths, so the same output gives the same list. The sum is what the offer
//! shows; a file's own figure only moves the progress bar.

use std::collections::HashMap;

/// At most this many files of one kind are compressed (a few more with the large ones).
pub const MEASURED_PER_KIND: usize = 400;
/// Files this large are always compressed: one alone weighs in the sum.
pub const MEASURED_ABOVE: u64 = 256 * 1024;

/// A file's kind: its extension (`""` when it has none).
fn kind(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or("", |(_, ext)| ext)
}

/// Whether a file is compressed: picked by [`sample`], or of [`MEASURED_ABOVE`] bytes or more.
pub fn measured(sampled: bool, size: u64) -> bool {
    sampled || size >= MEASURED_ABOVE
}

/// For each of `paths` (sorted), whether [`measured`] picks it whatever its size.
pub fn sample(paths: &[String]) -> Vec<bool> {
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    for p in paths {
        *per_kind.entry(kind(p)).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    paths
        .iter()
        .map(|p| {
            let k = kind(p);
            let every = per_kind[k].div_ceil(MEASURED_PER_KIND);
            let n = seen.entry(k).or_default();
            *n += 1;
            (*n - 1).is_multiple_of(every)
        })
        .collect()
}

/// The kept-to-size ratio of each kind, from the files whose kept size is known.
pub struct Ratios<'a>(HashMap<&'a str, (u64, u64)>);

impl<'a> Ratios<'a> {
    /// From `(path, size, kept)` of the measured files.
    pub fn of(measured: impl Iterator<Item = (&'a str, u64, u64)>) -> Ratios<'a> {
        let mut sums: HashMap<&str, (u64, u64)> = HashMap::new();
        for (path, size, kept) in measured {
            let s = sums.entry(kind(path)).or_default();
            s.0 += size;
            s.1 += kept;
        }
        Ratios(sums)
    }

    /// The estimated kept size of a file of `size` bytes at `path` (its size itself when no
    /// file of its kind was measured, which [`sample`] rules out).
    pub fn estimate(&self, path: &str, size: u64) -> u64 {
        match self.0.get(kind(path)) {
            Some(&(total, kept)) if total > 0 => (size as u128 * kept as u128).div_ceil(total as u128) as u64,
            _ => size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_copy_is_measured_whole() {
        let paths: Vec<String> = (0..MEASURED_PER_KIND).map(|i| format!("uk/{i:04}.html")).collect();
        assert!(sample(&paths).iter().all(|&m| m));
    }

    #[test]
    fn a_large_copy_measures_every_kth_file_of_each_kind_and_at_least_one() {
        let mut paths: Vec<String> = (0..4000).map(|i| format!("uk/{i:05}.html")).collect();
        paths.push("uk/site.css".into());
        paths.sort();
        let picked = sample(&paths);
        let html = picked.iter().zip(&paths).filter(|(&m, p)| m && p.ends_with(".html")).count();
        assert_eq!(html, MEASURED_PER_KIND);
        assert!(picked[paths.iter().position(|p| p == "uk/site.css").unwrap()]);
        assert_eq!(sample(&paths), picked, "the same paths give the same pick");
    }

    #[test]
    fn a_large_file_is_measured_whether_picked_or_not() {
        assert!(measured(false, MEASURED_ABOVE));
        assert!(!measured(false, MEASURED_ABOVE - 1));
        assert!(measured(true, 1));
    }

    #[test]
    fn an_estimate_follows_its_kinds_ratio() {
        let ratios = Ratios::of([("a.html", 1000, 250), ("b.html", 3000, 750), ("c.js", 100, 100)].into_iter());
        assert_eq!(ratios.estimate("uk/d.html", 2000), 500);
        assert_eq!(ratios.estimate("uk/e.js", 7), 7);
        assert_eq!(ratios.estimate("uk/f.png", 9), 9);
    }
}
