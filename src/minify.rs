//! Minification of the scripts and styles the build ships: the questionnaire runtime and
//! stylesheet inlined into every form page, and the site's bundled page scripts. Pages
//! themselves are written as the templates make them.
//!
//! Scripts go through the oxc minifier with its safest compression and with local names
//! shortened. Scripts stay scripts: names at the top level (`OberihExpr`, `OberihSeal`,
//! `OberihSearch`) keep their spelling, because other scripts and the tests call them.
//! Stylesheets go through lightningcss, with no browser targets, so nothing is lowered or
//! prefixed: only spelled shorter. What does not parse is an error, with the parser's
//! positions, never shipped as written: it would break in the browser instead.

use std::ops::Range;

use lightningcss::error::ErrorLocation;
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment};
use oxc_compat::EngineTargets;
use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_span::SourceType;

/// A script or stylesheet the build cannot minify because it does not parse: what shipping it
/// would break in the browser. Each problem carries the parser's message and where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MinifyError {
    #[error("the script does not parse: {}", first(.0))]
    Script(Vec<SyntaxError>),
    #[error("the stylesheet does not parse: {}", first(.0))]
    Style(Vec<SyntaxError>),
}

/// One parser message, at a byte range of the text given to the minifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

impl MinifyError {
    /// Every problem the parser found, in the order it found them.
    pub fn problems(&self) -> &[SyntaxError] {
        match self {
            MinifyError::Script(p) | MinifyError::Style(p) => p,
        }
    }
}

fn first(problems: &[SyntaxError]) -> &str {
    problems.first().map_or("", |p| p.message.as_str())
}

/// `js` minified, or every syntax error the parser reports in it.
pub fn minify_js(js: &str) -> Result<String, MinifyError> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, js, SourceType::cjs()).parse();
    if parsed.panicked || !parsed.errors.is_empty() {
        // The message of each error, at its first labelled span, with the parser's help.
        let mut problems: Vec<SyntaxError> = parsed
            .errors
            .iter()
            .map(|e| {
                let label = e.labels.as_ref().and_then(|l| l.first());
                let span = label.map_or(0..0, |l| l.offset()..l.offset() + l.len());
                let message = match &e.help {
                    Some(help) => format!("{} ({help})", e.message),
                    None => e.message.to_string(),
                };
                SyntaxError { message, span }
            })
            .collect();
        if problems.is_empty() {
            problems.push(SyntaxError { message: "the parser gave up".into(), span: 0..0 });
        }
        return Err(MinifyError::Script(problems));
    }
    let mut program = parsed.program;
    // The runtime is written in ES2018 and must stay that: left alone, the minifier would
    // rewrite to newer syntax (`a ||= b`) that older browsers cannot parse.
    let target = EngineTargets::from_target("es2018").unwrap_or_default();
    let compress = CompressOptions { target, ..CompressOptions::safest() };
    let options = MinifierOptions { mangle: Some(MangleOptions::default()), compress: Some(compress) };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let comments = CommentOptions { normal: false, jsdoc: false, annotation: false, legal: LegalComment::None };
    Ok(Codegen::new()
        .with_options(CodegenOptions { minify: true, comments, ..CodegenOptions::default() })
        // The shortened names live in the scoping the minifier returns; without it the
        // generated code keeps the long ones.
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program)
        .code)
}

/// `css` minified, or the error lightningcss reports in it.
pub fn minify_css(css: &str) -> Result<String, MinifyError> {
    let fail = |message: String, loc: Option<ErrorLocation>| {
        let span = loc.map_or(0..0, |l| offset_of(css, l.line, l.column));
        MinifyError::Style(vec![SyntaxError { message, span }])
    };
    let mut sheet = StyleSheet::parse(css, ParserOptions::default()).map_err(|e| fail(e.kind.to_string(), e.loc))?;
    sheet.minify(MinifyOptions::default()).map_err(|e| fail(e.kind.to_string(), e.loc))?;
    let out = sheet
        .to_css(PrinterOptions { minify: true, ..PrinterOptions::default() })
        .map_err(|e| fail(e.kind.to_string(), e.loc))?;
    Ok(out.code)
}

/// The byte offset of lightningcss's position: a line from 0 and a column from 1 counted in
/// UTF-16 units. Past the end of a line or of the text, it stops there.
fn offset_of(text: &str, line: u32, column: u32) -> Range<usize> {
    let start: usize = text.split_inclusive('\n').take(line as usize).map(str::len).sum();
    let rest = &text[start.min(text.len())..];
    let mut units = 1;
    for (i, c) in rest.char_indices() {
        if units >= column as usize || c == '\n' {
            return start + i..start + i + c.len_utf8();
        }
        units += c.len_utf16();
    }
    text.len()..text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_local_names_and_keeps_global_ones() {
        let js = "/* header */\nvar Api = (function () {\n  // a comment\n  function double(value) { return value * 2; }\n  return { double: double };\n})();\n";
        let min = minify_js(js).unwrap();
        assert!(min.starts_with("var Api="), "{min}");
        assert!(!min.contains("value") && !min.contains("comment") && !min.contains("header"), "{min}");
        assert!(min.len() < js.len() / 2, "{min}");
    }

    #[test]
    fn writes_no_syntax_newer_than_es2018() {
        let js = "(function (env) { env = env || {}; var a = env.a; if (a == null) a = 1; return [env, a]; })({});";
        let min = minify_js(js).unwrap();
        for newer in ["||=", "??", "?."] {
            assert!(!min.contains(newer), "{min}");
        }
    }

    #[test]
    fn reports_where_a_script_breaks() {
        let js = "var a = 1;\nfunction (\n";
        let err = minify_js(js).unwrap_err();
        assert!(matches!(err, MinifyError::Script(_)), "{err:?}");
        let p = &err.problems()[0];
        assert_eq!(&js[p.span.clone()], "(", "{err:?}");
    }

    #[test]
    fn stylesheets_lose_comments_and_spaces_but_keep_modern_syntax() {
        let css = "/* form */\n:root {\n  --gap: 1rem;\n}\n.q:focus-within { outline: 2px solid #0057b8; }\n@media print {\n  .tools { display: none; }\n}\n";
        let min = minify_css(css).unwrap();
        assert_eq!(
            min,
            ":root{--gap:1rem}.q:focus-within{outline:2px solid #0057b8}@media print{.tools{display:none}}"
        );
    }

    #[test]
    fn reports_where_a_stylesheet_breaks() {
        let css = "p { color: red; }\n.ж { color: blue }\n}}}{ @media";
        let err = minify_css(css).unwrap_err();
        assert!(matches!(err, MinifyError::Style(_)), "{err:?}");
        let p = &err.problems()[0];
        assert_eq!(&css[p.span.start..], "}}}{ @media", "{err:?}");
    }

    #[test]
    fn lightningcss_positions_become_byte_offsets() {
        let text = "ab\n😀ж x\n";
        // The emoji is two UTF-16 units, the Cyrillic letter one.
        assert_eq!(offset_of(text, 1, 3), 7..9);
        assert_eq!(offset_of(text, 1, 4), 9..10);
        assert_eq!(offset_of(text, 1, 99), 11..12);
        assert_eq!(offset_of(text, 9, 1), text.len()..text.len());
    }
}
