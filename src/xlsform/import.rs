//! An XLSForm (ODK, KoboToolbox) made into a form file's text. Every problem is collected with
//! its sheet, row and column, and all are reported together, in the sheets' order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::model::{ChoiceList, ImportedChoice, ImportedForm, Texts};
use super::names::{id_for, Languages, Renames};
use super::sheet::{self, split_header, Row, Sheet};
use super::{extra, import_oberih, survey, toml_out, xpath_in};
use crate::diag::Diagnostic;
use crate::forms::expr::{BinOp, Expr, ExprKind, Func, UnOp};

/// Choice names that mean "doesn't know" or "refused" in common XLSForms: imported as
/// `missing = true`, so they count as unknown answers and never as "No".
const MISSING_NAMES: [&str; 10] = [
    "dk",
    "dont_know",
    "do_not_know",
    "don_t_know",
    "refused",
    "refuse",
    "prefer_not",
    "prefer_not_to_say",
    "no_answer",
    "declined",
];

/// What a successful import gives: the form file's text and the warnings met on the way.
#[derive(Debug)]
pub struct Imported {
    pub form: ImportedForm,
    pub toml: String,
    pub warnings: Vec<Diagnostic>,
}

/// Reads the workbook and turns it into a form file with id `form_id`; all problems or the form.
pub fn import(xlsx: &Path, form_id: &str) -> Result<Imported, Vec<Diagnostic>> {
    let shown = xlsx.display().to_string();
    let book = sheet::read(xlsx).map_err(|e| vec![Diagnostic::file_error(&shown, e.to_string())])?;
    from_workbook(&shown, &book, form_id)
}

/// [`import`] on a workbook already read.
pub fn from_workbook(shown: &str, book: &sheet::Workbook, form_id: &str) -> Result<Imported, Vec<Diagnostic>> {
    let settings = book.settings.rows.first().cloned().unwrap_or_default();
    let exported = import_oberih::recognise(&book.survey);
    let survey = exported.as_ref().map_or(&book.survey, |x| &x.survey);
    let langs = Languages::of(&[survey, &book.choices], settings.get("default_language"));
    let mut r = Reader { file: shown.to_string(), langs, ..Reader::default() };
    r.check_languages(&book.settings, &settings);
    r.names(survey);
    let lists = r.choice_lists(&book.choices, &survey::lists(survey));
    let title = match settings.get("form_title") {
        "" => r.every_language(form_id),
        t => r.every_language(t),
    };
    let mut sections = survey::sections(&mut r, survey, &title);
    let results = match &exported {
        Some(x) => x.restore(&mut r, &book.survey, &mut sections),
        None => Default::default(),
    };
    let tables = r.form_tables(&book.settings, &settings);
    r.settings_columns(&book.settings);
    r.report_renames(survey, &book.choices);
    if sections.is_empty() && r.problems.iter().all(|(_, d)| !d.is_error()) {
        r.error_at(
            &book.survey,
            1,
            None,
            "the survey sheet has no question to import",
            "add questions under the header row",
        );
    }
    let version = match settings.get("version") {
        "" => "1".to_string(),
        v => v.to_string(),
    };
    let form = ImportedForm {
        id: form_id.to_string(),
        version,
        title,
        languages: r.langs.codes.clone(),
        lists,
        sections,
        indicators: results.indicators,
        outcomes: results.outcomes,
        steps: settings.get("style").trim() == "pages",
        tables,
    };
    let problems = r.sorted_problems();
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let toml = toml_out::write(&form);
    Ok(Imported { form, toml, warnings: problems })
}

/// What reading a workbook has learnt so far, and the problems it met.
#[derive(Debug, Default)]
pub struct Reader {
    file: String,
    pub langs: Languages,
    /// Question name → id.
    questions: Renames,
    /// Question id → its choice list's id.
    question_list: BTreeMap<String, String>,
    /// Choice list name → id.
    list_ids: Renames,
    /// Choice list id → choice name → value.
    values: BTreeMap<String, Renames>,
    /// Each problem with where it is: (sheet, row, column), to report them in the sheets' order.
    pub problems: Vec<((usize, usize, usize), Diagnostic)>,
}

/// The order sheets are reported in.
fn sheet_rank(name: &str) -> usize {
    ["settings", "survey", "choices"].iter().position(|s| *s == name).unwrap_or(3)
}

impl Reader {
    fn place(&self, sheet: &Sheet, row: usize, header: Option<&str>) -> String {
        let column = header.and_then(|h| sheet.headers.iter().position(|x| x == h));
        match (header, column) {
            (Some(h), Some(i)) => {
                format!("{}, sheet {}, row {row}, column {} ({h})", self.file, sheet.name, letters(i))
            }
            _ => format!("{}, sheet {}, row {row}", self.file, sheet.name),
        }
    }

    pub fn error_at(
        &mut self,
        sheet: &Sheet,
        row: usize,
        header: Option<&str>,
        message: impl Into<String>,
        help: &str,
    ) {
        let d = Diagnostic::file_error(&self.place(sheet, row, header), message).with_help(help);
        self.push(sheet, row, header, d);
    }

    fn push(&mut self, sheet: &Sheet, row: usize, header: Option<&str>, d: Diagnostic) {
        let column = header.and_then(|h| sheet.headers.iter().position(|x| x == h)).map_or(0, |c| c + 1);
        self.problems.push(((sheet_rank(&sheet.name), row, column), d));
    }

    /// Errors first, then warnings; each in the order of sheets, rows and columns.
    fn sorted_problems(&mut self) -> Vec<Diagnostic> {
        let mut all = std::mem::take(&mut self.problems);
        all.sort_by_key(|(place, d)| (!d.is_error(), *place));
        all.into_iter().map(|(_, d)| d).collect()
    }

    pub fn error(&mut self, sheet: &Sheet, row: &Row, header: Option<&str>, message: impl Into<String>, help: &str) {
        self.error_at(sheet, row.number, header, message, help);
    }

    pub fn warn(&mut self, sheet: &Sheet, row: &Row, header: Option<&str>, message: impl Into<String>, help: &str) {
        let d = Diagnostic::file_error(&self.place(sheet, row.number, header), message).with_help(help).warning();
        self.push(sheet, row.number, header, d);
    }

    pub fn warn_sheet(&mut self, sheet: &Sheet, message: impl Into<String>, help: &str) {
        let d =
            Diagnostic::file_error(&format!("{}, sheet {}", self.file, sheet.name), message).with_help(help).warning();
        self.push(sheet, 0, None, d);
    }

    /// Every language must be known, and columns without one need `default_language`.
    fn check_languages(&mut self, settings: &Sheet, first: &Row) {
        for (header, sheet_name) in self.langs.unknown.clone() {
            let d = Diagnostic::file_error(
                &format!("{}, sheet {sheet_name}", self.file),
                format!("the column `{header}` names no language code"),
            )
            .with_help(
                "write the code in brackets after the name, e.g. `label::Українська (uk)` or `label::English (en)`",
            );
            self.problems.push(((sheet_rank(&sheet_name), 1, 0), d));
        }
        if self.langs.default.is_none() && !self.langs.plain_columns.is_empty() {
            let columns: Vec<String> = self.langs.plain_columns.iter().map(|(h, s)| format!("`{h}` ({s})")).collect();
            let row = if first.number == 0 { 2 } else { first.number };
            let help = match first.get("default_language") {
                "" => "set default_language in the settings sheet, e.g. `English (en)`, or name the language in each column header: `label::English (en)`",
                _ => "write default_language with its code in brackets, e.g. `English (en)`",
            };
            self.error_at(
                settings,
                row,
                Some("default_language"),
                format!("the columns {} name no language", columns.join(", ")),
                help,
            );
        }
    }

    /// First pass: the id of every question name, so an expression may name any of them.
    fn names(&mut self, sheet: &Sheet) {
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        for (row, name, is_question) in survey::names(sheet) {
            let Some(id) = id_for(&name, "q") else {
                self.error_at(
                    sheet,
                    row,
                    Some("name"),
                    format!("`{name}` cannot be made an id"),
                    "use ASCII letters, digits and _, starting with a letter",
                );
                continue;
            };
            if let Some(first) = taken.get(&id).filter(|n| **n != name) {
                let msg = format!("`{name}` and `{first}` both become the id `{id}`");
                self.error_at(sheet, row, Some("name"), msg, "rename one of them");
                continue;
            }
            if is_question && self.questions.ids.contains_key(&name) {
                let msg = format!("the name `{name}` is used twice");
                self.error_at(sheet, row, Some("name"), msg, "names must be unique");
                continue;
            }
            taken.insert(id.clone(), name.clone());
            if is_question {
                self.questions.ids.insert(name, id);
            }
        }
    }

    pub fn question_ids(&self) -> BTreeSet<String> {
        self.questions.ids.values().cloned().collect()
    }

    pub fn id_of(&self, name: &str) -> Option<String> {
        self.questions.ids.get(name).cloned().or_else(|| id_for(name, "q"))
    }

    pub fn list_id(&self, name: &str) -> Option<String> {
        self.list_ids.ids.get(name).cloned()
    }

    /// The texts of every language column of `base` (`label`, `label::English (en)`…).
    pub fn texts(&mut self, sheet: &Sheet, row: &Row, base: &str) -> Texts {
        let mut out = Texts::new();
        for (header, value) in &row.cells {
            if split_header(header).0 != base {
                continue;
            }
            let Some(lang) = self.langs.of_header(header) else { continue };
            if value.contains("${") {
                self.error(
                    sheet,
                    row,
                    Some(header),
                    "this text shows an answer (`${…}`), which texts here cannot do",
                    "reword it without the answer, or show the answer in a later note of your own",
                );
            }
            out.insert(lang, value.clone());
        }
        if !out.is_empty() {
            for lang in self.langs.codes.clone().iter().filter(|l| !out.contains_key(*l)) {
                let header = sheet
                    .headers
                    .iter()
                    .find(|h| split_header(h).0 == base && self.langs.of_header(h).as_ref() == Some(lang));
                let help = match header {
                    Some(h) => format!("fill in the column `{h}`: every text needs every language of the form"),
                    None => format!("add a column `{base}::… ({lang})`: every text needs every language of the form"),
                };
                self.error(sheet, row, header.map(String::as_str), format!("`{base}` has no `{lang}` text"), &help);
            }
        }
        out
    }

    /// The same text in every language of the form (a group without a label, the form title).
    pub fn every_language(&self, text: &str) -> Texts {
        self.langs.codes.iter().map(|c| (c.clone(), text.to_string())).collect()
    }

    /// A cell's XPath in the expression language, or `None` (reported) when it cannot be read.
    pub fn logic(&mut self, sheet: &Sheet, row: &Row, header: &str, current: Option<&str>) -> Option<String> {
        let src = row.get(header);
        if src.is_empty() {
            return None;
        }
        match self.read_xpath(src, current) {
            Ok(e) => Some(e),
            Err(x) => {
                let place = self.place(sheet, row.number, Some(header));
                let col = src[..x.at.min(src.len())].chars().count() + 1;
                let d = Diagnostic::file_error(&place, x.message)
                    .with_help(x.help)
                    .with_note(format!("in `{src}`, at character {col}"));
                self.push(sheet, row.number, Some(header), d);
                None
            }
        }
    }

    /// An XPath in the expression language, or why it cannot be read (not reported).
    pub fn read_xpath(&self, src: &str, current: Option<&str>) -> Result<String, xpath_in::XPathError> {
        let ids = &self.questions.ids;
        let mut e = xpath_in::parse(src, &|name: &str| ids.get(name).cloned())?;
        self.fix_values(&mut e, current);
        Ok(e.to_string())
    }

    /// Choice literals in comparisons and `selected()` follow their choices' new values:
    /// `${q} = 1` or `${q} = '1'` where choice `1` became `v1` reads `q = 'v1'`.
    fn fix_values(&self, e: &mut Expr, current: Option<&str>) {
        let list_of = |x: &Expr| -> Option<&Renames> {
            let id = match &x.kind {
                ExprKind::Ref(id) => id.as_str(),
                ExprKind::Current => current?,
                _ => return None,
            };
            self.values.get(self.question_list.get(id)?)
        };
        let fix = |lit: &mut Expr, values: &Renames| {
            let name = match &lit.kind {
                ExprKind::Text(t) => t.clone(),
                ExprKind::Number(n) => crate::forms::expr::format_number(*n),
                ExprKind::Unary(UnOp::Neg, inner) => match inner.kind {
                    ExprKind::Number(n) => crate::forms::expr::format_number(-n),
                    _ => return,
                },
                _ => return,
            };
            let value = values.ids.get(&name).cloned().unwrap_or(name);
            lit.kind = ExprKind::Text(value);
        };
        match &mut e.kind {
            ExprKind::Binary(BinOp::Eq | BinOp::Ne, a, b) => {
                if let Some(v) = list_of(a) {
                    fix(b, v);
                } else if let Some(v) = list_of(b) {
                    fix(a, v);
                }
            }
            ExprKind::Call { func: Func::Selected, args, .. } => {
                if let Some(v) = list_of(&args[0]) {
                    fix(&mut args[1], v);
                }
            }
            _ => {}
        }
        match &mut e.kind {
            ExprKind::Unary(_, a) => self.fix_values(a, current),
            ExprKind::Binary(_, a, b) => {
                self.fix_values(a, current);
                self.fix_values(b, current);
            }
            ExprKind::Call { args, .. } => args.iter_mut().for_each(|a| self.fix_values(a, current)),
            _ => {}
        }
    }

    /// The `choices` sheet, list by list in the order they first appear.
    fn choice_lists(&mut self, sheet: &Sheet, used: &BTreeMap<String, String>) -> Vec<ChoiceList> {
        let mut lists: Vec<ChoiceList> = Vec::new();
        let has_missing_column = sheet.headers.iter().any(|h| h.trim().eq_ignore_ascii_case("missing"));
        for row in &sheet.rows {
            let Some((list_id, choice)) = self.choice(sheet, row, has_missing_column) else { continue };
            match lists.iter_mut().find(|l| l.name == list_id) {
                Some(l) => l.choices.push(choice),
                None => lists.push(ChoiceList { name: list_id, choices: vec![choice] }),
            }
        }
        self.link_lists(used);
        self.choice_media(sheet);
        lists
    }

    /// One row of the `choices` sheet: the id of its list and the choice, or `None` when it
    /// cannot be imported (the reason is reported).
    fn choice(&mut self, sheet: &Sheet, row: &Row, has_missing_column: bool) -> Option<(String, ImportedChoice)> {
        let (list, name) = (row.get("list_name"), row.get("name"));
        let (list_id, value) = self.choice_ids(sheet, row, list, name)?;
        self.list_ids.ids.insert(list.to_string(), list_id.clone());
        let values = self.values.entry(list_id.clone()).or_default();
        if let Some((first, _)) = values.ids.iter().find(|(n, v)| **v == value && n.as_str() != name) {
            let msg = format!("`{name}` and `{first}` both become the value `{value}` in `{list}`");
            self.error(sheet, row, Some("name"), msg, "rename one of them");
            return None;
        }
        values.ids.insert(name.to_string(), value.clone());
        let label = self.texts(sheet, row, "label");
        // With a `missing` column the workbook says which choices are «missing»; without
        // one, the common names of "doesn't know" and "refused" are taken for them.
        let flag = row.get("missing").to_ascii_lowercase();
        let missing = matches!(flag.as_str(), "yes" | "true" | "1")
            || (!has_missing_column && MISSING_NAMES.contains(&value.as_str()));
        let htcds = Some(row.get("htcds").trim().to_string()).filter(|h| !h.is_empty());
        Some((list_id, ImportedChoice { value, label, missing, htcds }))
    }

    /// The ids a choice row's list name and name become: the list's id and the choice's value;
    /// `None`, reported, when either is empty or cannot be made an id.
    fn choice_ids(&mut self, sheet: &Sheet, row: &Row, list: &str, name: &str) -> Option<(String, String)> {
        if list.is_empty() || name.is_empty() {
            let col = if list.is_empty() { "list_name" } else { "name" };
            self.error(sheet, row, Some(col), format!("this choice has no {col}"), "fill it in, or delete the row");
            return None;
        }
        let list_id = self.id_or_report(sheet, row, ("list_name", list), "list_", "an id")?;
        let value = self.id_or_report(sheet, row, ("name", name), "v", "a choice value")?;
        Some((list_id, value))
    }

    /// The id the `text` of a choice row's cell `column` becomes (with `prefix` when it starts
    /// with a digit); `None`, reported as not `what`, when it cannot be made one.
    fn id_or_report(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        (column, text): (&str, &str),
        prefix: &str,
        what: &str,
    ) -> Option<String> {
        let id = id_for(text, prefix);
        if id.is_none() {
            let message = format!("`{text}` cannot be made {what}");
            self.error(sheet, row, Some(column), message, "use ASCII letters, digits and _");
        }
        id
    }

    /// Links each select question (name → list name in `used`) to its choice list's id.
    fn link_lists(&mut self, used: &BTreeMap<String, String>) {
        for (question, list) in used {
            if let (Some(q), Some(l)) = (self.questions.ids.get(question), self.list_ids.ids.get(list)) {
                self.question_list.insert(q.clone(), l.clone());
            }
        }
    }

    /// Reports each picture or sound column of the `choices` sheet, at the first row it fills.
    fn choice_media(&mut self, sheet: &Sheet) {
        for header in &sheet.headers {
            let base = split_header(header).0;
            if base.starts_with("media") || base == "image" || base == "audio" || base == "video" {
                if let Some(row) = sheet.rows.iter().find(|r| !r.get(header).is_empty()) {
                    self.error(
                        sheet,
                        row,
                        Some(header),
                        "pictures and sounds of choices are not supported",
                        "describe the choice in its label",
                    );
                }
            }
        }
    }

    /// The form file's own tables in the `oberih` setting, or `None` (an error if unreadable).
    fn form_tables(&mut self, sheet: &Sheet, row: &Row) -> Option<toml::Table> {
        let text = row.get(extra::SETTING);
        if text.trim().is_empty() {
            return None;
        }
        match text.parse::<toml::Table>() {
            Ok(t) => Some(t),
            Err(e) => {
                let help = "it holds the form file's [form], [dimensions] and [messages] tables as TOML: \
                            fix the TOML, or empty the cell";
                self.error(sheet, row, Some(extra::SETTING), format!("the setting is not TOML: {}", e.message()), help);
                None
            }
        }
    }

    /// Settings columns that are not read are named, so nobody expects them to take effect.
    fn settings_columns(&mut self, sheet: &Sheet) {
        const READ: [&str; 8] = [
            "form_title",
            "form_id",
            "version",
            "default_language",
            "instance_name",
            "style",
            "namespaces",
            extra::SETTING,
        ];
        for header in &sheet.headers {
            if !header.is_empty()
                && !READ.contains(&header.as_str())
                && sheet.rows.iter().any(|r| !r.get(header).is_empty())
            {
                self.warn_sheet(
                    sheet,
                    format!("the setting `{header}` is not read"),
                    "set what the form needs in its [form] and [form.privacy] tables",
                );
            }
        }
    }

    /// One warning per sheet listing the names changed to fit the form file's ids.
    fn report_renames(&mut self, survey: &Sheet, choices: &Sheet) {
        let changed = self.questions.changed();
        if !changed.is_empty() {
            let msg = format!(
                "{} question name(s) changed to fit ids ([a-z][a-z0-9_]*): {}",
                changed.len(),
                changed.join(", ")
            );
            self.warn_sheet(survey, msg, "records and expressions use the new ids");
        }
        let mut values: Vec<String> = self.list_ids.changed();
        for (list, renames) in &self.values {
            values.extend(renames.changed().into_iter().map(|c| format!("{list}: {c}")));
        }
        if !values.is_empty() {
            let msg = format!("{} choice name(s) changed to fit ids: {}", values.len(), values.join(", "));
            self.warn_sheet(choices, msg, "records and expressions use the new values");
        }
    }
}

/// Excel's name for the column at `index` (0 → A, 26 → AA).
fn letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::letters;

    #[test]
    fn excel_column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
    }
}
