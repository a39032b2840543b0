// End-to-end tests of the operations console in a real browser (Debian's chromium driven by
// playwright-core) against a running, packaged Pond. Run by server/src/test/java/io/pond/ConsoleE2EIT.java
// during `./pond test`; by hand:
//   POND_URL=http://localhost:8080 POND_ADMIN_PASSWORD=… npm run e2econsole.test.mjs
// POND_E2E_SCREENSHOTS=DIR saves screenshots of the key pages there (docs/screenshots in the repo).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = process.env.POND_URL ?? 'http://localhost:8080';
const ADMIN_PASSWORD = process.env.POND_ADMIN_PASSWORD;
const CHROMIUM = process.env.POND_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.POND_E2E_SCREENSHOTS;
const RUN = Date.now().toString(36);
assert.ok(ADMIN_PASSWORD, 'set POND_ADMIN_PASSWORD to the admin password of the Pond at POND_URL');

let context;
let page;
let profile;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'pond-e2e-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 720 },
    locale: 'zh-CN',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(20_000);
  page = context.pages()[0] ?? (await context.newPage());
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shot(name) {
  if (!SHOTS) return;
  await page.waitForTimeout(300); // let antd finish its entrance animations
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function api(method, path, authorization, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const adminBasic = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');

async function signIn(username, password) {
  await page.goto(BASE + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function chooseInModal(fieldId, optionTitle) {
  await page.locator(`.ant-modal-wrap:visible #${fieldId}`).click({ force: true });
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${optionTitle}"]`).click();
}

test('an unknown user sees the sign-in page in Chinese and a wrong password is refused', async () => {
  await page.goto(BASE + '/users');
  await page.waitForURL(/\/login\?next=%2Fusers/);
  await assert.doesNotReject(page.getByText('登录运营控制台').waitFor());
  await shot('login');
  await signIn('admin', 'not-the-password');
  await page.getByTestId('login-error').waitFor();
  assert.match(await page.getByTestId('login-error').innerText(), /用户名或密码错误/);
});

test('the admin signs in and lands on users with the full side menu', async () => {
  await signIn('admin', ADMIN_PASSWORD);
  await page.waitForURL(/\/users$/);
  const menu = page.getByTestId('side-menu');
  for (const item of ['用户与权限', 'API 密钥', '数据源', '审计日志']) {
    await menu.getByText(item).waitFor();
  }
  assert.equal(await page.getByTestId('account-menu').innerText().then((t) => t.includes('admin')), true);
});

test('the admin creates an operator limited to tmall and it is listed with its scope', async () => {
  const username = `e2e-ops-${RUN}`;
  await page.getByTestId('user-create').click();
  await page.getByTestId('user-username').fill(username);
  await page.getByTestId('user-password').fill('operator-pw-1');
  await chooseInModal('role', '运营');
  await page.locator('.ant-modal-wrap:visible #channels').click({ force: true });
  await page.keyboard.type('tmall');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.getByTestId('user-create-ok').click();
  const row = page.locator('tr', { hasText: username });
  await row.waitFor();
  assert.match(await row.innerText(), /运营[\s\S]*tmall/);
  await shot('users');

  const created = (await api('GET', '/api/v1/users?limit=200', adminBasic)).json.items.find((u) => u.username === username);
  assert.deepEqual(created.channels, ['tmall']);
  assert.equal(created.role, 'operator');
});

test('the admin creates a server key, sees its secret once, and revokes it', async () => {
  await page.getByTestId('side-menu').getByText('API 密钥').click();
  await page.waitForURL(/\/keys$/);
  await page.getByTestId('key-create').click();
  await page.getByTestId('key-name').fill(`e2e key ${RUN}`);
  await page.getByTestId('key-create-ok').click();
  const secret = (await page.getByTestId('new-secret').innerText()).trim();
  assert.match(secret, /^pond_sk_[0-9A-Za-z]{32}$/);
  assert.equal((await api('GET', '/api/v1/sources', `Bearer ${secret}`)).status, 200);
  await page.getByTestId('secret-ok').click();
  await page.getByTestId('new-secret').waitFor({ state: 'hidden' });

  const row = page.locator('tr', { hasText: `e2e key ${RUN}` });
  await row.getByRole('button').click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await row.getByText('已吊销').waitFor();
  await shot('keys');
  const refused = await api('GET', '/api/v1/sources', `Bearer ${secret}`);
  assert.equal(refused.status, 401);
  assert.equal(refused.json.code, 'key_revoked');
});

test('the admin adds a source with its first write key, shown once', async () => {
  await page.getByTestId('side-menu').getByText('数据源').click();
  await page.waitForURL(/\/sources$/);
  await page.getByTestId('source-create').click();
  await page.getByTestId('source-name').fill(`web-${RUN}`);
  await page.getByTestId('source-key-name').fill('web site');
  await page.getByTestId('source-create-ok').click();
  const secret = (await page.getByTestId('new-secret').innerText()).trim();
  assert.match(secret, /^pond_wk_[0-9A-Za-z]{32}$/);
  await page.getByTestId('secret-ok').click();
  const row = page.getByTestId('sources-table').locator('tr', { hasText: `web-${RUN}` });
  await row.getByText('web site').waitFor();
  assert.match(await row.innerText(), /pond_wk_/);
  await shot('sources');
});

test('the audit log shows the user and key changes, also after a reload of its deep link', async () => {
  await page.goto(BASE + '/audit'); // a full page load: the server answers the client route with the console
  const table = page.getByTestId('audit-table');
  for (const action of ['user.created', 'key.created', 'key.revoked', 'session.started']) {
    await table.getByText(action, { exact: true }).first().waitFor();
  }
  await page.getByTestId('audit-chart').waitFor();
  await shot('audit');
});

test('switching to English relabels the console and survives a reload', async () => {
  await page.getByTestId('language-switch').click();
  await page.getByTestId('side-menu').getByText('Audit log').waitFor();
  await page.getByText('Actor').first().waitFor();
  await page.goto(BASE + '/users');
  await page.getByTestId('side-menu').getByText('Users & access').waitFor();
  await page.locator('tr', { hasText: `e2e-ops-${RUN}` }).getByText('Operator').waitFor();
  await shot('users-en');
  await page.getByTestId('language-switch').click();
  await page.getByTestId('side-menu').getByText('用户与权限').waitFor();
});

test('signing out ends the session; the operator then sees only what the role allows', async () => {
  const token = await page.evaluate(() => localStorage.getItem('pond.session'));
  await page.getByTestId('account-menu').click();
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login/);
  assert.equal((await api('GET', '/api/v1/auth/me', `Bearer ${token}`)).json.code, 'session_expired');

  await signIn(`e2e-ops-${RUN}`, 'operator-pw-1');
  await page.waitForURL(/\/sources$/);
  const menu = await page.getByTestId('side-menu').innerText();
  assert.ok(menu.includes('数据源'));
  assert.ok(!menu.includes('用户与权限') && !menu.includes('审计日志'), menu);
  await page.goto(BASE + '/users');
  await page.waitForURL(/\/sources$/);
  await page.getByTestId('account-menu').click();
  await page.getByText('渠道范围: tmall').waitFor();
});
