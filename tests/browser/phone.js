// The default portal on a phone (360×740, touch) and on a desktop (1280×900), from file://:
// tap targets, wide tables, the standards matrix, contact cards, search suggestions and the
// questionnaire's quick exit and result screen, measured by their boxes.
// Usage: node phone.js PUBLIC_DIR. Prints one JSON line: {failures: [...]}.
"use strict";
const path = require("path");
const { launch, watchedPage, fileUrl, check } = require("./lib");

const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const MIN = 44;

/** Every visible link and control of the header, navigation, breadcrumbs and footer smaller
 *  than 44×44 px, as "selector text: w×h". */
async function smallTargets(page) {
  return page.evaluate((min) => {
    const out = [];
    const chrome = ".site-header, .site-nav, .breadcrumbs, .site-footer, .prev-next";
    for (const e of document.querySelectorAll(`:is(${chrome}) :is(a, button, input, summary)`)) {
      const r = e.getBoundingClientRect();
      const shown = r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden" && r.right > 0;
      if (shown && (r.width < min - 0.5 || r.height < min - 0.5)) {
        out.push(`${e.closest(chrome).className} «${e.textContent.trim().slice(0, 30)}»: ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  }, MIN);
}

async function tapTargets(page, pub, failures) {
  for (const rel of ["uk/index.html", "uk/identification/referral/index.html", "uk/standards/index.html", "en/help/hotlines/index.html"]) {
    await page.goto(fileUrl(path.join(pub, rel)));
    for (const s of await smallTargets(page)) failures.push(`${rel}: tap target under ${MIN} px: ${s}`);
    const phones = await page.$$eval(".contact-card a.phone", (as) => as.map((a) => a.getBoundingClientRect().height));
    for (const h of phones) check(h >= MIN - 0.5, `${rel}: a contact card's number is ${h} px tall, under ${MIN}`, failures);
  }
}

/** A table wider than the phone fades at the edge it continues past, and the fade follows the
 *  scrolling. */
async function wideTables(page, pub, failures) {
  await page.goto(fileUrl(path.join(pub, "uk/identification/index.html")));
  const state = () => page.$eval(".content .table-wrap", (w) => ({
    over: w.scrollWidth > w.clientWidth,
    mask: getComputedStyle(w).maskImage || getComputedStyle(w).webkitMaskImage,
    cls: w.className,
  }));
  const start = await state();
  check(start.over, "the section page's table no longer overflows at 360 px: pick another wide table", failures);
  check(start.mask && start.mask !== "none" && /more-right/.test(start.cls),
    `a table wider than the phone shows nothing at its right edge (${JSON.stringify(start)})`, failures);
  await page.$eval(".content .table-wrap", (w) => { w.scrollLeft = w.scrollWidth; w.dispatchEvent(new Event("scroll")); });
  const end = await state();
  check(/more-left/.test(end.cls) && !/more-right/.test(end.cls), `scrolled to its end, the table still fades on the right (${end.cls})`, failures);
}

/** On a phone each standard of the matrix is a block with labelled lists; on a desktop the
 *  table's cells are short. */
async function matrix(phone, desktop, pub, failures) {
  const url = fileUrl(path.join(pub, "uk/standards/index.html"));
  await phone.goto(url);
  const p = await phone.$eval("table.matrix", (t) => {
    const wrap = t.parentElement;
    const cell = t.querySelector("tbody td");
    return {
      scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
      row: getComputedStyle(t.querySelector("tbody tr")).display,
      label: getComputedStyle(cell, "::before").content,
      widest: Math.max(...Array.from(t.querySelectorAll("tbody th, tbody td")).map((c) => c.getBoundingClientRect().right)),
    };
  });
  check(!p.scrolls && p.row === "block" && p.widest <= 360, `the matrix is not laid out per standard at 360 px: ${JSON.stringify(p)}`, failures);
  check(p.label && p.label !== "none" && p.label.length > 4, `the matrix's cells are not labelled on a phone: ${p.label}`, failures);
  await desktop.goto(url);
  const d = await desktop.$eval("table.matrix", (t) => ({
    links: Array.from(t.querySelectorAll("tbody td li a")).map((a) => a.textContent.trim()),
    scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth + 1,
  }));
  const long = d.links.filter((s) => s.length > 60);
  check(!long.length, `matrix cells longer than 60 characters: ${long.slice(0, 3).join(" | ")}`, failures);
  check(!d.scrolls, "the matrix scrolls sideways at 1280 px", failures);
}

/** The suggestion box's trails start where their titles start. */
async function suggestions(page, pub, failures, touch) {
  await page.goto(fileUrl(path.join(pub, "uk/index.html")));
  await page.fill("#search-q", "гаряча лінія");
  await page.waitForSelector("#search-suggest .search-suggest-item .search-result-trail", { timeout: 5000 });
  const rows = await page.$$eval("#search-suggest .search-suggest-item", (lis) => lis.map((li) => {
    const title = li.querySelector(".search-result-title").getBoundingClientRect();
    const trail = li.querySelector(".search-result-trail");
    return trail ? [title.left, trail.getBoundingClientRect().left] : null;
  }).filter(Boolean));
  check(rows.length > 0, "no suggestion with a trail", failures);
  for (const [t, b] of rows) check(Math.abs(t - b) <= 1, `a suggestion's trail starts at ${b} px, its title at ${t} px`, failures);
  if (touch) {
    for (const s of await smallTargets(page)) failures.push(`open suggestions: tap target under ${MIN} px: ${s}`);
  }
}

const choose = (page, key, value) => page.check(`input[name="q-${key}"][value="${value}"]`);

/** Quick exit keeps a bar of its own and says how to use it on a touch screen. */
async function quickExit(page, touch, url, failures) {
  await page.goto(url);
  const hint = (await page.innerText(".page-head")).trim();
  if (touch) {
    check(hint.includes("«Швидкий вихід»") && !hint.includes("Shift"), `on a touch screen the quick exit hint says: ${hint}`, failures);
  } else {
    check(hint.includes("Shift"), "with a keyboard the quick exit hint does not mention Shift", failures);
  }
  for (const y of [0, 250, 700]) {
    await page.evaluate((y) => window.scrollTo(0, y), y);
    const r = await page.evaluate(() => {
      const exit = document.getElementById("quick-exit").getBoundingClientRect();
      const bar = document.getElementById("quick-exit").parentElement;
      const b = bar.getBoundingClientRect();
      const bg = getComputedStyle(bar).backgroundColor;
      const within = exit.top >= b.top && exit.bottom <= b.bottom;
      // What lies beside the button in its band: content readable next to it, or under it.
      const beside = [];
      for (const e of document.querySelectorAll(".page-head *, main h2, main legend, main .q-label, main button, main p")) {
        const r = e.getBoundingClientRect();
        if (!r.width || !r.height || bar.contains(e)) continue;
        const overlaps = r.top < b.bottom && r.bottom > b.top;
        if (!overlaps) continue;
        const x = Math.min(Math.max(r.left + 2, 0), innerWidth - 1), yy = Math.min(Math.max(r.top + 2, b.top), b.bottom - 1);
        const hit = document.elementFromPoint(x, yy);
        if (hit && !bar.contains(hit) && hit !== bar) beside.push(e.tagName + " " + (e.textContent || "").trim().slice(0, 30));
      }
      return { exit: [exit.top, exit.bottom], bar: [b.left, b.top, b.width], bg, within, beside, vw: innerWidth };
    });
    check(r.within && r.bar[1] >= -0.5 && r.bar[1] <= 0.5 && Math.abs(r.bar[2] - r.vw) <= 1 && !/rgba\(0, 0, 0, 0\)|transparent/.test(r.bg),
      `scrolled to ${y}: quick exit is not in an opaque full-width bar at the top: ${JSON.stringify(r)}`, failures);
    check(!r.beside.length, `scrolled to ${y}: content shows beside or under quick exit: ${r.beside.slice(0, 3).join(" | ")}`, failures);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** The result screen: skipped questions keep their text, one primary button at a time, the
 *  secondary actions grouped, numbers on one line. */
async function resultScreen(page, url, failures) {
  await page.goto(url);
  const primaries = () => page.$$eval("#app button.primary", (bs) => bs.filter((b) => b.checkVisibility()).map((b) => b.textContent.trim()));
  const tools = () => page.$$eval("#toolbar button", (bs) => bs.filter((b) => b.checkVisibility()).length);
  check(await tools() === 0, `the export and clear buttons show on every step (${await tools()})`, failures);
  check(await page.isVisible("#tools > summary"), "no way to reach saving and clearing on a step", failures);
  // Declining ends the interview: one button goes on.
  await choose(page, "consent", "no");
  const ended = await primaries();
  check(ended.length === 1, `an ended interview shows ${ended.length} primary buttons: ${ended.join(" | ")}`, failures);
  const lines = await page.$$eval(".end .nowrap", (ps) => ps.filter((p) => p.checkVisibility()).map((p) => {
    const lh = parseFloat(getComputedStyle(p).lineHeight) || 27;
    return [p.textContent, p.getClientRects().length, p.getBoundingClientRect().height <= lh * 1.5];
  }));
  check(lines.some((l) => l[0] === "116 123"), `the end message does not keep «116 123» together: ${JSON.stringify(lines)}`, failures);
  for (const l of lines) check(l[1] === 1 && l[2], `the number ${l[0]} breaks across lines`, failures);
  await choose(page, "consent", "yes");
  for (const [k, v] of [["safe_to_talk", "yes"], ["monitored", "no"], ["danger_now", "no"]]) await choose(page, k, v);
  for (let i = 0; i < 20 && !(await page.isVisible("#summary")); i++) {
    if (await page.isVisible('input[name="q-referral_consent"]')) await choose(page, "referral_consent", "no");
    const fin = page.locator('#step-nav button[data-act="finish"]:visible');
    if (await fin.count()) await fin.first().click();
    else await page.click('#step-nav button[data-act="next"]:visible');
  }
  check(await page.isVisible("#summary"), "the result was not reached", failures);
  // What takes focus or is scrolled to (a heading, an error's field) stops below the bar.
  const seen = await page.evaluate(() => [document.getElementById("result-title").getBoundingClientRect().top,
    document.getElementById("quick-exit").parentElement.getBoundingClientRect().height,
    parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0]);
  check(seen[0] >= seen[1] - 0.5 && seen[2] >= seen[1], `focus and scrolling can stop under the quick exit bar: ${seen}`, failures);
  const skipped = await page.$$eval("#record dt.not-asked", (dts) => dts.map((d) => d.textContent.trim()));
  check(skipped.length > 0, "no question skipped by the form's logic on the result screen", failures);
  for (const s of skipped) check(/^\d+\.\s+\S.{5,}/.test(s), `a skipped question shows only «${s}»`, failures);
  check(await tools() >= 4, "the result screen does not offer saving, printing and clearing", failures);
  const res = await primaries();
  check(res.length <= 1, `the result screen shows ${res.length} primary buttons: ${res.join(" | ")}`, failures);
}

async function main() {
  const pub = process.argv[2];
  const failures = [];
  const phoneRun = await launch(PHONE);
  const desktopRun = await launch(DESKTOP);
  try {
    const { page: phone, problems } = await watchedPage(phoneRun.context);
    const { page: desktop, problems: desktopProblems } = await watchedPage(desktopRun.context);
    await tapTargets(phone, pub, failures);
    await wideTables(phone, pub, failures);
    await matrix(phone, desktop, pub, failures);
    await suggestions(phone, pub, failures, true);
    await suggestions(desktop, pub, failures, false);
    const form = fileUrl(path.join(pub, "uk/forms/initial-screening/index.html"));
    await quickExit(phone, true, form, failures);
    await quickExit(desktop, false, form, failures);
    await resultScreen(phone, form, failures);
    for (const p of problems.concat(desktopProblems)) failures.push(p);
  } catch (e) {
    failures.push("crashed: " + e.stack);
  } finally {
    await phoneRun.context.close();
    await desktopRun.context.close();
  }
  process.stdout.write(JSON.stringify({ failures }) + "\n");
}

main();
