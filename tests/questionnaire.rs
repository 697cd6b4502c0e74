//! The offline questionnaire: pages rendered from the default forms, finished exactly as the
//! build finishes them (minified, CSP filled in), checked statically, then driven end to end in
//! headless Chromium from `file://` (tests/browser/form.js). Exports captured there are checked
//! here: JSON against the form's record schema (by the validator `records add` uses), CSV
//! against `record_csv`, encrypted records with `oberih::envelope::decrypt_file`. The browser
//! tests need `chromium` and `npm ci`; they fail, never skip, when the tools are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use oberih::contacts::{Contact, Directory};
use oberih::forms::interactive::{interactive_page, neutral_page, PageContext};
use oberih::forms::{load, record_schema, Form, FormContext};
use oberih::i18n::I18n;
use oberih::output::{csp_for, finish_html};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const LANGUAGES: [&str; 2] = ["uk", "en"];
const TEST_PUBLIC_KEY: &str = "tests/fixtures/crypto/test-public.pem";
const TEST_PRIVATE_KEY: &str = "tests/fixtures/crypto/test-private.pem";
const P256_PUBLIC_KEY: &str = "tests/fixtures/crypto/p256-public.pem";
const P256_PRIVATE_KEY: &str = "tests/fixtures/crypto/p256-private.pem";

fn load_form(name: &str, text: &str) -> Form {
    let known = |_: &str, _: Option<&str>| true;
    let ctx = FormContext {
        languages: LANGUAGES.iter().map(|l| l.to_string()).collect(),
        default_language: "uk".into(),
        known_standard: &known,
    };
    load(name, text, &ctx)
        .unwrap_or_else(|ds| panic!("{name}: {}", ds.iter().map(|d| d.to_string()).collect::<String>()))
}

fn catalog() -> I18n {
    let mut i = I18n::new("uk");
    for l in LANGUAGES {
        for part in ["form_ui", "forms"] {
            let rel = format!("themes/default/i18n/{part}.{l}.toml");
            i.add_file(&rel, l, &read(&rel)).unwrap();
        }
    }
    i
}

fn contacts() -> Directory {
    let mut d = Directory::default();
    d.add_file("data/contacts.toml", &read("data/contacts.toml")).unwrap();
    d
}

/// The adult form with encrypted export and encrypted drafts, as a portal would configure it.
fn encrypted_variant(text: &str) -> String {
    let privacy = "[form.privacy]\nstorage = \"memory\"";
    assert!(text.contains(privacy), "the adult form's privacy table changed");
    text.replacen(
        privacy,
        "[form.privacy]\nstorage = \"encrypted-file\"\nexport = \"encrypted\"\npublic_key = \"keys/office.pub.pem\"",
        1,
    )
}

const XSS_FORM: &str = r#"
[form]
id = "xss"
version = "1"
title = { uk = "</script><script>alert(1)</script>", en = "</script><script>alert(1)</script>" }

[[section]]
id = "s"
title = { uk = "<img src=x onerror=alert(2)>", en = "<img src=x onerror=alert(2)>" }

  [[section.question]]
  id = "q"
  type = "choice"
  required = true
  label = { uk = "</script><script>alert(1)</script>", en = "</script><script>alert(1)</script>" }
  hint = { uk = "<!-- x --> & </style>", en = "<!-- x --> & </style>" }
  choices = [ { value = "yes", label = { uk = "<b>Так</b>", en = "<b>Yes</b>" } } ]

[[outcome]]
id = "none"
when = "true"
label = { uk = "</style><script>alert(3)</script>", en = "</style><script>alert(3)</script>" }
"#;

/// Pages in a `public/` folder laid out as the build lays it out.
struct Site {
    _dir: tempfile::TempDir,
    public: PathBuf,
    adult: Form,
    i18n: I18n,
}

fn render(form: &Form, lang: &str, key: Option<&str>, contacts: &[&Contact], i18n: &I18n) -> String {
    let languages: Vec<String> = LANGUAGES.iter().map(|l| l.to_string()).collect();
    let t = |l: &str, k: &str| i18n.t(l, k);
    let plural = |l: &str, k: &str, category: &str| i18n.plural_form(l, k, category);
    let ctx = PageContext {
        lang,
        languages: &languages,
        t: &t,
        plural: &plural,
        contacts,
        site_title: "Оберіг",
        back_href: "../index.html",
        neutral_href: "../../../neutral.html",
        form_href: "../../../{lang}/forms/{id}/index.html",
        public_key_pem: key,
        region: None,
    };
    finish_html(interactive_page(form, &ctx))
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let i18n = catalog();
    let directory = contacts();
    let contacts: Vec<&Contact> = directory.contacts.iter().collect();
    let adult_text = read("forms/initial-screening.toml");
    let adult = load_form("forms/initial-screening.toml", &adult_text);
    let child = load_form("forms/child-screening.toml", &read("forms/child-screening.toml"));
    let encrypted = load_form("forms/initial-screening.toml", &encrypted_variant(&adult_text));
    let xss = load_form("forms/xss.toml", XSS_FORM);
    let key = read(TEST_PUBLIC_KEY);
    let ec_key = read(P256_PUBLIC_KEY);
    let pages = [
        ("uk/forms/initial-screening", render(&adult, "uk", None, &contacts, &i18n)),
        ("en/forms/initial-screening", render(&adult, "en", None, &contacts, &i18n)),
        ("uk/forms/child-screening", render(&child, "uk", None, &contacts, &i18n)),
        ("en/forms/child-screening", render(&child, "en", None, &contacts, &i18n)),
        ("uk/forms/encrypted", render(&encrypted, "uk", Some(&key), &contacts, &i18n)),
        ("uk/forms/encrypted-ec", render(&encrypted, "uk", Some(&ec_key), &contacts, &i18n)),
        ("uk/forms/no-key", render(&encrypted, "uk", None, &contacts, &i18n)),
        ("uk/forms/xss", render(&xss, "uk", None, &contacts, &i18n)),
    ];
    for (rel, html) in pages {
        let folder = public.join(rel);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("index.html"), html).unwrap();
    }
    std::fs::write(public.join("neutral.html"), finish_html(neutral_page())).unwrap();
    std::fs::write(public.join("start.html"), finish_html(start_page())).unwrap();
    if let Ok(keep) = std::env::var("OBERIH_KEEP_QUESTIONNAIRE") {
        let _ = std::fs::remove_dir_all(&keep);
        copy_dir(&public, Path::new(&keep));
    }
    Site { _dir: dir, public, adult, i18n }
}

/// A page to come from, so the tests can check where Back goes after a quick exit.
fn start_page() -> String {
    "<!DOCTYPE html><html lang=\"en\"><head><meta http-equiv=\"Content-Security-Policy\" content=\"__OBERIH_CSP__\">\
     <meta charset=\"utf-8\"><title>Start</title></head><body><p id=\"start\">Start</p></body></html>"
        .to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn page(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.public.join(rel).join("index.html")).unwrap()
}

// ---------------------------------------------------------------------------------- static checks

#[test]
fn page_is_one_self_contained_file_with_a_strict_policy() {
    let site = site();
    let html = page(&site, "uk/forms/initial-screening");
    let doc = scraper::Html::parse_document(&html);
    let first = doc.select(&sel("head > *")).next().expect("head has elements").value();
    assert_eq!(first.name(), "meta", "CSP meta must come first");
    assert_eq!(first.attr("http-equiv"), Some("Content-Security-Policy"), "CSP meta must come first");
    let policy = first.attr("content").expect("policy");
    assert_eq!(policy, csp_for(&html), "the policy must hash exactly the inline script and style");
    for bad in ["'unsafe-inline'", "'unsafe-eval'", "http:", "https:"] {
        assert!(!policy.contains(bad), "{policy}");
    }
    assert_eq!(oberih::output::inline_elements(&html, "script").len(), 1, "one inline script");
    assert_eq!(oberih::output::inline_elements(&html, "style").len(), 1, "one inline style");
    assert!(!html.contains(" style="), "no style attributes (CSP has no 'unsafe-inline')");
    assert!(!html.contains(" onclick") && !html.contains(" onload"), "no inline handlers");
    for external in ["src=\"http", "href=\"http", "src=http", "href=http", "@import", "url("] {
        assert!(!html.contains(external), "external reference {external}");
    }
    let title = &html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()];
    assert_eq!(title, site.adult.title("uk"));
    assert_eq!(doc.select(&sel("meta[name=referrer][content=no-referrer]")).count(), 1);
    assert_eq!(doc.select(&sel("form#form[autocomplete=off]")).count(), 1);
}

#[test]
fn labels_cannot_break_out_of_the_page() {
    let site = site();
    let html = page(&site, "uk/forms/xss");
    let block = data_block(&html);
    assert!(!block.contains('<') && !block.contains('>'), "{block}");
    let v = oberih::forms::packed::unpack(&block).unwrap();
    assert_eq!(v["languages"][0], "uk", "texts are arrays in this order");
    assert_eq!(v["sections"][0]["questions"][0]["label"][0], "</script><script>alert(1)</script>");
    // Parsed as a browser parses it: the title's text stays text, and only the data block and
    // the runtime are scripts.
    let doc = scraper::Html::parse_document(&html);
    let scripts = scraper::Selector::parse("script").unwrap();
    assert_eq!(doc.select(&scripts).count(), 2, "only the data block and the runtime");
    let title = scraper::Selector::parse("title").unwrap();
    let title_text: String = doc.select(&title).next().unwrap().text().collect();
    assert_eq!(title_text, "</script><script>alert(1)</script>");
    let img = scraper::Selector::parse("img, b").unwrap();
    assert_eq!(doc.select(&img).count(), 0, "markup in texts never becomes markup");
}

/// The text of the `<script type="text/plain" id="form-data">` element, as a browser reads it.
fn data_block(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let block = doc.select(&sel("script#form-data[type='text/plain']")).next().expect("data block");
    block.text().collect()
}

fn sel(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

/// The sizes of the real portal's pages are guarded in tests/portal.rs; here, that only a form
/// that encrypts carries the encryption code, and within what bound.
#[test]
fn encryption_code_only_where_used() {
    let site = site();
    let runtime_of = |rel: &str| {
        let html = page(&site, rel);
        let doc = scraper::Html::parse_document(&html);
        let script = scraper::Selector::parse("script:not([type])").unwrap();
        let text: String = doc.select(&script).next().expect("the runtime").text().collect();
        text
    };
    let plain = runtime_of("uk/forms/initial-screening");
    let sealing = runtime_of("uk/forms/encrypted");
    eprintln!("runtime: {} bytes plain, {} bytes with encryption", plain.len(), sealing.len());
    assert!(!plain.contains("sealWith") && sealing.contains("sealWith"));
    // 31,991 bytes, then 32,003 with the expression language's functions called from a function
    // of their own.
    assert!(sealing.len() < 32_100, "runtime with encryption {} bytes", sealing.len());
}

#[test]
fn encrypted_form_carries_the_key_fingerprint_and_never_a_plain_export() {
    let site = site();
    let html = page(&site, "uk/forms/encrypted");
    let info = oberih::envelope::public_key_info(&read(TEST_PUBLIC_KEY)).unwrap();
    let data = oberih::forms::packed::unpack(&data_block(&html)).unwrap();
    assert_eq!(data["key"]["fingerprint"], info.fingerprint.as_str());
    assert_eq!(data["key"]["kind"], "rsa", "an RSA key seals in envelope format 1");
    let ec = oberih::forms::packed::unpack(&data_block(&page(&site, "uk/forms/encrypted-ec"))).unwrap();
    assert_eq!(ec["key"]["kind"], "p256", "a P-256 key seals in envelope format 2");
    let ec_info = oberih::envelope::public_key_info(&read(P256_PUBLIC_KEY)).unwrap();
    assert_eq!(ec["key"]["fingerprint"], ec_info.fingerprint.as_str());
    let no_key = oberih::forms::packed::unpack(&data_block(&page(&site, "uk/forms/no-key"))).unwrap();
    assert_eq!(no_key["export"], "encrypted");
    assert!(no_key.get("key").is_none(), "no key without a parsable public key: {no_key}");
}

// ---------------------------------------------------------------------------------- JSON Schema

/// Checks `value` against the subset of JSON Schema 2020-12 that `record_schema` uses. An
/// unknown keyword fails loudly, so the checker never silently accepts what it cannot check.
/// Where `record` breaks `schema`, by the JSON Schema validator `oberih records add` uses: each
/// as the JSON Pointer to the value and the validator's message.
fn schema_errors(schema: &Value, record: &Value) -> Vec<String> {
    let validator =
        jsonschema::draft202012::new(schema).unwrap_or_else(|e| panic!("the record schema does not compile: {e}"));
    validator.iter_errors(record).map(|e| format!("{}: {e}", e.instance_path)).collect()
}

fn assert_valid(site: &Site, form: &Form, record: &Value, what: &str) {
    let lang = record["language"].as_str().unwrap_or("uk");
    let t = |k: &str| site.i18n.t(lang, k);
    let errors = schema_errors(&record_schema(form, lang, &t), record);
    assert!(errors.is_empty(), "{what} does not match the record schema:\n{}\n{record:#}", errors.join("\n"));
}

#[test]
fn the_record_schema_rejects_what_it_should() {
    let site = site();
    let t = |k: &str| site.i18n.t("uk", k);
    let schema = record_schema(&site.adult, "uk", &t);
    let bad = serde_json::json!({ "form": "other", "version": "2026.1", "language": "uk", "started": "x",
        "answers": { "consent": "maybe", "nonsense": 1 }, "outcome": "refer", "indicators": ["debt", "debt"],
        "unanswered": ["/consent", "/jobs/01/job_pay", "/jobs/x/job_pay", "/jobs/0/job_pay"] });
    let all = schema_errors(&schema, &bad).join("\n");
    let expected = [
        "/form:",
        "/answers/consent:",
        "'nonsense' was unexpected",
        "/indicators: [\"debt\",\"debt\"] has non-unique",
        "/unanswered/0: \"/consent\"",
        "/unanswered/1: \"/jobs/01/job_pay\"",
        "/unanswered/2: \"/jobs/x/job_pay\"",
    ];
    for e in expected {
        assert!(all.contains(e), "{e} not reported in:\n{all}");
    }
    assert!(!all.contains("/unanswered/3"), "an entry's pointer is valid:\n{all}");
}

// ---------------------------------------------------------------------------------- the browser

fn run_browser(site: &Site, out: &Path) -> Value {
    assert!(repo().join("node_modules/playwright-core").is_dir(), "browser tests need `npm ci` (see scripts/test)");
    let output = Command::new("node")
        .arg(repo().join("tests/browser/form.js"))
        .arg(&site.public)
        .arg(out)
        .output()
        .expect("browser tests need node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line)
        .unwrap_or_else(|_| panic!("no report from form.js:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr)))
}

fn text_of(report: &Value, key: &str) -> String {
    report[key].as_str().unwrap_or_else(|| panic!("the report has no `{key}`")).to_string()
}

#[test]
fn questionnaire_in_a_real_browser() {
    let site = site();
    let out = tempfile::tempdir().unwrap();
    let report = run_browser(&site, out.path());
    let failures: Vec<String> =
        report["failures"].as_array().map(|a| a.iter().map(|v| v.to_string()).collect()).unwrap_or_default();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    full_interview_exports(&site, &report);
    declined_and_blank_exports(&site, &report);
    encrypted_with_an_rsa_key(&site, &report);
    encrypted_with_a_p256_key(&site, &report);
}

/// The full interview: valid against the schema, hidden answers gone, the CSV matches; re-opened
/// and exported again, the same record.
fn full_interview_exports(site: &Site, report: &Value) {
    let full: Value = serde_json::from_str(&text_of(report, "export_json")).unwrap();
    assert_valid(site, &site.adult, &full, "the full interview");
    assert_eq!(full["language"], "en", "exported after switching to English");
    assert_eq!(full["answers"]["owes_debt"], "no");
    assert_eq!(full["answers"]["debt_grows"], Value::Null, "a hidden answer must not be exported");
    let fired: Vec<&str> = full["indicators"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(!fired.contains(&"debt_bondage") && !fired.contains(&"debt"), "{fired:?}");
    assert!(fired.contains(&"work_deception") && fired.contains(&"wages_withheld"), "{fired:?}");
    assert_eq!(full["outcome"], "refer");
    assert_eq!(full["answers"]["jobs"][0]["job_hours"], 14);
    assert_eq!(full["answers"]["long_days"], 1);
    assert!(full["finished"].is_string());
    assert_eq!(full["unanswered"], serde_json::json!(["/escorted"]), "the one indicator question left blank");
    // Its id is a random UUID made on export; the national portal's record names no region.
    let id = full["id"].as_str().expect("an id");
    assert!(
        id.len() == 36 && id.as_bytes()[14] == b'4' && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(full["region"], Value::Null);
    // Not asked and left blank are told apart: a hidden question is named, a blank one is not.
    let not_asked: Vec<&str> =
        full["not_asked"].as_array().expect("not_asked").iter().filter_map(Value::as_str).collect();
    assert!(not_asked.contains(&"/debt_grows") && !not_asked.contains(&"/escorted"), "{not_asked:?}");
    let csv = text_of(report, "export_csv");
    assert_eq!(csv, oberih::records::csv::record_csv(&full), "the page's CSV and record_csv must agree");

    // Re-opened and exported again: the same answers.
    let again: Value = serde_json::from_str(&text_of(report, "export_json_reopened")).unwrap();
    assert_eq!(again["answers"], full["answers"]);
    assert_eq!(again["started"], full["started"]);
    assert_eq!(again["id"], full["id"], "a re-opened interview keeps its id");
}

fn declined_and_blank_exports(site: &Site, report: &Value) {
    // Consent "no": a clean, complete record that asks nothing else.
    let declined: Value = serde_json::from_str(&text_of(report, "export_declined")).unwrap();
    assert_valid(site, &site.adult, &declined, "the declined interview");
    assert_eq!(declined["outcome"], "not_done");
    assert_eq!(declined["answers"]["safe_to_talk"], Value::Null);
    assert!(declined["finished"].is_string());
    assert_eq!(declined["unanswered"], serde_json::json!([]), "questions after the end were not asked");

    // Only the required questions answered: every indicator question that was asked and left
    // blank is listed, as a JSON Pointer into `answers`, and the outcome is not "none".
    let blank: Value = serde_json::from_str(&text_of(report, "export_blank")).unwrap();
    assert_valid(site, &site.adult, &blank, "the record with blank answers");
    let unanswered: Vec<&str> =
        blank["unanswered"].as_array().expect("an `unanswered` list").iter().filter_map(Value::as_str).collect();
    for pointer in &unanswered {
        assert_eq!(blank["answers"].pointer(pointer), Some(&Value::Null), "{pointer} is listed but answered");
    }
    let not_asked = ["differences", "debt_grows", "debt_work_off", "job_pay", "job_hours"];
    let expected: Vec<String> = site
        .adult
        .indicator_questions()
        .into_iter()
        .filter(|id| !not_asked.contains(&id.as_str()))
        .map(|id| format!("/{id}"))
        .collect();
    assert_eq!(unanswered, expected);
    assert_eq!(unanswered.len(), 17);
    assert_eq!(blank["outcome"], "insufficient", "17 blanks count like 17 answers «Не знає»");
    let blank_csv = text_of(report, "export_blank_csv");
    assert_eq!(blank_csv, oberih::records::csv::record_csv(&blank), "the page's CSV and record_csv must agree");
    assert!(blank_csv.lines().next().is_some_and(|h| h.split(',').any(|c| c == "unanswered")), "{blank_csv}");
}

/// The encrypted export to an RSA key (format 1): decrypts to the answers typed; one flipped
/// byte fails; the page's AES-GCM matches the golden vector.
fn encrypted_with_an_rsa_key(site: &Site, report: &Value) {
    let private = read(TEST_PRIVATE_KEY);
    let sealed = text_of(report, "export_encrypted");
    for typed in ["Львів", "consent"] {
        assert!(!sealed.contains(typed), "the envelope leaks {typed}");
    }
    let record = oberih::envelope::decrypt_file(&private, sealed.as_bytes()).unwrap();
    assert_eq!(record["answers"]["jobs"][0]["job_place"], "Львів");
    assert_eq!(record["answers"]["consent"], "yes");
    assert_valid(site, &site.adult, &record, "the decrypted record");
    let mut env: Value = serde_json::from_str(&sealed).unwrap();
    let mut ct = oberih_b64(env["ciphertext"].as_str().unwrap());
    ct[0] ^= 0x80;
    env["ciphertext"] = Value::String(base64_encode(&ct));
    let err = oberih::envelope::decrypt_file(&private, env.to_string().as_bytes()).unwrap_err();
    assert!(matches!(err, oberih::envelope::CryptoError::Tampered), "{err}");

    // The golden vector: the page's AES-GCM with a fixed key and IV gives the committed bytes.
    let golden: Value = serde_json::from_str(&read("tests/fixtures/crypto/golden-envelope.json")).unwrap();
    let fresh: Value = serde_json::from_str(&text_of(report, "golden_envelope")).unwrap();
    assert_eq!(fresh["ciphertext"], golden["ciphertext"], "the record cipher format changed");
    assert_eq!(fresh["iv"], golden["iv"]);
}

/// The page's envelopes for a P-256 office key: format 2, a fresh ephemeral key per record; they
/// open with the private key, through `oberih decrypt`'s reading and `records add`, and each
/// kind of damage is refused for its reason.
fn encrypted_with_a_p256_key(site: &Site, report: &Value) {
    use oberih::envelope::{CryptoError, OfficeKey};
    let sealed: Vec<String> = report["export_encrypted_ec"]
        .as_array()
        .expect("the report has no `export_encrypted_ec`")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let envs: Vec<Value> = sealed.iter().map(|s| serde_json::from_str(s).unwrap()).collect();
    assert_eq!(envs[0]["format"], 2);
    assert_eq!(envs[0]["alg"], "ECDH-ES+HKDF-SHA256+A256GCM");
    assert!(envs[0].get("wrapped_key").is_none());
    assert_eq!(oberih_b64(envs[0]["epk"].as_str().unwrap()).len(), 65);
    assert_ne!(envs[0]["epk"], envs[1]["epk"], "an ephemeral key per record");
    assert!(!sealed[0].contains("Кам") && !sealed[0].contains("consent"), "the envelope leaks answers");
    let key = OfficeKey::from_pem(&read(P256_PRIVATE_KEY)).unwrap();
    for text in &sealed {
        let record = key.decrypt(text.as_bytes()).unwrap();
        assert_eq!(record["answers"]["jobs"][0]["job_place"], "Кам’янець-Подільський");
        assert_valid(site, &site.adult, &record, "the record sealed to a P-256 key");
    }
    let sec1 = OfficeKey::from_pem(&read("tests/fixtures/crypto/p256-private-sec1.pem")).unwrap();
    assert!(sec1.decrypt(sealed[0].as_bytes()).is_ok(), "the same key in SEC1 form opens it");

    let other = OfficeKey::from_pem(&read("tests/fixtures/crypto/p256-other-private.pem")).unwrap();
    let rsa = OfficeKey::from_pem(&read(TEST_PRIVATE_KEY)).unwrap();
    for wrong in [&other, &rsa] {
        assert!(matches!(wrong.decrypt(sealed[0].as_bytes()), Err(CryptoError::WrongKey { .. })));
    }
    let damaged = |change: &dyn Fn(&mut Value)| {
        let mut env = envs[0].clone();
        change(&mut env);
        key.decrypt(env.to_string().as_bytes()).unwrap_err()
    };
    let header = damaged(&|e| e["version"] = Value::from("2026.9"));
    assert!(matches!(header, CryptoError::Tampered), "{header}");
    let swapped = damaged(&|e| e["epk"] = envs[1]["epk"].clone());
    assert!(matches!(swapped, CryptoError::Tampered), "another record's ephemeral key: {swapped}");
    let off_curve = damaged(&|e| {
        let mut epk = oberih_b64(e["epk"].as_str().unwrap());
        epk[20] ^= 0x01;
        e["epk"] = Value::String(base64_encode(&epk));
    });
    assert!(off_curve.to_string().contains("`epk` is not a point of the curve P-256"), "{off_curve}");

    // `records add` takes both, with the office key read once.
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = sealed
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let file = dir.path().join(format!("r{i}.oberih"));
            std::fs::write(&file, text).unwrap();
            file
        })
        .collect();
    let dataset = dir.path().join("records.sqlite");
    let added =
        oberih::records::add::add_files(&dataset, &files, Some(&key), std::slice::from_ref(&site.adult)).unwrap();
    assert!(added.stored(), "{}", added.text());
    let c = &added.counts;
    assert_eq!((c.files, c.added + c.duplicates + c.conflicts), (2, 2), "{}", added.text());
    assert!(c.added >= 1, "{}", added.text());
}

#[test]
fn golden_envelope_made_by_the_page_decrypts() {
    let golden = read("tests/fixtures/crypto/golden-envelope.json");
    let record = oberih::envelope::decrypt_file(&read(TEST_PRIVATE_KEY), golden.as_bytes()).unwrap();
    let expected: Value = serde_json::from_str(&read("tests/fixtures/crypto/golden-record.json")).unwrap();
    assert_eq!(record, expected);
    let mut env: Value = serde_json::from_str(&golden).unwrap();
    let mut bytes = oberih_b64(env["ciphertext"].as_str().unwrap());
    bytes[10] ^= 0x01;
    env["ciphertext"] = Value::String(base64_encode(&bytes));
    assert!(oberih::envelope::decrypt_file(&read(TEST_PRIVATE_KEY), env.to_string().as_bytes()).is_err());
}

fn oberih_b64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}
