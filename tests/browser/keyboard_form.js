// Completes a questionnaire with the keyboard only: Tab moves, arrow keys pick a radio option,
// digits fill number fields, Enter presses Next/Finish, until the result is shown. The consent
// and safety questions get "yes"; other yes/no questions get "no" where they have it, so the walk goes
// through every step instead of ending at the first safety question.
// Usage: node keyboard_form.js FORM_HTML
"use strict";
const { launch, watchedPage, fileUrl, check } = require("./lib");

async function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    return {
      tag: e.tagName.toLowerCase(),
      type: e.type || "",
      name: e.name || "",
      value: e.value || "",
      act: e.getAttribute("data-act") || "",
      inForm: !!e.closest("#form"),
      inputmode: e.getAttribute("inputmode") || "",
      checked: !!e.checked,
      groupAnswered: e.type === "radio" ? !!document.querySelector(`input[name="${e.name}"]:checked`) : false,
      groupValues: e.type === "radio" ? Array.from(document.querySelectorAll(`input[name="${e.name}"]`)).map((r) => r.value) : [],
    };
  });
}

async function main() {
  const [file] = process.argv.slice(2);
  const failures = [];
  const log = [];
  const { context } = await launch();
  try {
    const { page, problems } = await watchedPage(context);
    await page.goto(fileUrl(file));
    let steps = 0;
    for (let presses = 0; presses < 2000; presses++) {
      if (await page.isVisible("#summary")) break;
      await page.keyboard.press("Tab");
      const f = await focused(page);
      if (!f) continue;
      if (f.type === "radio" && f.inForm && !f.groupAnswered) {
        const want = /consent|safe/.test(f.name) ? "yes" : f.groupValues.includes("no") ? "no" : f.groupValues[0];
        // Arrow keys move through the group and check the option they land on.
        await page.keyboard.press("Space");
        for (let i = 0; i < f.groupValues.length && (await focused(page)).value !== want; i++) {
          await page.keyboard.press("ArrowDown");
        }
        log.push(`${f.name}=${(await focused(page)).value}`);
      } else if (f.tag === "input" && f.inForm && !f.value && (f.type === "number" || f.inputmode === "numeric" || f.inputmode === "decimal")) {
        await page.keyboard.type("30");
        log.push(`${f.name}=30`);
      } else if (f.tag === "button" && (f.act === "next" || f.act === "finish")) {
        await page.keyboard.press("Enter");
        steps++;
        await page.waitForTimeout(50);
        if (await page.isVisible("#errors")) {
          failures.push("the step has errors after answering with the keyboard: " + ((await page.textContent("#errors")) || "").slice(0, 200));
          break;
        }
      }
    }
    check(await page.isVisible("#summary"), `the result was not reached with the keyboard (${steps} steps, answers: ${log.join(", ")})`, failures);
    check(steps >= 3, `the walk ended after ${steps} steps: ${log.join(", ")}`, failures);
    for (const p of problems) failures.push(p);
    process.stdout.write(JSON.stringify({ failures, steps, answers: log.length }) + "\n");
  } finally {
    await context.close();
  }
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ failures: ["crashed: " + e.stack] }) + "\n");
  process.exit(1);
});
