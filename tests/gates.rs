//! Quality gates on the built portal: the output checks, HTML validity (W3C Nu checker),
//! accessibility (axe-core, reflow at 320 px, keyboard), privacy (every request a page makes),
//! determinism, and robustness against nasty input and killed builds. Each gate is also run on a
//! deliberately broken fixture, where it must fail. tests/README.md says how to run each one.

mod common;

#[path = "gates/browser.rs"]
mod browser;
#[path = "gates/determinism.rs"]
mod determinism;
#[path = "gates/output.rs"]
mod output;
#[path = "gates/robustness.rs"]
mod robustness;
#[path = "gates/support.rs"]
mod support;
#[path = "gates/vnu.rs"]
mod vnu;
