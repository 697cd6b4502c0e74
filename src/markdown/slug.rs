//! Heading ids from heading text. Ukrainian headings keep their Cyrillic letters (browsers
//! handle them in fragments), lower-cased, with spaces turned into hyphens.

/// `Ознаки боргової кабали` → `ознаки-боргової-кабали`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else if c == '’' || c == 'ʼ' || c == '\'' {
            // Apostrophes belong to Ukrainian words: drop them rather than split the word.
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Ознаки боргової кабали"), "ознаки-боргової-кабали");
        assert_eq!(slugify("  What is it? (Part 1) "), "what-is-it-part-1");
        assert_eq!(slugify("Пам’ять і з'ясування"), "память-і-зясування");
    }
}
