//! Workbooks written by `oberih form export --xlsform`, read back as the form they came from.
//!
//! The export adds fields of its own to say what the questionnaire page does: the notes
//! `<id>_alert` and `<id>_end`, the end flags `end_<id>` joined into every later relevance as
//! `not(${end_a} = 1 or …)`, the indicator flags `ind_<id>`, the counts, `ended`, `incomplete`,
//! `outcome` and the notes `outcome_<id>`; repeated sections are repeats. A workbook with every
//! one of the added counts is taken for one the export wrote: the added rows become alerts,
//! endings and repeated sections again, and the end flags are taken back out of relevance.
//!
//! What XLSForm has no column for comes back from the export's own columns (see
//! [`super::extra`]): indicators from their calculates and bind attributes, outcomes from their
//! notes, the limits of a repeated section from its row. A workbook written before those columns
//! existed still imports, without indicators and outcomes, and says so in a warning.

use std::collections::{BTreeMap, BTreeSet};

// The calculates every export writes after the last section.
use super::export::COMPUTED;
use super::import::Reader;
use super::model::{ImportedIndicator, ImportedOutcome, ImportedSection, Texts};
use super::sheet::{Row, Sheet};
use super::survey::attribute;

/// What the export added, found in its survey sheet.
#[derive(Debug, Default)]
pub struct Exported {
    /// The survey sheet as a plain XLSForm: the added rows left out, the end flags taken out of
    /// relevance, repeats written as groups.
    pub survey: Sheet,
    /// The names of the repeats.
    repeats: BTreeSet<String>,
    /// Question name → the `<name>_alert` note.
    alerts: BTreeMap<String, Row>,
    /// Question name → the `<name>_end` note.
    end_notes: BTreeMap<String, Row>,
    /// Question name → its relevance as exported, end flags included.
    relevance: BTreeMap<String, String>,
    /// Question name → the relevance of its group and its own, end flags left out.
    asked: BTreeMap<String, Option<String>>,
    /// Question name → the `end_<name>` calculate.
    end_flags: BTreeMap<String, Row>,
    /// Whether indicators or outcomes were in the workbook.
    had_results: bool,
    /// The `ind_<id>` calculates and the `outcome_<id>` notes.
    indicators: Vec<Row>,
    outcomes: Vec<Row>,
    /// Repeat name → its row.
    repeat_rows: BTreeMap<String, Row>,
}

/// The indicators and outcomes rebuilt from the workbook.
#[derive(Debug, Default)]
pub struct Results {
    pub indicators: Vec<ImportedIndicator>,
    pub outcomes: Vec<ImportedOutcome>,
}

/// The export's conventions in `survey`, or `None` when another tool wrote it.
pub fn recognise(survey: &Sheet) -> Option<Exported> {
    let calculates: BTreeSet<&str> =
        survey.rows.iter().filter(|r| r.get("type") == "calculate").map(|r| r.get("name")).collect();
    if !COMPUTED.iter().all(|c| calculates.contains(c)) {
        return None;
    }
    let names: BTreeSet<&str> = survey.rows.iter().map(|r| r.get("name")).collect();
    let mut x = Exported { survey: Sheet { rows: Vec::new(), ..survey.clone() }, ..Exported::default() };
    let mut groups: Vec<Option<String>> = Vec::new();
    for row in &survey.rows {
        if !x.set_aside(row, &names) {
            let row = x.plain_row(row, &mut groups);
            x.survey.rows.push(row);
        }
    }
    Some(x)
}

impl Exported {
    /// Keeps a row the export added (results, end flags, outcome notes, alert and ending notes)
    /// out of the survey; whether the row was one. `names` are the survey's names.
    fn set_aside(&mut self, row: &Row, names: &BTreeSet<&str>) -> bool {
        let (ty, name) = (row.get("type"), row.get("name"));
        let added_to = |suffix: &str| name.strip_suffix(suffix).filter(|q| names.contains(q)).map(String::from);
        match ty {
            "calculate" if COMPUTED.contains(&name) || name.starts_with("ind_") => {
                self.had_results = true;
                if !COMPUTED.contains(&name) {
                    self.indicators.push(row.clone());
                }
            }
            "calculate" if name.strip_prefix("end_").is_some_and(|q| names.contains(q)) => {
                self.end_flags.insert(name["end_".len()..].to_string(), row.clone());
            }
            "note" if name.starts_with("outcome_") => self.outcomes.push(row.clone()),
            "note" if added_to("_alert").is_some() => {
                self.alerts.insert(added_to("_alert").unwrap_or_default(), row.clone());
            }
            "note" if added_to("_end").is_some() => {
                self.end_notes.insert(added_to("_end").unwrap_or_default(), row.clone());
            }
            _ => return false,
        }
        true
    }

    /// A row of the survey as a plain XLSForm has it: a repeat written as a group, the end flags
    /// taken out of `relevant` and `calculation`. `groups` holds the open groups' own relevance.
    fn plain_row(&mut self, row: &Row, groups: &mut Vec<Option<String>>) -> Row {
        let (ty, name) = (row.get("type"), row.get("name"));
        let mut row = row.clone();
        match ty {
            "begin_repeat" | "begin_group" => {
                if ty == "begin_repeat" {
                    self.repeats.insert(name.to_string());
                    self.repeat_rows.insert(name.to_string(), row.clone());
                    row.cells.insert("type".into(), "begin_group".into());
                }
                let own = strip_end_flags(row.get("relevant"));
                set(&mut row, "relevant", own.as_deref());
                groups.push(own);
            }
            "end_repeat" | "end_group" => {
                row.cells.insert("type".into(), "end_group".into());
                groups.pop();
            }
            _ => {
                self.relevance.insert(name.to_string(), row.get("relevant").to_string());
                let own = strip_end_flags(row.get("relevant"));
                set(&mut row, "relevant", own.as_deref());
                if let Some(calc) = strip_calculation_flags(row.get("calculation")) {
                    set(&mut row, "calculation", Some(&calc));
                }
                self.asked.insert(name.to_string(), and(&[groups.last().cloned().flatten(), own]));
            }
        }
        row
    }
}

fn set(row: &mut Row, header: &str, value: Option<&str>) {
    match value {
        Some(v) => row.cells.insert(header.to_string(), v.to_string()),
        None => row.cells.remove(header),
    };
}

impl Exported {
    /// Gives the imported sections their repeats, alerts and endings back, and warns about
    /// what does not come back.
    pub fn restore(&self, r: &mut Reader, sheet: &Sheet, sections: &mut [ImportedSection]) -> Results {
        for s in sections.iter_mut() {
            let name = self.repeats.iter().find(|name| r.id_of(name).as_deref() == Some(s.id.as_str()));
            s.repeat = name.is_some();
            if let Some(row) = name.and_then(|n| self.repeat_rows.get(n)) {
                (s.min, s.max) = (limit(r, sheet, row, "min"), limit(r, sheet, row, "max"));
                if !self.has_limits(row) {
                    r.warn_sheet(
                        sheet,
                        format!("the repeated section `{}` comes back without a `min` or `max`", s.id),
                        "the workbook does not say them: set them again in the form file",
                    );
                }
            }
        }
        let by_id = |r: &Reader, name: &str| r.id_of(name);
        for (name, note) in &self.alerts {
            let Some(id) = by_id(r, name) else { continue };
            let when = self.condition(r, sheet, note, self.relevance.get(name).map(String::as_str), name);
            let text = r.texts(sheet, note, "label");
            if let Some(q) = question(sections, &id) {
                (q.alert_if, q.alert) = (when, text);
            }
        }
        for (name, flag) in &self.end_flags {
            let Some(id) = by_id(r, name) else { continue };
            let (when, text) = match self.end_notes.get(name) {
                Some(note) => {
                    let before = self.relevance.get(name).map(String::as_str);
                    (self.condition(r, sheet, note, before, name), r.texts(sheet, note, "label"))
                }
                None => {
                    let fires = flag.get("calculation").strip_prefix("if(").and_then(|c| c.strip_suffix(", 1, 0)"));
                    let mut row = flag.clone();
                    set(&mut row, "relevant", fires);
                    let before = self.asked.get(name).cloned().flatten();
                    (self.condition(r, sheet, &row, before.as_deref(), name), Default::default())
                }
            };
            if let Some(q) = question(sections, &id) {
                (q.end_if, q.end_message) = (when, text);
            }
        }
        if !self.had_results {
            return Results::default();
        }
        let results = self.results(r, sheet);
        if results.outcomes.is_empty() {
            r.warn_sheet(
                sheet,
                "the indicators and outcomes this workbook was exported with are not imported",
                "the workbook holds their conditions but not the indicators' dimensions and labels: copy the \
                 [[indicator]] and [[outcome]] tables from the form file it was exported from",
            );
            return Results::default();
        }
        results
    }

    /// Whether the repeat's row says its limits (the export writes `min` always).
    fn has_limits(&self, row: &Row) -> bool {
        attribute(row, "min").is_some() || attribute(row, "max").is_some()
    }

    /// The indicators and outcomes, or none when a row lacks what rebuilding it needs.
    fn results(&self, r: &mut Reader, sheet: &Sheet) -> Results {
        let mut out = Results::default();
        for row in &self.indicators {
            let Some(dimension) = attribute(row, "dimension") else { return Results::default() };
            let id = row.get("name").strip_prefix("ind_").unwrap_or_default().to_string();
            // The calculate, so an edit made in ODK or Kobo comes in; the rule as the form
            // file wrote it where the XPath reads what only the workbook has (`unknown_count`).
            let calc = row.get("calculation");
            let fires = calc.strip_prefix("if(").and_then(|c| c.strip_suffix(", 1, 0)")).unwrap_or(calc);
            let when = match (r.read_xpath(fires, None), attribute(row, "when")) {
                (Ok(when), _) => when,
                (Err(_), Some(written)) => written.to_string(),
                (Err(_), None) => {
                    let mut plain = row.clone();
                    set(&mut plain, "calculation", Some(fires));
                    r.logic(sheet, &plain, "calculation", None).unwrap_or_default()
                }
            };
            out.indicators.push(ImportedIndicator {
                id,
                dimension: dimension.to_string(),
                strength: attribute(row, "strength").unwrap_or_default().to_string(),
                when,
                label: r.texts(sheet, row, "label"),
                standards: attribute(row, "standards").map(super::extra::words).unwrap_or_default(),
                htcds: attribute(row, "htcds").map(String::from),
            });
        }
        for row in &self.outcomes {
            let Some(when) = attribute(row, "when") else { continue };
            let (mut label, mut action) = (Texts::new(), Texts::new());
            for (lang, text) in r.texts(sheet, row, "label") {
                let (l, a) = super::extra::split_outcome_text(&text);
                label.insert(lang.clone(), l);
                action.extend(a.map(|a| (lang, a)));
            }
            let id = row.get("name").strip_prefix("outcome_").unwrap_or_default().to_string();
            out.outcomes.push(ImportedOutcome { id, when: when.to_string(), label, action });
        }
        out
    }

    /// The condition a note or flag adds to `before`, the relevance it was joined to.
    fn condition(&self, r: &mut Reader, sheet: &Sheet, row: &Row, before: Option<&str>, name: &str) -> Option<String> {
        let id = r.id_of(name).unwrap_or_else(|| name.to_string());
        let id = id.as_str();
        let whole = row.get("relevant");
        let own = match before.filter(|b| !b.is_empty()) {
            None => whole,
            Some(b) => whole.strip_prefix(&format!("({b}) and (")).and_then(|c| c.strip_suffix(')')).unwrap_or(whole),
        };
        // The export names the question itself where the form file says `.`.
        let own = own.replace(&format!("${{{name}}}"), ".");
        let mut row = row.clone();
        set(&mut row, "relevant", Some(&own));
        r.logic(sheet, &row, "relevant", Some(id))
    }
}

/// A repeat's `min` or `max`: a whole number, or `None` (an error when it is not one).
fn limit(r: &mut Reader, sheet: &Sheet, row: &Row, name: &str) -> Option<u32> {
    let cell = attribute(row, name)?;
    let n = cell.parse().ok();
    if n.is_none() {
        let header = super::extra::column(name);
        r.error(
            sheet,
            row,
            Some(&header),
            format!("`{cell}` is not a number of entries"),
            "write a whole number, or empty the cell",
        );
    }
    n
}

fn question<'a>(sections: &'a mut [ImportedSection], id: &str) -> Option<&'a mut super::model::ImportedQuestion> {
    sections.iter_mut().flat_map(|s| s.questions.iter_mut()).find(|q| q.id == id)
}

/// A relevance as the export wrote it, without the `not(${end_a} = 1 or …)` it ends with.
fn strip_end_flags(relevant: &str) -> Option<String> {
    if relevant.is_empty() || is_not_ended(relevant) {
        return None;
    }
    const JOIN: &str = " and (not(${end_";
    if let Some(at) = relevant.rfind(JOIN) {
        let tail = &relevant[at + " and (".len()..];
        if tail.strip_suffix(')').is_some_and(is_not_ended) {
            let own = &relevant[..at];
            return Some(own.strip_prefix('(').and_then(|o| o.strip_suffix(')')).unwrap_or(own).to_string());
        }
    }
    Some(relevant.to_string())
}

/// A calculation the export guarded with the relevance of a repeat, `if(relevance, value, '')`,
/// without the end flags in that relevance; `None` when it has none.
fn strip_calculation_flags(calc: &str) -> Option<String> {
    let args = calc.strip_prefix("if(")?.strip_suffix(", '')")?;
    let (mut depth, mut comma) = (0i32, None);
    for (i, c) in args.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                comma = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (guard, value) = args.split_at(comma?);
    if !guard.contains("${end_") {
        return None;
    }
    let value = value[1..].trim();
    Some(match strip_end_flags(guard) {
        None => value.to_string(),
        Some(g) => format!("if({g}, {value}, '')"),
    })
}

/// Whether `s` is exactly `not(${end_a} = 1 or ${end_b} = 1 …)`.
fn is_not_ended(s: &str) -> bool {
    let Some(inner) = s.strip_prefix("not(").and_then(|x| x.strip_suffix(')')) else { return false };
    inner.split(" or ").all(|flag| {
        flag.strip_prefix("${end_")
            .and_then(|f| f.strip_suffix("} = 1"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    })
}

/// `(a) and (b)` over the parts there are, as the export joins them.
fn and(parts: &[Option<String>]) -> Option<String> {
    let present: Vec<&String> = parts.iter().flatten().filter(|p| p.as_str() != "true()").collect();
    match present.len() {
        0 => None,
        1 => Some(present[0].clone()),
        _ => Some(present.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(" and ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[(&str, &str)]) -> Sheet {
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, (ty, name))| Row {
                number: i + 2,
                cells: [("type", *ty), ("name", *name)].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            })
            .collect();
        Sheet { name: "survey".into(), headers: vec!["type".into(), "name".into()], rows }
    }

    #[test]
    fn only_a_workbook_with_every_added_count_is_taken_for_an_export() {
        let mut rows = vec![("begin_repeat", "jobs"), ("integer", "hours"), ("end_repeat", "")];
        rows.extend(COMPUTED.iter().take(8).map(|c| ("calculate", *c)));
        assert!(recognise(&sheet(&rows)).is_none());
        rows.push(("calculate", "outcome"));
        rows.push(("note", "hours_alert"));
        let x = recognise(&sheet(&rows)).expect("an export");
        let kept: Vec<(&str, &str)> = x.survey.rows.iter().map(|r| (r.get("type"), r.get("name"))).collect();
        assert_eq!(kept, [("begin_group", "jobs"), ("integer", "hours"), ("end_group", "")]);
        assert!(x.repeats.contains("jobs") && x.alerts.contains_key("hours"));
    }

    fn exported(extra: &[(&str, &str, &str)]) -> (Sheet, Exported) {
        let mut rows = vec![("begin_repeat", "jobs"), ("integer", "hours"), ("end_repeat", "")];
        rows.extend(COMPUTED.iter().map(|c| ("calculate", *c)));
        rows.extend([("calculate", "ind_long_hours"), ("note", "outcome_none"), ("note", "outcome_incomplete")]);
        let mut s = sheet(&rows);
        for (name, header, value) in extra {
            let row = s.rows.iter_mut().find(|r| r.get("name") == *name).expect(name);
            row.cells.insert(header.to_string(), value.to_string());
            s.headers.push(header.to_string());
        }
        let x = recognise(&s).expect("an export");
        (s, x)
    }

    fn restored(x: &Exported, s: &Sheet) -> (Results, Vec<ImportedSection>, Vec<String>) {
        let mut r = Reader::default();
        let mut sections = vec![ImportedSection { id: "jobs".into(), ..ImportedSection::default() }];
        let results = x.restore(&mut r, s, &mut sections);
        let said = r.problems.iter().map(|(_, d)| d.to_string()).collect();
        (results, sections, said)
    }

    #[test]
    fn a_workbook_exported_without_the_added_columns_says_what_does_not_come_back() {
        let (s, x) = exported(&[]);
        let (results, sections, said) = restored(&x, &s);
        assert!(results.indicators.is_empty() && results.outcomes.is_empty());
        assert!(sections[0].repeat && sections[0].max.is_none());
        let said = said.join("\n");
        assert!(
            said.contains("the indicators and outcomes this workbook was exported with are not imported"),
            "{said}"
        );
        assert!(said.contains("the repeated section `jobs` comes back without a `min` or `max`"), "{said}");
    }

    #[test]
    fn repeat_limits_come_back_and_must_be_numbers() {
        let (s, x) = exported(&[("jobs", "bind::oberih:min", "1"), ("jobs", "bind::oberih:max", "4")]);
        let (_, sections, said) = restored(&x, &s);
        assert_eq!((sections[0].min, sections[0].max), (Some(1), Some(4)));
        assert!(!said.iter().any(|d| d.contains("min")), "{said:?}");
        let (s, x) = exported(&[("jobs", "bind::oberih:max", "four")]);
        let (_, sections, said) = restored(&x, &s);
        assert_eq!(sections[0].max, None);
        assert!(said.iter().any(|d| d.contains("`four` is not a number of entries")), "{said:?}");
    }

    #[test]
    fn a_count_over_the_entries_of_a_repeat_reads_as_count() {
        let resolve = |n: &str| Some(n.to_string());
        let e = super::super::xpath_in::parse("count(${jobs}[./job_hours >= 12])", &resolve).unwrap();
        assert_eq!(e.to_string(), "count(jobs, job_hours >= 12)");
        // Paths anywhere else stay unsupported.
        assert!(super::super::xpath_in::parse("${jobs}[./job_hours >= 12]", &resolve).is_err());
        assert!(super::super::xpath_in::parse("./job_hours >= 12", &resolve).is_err());
    }

    #[test]
    fn end_flags_come_out_of_relevance() {
        assert_eq!(strip_end_flags("not(${end_a} = 1 or ${end_b} = 1)"), None);
        assert_eq!(strip_end_flags("(${x} = 'yes') and (not(${end_a} = 1))").as_deref(), Some("${x} = 'yes'"));
        assert_eq!(
            strip_end_flags("((${x} = 'yes') or (${y} = 1)) and (not(${end_a} = 1))").as_deref(),
            Some("(${x} = 'yes') or (${y} = 1)")
        );
        // A condition of the form's own that only looks alike stays.
        assert_eq!(strip_end_flags("not(${end_a} = 2)").as_deref(), Some("not(${end_a} = 2)"));
        assert_eq!(strip_end_flags("${x} = 1").as_deref(), Some("${x} = 1"));
        assert_eq!(
            strip_calculation_flags("if(not(${end_a} = 1), count(${r}[./x >= 12]), '')").as_deref(),
            Some("count(${r}[./x >= 12])")
        );
        assert_eq!(strip_calculation_flags("if(${x} = 1, ${y}, '')"), None);
    }
}
