//! Search: the Rust analyser and the browser client must agree, and the
//! client must find the right documents in an index built by the crate.
//!
//! The JavaScript half runs the search client (`src/search/runtime/*.js`) in Node through
//! `tests/search/run_stems.js`; without Node these tests fail, on purpose.

use oberih::search::language::fold_latin;
use oberih::search::{analyze, build_index, tokenize, SearchDoc};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The vectors of uk_stems.toml in file order: (input, expected terms joined by spaces).
fn vectors() -> Vec<(String, String)> {
    vectors_of("uk_stems.toml")
}

/// The vectors of a file in tests/search/, in file order.
fn vectors_of(name: &str) -> Vec<(String, String)> {
    let path = root().join("tests/search").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {name}: {e}"));
    let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{name} is not TOML: {e}"));
    let mut out = Vec::new();
    for (section, pairs) in table {
        let pairs = pairs.as_table().unwrap_or_else(|| panic!("[{section}] is a table"));
        for (input, expected) in pairs {
            let expected = expected.as_str().unwrap_or_else(|| panic!("{input:?}: value is a string"));
            out.push((input.clone(), expected.to_string()));
        }
    }
    out
}

/// Runs the Node test runner and parses its JSON output.
fn node(args: &[&str]) -> Value {
    let runner = root().join("tests/search/run_stems.js");
    let search_js = root().join("src/search/runtime");
    let output =
        Command::new("node").arg(&runner).arg(args[0]).arg(&search_js).args(&args[1..]).output().unwrap_or_else(|e| {
            panic!("cannot run `node` ({e}): the JavaScript half of the search tests needs Node.js")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() || args[0] == "stems", "node {args:?} failed:\n{stderr}");
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("node {args:?} printed no JSON ({e}):\n{stdout}\n{stderr}"))
}

#[test]
fn vectors_are_many_and_cover_the_required_cases() {
    let v = vectors();
    assert!(v.len() >= 320, "only {} vectors", v.len());
    let inputs: Vec<&str> = v.iter().map(|(i, _)| i.as_str()).collect();
    for needed in ["праця", "працею", "пам’ять", "памʼять", "пам'ять", "ґрунт", "ILO-індикатори"]
    {
        assert!(inputs.contains(&needed), "vectors lack {needed}");
    }
    assert!(inputs.iter().any(|i| i.contains('\u{0301}')), "no stress marks");
}

#[test]
fn vectors_agree_with_rust_analysis() {
    let mismatches: Vec<String> = vectors()
        .into_iter()
        .filter_map(|(input, expected)| {
            let got = analyze(&input).join(" ");
            (got != expected).then(|| format!("{input:?} → {got:?}, file says {expected:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn vectors_agree_with_javascript_analysis() {
    let file = root().join("tests/search/uk_stems.toml");
    let out = node(&["stems", file.to_str().expect("utf-8 path")]);
    let got: Vec<(String, String)> = out
        .as_array()
        .expect("array of pairs")
        .iter()
        .map(|p| (p[0].as_str().expect("input").to_string(), p[1].as_str().expect("terms").to_string()))
        .collect();
    let expected = vectors();
    assert_eq!(
        got.iter().map(|p| &p.0).collect::<Vec<_>>(),
        expected.iter().map(|p| &p.0).collect::<Vec<_>>(),
        "run_stems.js read different vectors than the TOML parser"
    );
    let mismatches: Vec<String> = got
        .iter()
        .zip(&expected)
        .filter(|(g, e)| g.1 != e.1)
        .map(|(g, e)| format!("{:?} → {:?} in JS, file says {:?}", g.0, g.1, e.1))
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The analysis of languages other than uk and en, as the index writes it.
fn analyze_plain(text: &str) -> Vec<String> {
    tokenize(text).iter().map(|w| fold_latin(w)).collect()
}

#[test]
fn plain_vectors_agree_in_rust_and_javascript() {
    let expected = vectors_of("plain_words.toml");
    assert!(expected.len() >= 10);
    let rust: Vec<String> = expected
        .iter()
        .filter_map(|(input, want)| {
            let got = analyze_plain(input).join(" ");
            (&got != want).then(|| format!("{input:?} → {got:?} in Rust, file says {want:?}"))
        })
        .collect();
    assert!(rust.is_empty(), "{}", rust.join("\n"));
    let file = root().join("tests/search/plain_words.toml");
    let out = node(&["stems", file.to_str().expect("utf-8 path"), "plain-2"]);
    let js: Vec<String> = out
        .as_array()
        .expect("array of pairs")
        .iter()
        .zip(&expected)
        .filter(|(got, want)| got[1].as_str() != Some(want.1.as_str()))
        .map(|(got, want)| format!("{:?} → {} in JS, file says {:?}", want.0, got[1], want.1))
        .collect();
    assert!(js.is_empty(), "{}", js.join("\n"));
}

fn doc(id: &str, title: &str, breadcrumbs: &str, body: &str) -> SearchDoc {
    SearchDoc { id: id.into(), title: title.into(), breadcrumbs: breadcrumbs.into(), body: body.into() }
}

fn corpus() -> Vec<SearchDoc> {
    let mut docs = vec![
        doc("indicators/forced-labour/index.html#signs", "Ознаки примусової праці", "Індикатори › Примусова праця",
            "Людину змушують працювати під загрозою покарання. Роботодавець не виплачує зарплату і погрожує насильством."),
        doc("indicators/documents/index.html", "Вилучення документів", "Індикатори › Документи",
            "Посередник забрав паспорт та інші документи, щоб людина не могла піти. Документи забрали «на зберігання»."),
        doc("guidance/trauma/index.html#memory", "Травма і пам’ять", "Робота з постраждалими › Травма",
            "Після травми памʼять постраждалої особи може бути фрагментарною; не вимагайте точних дат."),
        doc("guidance/recruitment/index.html", "Вербування через оголошення", "Запобігання",
            "Вербувальник пропонує роботу за кордоном з високою оплатою та безкоштовним житлом."),
        doc("guidance/debt/index.html", "Боргова кабала", "Індикатори",
            "Борг за проїзд і житло постійно зростає, а заробіток забирають на його сплату."),
        doc("guidance/children/index.html", "Діти", "Захист",
            "Експлуатація дітей у жебрацтві та на вулиці. Дитині потрібен законний представник."),
        doc("contacts/hotline/index.html", "Гаряча лінія", "Контакти",
            "Телефонуйте 527 або 0 800 505 501, дзвінки безкоштовні."),
        doc("standards/id-2-1/index.html", "Стандарт ID-2.1: ідентифікація", "Стандарти",
            "Ідентифікацію проводить уповноважена особа протягом десяти днів."),
        doc("forms/initial-screening/index.html", "Первинний скринінг", "Анкети",
            "Анкета допомагає помітити ознаки торгівлі людьми під час першої розмови."),
        doc("guidance/shelter/index.html", "Притулок", "Допомога",
            "Тимчасовий притулок для постраждалих осіб надає громада."),
        doc("guidance/sexual/index.html", "Сексуальна експлуатація", "Форми експлуатації",
            "Примушування до надання сексуальних послуг через погрози чи обман."),
        doc("guidance/migration/index.html", "Трудова міграція", "Запобігання",
            "Перед виїздом перевірте договір і ліцензію агенції."),
        doc("guidance/law/index.html#article-149", "Стаття 149 Кримінального кодексу", "Право",
            "Торгівля людьми карається позбавленням волі. Стаття 149 описує вербування, переміщення, переховування."),
        doc("guidance/consent/index.html", "Згода на обробку даних", "Робота з постраждалими",
            "Пояснюйте, навіщо потрібні дані, і просіть згоди."),
        doc("guidance/interview/index.html", "Інтерв’ю з постраждалою особою", "Робота з постраждалими",
            "Говоріть простими словами, робіть перерви."),
        doc("guidance/online/index.html", "Вербування в Telegram та Viber", "Запобігання",
            "Оголошення в месенджерах обіцяють швидкий заробіток."),
        doc("guidance/referral/index.html", "Перенаправлення до служб", "Допомога",
            "Соціальна служба, поліція, центр безоплатної правничої допомоги."),
        doc("guidance/family/index.html", "Підтримка сім’ї", "Реінтеграція",
            "Сім'я потребує консультацій психолога."),
        doc("guidance/risk/index.html", "Ґрунтовна оцінка ризиків", "Безпека",
            "Оцініть ризики для ґрунтовного плану безпеки."),
        doc("guidance/employer/index.html", "Перевірка роботодавця", "Запобігання",
            "Перевірте роботодавця в державному реєстрі."),
        doc("guidance/markup/index.html", "Теги <b>не</b> працюють", "<i>Розмітка</i>",
            "Текст <img src=x onerror=alert(1)> лишається текстом."),
    ];
    docs.extend(filler());
    docs
}

/// Filler pages of made-up words, so the index spans several shards and docs files and the
/// client has to pick the right ones.
fn filler() -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let syllables = ["ба", "ко", "ми", "ту", "ре", "ні", "ша", "ло", "пу", "зе", "ви", "до"];
    for i in 0..500 {
        let words: Vec<String> = (0..60)
            .map(|k| {
                let n = i * 61 + k * 17;
                format!(
                    "{}{}{}{}",
                    syllables[n % 12],
                    syllables[(n / 12) % 12],
                    syllables[(n / 144) % 12],
                    syllables[(k + i) % 12]
                )
            })
            .collect();
        docs.push(doc(&format!("filler/{i}/index.html"), &words[..3].join(" "), "Архів", &words.join(" ")));
    }
    docs
}

/// Writes `build_index(lang, docs)` under `dir/<lang>/search/` and returns
/// the language root with a trailing slash.
fn write_index(dir: &Path, lang: &str, docs: &[SearchDoc]) -> String {
    let search = dir.join(lang).join("search");
    for f in build_index(lang, docs) {
        let path = search.join(&f.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create search dir");
        std::fs::write(path, &f.bytes).expect("write index file");
    }
    format!("{}/", dir.join(lang).display())
}

fn ids(result: &Value) -> Vec<String> {
    result["ids"].as_array().expect("ids").iter().map(|i| i.as_str().expect("id").to_string()).collect()
}

#[test]
fn javascript_client_finds_the_expected_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = corpus();
    let lang_root = write_index(dir.path(), "uk", &docs);
    let shards = std::fs::read_dir(dir.path().join("uk/search"))
        .expect("list")
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().starts_with("shard-")))
        .count();
    assert!(shards > 2, "the test corpus should span several shards");

    let cases = [
        ("примусова праця", "indicators/forced-labour/index.html#signs"),
        ("документи забрали", "indicators/documents/index.html"),
        ("пам'ять", "guidance/trauma/index.html#memory"),
        ("роботодавець", "guidance/employer/index.html"),
        ("стття 149", "guidance/law/index.html#article-149"),
        ("притулку", "guidance/shelter/index.html"),
        ("telegram", "guidance/online/index.html"),
        ("ґрунтовна", "guidance/risk/index.html"),
    ];
    let queries: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let mut args = vec!["query", lang_root.as_str()];
    args.extend(&queries);
    let out = node(&args);
    for ((query, expected), result) in cases.iter().zip(out.as_array().expect("results")) {
        let found = ids(result);
        assert_eq!(found.first().map(String::as_str), Some(*expected), "{query}: {found:?}");
    }

    // One typo in a word of 5+ letters is forgiven.
    let out = node(&["query", &lang_root, "торгівдя людьми"]);
    let typo = ids(&out[0]);
    assert!(typo.contains(&"guidance/law/index.html#article-149".to_string()));
    assert!(typo.contains(&"forms/initial-screening/index.html".to_string()));

    // The last word is a prefix while typing; a trailing space ends it.
    let out = node(&["query", &lang_root, "вербув", "вербув "]);
    let typing = ids(&out[0]);
    assert!(typing.contains(&"guidance/recruitment/index.html".to_string()));
    assert!(typing.contains(&"guidance/online/index.html".to_string()));
    assert!(ids(&out[1]).is_empty(), "{:?}", ids(&out[1]));
}

/// Pages of thirty sections each, so that every page fills a docs file of its own, all about
/// «кабала», each page a little less so than the one before.
fn long_pages(n: usize) -> Vec<SearchDoc> {
    let text = "слово текст розділ ".repeat(20);
    let mut docs = Vec::new();
    for i in 0..n {
        let page = format!("p{i:02}/index.html");
        docs.push(doc(&page, &format!("Сторінка {i}"), "Розділ", &format!("{} {text}", "кабала ".repeat(n - i))));
        for k in 1..30 {
            let crumbs = format!("Розділ › Сторінка {i}");
            docs.push(doc(&format!("{page}#s{k}"), &format!("Підрозділ {k}"), &crumbs, &text));
        }
    }
    docs
}

#[test]
fn first_results_need_two_docs_files_and_the_rest_of_the_screen_follows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lang_root = write_index(dir.path(), "uk", &long_pages(12));
    let out = node(&["waves", &lang_root, "кабала"]);
    let waves = out["waves"].as_array().expect("waves");
    assert_eq!(waves.len(), 2, "{out}");
    assert_eq!(waves[0]["docsFiles"], 2, "the first results come with two docs files: {out}");
    assert_eq!(waves[1]["docsFiles"], 6, "the screen of six pages needs six: {out}");
    let shown: Vec<Value> = waves.iter().flat_map(|w| w["ids"].as_array().expect("ids").clone()).collect();
    assert_eq!(Value::from(shown), out["all"], "the waves show the screen in its order");
    assert_eq!(waves[0]["ids"], serde_json::json!(["p00/index.html", "p01/index.html"]));
}

#[test]
fn javascript_client_searches_english_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = vec![
        doc("a/index.html", "Forced labour", "Indicators", "Workers are threatened and not paid."),
        doc("b/index.html", "Documents", "Indicators", "The employer kept their passports."),
        doc("c/index.html", "Shelter", "Help", "A victim's right to a safe shelter in Україна."),
    ];
    let lang_root = write_index(dir.path(), "en", &docs);
    let out = node(&["query", &lang_root, "forced labor", "passport", "victims", "україни"]);
    let first: Vec<String> =
        out.as_array().expect("results").iter().map(|r| ids(r).first().cloned().unwrap_or_default()).collect();
    assert_eq!(first, ["a/index.html", "b/index.html", "c/index.html", "c/index.html"]);
}

#[test]
fn javascript_client_matches_hungarian_prefixes_across_vowel_lengthening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = vec![
        doc("a/index.html", "A kizsákmányolás formái", "Rólunk", "a kényszermunkától az adósrabszolgaságig"),
        doc("b/index.html", "Segélyvonal", "Segítség", "Hívja a forródrótot, ingyenes."),
    ];
    let lang_root = write_index(dir.path(), "hu", &docs);
    let out = node(&["query", &lang_root, "kényszermunka", "Kenyszermunka", "adósrabszolga", "forródrót "]);
    let first: Vec<String> =
        out.as_array().expect("results").iter().map(|r| ids(r).first().cloned().unwrap_or_default()).collect();
    assert_eq!(first, ["a/index.html", "a/index.html", "a/index.html", ""]);
}

#[test]
fn search_page_and_box_build_results_from_text_nodes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lang_root = write_index(dir.path(), "uk", &corpus());
    let allowed = ["a", "button", "li", "mark", "ol", "p", "script", "span", "ul"];

    let hostile = "<img src=x onerror=alert(1)>";
    let page = node(&["page", &lang_root, hostile]);
    // It finds the page that quotes the same markup, and shows it as text.
    assert_eq!(page["state"], "done", "{page}");
    for tag in page["created"].as_array().expect("created") {
        let tag = tag.as_str().expect("tag");
        assert!(allowed.contains(&tag), "created <{tag}>");
    }
    let results = page["results"].as_str().expect("html");
    assert!(!results.contains("<img"), "{results}");
    assert!(results.contains("&lt;img src=x onerror=alert(1)&gt;"), "{results}");
    assert!(results.contains("&lt;<mark>img</mark>"), "{results}");
    assert!(!page["suggest"].as_str().expect("suggest").contains("<img"));

    let page = node(&["page", &lang_root, "<script>зюзю</script>"]);
    assert_eq!(page["state"], "none", "{page}");
    let results = page["results"].as_str().expect("html");
    assert!(results.contains("Nothing found for “&lt;script&gt;зюзю&lt;/script&gt;”."), "{results}");

    // Index text that looks like markup stays text too.
    let page = node(&["page", &lang_root, "теги"]);
    assert_eq!(page["state"], "done", "{page}");
    let results = page["results"].as_str().expect("html");
    assert!(results.contains("&lt;b&gt;не&lt;/b&gt;"), "{results}");
    assert!(results.contains("&lt;img src=x onerror=alert(1)&gt;"), "{results}");
    assert!(results.contains("&lt;i&gt;Розмітка&lt;/i&gt;"), "{results}");
    assert!(!results.contains("<img") && !results.contains("<b>"), "{results}");

    let page = node(&["page", &lang_root, "примусова праця"]);
    assert_eq!(page["state"], "done", "{page}");
    assert_eq!(page["inputValue"], "примусова праця");
    let results = page["results"].as_str().expect("html");
    assert!(results.contains("indicators/forced-labour/index.html?highlight="), "{results}");
    assert!(results.contains("<mark>праці</mark>"), "{results}");
    let suggest = page["suggest"].as_str().expect("suggest");
    assert!(suggest.contains("role=\"listbox\""), "{suggest}");
    assert!(suggest.contains("aria-selected=\"true\""), "{suggest}");
    assert_eq!(page["enterPrevented"], true);
    let target = page["navigatedTo"].as_str().expect("href");
    assert!(
        target.starts_with(&format!("{lang_root}indicators/forced-labour/index.html?highlight="))
            && target.ends_with("#signs"),
        "{target}"
    );
    assert_eq!(page["suggestClosed"], true, "Escape closes the list");
}

#[test]
fn target_page_marks_highlighted_terms() {
    let text = "Примусова праця — це праця під загрозою. Пам’ять & <b>";
    let out = node(&["mark", text, "прац пам'ят примус"]);
    let main = out["main"].as_str().expect("main");
    assert!(
        main.contains(
            "<p><mark>Примусова</mark> <mark>праця</mark> — це <mark>праця</mark> під загрозою. \
             <mark>Пам’ять</mark> &amp; &lt;b&gt;</p>"
        ),
        "{main}"
    );
    assert!(
        main.contains(&format!(
            "<script>{}</script>",
            "Примусова праця — це праця під загрозою. Пам’ять &amp; &lt;b&gt;"
        )),
        "script text must not be marked: {main}"
    );
    // A hand-typed ?highlight= with whole words works too.
    let out = node(&["mark", "Документи забрали", "документи"]);
    assert!(out["main"].as_str().expect("main").contains("<mark>Документи</mark>"));
}
