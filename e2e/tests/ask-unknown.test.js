// "I don't know" in every situation, in a real browser (Debian's chromium,
// playwright-core), on a phone (390×844) and at a desk: every question
// offers it, the answer then opens with one sentence of what is safe to do
// until the fact is known, focus lands on that answer, and axe-core finds
// no WCAG 2.2 AA violation. Asking needs no account, so no one signs in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.TRUSTGATE_BIN ?? join(root, 'target', 'debug', 'trustgate');
const axeSource = readFileSync(join(root, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let server, browser, base;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(found, [], `axe on ${label}`);
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trustgate-e2e-unknown-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--place', 'cambridge', '--listen', `127.0.0.1:${port}`, '--database', join(dir, 'e2e.db')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function newPage(width, height) {
  // bypassCSP lets the test inject axe-core; the pages' own policy stays on.
  const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
  return context.newPage();
}

async function choose(page, title) {
  await page.goto(`${base}/ask`);
  await page.locator('label.usa-radio__label', { hasText: title }).click();
  await page.getByRole('button', { name: 'Next' }).click();
}

// The facts the page asks about now.
async function asked(page) {
  return page.locator('fieldset input[name^="fact."]').evaluateAll((els) =>
    [...new Set(els.map((e) => e.name.slice(5)))]);
}

async function verdict(page) {
  return (await page.locator('#verdict').textContent()).trim().replace(/\s+/g, ' ');
}

// Words shaped like identifiers (`in-police-custody`, `disclose.release-date`),
// outside the quoted questions (the schema's sentences for people, where
// "protective-order arrest" is English).
function identifiers(text) {
  return text.replace(/“[^”]*”/g, ' ').split(/[\s,;:()".?!]+/).filter((w) => /^[a-z]+([-.][a-z]+)+$/.test(w));
}

for (const [width, height, where] of [[390, 844, 'phone'], [1280, 900, 'desk']]) {
  test(`"I don't know" to every question in every situation (${where})`, async () => {
    const page = await newPage(width, height);
    await page.goto(`${base}/ask`);
    const titles = await page.locator('label.usa-radio__label').evaluateAll((els) =>
      els.map((e) => e.firstChild.textContent.trim()));
    assert.equal(titles.length, 10);
    let withQuestions = 0;
    for (const title of titles) {
      await choose(page, title);
      const facts = await asked(page);
      if (facts.length === 0) continue;
      withQuestions += 1;
      for (const fact of facts) {
        const label = page.locator(`label[for="q-${fact}--unknown"]`);
        assert.equal((await label.textContent()).trim(), "I don't know / can't tell yet", `${title}: ${fact}`);
        await label.click();
      }
      await page.getByRole('button', { name: 'Answer' }).click();
      // The same questions, still open, "I don't know" kept.
      assert.deepEqual(await asked(page), facts, title);
      for (const fact of facts) {
        assert.ok(await page.locator(`#q-${fact}--unknown`).isChecked(), `${title}: ${fact} kept`);
      }
      // Focus on the first line, what to do meanwhile, above the questions
      // and on screen.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'verdict', title);
      const box = await page.locator('#verdict').boundingBox();
      assert.ok(box.y >= 0 && box.y < height, `${title}: the first line is on screen (${box.y})`);
      const line = await verdict(page);
      assert.match(line, /^What to do now: [A-Z].*\.$/, `${title}: ${line}`);
      assert.doesNotMatch(line.replace(/^What to do now: /, ''), /\. /, `${title}: one sentence: ${line}`);
      assert.match(line, /do not|you may|you must/, `${title}: ${line}`);
      assert.deepEqual(identifiers(line), [], `${title}: ${line}`);
      // Each item still open says what is safe for it.
      const open = await page.locator('.tg-item .tg-until').count();
      assert.ok(open > 0, `${title}: an item says what to do until known`);
      await axe(page, `"I don't know" in "${title}" (${where})`);
    }
    assert.ok(withQuestions >= 8, `${withQuestions} situations asked something`);
  });
}

test('a federal operation of unknown purpose is not assisted until it is known', async () => {
  const page = await newPage(390, 844);
  await choose(page, 'A federal operation asks for help');
  for (const fact of await asked(page)) await page.locator(`label[for="q-${fact}--unknown"]`).click();
  await page.getByRole('button', { name: 'Answer' }).click();
  const line = await verdict(page);
  assert.match(line, /Until you know the answers? to .*“What is the federal operation or activity for\?”.*, do not take part in or assist a federal operation/, line);
  const item = page.locator('.tg-item', { hasText: 'Take part in or assist a federal operation' });
  assert.equal((await item.locator('.tg-outcome').textContent()).trim(), 'Not until you know more');
  // Learnt: civil immigration enforcement. The purpose is no longer asked.
  await page.locator('label[for="q-operation-purpose-civil-immigration"]').click();
  await page.getByRole('button', { name: 'Answer' }).click();
  assert.ok(!(await asked(page)).includes('operation-purpose'));
  assert.doesNotMatch(await verdict(page), /What is the federal operation or activity for/);
  await axe(page, 'operation purpose known');
});

test('ICE on the phone: the first line is what to say', async () => {
  const page = await newPage(390, 844);
  await choose(page, 'ICE on the phone about someone in custody');
  const answers = { arrested: 'yes', 'separate-log': 'no', 'age-group': 'adult', documents: 'notification-request' };
  for (let round = 0; round < 6; round++) {
    const facts = await asked(page);
    if (facts.length === 0) break;
    for (const fact of facts) await page.locator(`label[for="q-${fact}-${answers[fact] ?? 'no'}"]`).click();
    await page.getByRole('button', { name: 'Answer' }).click();
  }
  await page.getByRole('heading', { name: 'The answer', exact: true }).waitFor({ timeout: 2000 });
  const line = await verdict(page);
  assert.match(line, /^What to say: We can tell you .*their immigration status.*; we cannot tell you .*their pending release/, line);
  assert.deepEqual(identifiers(line), [], line);
  // The verdict comes before every item's detail.
  const order = await page.evaluate(() => {
    const v = document.getElementById('verdict');
    const first = document.querySelector('.tg-item');
    return v.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, 'the verdict is above the items');
  await axe(page, 'what to say (phone)');
  const desk = await newPage(1280, 900);
  await desk.goto(page.url());
  await choose(desk, 'ICE on the phone about someone in custody');
  await axe(desk, 'ICE on the phone, first questions (desk)');
});
