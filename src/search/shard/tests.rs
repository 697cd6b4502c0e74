use super::*;
use serde_json::Value;

/// Splits `OberihSearch.register("kind",n,{…});` into its arguments.
fn parse(file: &SearchFile) -> (String, usize, Value) {
    let text = std::str::from_utf8(&file.bytes).expect("utf-8");
    let args =
        text.strip_prefix("OberihSearch.register(").and_then(|t| t.strip_suffix(");\n")).expect("one register call");
    let v: Value = serde_json::from_str(&format!("[{args}]")).expect("json arguments");
    let kind = v[0].as_str().expect("kind").to_string();
    let n = v[1].as_u64().expect("number") as usize;
    (kind, n, v[2].clone())
}

fn doc(i: usize, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: format!("p{i}/index.html"), title: title.into(), breadcrumbs: "Розділ".into(), body: body.into()
    }
}

/// Many documents with many distinct words, enough for several shards.
fn corpus(n: usize) -> Vec<SearchDoc> {
    (0..n)
        .map(|i| {
            let words: Vec<String> = (0..40).map(|k| format!("слово{}x{}", (i * 7 + k * 13) % 900, k % 5)).collect();
            doc(i, &format!("Документ {i}"), &words.join(" "))
        })
        .collect()
}

fn utf16_lt(a: &str, b: &str) -> bool {
    a.encode_utf16().lt(b.encode_utf16())
}

/// Reads one field's postings back as (doc, weight) pairs, in file order.
fn decode(s: &str) -> Vec<(u32, u32)> {
    let digit = |c: char| CODE.iter().position(|&d| char::from(d) == c).expect("code digit") as u32;
    let mut out = Vec::new();
    for group in s.split(',').filter(|g| !g.is_empty()) {
        let mut numbers = Vec::new();
        let mut n = 0;
        for c in group.chars() {
            let d = digit(c);
            n = n * 32 + d % 32;
            if d < 32 {
                numbers.push(n);
                n = 0;
            }
        }
        let mut doc = 0;
        for delta in &numbers[1..] {
            doc += delta;
            out.push((doc, numbers[0]));
        }
    }
    out
}

#[test]
fn output_is_deterministic() {
    let docs = corpus(300);
    assert_eq!(build("uk", &docs), build("uk", &docs));
}

#[test]
fn a_small_index_has_small_shards() {
    let files = build("uk", &corpus(60));
    let shards: Vec<&SearchFile> = files.iter().filter(|f| f.path.starts_with("shard-")).collect();
    let total: usize = shards.iter().map(|f| f.bytes.len()).sum();
    assert!(total < MIN_SHARDS * SHARD_TARGET, "the corpus is small: {total} bytes of shards");
    assert!(shards.len() >= MIN_SHARDS || total < MIN_SHARDS * SHARD_FLOOR, "{} shards", shards.len());
    for f in &shards {
        assert!(f.bytes.len() <= (total / MIN_SHARDS).max(SHARD_FLOOR) + 200, "{} has {} bytes", f.path, f.bytes.len());
    }
}

#[test]
fn shards_respect_size_bound_and_cover_every_term_once() {
    let docs = corpus(600);
    let files = build("uk", &docs);
    let (_, _, manifest) = parse(&files[0]);
    let starts: Vec<&str> =
        manifest["shards"].as_array().expect("shards").iter().map(|s| s.as_str().expect("start")).collect();
    assert!(starts.len() > 3, "corpus should need several shards");
    assert_eq!(starts[0], "");
    let mut all_terms: Vec<String> = Vec::new();
    for (n, start) in starts.iter().enumerate() {
        let file = files.iter().find(|f| f.path == shard_name(n)).expect("shard file exists");
        let (kind, num, data) = parse(file);
        assert_eq!((kind.as_str(), num), ("shard", n));
        let terms: Vec<String> =
            data["terms"].as_array().expect("terms").iter().map(|t| t[0].as_str().expect("term").to_string()).collect();
        assert!(file.bytes.len() <= SHARD_TARGET + 64 || terms.len() == 1, "shard {n} has {} bytes", file.bytes.len());
        // Every term of shard n sorts from its start up to, not including, the next start.
        for t in &terms {
            assert!(!utf16_lt(t, start), "{t} before the start {start} of shard {n}");
            if let Some(next) = starts.get(n + 1) {
                assert!(utf16_lt(t, next), "{t} not before the start {next} of shard {}", n + 1);
            }
        }
        all_terms.extend(terms);
    }
    // Sorted strictly across shard boundaries: every term in exactly one
    // shard, and the ranges ordered and disjoint.
    assert!(all_terms.windows(2).all(|w| utf16_lt(&w[0], &w[1])));
    let expected: std::collections::BTreeSet<String> = docs
        .iter()
        .flat_map(|d| [&d.title, &d.breadcrumbs, &d.body].into_iter().flat_map(|t| super::super::analyze(t)))
        .collect();
    let got: std::collections::BTreeSet<String> = all_terms.into_iter().collect();
    assert_eq!(got, expected);
}

/// Sections of pages: `n` documents, `per_page` to a page, anchors after the first.
fn sections(n: usize, per_page: usize, body: &str) -> Vec<SearchDoc> {
    (0..n)
        .map(|i| {
            let page = i / per_page;
            let (anchor, title, breadcrumbs) = match i % per_page {
                0 => (String::new(), format!("Сторінка {page}"), "Розділ".to_string()),
                _ => (format!("#s{i}"), format!("Підрозділ {i}"), format!("Розділ › Сторінка {page}")),
            };
            SearchDoc {
                id: format!("p{page}/index.html{anchor}"),
                title,
                breadcrumbs,
                body: format!("{body} слово{i}"),
            }
        })
        .collect()
}

/// The manifest's pages as the client reads them: (first document, starts a docs file) each.
fn manifest_pages(manifest: &Value) -> Vec<(usize, bool)> {
    let code = manifest["pages"].as_str().expect("pages");
    let digits: Vec<usize> = code.bytes().map(|c| CODE.iter().position(|&d| d == c).expect("code digit")).collect();
    let (mut out, mut doc, mut n) = (Vec::new(), 0, 0);
    for d in digits {
        n = n * 32 + d % 32;
        if d < 32 {
            out.push((doc, n % 2 == 1));
            doc += n / 2;
            n = 0;
        }
    }
    assert_eq!(doc as u64, manifest["docCount"].as_u64().expect("docCount"));
    out
}

/// The first document of each docs file.
fn file_starts(manifest: &Value) -> Vec<usize> {
    manifest_pages(manifest).into_iter().filter(|&(_, file)| file).map(|(doc, _)| doc).collect()
}

/// A docs file's records in full, as the client reads them: `[id, title, breadcrumbs, text]`.
fn records(data: &Value) -> Vec<[String; 4]> {
    let mut out: Vec<[String; 4]> = Vec::new();
    for r in data["docs"].as_array().expect("docs") {
        let text = |i: usize| r[i].as_str().expect("text").to_string();
        let before = out.last();
        let mut id = text(0);
        if id.starts_with('#') {
            let page = before.expect("a section after its page")[0].split('#').next().expect("path").to_string();
            id = page + &id;
        }
        let crumbs = match &r[2] {
            Value::Number(n) if n.as_u64() == Some(0) => before.expect("record before")[2].clone(),
            Value::Number(n) if n.as_u64() == Some(1) => {
                let b = before.expect("page record");
                if b[2].is_empty() {
                    b[1].clone()
                } else {
                    format!("{} › {}", b[2], b[1])
                }
            }
            _ => text(2),
        };
        out.push([id, text(1), crumbs, text(3)]);
    }
    out
}

/// The page of each document.
fn page_numbers(manifest: &Value) -> Vec<usize> {
    let pages = manifest_pages(manifest);
    let count = manifest["docCount"].as_u64().expect("docCount") as usize;
    (0..count).map(|d| pages.iter().rposition(|&(first, _)| first <= d).expect("a page")).collect()
}

#[test]
fn docs_files_hold_whole_pages_in_order() {
    let docs = sections(700, 7, &"слово ".repeat(30));
    let files = build("uk", &docs);
    let (_, _, manifest) = parse(&files[0]);
    let starts = file_starts(&manifest);
    let docs_files: Vec<&SearchFile> = files.iter().filter(|f| f.path.starts_with("docs/")).collect();
    assert_eq!(docs_files.len(), starts.len());
    assert!(docs_files.len() > 1 && docs_files.len() < 100, "{} files for 100 pages", docs_files.len());
    let mut ids = Vec::new();
    for (n, file) in docs_files.iter().enumerate() {
        assert_eq!(file.path, docs_name(n));
        let (kind, num, data) = parse(file);
        assert_eq!((kind.as_str(), num), ("docs", n));
        assert_eq!(data["first"].as_u64(), Some(starts[n] as u64));
        assert_eq!(starts[n], ids.len());
        assert_eq!(starts[n] % 7, 0, "file {n} starts mid-page");
        for [id, title, crumbs, _] in records(&data) {
            ids.push((id, title, crumbs));
        }
        assert!(file.bytes.len() <= DOCS_TARGET + 100, "file {n} has {} bytes", file.bytes.len());
    }
    let expected: Vec<_> = docs.iter().map(|d| (d.id.clone(), d.title.clone(), d.breadcrumbs.clone())).collect();
    assert_eq!(ids, expected);
    let pages: Vec<usize> = (0..700).map(|i| i / 7).collect();
    assert_eq!(page_numbers(&manifest), pages);
}

#[test]
fn sections_name_only_what_differs_from_the_record_before() {
    let mut docs = sections(6, 3, "слово");
    // A page whose record's title is not what its sections' breadcrumbs end with (a standard's
    // code before its title) keeps their breadcrumbs in full.
    docs[3].title = "ID-2.1 Сторінка 1".into();
    let files = build("uk", &docs);
    let docs_file = files.iter().find(|f| f.path.starts_with("docs/")).expect("a docs file");
    let (_, _, data) = parse(docs_file);
    let written: Vec<(Value, Value)> =
        data["docs"].as_array().expect("docs").iter().map(|r| (r[0].clone(), r[2].clone())).collect();
    let expected = [
        ("p0/index.html", Value::from("Розділ")),
        ("#s1", Value::from(1)),
        ("#s2", Value::from(0)),
        ("p1/index.html", Value::from("Розділ")),
        ("#s4", Value::from("Розділ › Сторінка 1")),
        ("#s5", Value::from(0)),
    ];
    let expected: Vec<(Value, Value)> = expected.into_iter().map(|(id, c)| (Value::from(id), c)).collect();
    assert_eq!(written, expected);
    let full: Vec<[String; 4]> = records(&data);
    for (rec, doc) in full.iter().zip(&docs) {
        assert_eq!((&rec[0], &rec[1], &rec[2]), (&doc.id, &doc.title, &doc.breadcrumbs));
    }
}

#[test]
fn pages_bigger_than_a_file_get_one_each_in_folders_of_a_thousand() {
    // Twenty sections of about 1 KB each make a page of more than a file's target.
    let docs = sections(20 * 1001, 20, &"слово ".repeat(200));
    let files = build("uk", &docs);
    let (_, _, manifest) = parse(&files[0]);
    let starts = file_starts(&manifest);
    assert_eq!(starts.len(), 1001);
    assert_eq!(starts[1000], 20 * 1000);
    assert!(files.iter().any(|f| f.path == "docs/0/999.js"));
    assert!(files.iter().any(|f| f.path == "docs/1/1000.js"));
}

#[test]
fn postings_are_delta_coded_with_weights() {
    let docs = vec![
        doc(0, "Примусова праця", "праця праця вербування"),
        doc(1, "Інше", "нічого"),
        doc(2, "Торгівля", "працею"),
    ];
    let files = build("uk", &docs);
    let (_, _, data) = parse(&files[1]);
    let entry = data["terms"].as_array().expect("terms").iter().find(|t| t[0] == "прац").expect("прац indexed").clone();
    // Title of doc 0: 1 of 2 terms → √(1/2) = 707 = 22·32 + 3, written "2D" (54, 3), then doc
    // "A" (0). Body: doc 2 (its only term, 1000 = "_I") before doc 0 (2 of 3 terms, 816 = "5Q").
    assert_eq!(entry[1], "2DA");
    assert_eq!(entry[2], "");
    assert_eq!(entry[3], "_IC,5QA");
    assert_eq!(decode("_IC,5QA"), [(2, 1000), (0, 816)]);
}

#[test]
fn groups_share_a_weight_and_list_documents_as_differences() {
    let list = [(3, 500), (40, 9), (41, 500), (1200, 500), (5000, 9)];
    let code = encode_postings(&list);
    assert_eq!(code.matches(',').count(), 1, "two weights, two groups: {code}");
    let mut back = decode(&code);
    back.sort_unstable();
    assert_eq!(back, list);
    assert_eq!(encode_postings(&[]), "");
}

#[test]
fn numbers_use_five_bits_a_digit() {
    let code = |n| {
        let mut s = String::new();
        push_number(&mut s, n);
        s
    };
    assert_eq!(code(0), "A");
    assert_eq!(code(31), "f");
    assert_eq!(code(32), "hA");
    assert_eq!(code(1023), "_f");
    assert_eq!(code(1024), "hgA");
    assert_eq!(code(u32::MAX).len(), 7);
}

#[test]
fn separators_are_shortest_prefixes_after_the_previous_shard() {
    assert_eq!(separator("працівник", "праця"), "праця");
    assert_eq!(separator("прац", "працівник"), "праці");
    assert_eq!(separator("abc", "b"), "b");
    assert_eq!(separator("a😀", "a😁x"), "a😁");
}

/// The weights equal elasticlunr's own tf and field lengths.
#[test]
fn weights_match_elasticlunr_index() {
    let docs = corpus(30);
    let mut index = elasticlunr::IndexBuilder::with_language(Box::new(super::super::Ukrainian))
        .save_docs(false)
        .add_fields(FIELDS.iter().map(|f| f.0))
        .build();
    for d in &docs {
        index.add_doc(&d.id, [&d.title, &d.breadcrumbs, &d.body]);
    }
    let json: Value = serde_json::from_str(&index.to_json()).expect("index json");
    let files = build("uk", &docs);
    let mut checked = 0;
    for file in files.iter().filter(|f| f.path.starts_with("shard-")) {
        let (_, _, data) = parse(file);
        for entry in data["terms"].as_array().expect("terms") {
            let term = entry[0].as_str().expect("term");
            for (f, (field, _)) in FIELDS.iter().enumerate() {
                let mut node = &json["index"][field]["root"];
                for c in term.chars() {
                    node = &node[c.to_string()];
                }
                let postings = decode(entry[f + 1].as_str().expect("postings"));
                for &(doc_num, w) in &postings {
                    let id = &docs[doc_num as usize].id;
                    let tf = node["docs"][id]["tf"].as_f64().expect("tf");
                    let len = json["documentStore"]["docInfo"][id][field].as_f64().expect("length");
                    let expected = (tf / len.sqrt() * f64::from(WEIGHT_SCALE)).round();
                    assert_eq!(w, expected as u32);
                    checked += 1;
                }
                let df = node["df"].as_u64().unwrap_or(0);
                assert_eq!(df as usize, postings.len(), "df of {term} in {field}");
            }
        }
    }
    assert!(checked > 1000);
}

#[test]
fn empty_site_gives_manifest_only() {
    let files = build("uk", &[]);
    assert_eq!(files.len(), 1);
    let (kind, _, manifest) = parse(&files[0]);
    assert_eq!(kind, "manifest");
    assert_eq!(manifest["shards"], Value::Array(vec![]));
    assert_eq!(manifest["docCount"], 0);
}

#[test]
fn other_languages_get_plain_words() {
    let files = build("hu", &[doc(0, "Munkások", "munka")]);
    let (_, _, manifest) = parse(&files[0]);
    assert_eq!(manifest["analyzer"], "plain-2");
    let (_, _, shard) = parse(&files[1]);
    assert_eq!(shard["terms"][0][0], "munka");
    assert_eq!(shard["terms"][1][0], "munkasok");
}

#[test]
fn line_separators_are_escaped_for_old_engines() {
    let files = build("uk", &[doc(0, "a\u{2028}b", "c\u{2029}d")]);
    for f in files {
        let text = String::from_utf8(f.bytes).expect("utf-8");
        assert!(!text.contains('\u{2028}') && !text.contains('\u{2029}'));
    }
}

#[test]
fn cut_closes_files_at_target() {
    let entries: Vec<String> = ["aaaa", "bbbb", "cccc", "dddddddddddd"].iter().map(|s| s.to_string()).collect();
    assert_eq!(cut(&entries, 10), vec![0..2, 2..3, 3..4]);
    assert!(cut::<String>(&[], 10).is_empty());
}
