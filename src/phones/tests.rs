use super::*;

/// The numbers of the default contacts, run together.
const KNOWN: &[&str] = &["102", "112", "527", "0800505501", "1547", "116123", "0800500335", "116111"];

fn found(text: &str) -> Vec<&str> {
    typed_numbers(text, &|d| KNOWN.contains(&d)).into_iter().map(|s| &text[s]).collect()
}

#[test]
fn phone_shapes_are_found_with_their_exact_span() {
    assert_eq!(found("Дайте номер дитячої лінії 116 111. Не обіцяйте."), ["116 111"]);
    assert_eq!(found("Зі стаціонарного — 0 800 500 335, безкоштовно."), ["0 800 500 335"]);
    assert_eq!(found("From abroad: +380 44 284 19 15."), ["+380 44 284 19 15"]);
    assert_eq!(found("Офіс: (044) 284-19-15 або 0442841915"), ["(044) 284-19-15", "0442841915"]);
    assert_eq!(found("a 116 111-es gyermekvonal"), ["116 111"]);
    assert_eq!(found("lines 116123 and 0800505501"), ["116123", "0800505501"]);
    assert_eq!(found("Номер «0\u{a0}800\u{a0}500\u{a0}335»"), ["0\u{a0}800\u{a0}500\u{a0}335"]);
}

#[test]
fn a_short_contact_number_counts_after_a_word_about_calling() {
    assert_eq!(found("Телефонуйте в поліцію: 102."), ["102"]);
    assert_eq!(found("Call the police on 102 now"), ["102"]);
    assert_eq!(found("зателефонувати на лінію 15-47"), ["15-47"]);
    assert_eq!(found("Hívja a 112-t."), ["112"]);
    assert_eq!(found("номер 1547"), ["1547"]);
    // Too far from the cue, or in the next sentence.
    assert!(found("Call if you can and if it is safe, 102").is_empty());
    assert!(found("Подзвоніть. 102 особи отримали статус").is_empty());
    // A short number nobody's contact has.
    assert!(found("телефонуйте 103").is_empty());
}

#[test]
fn citations_dates_years_amounts_and_counts_are_not_phone_numbers() {
    for text in [
        "Закон «Про протидію торгівлі людьми», ст. 22, ст. 3, 14",
        "Criminal Code, Art. 149; Resolution No. 783 of 22 August 2012",
        "Закон № 3739-VI від 20.09.2011; розпорядження № 184-р",
        "стандарт ID-2.1, вимога PR-1.2#a",
        "у 2026 році; 2012–2015; 2026-03-01; з 9:00 до 18:00",
        "27 % українців; 27% погодилися б; частка 0,5",
        "чоловіки (88 зі 112); у 2025 році (112 осіб); 88 of 112 people",
        "дитина до 6 років: 7 689 грн; 9 588 грн; 1 143 особи",
        "about 6 400 000 people abroad and 3 400 000 displaced",
        "від 3 до 15 років; 2 роки; 1 рік",
        "строк — 30 днів; п. 3.2.1; 1) перше 2) друге",
        "children-116111 and ID-116 111 are ids",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn strings_of_a_toml_file_skip_comments_and_keep_their_spans() {
    let text = "# {phone:x} in a comment\n[a]\nlabel = { uk = \"Дзвоніть {phone:x}\" }\nhint.en = 'raw'\nn = 3\n";
    let strings = toml_strings(text);
    let shown: Vec<&str> = strings.iter().map(|(span, _)| &text[span.clone()]).collect();
    assert_eq!(shown, ["\"Дзвоніть {phone:x}\"", "'raw'"]);
    assert_eq!(strings[0].1, "Дзвоніть {phone:x}");
    assert!(toml_strings("not = [toml").is_empty());
}

#[test]
fn phone_references_are_found_in_order() {
    let refs = phone_refs("{phone:a} and {phone: b } and {phone:");
    assert_eq!(refs, [(0..9, "a"), (14..25, "b")]);
}
