// The staff UI in a real browser: Debian's chromium, driven by
// playwright-core (nothing downloads a browser). The server is the debug
// binary cargo built, on a fresh SQLite file and a free port; a records
// clerk is made with the CLI and signs in with a real TOTP code.
// axe-core runs on every page visited: WCAG 2.2 AA, 0 violations.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.TRUSTGATE_BIN ?? join(root, 'target', 'debug', 'trustgate');
const axeSource = readFileSync(join(root, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const shots = join(root, 'docs', 'screenshots');

let server, browser, base, secret, db;
const password = 'correct horse battery staple';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// RFC 6238 with SHA-1, 30 s steps, 6 digits, from a base32 key.
function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(found, [], `axe on ${label}`);
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trustgate-e2e-'));
  db = join(dir, 'e2e.db');
  const made = execFileSync(bin, ['user', 'add', 'clerk', '--role', 'records-clerk', '--password-stdin', '--database', db],
    { input: password + '\n', encoding: 'utf8' });
  secret = made.match(/key: ([A-Z2-7]+)/)[1];
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--place', 'cambridge', '--listen', `127.0.0.1:${port}`, '--database', db], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function newPage(width = 390, height = 844) {
  // bypassCSP lets the test inject axe-core; the pages' own policy stays on.
  const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
  return context.newPage();
}

async function signIn(page, user = 'clerk', key = secret) {
  await page.goto(`${base}/sign-in`);
  await axe(page, 'sign-in');
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Code from your authenticator app').fill(totp(key));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/ask`);
}

// Walks a situation through Ask, answering each question asked from
// `answers` (fact → value or values), until the answer is settled.
async function walk(page, situation, answers) {
  await page.goto(`${base}/ask`);
  // USWDS draws its own radio buttons and check boxes: the label is what
  // a person taps.
  await page.locator('label.usa-radio__label', { hasText: situation }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  for (let round = 0; round < 6; round++) {
    const asked = await page.locator('fieldset input[name^="fact."]').evaluateAll((els) =>
      [...new Set(els.map((e) => e.name.slice(5)))]);
    if (asked.length === 0) break;
    for (const fact of asked) {
      assert.ok(fact in answers, `${situation}: asked about ${fact}, which the test does not answer`);
      for (const v of [answers[fact]].flat()) await page.locator(`label[for="q-${fact}-${v}"]`).click();
    }
    await page.getByRole('button', { name: 'Answer' }).click();
  }
  await assert.doesNotReject(page.getByRole('heading', { name: 'The answer', exact: true }).waitFor({ timeout: 2000 }),
    `${situation}: the answer is settled`);
  await axe(page, `answer to "${situation}"`);
}

async function outcome(page, what) {
  const h = page.locator('.tg-item h3', { hasText: what }).first();
  return (await h.locator('.tg-outcome').textContent()).trim();
}

test('asking needs no account and every page passes axe', async () => {
  const page = await newPage();
  await page.goto(`${base}/ask`);
  await axe(page, 'ask');
  await page.screenshot({ path: join(shots, 'ask-phone.png'), fullPage: true });
  // The law browser: every law version, and each rule beside its words.
  await page.goto(`${base}/laws/`);
  await axe(page, 'law index');
  const firstLaw = await page.locator('main a[href$=".html"]').first().getAttribute('href');
  await page.goto(new URL(firstLaw, `${base}/laws/`).href);
  await axe(page, `law page ${firstLaw}`);
  const desktop = await newPage(1280, 900);
  await desktop.goto(`${base}/ask`);
  await desktop.screenshot({ path: join(shots, 'ask-desktop.png'), fullPage: true });
});

test('five situations walked through Ask give the law\'s answers', async () => {
  const page = await newPage();
  await walk(page, 'ICE on the phone about someone in custody', {
    documents: ['notification-request'], arrested: 'yes', 'separate-log': 'no', 'age-group': 'adult',
    'operation-purpose': 'civil-immigration', 'legal-mandate': 'no', 'other-custody-basis': 'no',
  });
  assert.equal(await outcome(page, 'pending release'), 'Prohibited');
  assert.equal(await outcome(page, 'custody status'), 'Prohibited');
  // Federal law (8 U.S.C. 1373) protects sharing immigration status itself.
  assert.equal(await outcome(page, 'immigration status'), 'Permitted');
  await page.screenshot({ path: join(shots, 'answer-phone.png'), fullPage: true });

  await walk(page, 'A detainer arrived', {
    documents: ['detainer-hold', 'i-200'], custody: 'in-police-custody', 'other-custody-basis': 'no',
    'legal-mandate': 'no', 'operation-purpose': 'civil-immigration', arrested: 'yes', 'separate-log': 'no', 'age-group': 'adult',
  });
  assert.equal(await outcome(page, 'Arrest or hold a person'), 'Prohibited');

  await walk(page, 'Federal agents want a City lot', {
    'operation-purpose': 'civil-immigration', requester: 'ice-ero', 'legal-mandate': 'no',
  });
  assert.equal(await outcome(page, 'Let federal agents use City property'), 'Prohibited');

  await walk(page, 'A federal operation asks for help', {
    requester: 'ice-hsi', 'operation-purpose': 'human-trafficking', 'assistance-kind': 'traffic-perimeter',
    'legal-mandate': 'no', 'federal-arrest-on-scene': 'no',
  });
  const help = await outcome(page, 'Take part in or assist a federal operation');
  assert.notEqual(help, 'Depends on the questions above');

  await walk(page, 'A school enrolment', { 'legal-mandate': 'no', requester: 'public' });
  assert.equal(await outcome(page, 'Require a student or parent to state immigration'), 'Prohibited');
});

test('a clerk signs in with a second factor, records a detainer and fulfils its obligation', async () => {
  const page = await newPage();
  await signIn(page);
  await walk(page, 'A detainer arrived', {
    documents: ['detainer-hold'], custody: 'in-police-custody', 'other-custody-basis': 'no',
    'legal-mandate': 'no', 'operation-purpose': 'civil-immigration', arrested: 'yes', 'separate-log': 'no', 'age-group': 'adult',
  });
  // The unit is chosen from the city's list, the situation's unit first.
  assert.equal(await page.getByLabel('Receiving unit').inputValue(), 'booking');
  // Mistakes come back beside their fields, with what was filled kept.
  await page.getByLabel('Receiving unit').selectOption('district-2');
  await page.getByLabel('Day').fill('2099-01-01');
  await page.getByLabel('Done by, if not you').fill('badge 4471');
  await page.getByRole('button', { name: 'Record this contact' }).click();
  assert.match(await page.locator('#received_at-error').textContent(), /future/);
  assert.equal(await page.getByLabel('Done by, if not you').inputValue(), 'badge 4471');
  assert.equal(await page.getByLabel('Receiving unit').inputValue(), 'district-2');
  await axe(page, 'record form with errors');
  await page.getByLabel('Receiving unit').selectOption('booking');
  await page.getByLabel('Day').fill('2026-03-01');
  await page.getByLabel('Time').fill('09:30');
  await page.getByRole('button', { name: 'Record this contact' }).click();
  await page.waitForURL(/\/contacts\/\d+$/);
  await axe(page, 'contact');
  assert.match(await page.locator('.tg-facts').first().textContent(), /2026-03-01 09:30 EST/, 'the time as it was given, in Cambridge time');
  assert.doesNotMatch(await page.locator('main').textContent(), /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no UTC ISO time on the page');
  await page.screenshot({ path: join(shots, 'contact-phone.png'), fullPage: true });
  const duties = page.locator('.tg-item');
  assert.ok(await duties.count() > 0, 'the detainer opens an obligation');
  const contactUrl = page.url();
  // The decision as it was, with its law, and the record's own trail.
  assert.equal((await page.locator('h3', { hasText: 'detain' }).first().locator('.tg-outcome').textContent()).trim(), 'Prohibited');
  const trail = await page.locator('td[data-label="What"]').allTextContents();
  assert.deepEqual(trail.slice(0, 2), ['create', 'read']);

  await page.goto(`${base}/work`);
  await axe(page, 'work list');
  assert.ok(await page.getByRole('link', { name: /Contact \d+/ }).count() > 0, 'the obligation is on the work list');

  // Contacts by the day they came in.
  const contactPathOf = new URL(contactUrl).pathname;
  await page.goto(`${base}/contacts`);
  await page.getByLabel('From').fill('2026-03-01');
  await page.getByLabel('Until').fill('2026-03-01');
  await page.getByRole('button', { name: 'Search' }).click();
  await axe(page, 'contacts by day');
  assert.equal(await page.locator(`tbody a[href="${contactPathOf}"]`).count(), 1, 'found on its day');
  await page.getByLabel('From').fill('2026-03-02');
  await page.getByLabel('Until').fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  assert.equal(await page.locator(`tbody a[href="${contactPathOf}"]`).count(), 0, 'not on a later day');

  // The staff report counts it, and links the number to the record.
  const contactPath = new URL(contactUrl).pathname;
  await page.goto(`${base}/report?period=13`); // received 2026-03-01
  await axe(page, 'staff report');
  assert.ok(await page.locator(`#section-a ~ p.records a[href="${contactPath}"]`).count() > 0,
    'the detainer is linked under (a)');

  await page.goto(contactUrl);
  const first = duties.first();
  await first.getByLabel('How it was done').fill('copy handed to the person at booking');
  await first.getByRole('button', { name: 'Mark fulfilled' }).click();
  await page.waitForURL(contactUrl);
  assert.match(await duties.first().textContent(), /Fulfilled .* by user\/clerk/);
});

test('after each submit on Ask, focus lands on the questions, the answer or the first error', async () => {
  const page = await newPage();
  // Its own clerk: the first clerk's code may have been used in this 30 s.
  await signIn(page, 'focus.clerk', account('focus.clerk', 'records-clerk'));
  const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
  await page.goto(`${base}/ask`);
  await page.locator('label.usa-radio__label', { hasText: 'A detainer arrived' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForSelector('h1:has-text("A detainer arrived")');
  assert.equal(await focused(), 'questions', 'after Next: the questions still open');
  await walk(page, 'A detainer arrived', {
    documents: ['detainer-hold'], custody: 'in-police-custody', 'other-custody-basis': 'no',
    'legal-mandate': 'no', 'operation-purpose': 'civil-immigration', arrested: 'yes', 'separate-log': 'no', 'age-group': 'adult',
  });
  assert.equal(await focused(), 'answer', 'after the last round: the answer');
  // The answer is on screen, not 900 px below.
  const top = await page.evaluate(() => document.getElementById('answer').getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 844, `the answer is in view (${top})`);
  // A mistake: the summary at the top of the form links to the field, and
  // focus is on that field (the order of several is a unit test in ask.rs).
  await page.getByLabel('Day').fill('2099-01-01');
  await page.getByRole('button', { name: 'Record this contact' }).click();
  await page.waitForSelector('#record-errors');
  assert.equal(await focused(), 'received_on', 'after a refused record: the first field in error');
  assert.equal(await page.locator('#record-errors').getAttribute('role'), 'alert');
  const links = await page.locator('#record-errors a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#received_on']);
  assert.match(await page.locator('#record-errors').textContent(), /When it came in: That is in the future/);
  assert.equal(await page.locator('#received_on').getAttribute('aria-invalid'), 'true');
  await axe(page, 'record form with the error summary');
  await page.screenshot({ path: join(shots, 'record-errors-phone.png'), fullPage: false });
});

test('an answer on a weak source says so in plain words, with what to do', async () => {
  const page = await newPage();
  await walk(page, 'Fingerprints at booking', { 'booking-after-criminal-arrest': 'no' });
  const items = page.locator('.tg-item');
  assert.ok(await items.count() > 0);
  for (const item of await items.all()) {
    assert.equal((await item.locator('.tg-outcome').textContent()).trim(), 'Prohibited');
    assert.match(await item.locator('.tg-sure').textContent(),
      /Not sure\. This rests on a weak source, such as a news article, not the law's text: check with a supervisor or the Law Department/);
  }
  await page.screenshot({ path: join(shots, 'answer-weak-source-phone.png'), fullPage: true });
  // A doubt reads as plain words with what to do, never a reference to notes.
  await walk(page, 'A federal operation asks for help', {
    requester: 'ice-hsi', 'operation-purpose': 'human-trafficking', 'assistance-kind': 'traffic-perimeter',
    'legal-mandate': 'no', 'federal-arrest-on-scene': 'no',
  });
  const doubts = await page.locator('.tg-doubt').allTextContents();
  assert.ok(doubts.length > 0, 'the human-trafficking exception is in doubt');
  for (const d of doubts) assert.match(d, /Ask a supervisor or the Law Department which reading to follow\./);
  const text = await page.locator('main').textContent();
  assert.doesNotMatch(text, /sources\.md/);
  assert.match(await page.locator('.tg-sure').first().textContent(), /Fairly sure\./);
});

test('the papers are grouped by who signed them, at the normal label size, with Answer in reach', async () => {
  const page = await newPage();
  await page.goto(`${base}/ask`);
  await page.locator('label.usa-radio__label', { hasText: 'A detainer arrived' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForSelector('h1:has-text("A detainer arrived")');
  const papers = page.locator('fieldset:has(#q-documents-i-200)').first();
  assert.deepEqual(await papers.locator('fieldset legend').allTextContents(), [
    'Detainers and other requests',
    'Administrative warrants and orders (signed by an immigration officer, not a judge)',
    'Judicial warrants and orders (signed by a judge of a court)',
  ]);
  // A short label, the form number as hint text inside it.
  const i200 = page.locator('label[for="q-documents-i-200"]');
  assert.equal((await i200.locator('.usa-checkbox__label-description').textContent()).trim(), 'Form I-200');
  assert.match(await i200.textContent(), /^Warrant for arrest/);
  // The question at the size of its choices, not a large heading.
  const [question, choice] = await page.evaluate(() => [
    getComputedStyle(document.querySelector('legend.tg-question')).fontSize,
    getComputedStyle(document.querySelector('label.usa-checkbox__label')).fontSize,
  ]);
  assert.equal(question, choice);
  // Answer is on screen from the first question to the last.
  const answer = page.getByRole('button', { name: 'Answer' });
  for (const at of [0, 900, 1800]) {
    await page.evaluate((y) => window.scrollTo(0, y), at);
    const box = await answer.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `Answer in view scrolled to ${at} (${box?.y})`);
  }
  await axe(page, 'detainer questions');
  await page.screenshot({ path: join(shots, 'questions-phone.png'), fullPage: false });
});

test('Ask can be completed with the keyboard alone', async () => {
  const page = await newPage();
  await page.goto(`${base}/ask`);
  // From the top: skip link, then the navigation, then the situations.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // the skip link moves focus to main
  let focused = '';
  for (let i = 0; i < 10 && !focused.startsWith('situation-'); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.ok(focused.startsWith('situation-'), `focus reached a situation (${focused})`);
  // Arrow keys move within the radio group; Space picks; Enter submits.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  const picked = await page.evaluate(() => document.activeElement.value);
  assert.equal(picked, 'detainer-arrived');
  await Promise.all([
    page.waitForURL(`${base}/ask`, { waitUntil: 'load' }),
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/ask')),
    page.keyboard.press('Enter'),
  ]);
  await page.waitForSelector('h1:has-text("A detainer arrived")');
  // Answer each question from the keyboard: Tab through the page, tick the
  // first choice met in each question with Space, and press Enter on Answer.
  for (let round = 0; round < 6; round++) {
    if (await page.getByRole('heading', { name: 'The answer', exact: true }).count()) break;
    const answered = new Set();
    for (let i = 0; i < 300; i++) {
      await page.keyboard.press('Tab');
      const el = await page.evaluate(() => {
        const a = document.activeElement;
        return { name: a?.name ?? '', type: a?.type ?? '', text: a?.textContent?.trim() ?? '' };
      });
      if (el.name.startsWith('fact.') && !answered.has(el.name)) {
        await page.keyboard.press('Space');
        answered.add(el.name);
      } else if (el.type === 'submit' && el.text === 'Answer') {
        // Enter submits: wait for the next page before reading it.
        await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/ask')),
          page.keyboard.press('Enter'),
        ]);
        break;
      }
    }
    await page.waitForLoadState('load');
  }
  assert.ok(await page.getByRole('heading', { name: 'The answer', exact: true }).count(), 'settled from the keyboard');
});

test('a new colleague enrols with a code: their own password, their authenticator from a QR code', async () => {
  const made = execFileSync(bin, ['user', 'add', 'new.officer', '--role', 'officer', '--enrol', '--database', db], { encoding: 'utf8' });
  const code = made.match(/enrolment code for new\.officer .*: ([A-Z2-7-]+)/)[1];
  const page = await newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByRole('link', { name: 'Set up your account' }).click();
  await page.waitForURL(`${base}/enrol`);
  await axe(page, 'enrol');
  assert.equal(await page.getByRole('img', { name: /QR code of your new authenticator key/ }).count(), 1);
  await page.screenshot({ path: join(shots, 'enrol-phone.png'), fullPage: true });
  // The app adds the key printed as text (as a screen-reader user would).
  const key = (await page.locator('#totp-key').textContent()).replace(/\s/g, '');
  const mine = 'my own long passphrase';
  await page.getByLabel('Username').fill('new.officer');
  await page.getByLabel('Enrolment code').fill(code.toLowerCase());
  await page.getByLabel('New password', { exact: true }).fill(mine);
  await page.getByLabel('New password, again').fill(mine);
  // Enrol with the previous step's code, so that this step's is fresh for
  // signing in (a code works once).
  await page.getByLabel('Code from your authenticator app').fill(totp(key, Date.now() - 30_000));
  await page.getByRole('button', { name: 'Set up my account' }).click();
  await page.waitForURL(`${base}/sign-in?enrolled`);
  await axe(page, 'sign-in after enrolment');
  assert.ok(await page.getByText('Your account is set up.').count());
  await page.getByLabel('Username').fill('new.officer');
  await page.getByLabel('Password').fill(mine);
  await page.getByLabel('Code from your authenticator app').fill(totp(key));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/ask`);
  assert.ok(await page.getByRole('button', { name: 'Sign out new.officer' }).count());
});

// A staff account made with the CLI; returns its authenticator key.
function account(name, role) {
  const made = execFileSync(bin, ['user', 'add', name, '--role', role, '--password-stdin', '--database', db],
    { input: password + '\n', encoding: 'utf8' });
  return made.match(/key: ([A-Z2-7]+)/)[1];
}

test('the offices: exceptions explained, contacts searched, accounts managed, the audit log read', async () => {
  const keys = {
    desk: account('desk', 'records-clerk'),
    boss: account('boss', 'admin'),
    psu: account('psu', 'professional-standards'),
    aud: account('aud', 'auditor'),
  };
  // A hold on a detainer, recorded as done: a compliance exception.
  const desk = await newPage();
  await signIn(desk, 'desk', keys.desk);
  await walk(desk, 'A detainer arrived', {
    documents: ['detainer-hold'], custody: 'in-police-custody', 'other-custody-basis': 'no',
    'legal-mandate': 'no', 'operation-purpose': 'civil-immigration', arrested: 'yes', 'separate-log': 'no', 'age-group': 'adult',
  });
  await desk.getByLabel('Receiving unit').selectOption('booking');
  await desk.locator('label', { hasText: 'Arrest or hold a person' }).click();
  await desk.getByRole('button', { name: 'Record this contact' }).click();
  await desk.waitForURL(/\/contacts\/\d+$/);
  assert.ok(await desk.getByRole('region', { name: 'Compliance exception' }).count(), 'flagged on its page');
  await desk.goto(`${base}/contacts?exceptions=1`);
  await axe(desk, 'contacts');
  assert.equal(await desk.locator('tbody tr').count(), 1, 'one exception among the contacts');

  const psu = await newPage();
  await signIn(psu, 'psu', keys.psu);
  await psu.goto(`${base}/exceptions`);
  await axe(psu, 'exceptions');
  assert.ok(await psu.getByRole('heading', { name: /Exception \d+: detain/ }).count());
  await psu.getByLabel('Add an explanation').first().fill('Held 40 minutes on the detainer alone; officer retrained.');
  await psu.getByRole('button', { name: 'Add explanation' }).first().click();
  await psu.waitForURL(`${base}/exceptions`);
  assert.ok(await psu.getByText('officer retrained').count());

  const boss = await newPage(1280, 900);
  await signIn(boss, 'boss', keys.boss);
  await boss.goto(`${base}/admin`);
  await axe(boss, 'accounts');
  await boss.getByLabel('Username').fill('new.clerk');
  await boss.getByLabel('Role').selectOption('records-clerk');
  await boss.getByRole('button', { name: 'Create, and show its enrolment code' }).click();
  assert.match(await boss.locator('#enrolment-code').textContent(), /^[A-Z2-7]{4}(-[A-Z2-7]{4}){4}$/);
  await axe(boss, 'accounts with a code');
  // An API token for an integration: shown once, then listed and revoked.
  await boss.getByLabel('What it is for').fill('records-system');
  await boss.locator('label', { hasText: 'contacts:record' }).click();
  await boss.getByRole('button', { name: 'Create the token' }).click();
  const apiToken = (await boss.locator('#api-token').textContent()).trim();
  assert.match(apiToken, /^tgt_[0-9a-f]{64}$/);
  const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${apiToken}` } });
  assert.deepEqual((await me.json()).permissions, ['contacts:record']);
  await boss.getByRole('button', { name: /Revoke token \d+/ }).first().click();
  await boss.waitForURL(`${base}/admin`);
  assert.equal((await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${apiToken}` } })).status, 401);
  await boss.screenshot({ path: join(shots, 'accounts-desktop.png'), fullPage: true });

  const aud = await newPage(1280, 900);
  await signIn(aud, 'aud', keys.aud);
  await aud.goto(`${base}/audit`);
  await axe(aud, 'audit log');
  const actions = await aud.locator('tbody td[data-label="What"]').allTextContents();
  for (const a of ['create', 'explain', 'enrolment-issued', 'sign-in']) assert.ok(actions.includes(a), `${a} is in the log`);
  // Other roles are refused the auditor's page (and the refusal is logged).
  const refused = await desk.goto(`${base}/audit`);
  assert.equal(refused.status(), 403);
  assert.ok(await desk.getByRole('heading', { name: 'Not for your role' }).count());
  await axe(desk, 'refusal page');
  await desk.goto(`${base}/work`);
  await desk.screenshot({ path: join(shots, 'work-phone.png'), fullPage: true });
  await aud.screenshot({ path: join(shots, 'audit-desktop.png'), fullPage: true });
});

test('the resident\'s site: in four languages, on a phone, without script, every page passes axe', async () => {
  // A Spanish-speaking reader's browser lands on the Spanish page.
  const es = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true, locale: 'es-US' });
  const first = await es.newPage();
  await first.goto(`${base}/`);
  assert.equal(new URL(first.url()).pathname, '/es/');
  await es.close();
  for (const lang of ['en', 'es', 'ht', 'pt']) {
    const page = await newPage();
    await page.goto(`${base}/${lang}/`);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    // The switch names each language in itself, marked with its own lang.
    for (const other of ['en', 'es', 'ht', 'pt']) {
      assert.equal(await page.locator(`nav a[hreflang="${other}"]`).getAttribute('lang'), other);
    }
    // Until a qualified translator approves it, a translation says it is a draft.
    assert.equal(await page.locator('.tg-draft').count(), lang === 'en' ? 0 : 1, lang);
    await axe(page, `public home (${lang})`);
    await page.screenshot({ path: join(shots, `public-home-${lang}-phone.png`), fullPage: true });
    // The law's own words are one tap away.
    await page.locator('a[href^="/laws/"]').first().click();
    await page.waitForURL(/\/laws\//);
    await page.context().close();
  }
  // Without JavaScript, the page is the same page.
  const nojs = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await nojs.newPage();
  await page.goto(`${base}/pt/`);
  assert.match(await page.locator('h1').textContent(), /Seus direitos em/);
  await page.getByRole('link', { name: 'Kreyòl ayisyen' }).click();
  await page.waitForURL(`${base}/ht/`);
  await nojs.close();
  const desk = await newPage(1280, 900);
  await desk.goto(`${base}/en/`);
  await axe(desk, 'public home (desktop)');
  await desk.screenshot({ path: join(shots, 'public-home-en-desktop.png'), fullPage: true });
  await desk.context().close();
});
