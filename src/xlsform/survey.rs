//! The `survey` sheet read row by row into sections and questions. Groups become sections (a
//! nested group becomes its own section, its `relevant` joined with the enclosing groups'), rows
//! outside any group a section titled like the form. Every row that cannot be imported is
//! reported with its sheet, row and what to do; none is dropped without a word.

use std::collections::{BTreeMap, BTreeSet};

use super::extra;
use super::import::Reader;
use super::model::{ImportedQuestion, ImportedSection, Texts};
use super::names::id_for;
use super::sheet::{Row, Sheet};
use crate::forms::file::QuestionType;

/// Columns read from the survey sheet, or known and harmless to leave (presentation only).
const READ: [&str; 13] = [
    "type",
    "name",
    "label",
    "hint",
    "guidance_hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "appearance",
    "missing",
];

/// Columns whose content changes what a form does and has no equivalent here.
const UNSUPPORTED_COLUMNS: [(&str, &str); 8] = [
    ("choice_filter", "cascading choices are not supported: give the question one list with every choice"),
    ("repeat_count", "repeats are not imported: turn the repeat into a group"),
    ("default", "questions start empty here: remove the default"),
    ("trigger", "answers are not recomputed on triggers: use a calculate row with a calculation"),
    ("read_only", "a read-only question cannot be answered: make it a note or a calculate row"),
    ("parameters", "question parameters are not supported: remove them"),
    ("image", "media are not supported: describe the picture in the label"),
    ("audio", "media are not supported: write the text in the label"),
];

/// Metadata ODK records by itself; a questionnaire here keeps no device data.
const METADATA: [&str; 14] = [
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "instanceid",
    "calculate_here",
];

/// What a `type` cell asks for.
enum RowKind {
    Question(QuestionType, Option<String>),
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    Metadata,
    Unsupported(&'static str),
}

fn row_kind(ty: &str) -> RowKind {
    let words: Vec<&str> = ty.split_whitespace().collect();
    let list = words.get(1).map(|s| s.to_string());
    let first = words.first().copied().unwrap_or("").to_ascii_lowercase();
    let second = words.get(1).map(|s| s.to_ascii_lowercase());
    if words.iter().any(|w| w.eq_ignore_ascii_case("or_other")) {
        return RowKind::Unsupported(
            "`or_other` is not supported: add an `other` choice to the list and a text question relevant to it",
        );
    }
    match (first.as_str(), second.as_deref()) {
        ("begin", Some("group")) | ("begin_group", _) => RowKind::BeginGroup,
        ("end", Some("group")) | ("end_group", _) => RowKind::EndGroup,
        ("begin", Some("repeat")) | ("begin_repeat", _) => RowKind::BeginRepeat,
        ("end", Some("repeat")) | ("end_repeat", _) => RowKind::EndRepeat,
        ("select", Some("one")) => RowKind::Question(QuestionType::Choice, words.get(2).map(|s| s.to_string())),
        ("select", Some("all")) => RowKind::Question(QuestionType::MultiChoice, words.get(4).map(|s| s.to_string())),
        ("select_one", _) => RowKind::Question(QuestionType::Choice, list),
        ("select_multiple", _) => RowKind::Question(QuestionType::MultiChoice, list),
        ("text", _) | ("string", _) => RowKind::Question(QuestionType::Text, None),
        ("integer", _) | ("int", _) => RowKind::Question(QuestionType::Integer, None),
        ("decimal", _) => RowKind::Question(QuestionType::Decimal, None),
        ("date", _) => RowKind::Question(QuestionType::Date, None),
        ("note", _) => RowKind::Question(QuestionType::Note, None),
        ("calculate", _) => RowKind::Question(QuestionType::Calculate, None),
        (m, _) if METADATA.contains(&m) => RowKind::Metadata,
        ("geopoint" | "geotrace" | "geoshape", _) => {
            RowKind::Unsupported("locations are not recorded: ask for the place as a text question")
        }
        ("image" | "audio" | "video" | "file" | "barcode" | "signature", _) => {
            RowKind::Unsupported("answers are never files or media here: ask in words, or remove the row")
        }
        ("time" | "datetime", _) => RowKind::Unsupported("there is no time question: use a date or a text question"),
        ("select_one_from_file" | "select_multiple_from_file", _) => {
            RowKind::Unsupported("choices from a file are not supported: copy them into the choices sheet")
        }
        ("range", _) => RowKind::Unsupported("there is no range question: use an integer with a constraint"),
        ("rank", _) => RowKind::Unsupported("there is no ranking question: use select_multiple"),
        ("acknowledge", _) => RowKind::Unsupported("use select_one with a single choice, or a note"),
        _ => RowKind::Unsupported(
            "the types read are text, integer, decimal, date, select_one, select_multiple, note, calculate and begin/end group",
        ),
    }
}

/// One group open while reading: its section's id, title and `relevant`.
struct Group {
    id: String,
    title: Texts,
    relevant: Option<String>,
    /// How many sections this group has produced so far (a nested group splits it).
    parts: usize,
}

/// Reads the survey sheet into sections.
pub fn sections(r: &mut Reader, sheet: &Sheet, form_title: &Texts) -> Vec<ImportedSection> {
    unknown_columns(r, sheet);
    let mut survey = Survey::new(r.question_ids(), form_title);
    for row in &sheet.rows {
        let ty = row.get("type");
        if ty.is_empty() {
            r.error(sheet, row, Some("type"), "this row has no type", "give it a type, or delete the row");
            continue;
        }
        let kind = row_kind(ty);
        if survey.skips_in_repeat(&kind) {
            continue;
        }
        unsupported_cells(r, sheet, row);
        survey.read_row(r, sheet, row, ty, kind);
    }
    survey.finish(r, sheet)
}

/// The survey sheet as read so far: the sections done, the one being filled, the groups open.
struct Survey<'t> {
    form_title: &'t Texts,
    done: Vec<ImportedSection>,
    stack: Vec<Group>,
    open: Option<ImportedSection>,
    /// The ids taken, by questions and sections alike.
    used: BTreeSet<String>,
    /// How many sections outside any group there are so far.
    top_parts: usize,
    /// The row of the repeat being left out, and how many repeats deep the reading is in it.
    in_repeat: Option<(usize, usize)>,
}

impl<'t> Survey<'t> {
    fn new(used: BTreeSet<String>, form_title: &'t Texts) -> Self {
        Survey { form_title, done: Vec::new(), stack: Vec::new(), open: None, used, top_parts: 0, in_repeat: None }
    }

    /// Whether the row lies in a repeat that is left out. Nested repeats are counted, so that
    /// only the repeat's own `end repeat` ends it.
    fn skips_in_repeat(&mut self, kind: &RowKind) -> bool {
        let Some((start, depth)) = self.in_repeat else { return false };
        self.in_repeat = match kind {
            RowKind::EndRepeat if depth == 1 => None,
            RowKind::EndRepeat => Some((start, depth - 1)),
            RowKind::BeginRepeat => Some((start, depth + 1)),
            _ => Some((start, depth)),
        };
        true
    }

    /// Reads one row whose `type` cell `ty` asks for `kind`.
    fn read_row(&mut self, r: &mut Reader, sheet: &Sheet, row: &Row, ty: &str, kind: RowKind) {
        match kind {
            RowKind::BeginGroup => self.begin_group(r, sheet, row),
            RowKind::EndGroup => self.end_group(r, sheet, row),
            RowKind::BeginRepeat => self.begin_repeat(r, sheet, row),
            RowKind::EndRepeat => {
                r.error(sheet, row, Some("type"), "`end repeat` with no repeat open", "delete the row");
            }
            RowKind::Metadata => r.warn(
                sheet,
                row,
                Some("type"),
                format!(
                    "`{ty}` is metadata the device records; a questionnaire here records none, so the row is left out"
                ),
                "nothing to do, unless the analysis needs it",
            ),
            RowKind::Unsupported(help) => {
                r.error(sheet, row, Some("type"), format!("the question type `{ty}` is not supported"), help)
            }
            RowKind::Question(kind, list) => {
                let Some(q) = question(r, sheet, row, kind, list) else { return };
                let section = self.open.get_or_insert_with(|| {
                    new_section(&mut self.stack, &mut self.used, &mut self.top_parts, self.form_title)
                });
                section.questions.push(q);
            }
        }
    }

    /// A `begin group` row: the section being filled ends, and the group's questions will go
    /// into a section of its own, shown only when the enclosing groups' `relevant` holds too.
    fn begin_group(&mut self, r: &mut Reader, sheet: &Sheet, row: &Row) {
        self.done.extend(self.open.take());
        let id = r.id_of(row.get("name")).unwrap_or_else(|| "group".to_string());
        let id = unique(&mut self.used, &id);
        let mut title = r.texts(sheet, row, "label");
        if title.is_empty() {
            title = r.every_language(row.get("name"));
        }
        let own = r.logic(sheet, row, "relevant", None);
        let relevant = join(self.stack.last().and_then(|g| g.relevant.clone()), own);
        self.stack.push(Group { id, title, relevant, parts: 0 });
    }

    /// An `end group` row: the section being filled ends with its group.
    fn end_group(&mut self, r: &mut Reader, sheet: &Sheet, row: &Row) {
        self.done.extend(self.open.take());
        if self.stack.pop().is_none() {
            r.error(
                sheet,
                row,
                Some("type"),
                "`end group` with no group open",
                "delete the row, or add the `begin group` it closes",
            );
        }
    }

    /// A `begin repeat` row: reported, and the rows up to its `end repeat` left out.
    fn begin_repeat(&mut self, r: &mut Reader, sheet: &Sheet, row: &Row) {
        r.error(
            sheet,
            row,
            Some("type"),
            "repeats are not imported; the rows up to its `end repeat` were not read",
            "make the repeat a group (one entry), or write it as a section with `repeat = true` in the form file",
        );
        self.in_repeat = Some((row.number, 1));
    }

    /// The sections read, once every row is; a repeat or groups still open are reported.
    fn finish(mut self, r: &mut Reader, sheet: &Sheet) -> Vec<ImportedSection> {
        self.done.extend(self.open.take());
        if let Some((start, _)) = self.in_repeat {
            r.error_at(sheet, start, Some("type"), "this repeat has no `end repeat`", "add an `end repeat` row");
        }
        if !self.stack.is_empty() {
            let last = sheet.rows.last().map_or(1, |r| r.number);
            r.error_at(
                sheet,
                last,
                None,
                format!("{} group(s) not closed by `end group`", self.stack.len()),
                "add the missing `end group` rows",
            );
        }
        self.done
    }
}

fn new_section(
    stack: &mut [Group],
    used: &mut BTreeSet<String>,
    top_parts: &mut usize,
    form_title: &Texts,
) -> ImportedSection {
    match stack.last_mut() {
        Some(g) => {
            g.parts += 1;
            let id = if g.parts == 1 { g.id.clone() } else { unique(used, &format!("{}_{}", g.id, g.parts)) };
            ImportedSection {
                id,
                title: g.title.clone(),
                relevant: g.relevant.clone(),
                questions: Vec::new(),
                ..ImportedSection::default()
            }
        }
        None => {
            *top_parts += 1;
            let id = unique(used, if *top_parts == 1 { "main" } else { "more" });
            ImportedSection { id, title: form_title.clone(), ..ImportedSection::default() }
        }
    }
}

/// `base`, or `base_2`, `base_3`… whichever is not taken yet; marked as taken.
fn unique(used: &mut BTreeSet<String>, base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// Both conditions, when both are there.
fn join(outer: Option<String>, own: Option<String>) -> Option<String> {
    match (outer, own) {
        (Some(a), Some(b)) => Some(format!("({a}) and ({b})")),
        (a, b) => a.or(b),
    }
}

/// One question row, or `None` when it cannot be imported (the reason is reported).
fn question(
    r: &mut Reader,
    sheet: &Sheet,
    row: &Row,
    kind: QuestionType,
    list: Option<String>,
) -> Option<ImportedQuestion> {
    let id = row_id(r, sheet, row)?;
    let kind = if kind == QuestionType::Text && row.get("appearance").split_whitespace().any(|a| a == "multiline") {
        QuestionType::LongText
    } else {
        kind
    };
    let list = choice_list(r, sheet, row, kind, list)?;
    let required = required(r, sheet, row);
    let label = r.texts(sheet, row, "label");
    if label.is_empty() && kind != QuestionType::Calculate {
        r.error(sheet, row, Some("label"), "this question has no label", "write its label in every language");
    }
    let calculation = calculation(r, sheet, row, kind, &id);
    required_message(r, sheet, row);
    Some(ImportedQuestion {
        relevant: r.logic(sheet, row, "relevant", Some(&id)),
        constraint: r.logic(sheet, row, "constraint", Some(&id)),
        constraint_message: r.texts(sheet, row, "constraint_message"),
        hint: r.texts(sheet, row, "hint"),
        guidance: r.texts(sheet, row, "guidance_hint"),
        id,
        kind,
        list,
        label,
        required,
        calculation,
        alert_if: None,
        alert: Texts::new(),
        end_if: None,
        end_message: Texts::new(),
        core: attribute(row, "core").is_some_and(|c| matches!(c.to_ascii_lowercase().as_str(), "yes" | "true" | "1")),
        standards: attribute(row, "standards").map(extra::words).unwrap_or_default(),
        measure: attribute(row, "measure").map(String::from),
        htcds: attribute(row, "htcds").map(String::from),
    })
}

/// The question's id made from its `name` cell; `None`, reported, when there is no usable name.
fn row_id(r: &mut Reader, sheet: &Sheet, row: &Row) -> Option<String> {
    let id = r.id_of(row.get("name"));
    if id.is_none() {
        r.error(
            sheet,
            row,
            Some("name"),
            "this question has no usable name",
            "give it a name of letters, digits and _ (e.g. `age`)",
        );
    }
    id
}

/// The id of the choice list a question names: `Some(None)` for a question without one, `None`
/// (reported) when a select question names no list or one the choices sheet does not have.
fn choice_list(
    r: &mut Reader,
    sheet: &Sheet,
    row: &Row,
    kind: QuestionType,
    list: Option<String>,
) -> Option<Option<String>> {
    match (kind, list) {
        (QuestionType::Choice | QuestionType::MultiChoice, None) => {
            r.error(
                sheet,
                row,
                Some("type"),
                "this select question names no choice list",
                "write the list after the type: `select_one yes_no`",
            );
            None
        }
        (_, Some(l)) => match r.list_id(&l) {
            Some(id) => Some(Some(id)),
            None => {
                r.error(
                    sheet,
                    row,
                    Some("type"),
                    format!("the choice list `{l}` is not in the choices sheet"),
                    "add its choices to the choices sheet, or fix the name",
                );
                None
            }
        },
        (_, None) => Some(None),
    }
}

/// The `calculation` cell; a calculate row without one is reported.
fn calculation(r: &mut Reader, sheet: &Sheet, row: &Row, kind: QuestionType, id: &str) -> Option<String> {
    let calculation = r.logic(sheet, row, "calculation", Some(id));
    if kind == QuestionType::Calculate && calculation.is_none() && row.get("calculation").is_empty() {
        r.error(
            sheet,
            row,
            Some("calculation"),
            "this calculate row has no calculation",
            "write the calculation, or delete the row",
        );
    }
    calculation
}

/// Warns that a `required_message`, in any language, is left out.
fn required_message(r: &mut Reader, sheet: &Sheet, row: &Row) {
    if !row.get("required_message").is_empty() || has_lang_column(row, "required_message") {
        r.warn(
            sheet,
            row,
            Some("required_message"),
            "required messages are not imported",
            "the questionnaire says in its own words that an answer is needed",
        );
    }
}

/// The cell of the bind column `bind::oberih:<name>`, unless empty.
pub fn attribute<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    Some(row.get(&extra::column(name)).trim()).filter(|v| !v.is_empty())
}

fn has_lang_column(row: &Row, base: &str) -> bool {
    row.cells.keys().any(|h| super::sheet::split_header(h).0 == base)
}

/// `yes`, `true`, `true()` or `1`; a condition cannot be imported.
fn required(r: &mut Reader, sheet: &Sheet, row: &Row) -> bool {
    let cell = row.get("required").to_ascii_lowercase();
    match cell.as_str() {
        "" | "no" | "false" | "false()" | "0" => false,
        "yes" | "true" | "true()" | "1" => true,
        _ => {
            r.error(
                sheet,
                row,
                Some("required"),
                "a condition in `required` is not supported",
                "write yes or no; a question needed only sometimes can be put under a `relevant`",
            );
            false
        }
    }
}

/// Reports every cell of a column that would change what the form does.
fn unsupported_cells(r: &mut Reader, sheet: &Sheet, row: &Row) {
    for (header, value) in &row.cells {
        let (base, _) = super::sheet::split_header(header);
        let media = base.starts_with("media") || base == "video" || base == "big-image";
        let help = UNSUPPORTED_COLUMNS.iter().find(|(c, _)| *c == base).map(|(_, h)| *h);
        let help = match (help, media) {
            (Some(h), _) => h,
            (None, true) => "media are not supported: describe it in the label",
            (None, false) => continue,
        };
        if base == "read_only" && matches!(value.to_ascii_lowercase().as_str(), "no" | "false" | "false()") {
            continue;
        }
        r.error(sheet, row, Some(header), format!("`{header}` is not supported"), help);
    }
}

/// Warns once for each column nothing reads (Kobo's own `$…` columns aside).
fn unknown_columns(r: &mut Reader, sheet: &Sheet) {
    let known: BTreeMap<&str, ()> =
        READ.iter().chain(UNSUPPORTED_COLUMNS.iter().map(|(c, _)| c)).map(|c| (*c, ())).collect();
    for header in &sheet.headers {
        let (base, _) = super::sheet::split_header(header);
        let media = base.starts_with("media") || base == "video" || base == "big-image";
        let ours = extra::is_column(header);
        if header.is_empty() || header.starts_with('$') || known.contains_key(base.as_str()) || media || ours {
            continue;
        }
        if sheet.rows.iter().any(|row| !row.get(header).is_empty()) {
            r.warn_sheet(
                sheet,
                format!("the column `{header}` is not read"),
                "only the columns of the common XLSForm subset are imported",
            );
        }
    }
}

/// The id each question's name becomes, for the first pass over the sheet.
pub fn names(sheet: &Sheet) -> Vec<(usize, String, bool)> {
    sheet
        .rows
        .iter()
        .filter(|row| !row.get("name").is_empty())
        .map(|row| {
            let is_question = matches!(row_kind(row.get("type")), RowKind::Question(..));
            (row.number, row.get("name").to_string(), is_question)
        })
        .collect()
}

/// The choice list of each select question, by name, for the first pass.
pub fn lists(sheet: &Sheet) -> BTreeMap<String, String> {
    sheet
        .rows
        .iter()
        .filter_map(|row| match row_kind(row.get("type")) {
            RowKind::Question(_, Some(list)) => Some((row.get("name").to_string(), list)),
            _ => None,
        })
        .collect()
}

/// Used by tests: the id a name becomes, as the reader would make it.
pub fn question_id(name: &str) -> Option<String> {
    id_for(name, "q")
}
