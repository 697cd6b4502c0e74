//! Which unknowns a set of homogeneous-free linear equations fixes: unknown `i` is fixed exactly
//! when the unit vector `e_i` lies in the row space of the equations, which shows as a row of the
//! reduced row echelon form with a single non-zero entry.

/// Coefficients are small integers (relations add figures with ±1), so elimination in `f64`
/// with a tolerance is exact enough for the sizes a summary has.
const EPS: f64 = 1e-9;

/// The unknowns (by index, of `n`) that the equations `rows · x = b` determine, whatever `b`.
pub fn pinned(mut rows: Vec<Vec<f64>>, n: usize) -> Vec<usize> {
    let mut rank = 0;
    for col in 0..n {
        let Some(p) = (rank..rows.len()).max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs())) else {
            break;
        };
        if rows[p][col].abs() < EPS {
            continue;
        }
        rows.swap(rank, p);
        let pivot = rows[rank][col];
        for x in rows[rank].iter_mut() {
            *x /= pivot;
        }
        let pivot_row = rows[rank].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r == rank || row[col].abs() < EPS {
                continue;
            }
            let factor = row[col];
            for (x, p) in row.iter_mut().zip(&pivot_row) {
                *x -= factor * p;
            }
        }
        rank += 1;
    }
    rows.iter()
        .take(rank)
        .filter_map(|row| {
            let mut nz = row.iter().enumerate().filter(|(_, x)| x.abs() > EPS);
            match (nz.next(), nz.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_unknown_in_a_sum_is_pinned() {
        // a + b = known; a alone = known → both pinned.
        assert_eq!(pinned(vec![vec![1.0, 1.0], vec![1.0, 0.0]], 2), vec![0, 1]);
        // a + b = known → neither.
        assert!(pinned(vec![vec![1.0, 1.0]], 2).is_empty());
        // a 2×2 block with row and column sums: rank 3 of 4 → none pinned.
        let rows = vec![
            vec![1.0, 1.0, 0.0, 0.0],
            vec![0.0, 0.0, 1.0, 1.0],
            vec![1.0, 0.0, 1.0, 0.0],
            vec![0.0, 1.0, 0.0, 1.0],
        ];
        assert!(pinned(rows, 4).is_empty());
    }
}
