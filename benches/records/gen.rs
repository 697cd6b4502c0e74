//! Synthetic questionnaire exports for tests and benchmarks: never real data. Every answer is
//! drawn from the form's own choices, made-up words and small numbers, from a seeded generator,
//! so the same seed gives the same records.
//!
//! Records are sealed to whatever public key the caller gives: the benchmark uses the P-256 test
//! key (envelope format 2) unless told `--key rsa` (format 1).
//!
//! `generate` writes N encrypted exports of a form: most of the current version, some of an older
//! version (with one question under its old name), some duplicates (the same record sealed again)
//! and some conflicts (the same id with another answer). `damaged` writes one file of each kind
//! `records add` must reject.

use std::path::{Path, PathBuf};

use oberih::envelope::encrypt_record;
use oberih::forms::form::{QuestionType, Section};
use oberih::forms::Form;
use rayon::prelude::*;
use serde_json::{json, Map, Value};

/// Words for text answers: plainly made up, so nothing can be mistaken for a real account.
const WORDS: &[&str] = &["синтетичний", "запис", "тест", "приклад", "вигадка", "зразок", "demo", "sample"];

/// A small, seeded generator (SplitMix64); the bench needs repeatable numbers, not security.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// How the generated files divide.
#[derive(Debug, Default, Clone, Copy)]
pub struct Made {
    pub files: usize,
    pub older: usize,
    pub duplicates: usize,
    pub conflicts: usize,
}

/// One synthetic record of `form` (current version), id made from `n`.
pub fn record(form: &Form, n: usize, rng: &mut Rng) -> Value {
    let mut answers = Map::new();
    let mut not_asked = Vec::new();
    for s in &form.sections {
        if s.repeat.is_some() {
            if rng.chance(30) {
                not_asked.push(json!(format!("/{}", s.id)));
                answers.insert(s.id.clone(), Value::Null);
            } else {
                let entries: Vec<Value> = (0..rng.below(3)).map(|_| Value::Object(entry(s, rng))).collect();
                answers.insert(s.id.clone(), Value::Array(entries));
            }
            continue;
        }
        for q in s.questions.iter().filter(|q| q.kind != QuestionType::Note) {
            let v = if rng.chance(20) {
                not_asked.push(json!(format!("/{}", q.id)));
                Value::Null
            } else {
                answer(q, rng)
            };
            answers.insert(q.id.clone(), v);
        }
    }
    let outcome = &form.outcomes[rng.below(form.outcomes.len())].id;
    let mut indicators: Vec<&str> = form.indicators.iter().filter(|_| rng.chance(10)).map(|i| i.id.as_str()).collect();
    indicators.dedup();
    let day = 1 + rng.below(28);
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "form": form.id, "version": form.version,
        "region": if rng.chance(50) { Value::Null } else { json!("synthetic-region") },
        "language": if rng.chance(80) { "uk" } else { "en" },
        "started": format!("2026-05-{day:02}T{:02}:{:02}:00.000Z", 8 + rng.below(10), rng.below(60)),
        "finished": if rng.chance(90) { json!(format!("2026-05-{day:02}T19:00:00.000Z")) } else { Value::Null },
        "answers": answers, "outcome": outcome, "indicators": indicators,
        "unanswered": [], "not_asked": not_asked
    })
}

fn entry(s: &Section, rng: &mut Rng) -> Map<String, Value> {
    s.questions.iter().filter(|q| q.kind != QuestionType::Note).map(|q| (q.id.clone(), answer(q, rng))).collect()
}

fn answer(q: &oberih::forms::Question, rng: &mut Rng) -> Value {
    if rng.chance(5) {
        return Value::Null; // asked and left blank
    }
    match q.kind {
        QuestionType::Choice => json!(q.choices[rng.below(q.choices.len())].value),
        QuestionType::MultiChoice => {
            let picked: Vec<&str> = q.choices.iter().filter(|_| rng.chance(30)).map(|c| c.value.as_str()).collect();
            if picked.is_empty() {
                json!([q.choices[0].value])
            } else {
                json!(picked)
            }
        }
        QuestionType::Integer => json!(rng.below(60)),
        QuestionType::Decimal => json!(rng.below(1000) as f64 / 10.0),
        QuestionType::Date => json!(format!("2026-0{}-1{}", 1 + rng.below(9), rng.below(10))),
        QuestionType::Text | QuestionType::LongText => {
            let n = 1 + rng.below(6);
            json!((0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" "))
        }
        QuestionType::Calculate | QuestionType::Note => Value::Null,
    }
}

/// `record` as the older version `old` exported it: `renamed` under its old name.
pub fn as_older(mut r: Value, old: &str, renamed: (&str, &str)) -> Value {
    r["version"] = json!(old);
    if let Some(answers) = r["answers"].as_object_mut() {
        let v = answers.remove(renamed.1).unwrap_or(Value::Null);
        answers.insert(renamed.0.to_string(), v);
    }
    if let Some(list) = r["not_asked"].as_array_mut() {
        for p in list.iter_mut().filter(|p| *p == &json!(format!("/{}", renamed.1))) {
            *p = json!(format!("/{}", renamed.0));
        }
    }
    r
}

/// Writes `n` encrypted exports of `form` into `dir`: 10 % of version `old` (with the question
/// `renamed.1` under the name `renamed.0`), 2 % duplicates and 1 % conflicts.
pub fn generate(
    form: &Form,
    public_pem: &str,
    dir: &Path,
    n: usize,
    seed: u64,
    old: &str,
    renamed: (&str, &str),
) -> Made {
    std::fs::create_dir_all(dir).expect("the output folder");
    let made: Vec<(bool, u8)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            // Kind: 0 new, 1 duplicate of the record before, 2 conflict with it.
            let kind = match rng.below(100) {
                0 | 1 if i > 0 => 1u8,
                2 if i > 0 => 2,
                _ => 0,
            };
            let base = if kind == 0 { i } else { i - 1 };
            let mut base_rng = Rng::new(seed ^ (base as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            let older = base_rng.chance(10);
            let mut r = record(form, base, &mut base_rng);
            if older {
                r = as_older(r, old, renamed);
            }
            if kind == 2 {
                r["finished"] = json!("2026-06-01T12:00:00.000Z");
            }
            let sealed = encrypt_record(public_pem, &r).expect("a sealed record");
            std::fs::write(dir.join(format!("{i:07}.oberih")), sealed).expect("a written record");
            (older, kind)
        })
        .collect();
    let mut m = Made { files: n, ..Made::default() };
    for (older, kind) in made {
        m.older += usize::from(older && kind == 0);
        m.duplicates += usize::from(kind == 1);
        m.conflicts += usize::from(kind == 2);
    }
    m
}

/// One file of each kind `records add` rejects: tampered, truncated, sealed for another key,
/// of a version the form cannot read, of an unknown form, breaking the schema, and a draft.
pub fn damaged(form: &Form, public_pem: &str, other_public_pem: &str, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("the output folder");
    let mut rng = Rng::new(7);
    let good = record(form, 9_000_000, &mut rng);
    let seal = |r: &Value| encrypt_record(public_pem, r).expect("sealed");
    let mut tampered: Value = serde_json::from_slice(&seal(&good)).expect("json");
    let text = tampered["ciphertext"].as_str().unwrap_or_default().to_string();
    let flipped = if text.starts_with('A') { text.replacen('A', "B", 1) } else { format!("A{}", &text[1..]) };
    tampered["ciphertext"] = json!(flipped);
    let mut unknown_version = good.clone();
    unknown_version["version"] = json!("1999.1");
    let mut unknown_form = good.clone();
    unknown_form["form"] = json!("no-such-form");
    let mut schema = good.clone();
    schema["answers"]["no_such_question"] = json!("x");
    let sealed = seal(&good);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("tampered.oberih", tampered.to_string().into_bytes()),
        ("truncated.oberih", sealed[..sealed.len() / 2].to_vec()),
        ("other-key.oberih", encrypt_record(other_public_pem, &good).expect("sealed")),
        ("unknown-version.oberih", seal(&unknown_version)),
        ("unknown-form.oberih", seal(&unknown_form)),
        ("schema.oberih", seal(&schema)),
        ("draft.oberih-draft", br#"{"oberih":"encrypted-draft","format":1}"#.to_vec()),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).expect("a written file");
            p
        })
        .collect()
}
