//! Minification of the scripts and styles the build ships: the questionnaire runtime and
//! stylesheet inlined into every form page, and the site's bundled page scripts. Pages
//! themselves are written as the templates make them.
//!
//! Scripts go through the oxc minifier with its safest compression and with local names
//! shortened. Scripts stay scripts: names at the top level (`OberihExpr`, `OberihSeal`,
//! `OberihSearch`) keep their spelling, because other scripts and the tests call them.
//! Stylesheets go through lightningcss, with no browser targets, so nothing is lowered or
//! prefixed: only spelled shorter.

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment};
use oxc_compat::EngineTargets;
use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_span::SourceType;

/// `js` minified, or `js` unchanged when it does not parse as a script (a theme's own script
/// with a syntax error then fails in the browser as written, never the build).
pub fn minify_js(js: &str) -> String {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, js, SourceType::cjs()).parse();
    if parsed.panicked || !parsed.errors.is_empty() {
        return js.to_string();
    }
    let mut program = parsed.program;
    // The runtime is written in ES2018 and must stay that: left alone, the minifier would
    // rewrite to newer syntax (`a ||= b`) that older browsers cannot parse.
    let target = EngineTargets::from_target("es2018").unwrap_or_default();
    let compress = CompressOptions { target, ..CompressOptions::safest() };
    let options = MinifierOptions { mangle: Some(MangleOptions::default()), compress: Some(compress) };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let comments = CommentOptions { normal: false, jsdoc: false, annotation: false, legal: LegalComment::None };
    Codegen::new()
        .with_options(CodegenOptions { minify: true, comments, ..CodegenOptions::default() })
        // The shortened names live in the scoping the minifier returns; without it the
        // generated code keeps the long ones.
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program)
        .code
}

/// `css` minified, or `css` unchanged when lightningcss cannot read it.
pub fn minify_css(css: &str) -> String {
    let Ok(mut sheet) = StyleSheet::parse(css, ParserOptions::default()) else {
        return css.to_string();
    };
    if sheet.minify(MinifyOptions::default()).is_err() {
        return css.to_string();
    }
    match sheet.to_css(PrinterOptions { minify: true, ..PrinterOptions::default() }) {
        Ok(out) => out.code,
        Err(_) => css.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_local_names_and_keeps_global_ones() {
        let js = "/* header */\nvar Api = (function () {\n  // a comment\n  function double(value) { return value * 2; }\n  return { double: double };\n})();\n";
        let min = minify_js(js);
        assert!(min.starts_with("var Api="), "{min}");
        assert!(!min.contains("value") && !min.contains("comment") && !min.contains("header"), "{min}");
        assert!(min.len() < js.len() / 2, "{min}");
    }

    #[test]
    fn writes_no_syntax_newer_than_es2018() {
        let js = "(function (env) { env = env || {}; var a = env.a; if (a == null) a = 1; return [env, a]; })({});";
        let min = minify_js(js);
        for newer in ["||=", "??", "?."] {
            assert!(!min.contains(newer), "{min}");
        }
    }

    #[test]
    fn leaves_broken_scripts_alone() {
        let js = "function (\n";
        assert_eq!(minify_js(js), js);
    }

    #[test]
    fn stylesheets_lose_comments_and_spaces_but_keep_modern_syntax() {
        let css = "/* form */\n:root {\n  --gap: 1rem;\n}\n.q:focus-within { outline: 2px solid #0057b8; }\n@media print {\n  .tools { display: none; }\n}\n";
        let min = minify_css(css);
        assert_eq!(
            min,
            ":root{--gap:1rem}.q:focus-within{outline:2px solid #0057b8}@media print{.tools{display:none}}"
        );
    }

    #[test]
    fn leaves_unreadable_stylesheets_alone() {
        // lightningcss refuses the stray braces: the stylesheet ships as written.
        let css = "p { color: red; } }}}{ @media";
        assert_eq!(minify_css(css), css);
    }
}
