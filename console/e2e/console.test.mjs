// End-to-end tests of the operations console in a real browser (Debian's chromium driven by
// playwright-core) against a running, packaged Pond. Run by server/src/test/java/io/pond/ConsoleE2EIT.java
// during `./pond test`; by hand:
//   POND_URL=http://localhost:8080 POND_ADMIN_PASSWORD=… npm run e2econsole.test.mjs
// POND_E2E_SCREENSHOTS=DIR saves screenshots of the key pages there (docs/screenshots in the repo).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
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

// a test that failed with a dialog open must not fail the ones after it: reload to close it
beforeEach(async () => {
  if (page && (await page.locator('.ant-modal-wrap:visible').count()) > 0) {
    await page.reload();
  }
});

async function shot(name, on = page, fullPage = false) {
  if (!SHOTS) return;
  await on.waitForTimeout(300); // let antd finish its entrance animations
  await on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function api(method, path, authorization, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { ...(authorization ? { Authorization: authorization } : {}), 'Content-Type': 'application/json' },
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

/** What the page showed when a step failed: for the report, so that a flaky step can be explained. */
async function pageState() {
  try {
    const wraps = await page.locator('.ant-modal-wrap').count();
    const visible = await page.locator('.ant-modal-wrap:visible').count();
    const messages = await page.locator('.ant-message-notice').allInnerTexts();
    return `url=${page.url()} modals=${visible}/${wraps} visible messages=${JSON.stringify(messages)}`;
  } catch (e) {
    return `page state unavailable: ${e.message}`;
  }
}

async function chooseInModal(fieldId, optionTitle) {
  // the modal may still be opening (a busy CI machine): open the select until its option list shows
  const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${optionTitle}"]`);
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator(`.ant-modal-wrap:visible #${fieldId}`).click({ force: true, timeout: 5000 });
      await option.waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (attempt === 4) throw new Error(`${e.message}\n${await pageState()}`);
    }
  }
  await option.click();
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

test('the admin signs in and lands on the dashboard with the full side menu', async () => {
  await signIn('admin', ADMIN_PASSWORD);
  await page.waitForURL(/\/dashboard$/);
  const menu = page.getByTestId('side-menu');
  for (const item of ['数据看板', '优惠券', '标签与人群', '客户与 OneID', '订单', '会员与积分', '采集监控', '用户与权限', 'API 密钥', '数据源', '审计日志']) {
    await menu.getByText(item).waitFor();
  }
  assert.equal(await page.getByTestId('account-menu').innerText().then((t) => t.includes('admin')), true);
});

test('the admin creates an operator limited to tmall and it is listed with its scope', async () => {
  const username = `e2e-ops-${RUN}`;
  await page.getByTestId('side-menu').getByText('用户与权限').click();
  await page.waitForURL(/\/users$/);
  // the create dialog, filled and sent; once more after a reload if a step fails on a busy machine
  // (the report keeps what the page showed, see pageState)
  const row = page.locator('tr', { hasText: username });
  for (let attempt = 1; ; attempt++) {
    try {
      await page.getByTestId('user-create').click();
      await page.getByTestId('user-username').fill(username);
      await page.getByTestId('user-password').fill('operator-pw-1');
      await chooseInModal('role', '运营');
      await page.locator('.ant-modal-wrap:visible #channels').click({ force: true });
      await page.keyboard.type('tmall');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await page.getByTestId('user-create-ok').click();
      await row.waitFor();
      break;
    } catch (e) {
      const created = (await api('GET', '/api/v1/users?limit=200', adminBasic)).json.items.some((u) => u.username === username);
      if (attempt === 2 || created) throw new Error(`${e.message}\n${await pageState()}`);
      console.log(`# creating ${username} failed once: ${e.message.split('\n')[0]} — ${await pageState()}`);
      await page.reload();
    }
  }
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
  await page.waitForURL(/\/dashboard$/);
  const menu = await page.getByTestId('side-menu').innerText();
  assert.ok(menu.includes('数据源') && menu.includes('订单'));
  assert.ok(!menu.includes('用户与权限') && !menu.includes('审计日志'), menu);
  await page.goto(BASE + '/users');
  await page.waitForURL(/\/dashboard$/);
  await page.getByTestId('account-menu').click();
  await page.getByText('渠道范围: tmall').waitFor();
});

// ---- customers, orders, loyalty and ingestion pages, on data sent through the real APIs --------

const phone = `139${String(Date.now()).slice(-8)}`;
const unionid = `o6_e2e_${RUN}`;
const ouid = `ouid_e2e_${RUN}`;
let personA;
let personB;

test('customers: a person found by phone shows its identifiers and the identity graph', async () => {
  // Evidence through the API: phone + unionid, then unionid + a Taobao ouid, join one person.
  const first = await api('POST', '/api/v1/identity/evidence', adminBasic, {
    identifiers: [{ type: 'phone', value: phone }, { type: 'wechat_unionid', value: unionid }], source: 'e2e',
  });
  assert.equal(first.status, 200, JSON.stringify(first.json));
  await api('POST', '/api/v1/identity/evidence', adminBasic, {
    identifiers: [{ type: 'wechat_unionid', value: unionid }, { type: 'taobao_ouid', scope: 'shop-e2e', value: ouid }], source: 'e2e',
  });
  personA = first.json.personId;
  personB = (await api('POST', '/api/v1/identity/evidence', adminBasic, {
    identifiers: [{ type: 'member_no', value: `M${RUN}` }], source: 'e2e',
  })).json.personId;

  await page.evaluate(() => localStorage.removeItem('pond.session')); // the operator of the previous test
  await signIn('admin', ADMIN_PASSWORD);
  await page.waitForURL(/\/dashboard$/);
  await page.getByTestId('side-menu').getByText('客户与 OneID').click();
  await page.waitForURL(/\/persons$/);
  await page.getByTestId('person-search-value').fill(phone);
  await page.getByTestId('person-search-submit').click();
  await page.waitForURL(new RegExp(`/persons/${personA}$`));
  await page.getByRole('tab', { name: '身份图谱' }).click();
  const identifiers = page.getByTestId('person-identifiers');
  for (const value of [unionid, ouid]) await identifiers.getByText(value).waitFor();
  // The admin may see PII: the phone is shown in full.
  await identifiers.getByText(phone).waitFor();
  await page.getByTestId('person-graph').locator('canvas').waitFor();
  await shot('person');
});

test('customers: a manual merge is listed with its evidence and a split restores the person', async () => {
  await page.getByTestId('person-merge').click();
  await page.getByTestId('person-merge-other').fill(String(personB));
  await page.getByTestId('person-merge-ok').click();
  const merges = page.getByTestId('person-merges');
  const row = merges.locator('tr', { hasText: String(personB) });
  await row.waitFor();
  assert.equal((await api('GET', `/api/v1/persons/${personB}`, adminBasic)).json.mergedInto, personA);
  await page.getByTestId('person-identifiers').getByText(`M${RUN}`).waitFor();

  await row.getByRole('button').click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await row.getByText(/已于 .* 拆分/).waitFor();
  assert.equal((await api('GET', `/api/v1/persons/${personB}`, adminBasic)).json.mergedInto ?? null, null);
  await page.getByTestId('person-identifiers').getByText(`M${RUN}`).waitFor({ state: 'detached' });
});

/** A one-line order of store-1, paid now, through the native order API. */
async function postPaidOrder(orderId, buyer, line) {
  const at = new Date().toISOString();
  const posted = await api('POST', '/api/v1/orders', adminBasic, {
    channel: 'native', shopId: 'store-1', orderId, status: 'PAID', modifiedAt: at, createdAt: at, paidAt: at, paidFen: line.paidFen,
    buyers: [buyer], lines: [{ lineId: '1', quantity: 1, unitPriceFen: line.paidFen, ...line }],
  });
  assert.equal(posted.status, 200, JSON.stringify(posted.json));
}

test('orders: an order posted through the native API is listed, and its buyer links to the person', async () => {
  const orderId = `E2E-${RUN}`;
  await postPaidOrder(orderId, { type: 'phone', value: phone }, { sku: 'SKU-1', title: '山茶花面霜', category: 'skincare', paidFen: 12990 });
  await page.getByTestId('side-menu').getByText('订单').click();
  await page.waitForURL(/\/orders$/);
  const row = page.getByTestId('orders-table').locator('tr', { hasText: orderId });
  await row.waitFor();
  assert.match(await row.innerText(), /¥129\.90/);
  await shot('orders');
  await row.click();
  const detail = page.getByTestId('order-detail');
  await page.locator('.ant-drawer').getByRole('cell', { name: '山茶花面霜' }).waitFor();
  await detail.getByText(`OneID ${personA}`).waitFor();
  await page.keyboard.press('Escape');
});

test('loyalty: an operator adjustment shows in the balance and the explained ledger', async () => {
  const code = `e2e${RUN}`.slice(0, 30);
  const created = await api('POST', '/api/v1/loyalty/programs', adminBasic, { code, name: 'E2E 会员计划', config: { refundPolicy: 'only_pending' } });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  await page.goto(BASE + `/loyalty?personId=${personA}`);
  await page.getByTestId('loyalty-program').click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title*="${code}"]`).click();
  await page.getByTestId('loyalty-no-account').waitFor();
  await page.getByTestId('loyalty-adjust').click();
  await page.getByTestId('loyalty-adjust-points').fill('300');
  await page.getByTestId('loyalty-adjust-reason').fill('补偿：物流延误');
  await page.getByTestId('loyalty-adjust-ok').click();
  await page.getByTestId('loyalty-entries').getByText('补偿：物流延误').waitFor();
  assert.match(await page.getByTestId('loyalty-available').innerText(), /300/);
  const balance = (await api('GET', `/api/v1/loyalty/programs/${code}/members/${personA}`, adminBasic)).json;
  assert.equal(balance.available, 300);
  await shot('loyalty');
});

test('loyalty: points imported from a CSV file — bad rows listed by row, the same file again posts nothing', async () => {
  const code = `e2e${RUN}`.slice(0, 30);
  await page.goto(BASE + '/loyalty');
  await page.getByTestId('loyalty-program').click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title*="${code}"]`).click();
  await page.getByRole('tab', { name: '导入积分' }).click();
  // members by person id, and by phone (OneID's person of that phone: personA)
  const csv = 'person_id,phone,business_id,points,reason,occurred_at\n'
    + `${personA},,imp-1,120,"旧系统迁移, 余额",2026-01-15 08:00:00\n${personA},,imp-2,0,,\nabc,,imp-3,5,,\n`
    + `,${phone},imp-4,30,,\n,12345,imp-5,5,,\n`;
  const choose = async () => page.getByTestId('loyalty-import-file').locator('input[type=file]')
    .setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('loyalty-import-source').locator('input').fill('old-crm');
  await choose();
  await page.getByTestId('loyalty-import-run').click();
  await page.getByTestId('loyalty-import-result').getByText('共 5 行：新发放 2 条，已发放过 0 条，有问题 3 行').waitFor();
  const bad = page.getByTestId('loyalty-import-bad');
  await bad.getByRole('cell', { name: 'person_id' }).waitFor();
  await bad.getByRole('cell', { name: 'points' }).waitFor();
  await bad.getByRole('row', { name: /phone.*OneID/ }).waitFor(); // a junk phone: refused by OneID, on row 6
  assert.match(await bad.getByRole('row', { name: /phone/ }).innerText(), /^6\s/);
  assert.equal((await api('GET', `/api/v1/loyalty/programs/${code}/members/${personA}`, adminBasic)).json.available, 450);
  await shot('loyalty-import');
  await choose();
  await page.getByTestId('loyalty-import-run').click();
  await page.getByTestId('loyalty-import-result').getByText('共 5 行：新发放 0 条，已发放过 2 条，有问题 3 行').waitFor();
  assert.equal((await api('GET', `/api/v1/loyalty/programs/${code}/members/${personA}`, adminBasic)).json.available, 450);
});

test('ingestion: accepted and quarantined records show per source, with the dead letter and its reason', async () => {
  const key = await api('POST', '/api/v1/keys', adminBasic, { kind: 'write', name: 'e2e ingest', source: `app-${RUN}` });
  assert.equal(key.status, 201, JSON.stringify(key.json));
  const basic = 'Basic ' + Buffer.from(`${key.json.secret}:`).toString('base64');
  const batch = await api('POST', '/v1/batch', basic, {
    batch: [
      { type: 'track', event: 'Product Viewed', anonymousId: `anon-${RUN}`, messageId: `m1-${RUN}` },
      { type: 'track', anonymousId: `anon-${RUN}`, messageId: `m2-${RUN}` },
    ],
  });
  assert.equal(batch.status, 200, JSON.stringify(batch.json));
  await page.getByTestId('side-menu').getByText('采集监控').click();
  await page.waitForURL(/\/ingest$/);
  const stats = page.getByTestId('ingest-stats').locator('tr', { hasText: `app-${RUN}` });
  await stats.waitFor();
  assert.match(await stats.innerText(), /app-[\s\S]*1[\s\S]*0[\s\S]*1/);
  await page.getByTestId('dead-letters').getByText('event').first().waitFor();
  await shot('ingest');
});

// ---- the customer 360: profile, consents, timeline, export and erasure ------------------------------

/** Signs in as that user whoever was signed in before (or nobody: a first test run on its own). */
async function signInAfresh(username, password) {
  await page.goto(BASE + '/login');
  await page.evaluate(() => localStorage.removeItem('pond.session'));
  await signIn(username, password);
  await page.waitForURL(/\/dashboard$/);
}

async function until(what, check, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer) return answer;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('customer 360: profile, metrics and points, consents changed in the page, the paged timeline, export and erasure', async () => {
  // A person made through the real APIs: an identify with traits and 22 tracked events, two consent
  // decisions, a paid native order, points.
  const userId = `u360-${RUN}`;
  const key = await api('POST', '/api/v1/keys', adminBasic, { kind: 'write', name: 'e2e 360', source: `app360-${RUN}` });
  assert.equal(key.status, 201, JSON.stringify(key.json));
  const basic = 'Basic ' + Buffer.from(`${key.json.secret}:`).toString('base64');
  const tracks = Array.from({ length: 22 }, (_, i) => ({ type: 'track', event: i === 0 ? 'Product Viewed' : 'Page Scrolled', userId, messageId: `t${i}-${RUN}`, properties: { i } }));
  const batch = await api('POST', '/v1/batch', basic, {
    batch: [{ type: 'identify', userId, messageId: `i-${RUN}`, traits: { name: '林晓', city: '杭州', favourite_tea: '龙井' } }, ...tracks],
  });
  assert.equal(batch.status, 200, JSON.stringify(batch.json));
  const person = await until('identity to know the user', async () => {
    const r = await api('GET', `/api/v1/persons/lookup?type=login_id&value=${userId}`, adminBasic);
    return r.status === 200 && r.json.personId;
  });
  await until('the traits', async () => (await api('GET', `/api/v1/persons/${person}/profile`, adminBasic)).json.traits.some((t) => t.name === 'city'));
  for (const [purpose, granted, note] of [['marketing', true, 'e2e 注册时勾选'], ['sms', false, 'e2e 退订短信']]) {
    const c = await api('POST', `/api/v1/persons/${person}/consents`, adminBasic, { purpose, granted, source: 'e2e', note });
    assert.equal(c.status, 200, JSON.stringify(c.json));
  }
  // the person's phone (through identity evidence) gets a member center sign-in code: a message
  const phone360 = `137${String(Date.now() + 7).slice(-8)}`;
  const evidence = await api('POST', '/api/v1/identity/evidence', adminBasic, {
    identifiers: [{ type: 'login_id', value: userId }, { type: 'phone', value: phone360 }], source: 'e2e',
  });
  assert.equal(evidence.status, 200, JSON.stringify(evidence.json));
  assert.equal((await api('POST', '/api/v1/member/auth/code', null, { phone: phone360 })).status, 202);
  const orderId = `E2E360-${RUN}`;
  await postPaidOrder(orderId, { type: 'login_id', value: userId }, { sku: 'TEA-1', title: '龙井礼盒', category: 'tea', paidFen: 25800 });
  await until('the order in the metrics', async () => (await api('GET', `/api/v1/persons/${person}/metrics`, adminBasic)).json.metrics.spend_fen === 25800);
  await until('every event in the timeline', async () =>
    (await api('GET', `/api/v1/persons/${person}/timeline?kinds=event&size=50`, adminBasic)).json.items.length === 23);
  let program = (await api('GET', '/api/v1/loyalty/programs', adminBasic)).json[0]?.code;
  if (!program) {
    program = `e2e360${RUN}`.slice(0, 30);
    assert.equal((await api('POST', '/api/v1/loyalty/programs', adminBasic, { code: program, name: 'E2E 360', config: {} })).status, 201);
  }
  const tag = `tea_lover_${RUN}`;
  assert.equal((await api('POST', '/api/v1/tags', adminBasic, { code: tag, name: '茶饮爱好者', kind: 'manual' })).status, 201);
  assert.equal((await api('POST', `/api/v1/tags/${tag}/members`, adminBasic, { personIds: [person] })).status, 200);
  const points = await api('POST', `/api/v1/loyalty/programs/${program}/members/${person}/adjustments`, adminBasic,
    { idempotencyKey: `e2e-360-${RUN}`, points: 120, reason: 'e2e 360' });
  assert.equal(points.status, 200, JSON.stringify(points.json));

  await signInAfresh('admin', ADMIN_PASSWORD);
  await page.goto(BASE + `/persons/${person}`);

  // Profile: traits with their source, metrics from the order (in yuan), RFM, the points balance
  const traits = page.getByTestId('person-traits');
  for (const [name, value] of [['city', '杭州'], ['favourite_tea', '龙井'], ['name', '林晓']]) {
    assert.match(await traits.locator('tr', { hasText: name }).innerText(), new RegExp(`${value}[\\s\\S]*event`));
  }
  await page.getByTestId('person-spend').getByText('¥258.00').waitFor();
  await page.getByTestId('person-rfm').getByText(/^R [1-5]$/).waitFor();
  await page.getByTestId('person-metrics').getByText('tea').waitFor();
  await page.getByTestId(`person-points-${program}`).getByText('120').waitFor();
  await page.getByTestId('person-tags-held').getByText(tag, { exact: true }).waitFor();
  await shot('person-profile', page, true);

  // Consents: current state and history from the API; then SMS granted again in the page, with a note
  await page.getByRole('tab', { name: '授权' }).click();
  await page.getByTestId('consent-marketing').getByText('已授权').waitFor();
  await page.getByTestId('consent-sms').getByText('已撤回').waitFor();
  await page.getByTestId('consent-wechat').getByText('未决定').waitFor();
  const history = page.getByTestId('person-consent-history');
  await history.getByText('e2e 注册时勾选').waitFor();
  await history.getByText('e2e 退订短信').waitFor();
  await page.getByTestId('consent-change-sms').click();
  await page.locator('.ant-modal-wrap:visible').getByTestId('consent-note').fill(`客服来电重新订阅 ${RUN}`);
  await page.getByTestId('consent-ok').click();
  await page.getByTestId('consent-sms').getByText('已授权').waitFor();
  await history.getByText(`客服来电重新订阅 ${RUN}`).waitFor();
  assert.equal(await history.locator('tbody tr').count(), 3);
  const consents = (await api('GET', `/api/v1/persons/${person}/consents`, adminBasic)).json;
  assert.equal(consents.granted.sms, true);
  assert.equal(consents.current.find((c) => c.purpose === 'sms').source, 'console');
  if (SHOTS) await page.locator('.ant-message-notice').waitFor({ state: 'detached' }); // the "saved" toast
  await shot('person-consents');

  // Timeline: newest first, 20 a page; the order links to the order, "load more" brings the rest
  await page.getByRole('tab', { name: '时间线' }).click();
  const timeline = page.getByTestId('person-timeline');
  await timeline.getByTestId('timeline-consent').first().getByText(`客服来电重新订阅 ${RUN}`).waitFor();
  await timeline.getByTestId('timeline-order').getByText(orderId).waitFor();
  assert.match(await timeline.getByTestId('timeline-order').innerText(), /¥258\.00/);
  await timeline.getByTestId('timeline-trait').filter({ hasText: 'city' }).getByText('杭州').waitFor();
  assert.equal(await timeline.locator('.ant-timeline-item').count(), 20);
  await shot('person-timeline');
  // 23 events, 3 traits, 3 consents, the order and the points entries: all of them after "load more"
  const all = (await api('GET', `/api/v1/persons/${person}/timeline?size=200`, adminBasic)).json.items;
  assert.ok(all.length > 20 && all.length <= 40, String(all.length));
  const shown = (n) => page.waitForFunction((want) => document.querySelectorAll('[data-testid="person-timeline"] .ant-timeline-item').length === want, n);
  await page.getByTestId('timeline-more').click();
  await shown(all.length);
  await timeline.getByText('Product Viewed').waitFor();
  assert.equal(await page.getByTestId('timeline-more').count(), 0);
  await page.getByTestId('timeline-kinds').getByText('事件').click(); // events off: the rest fits one page
  await shown(all.filter((i) => i.kind !== 'event').length);
  await timeline.getByTestId('timeline-message').getByText(/member_sign_in_code/).waitFor(); // the code itself is not shown
  assert.doesNotMatch(await timeline.getByTestId('timeline-message').innerText(), /\d{6}/);
  await timeline.getByTestId('timeline-order').getByRole('link', { name: orderId }).click();
  await page.waitForURL(/\/orders\?order=\d+$/);
  await page.locator('.ant-drawer').getByRole('cell', { name: '龙井礼盒' }).waitFor();
  await page.keyboard.press('Escape');

  // Export (admin): the JSON document downloads
  await page.goto(BASE + `/persons/${person}`);
  await page.getByTestId('person-traits').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('person-export').click()]);
  assert.equal(download.suggestedFilename(), `person-${person}.json`);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.personId, person);
  assert.ok(exported.traits.some((t) => t.name === 'city' && t.value === '杭州'), JSON.stringify(exported.traits));
  assert.equal(exported.consents.sms, true);

  // Erasure (admin): refused until the OneID is typed; then the traits are gone and the pseudonym shows
  await page.getByTestId('person-erase').click();
  const ok = page.locator('.ant-popconfirm:visible').getByTestId('person-erase-ok');
  assert.equal(await ok.isDisabled(), true);
  await page.getByTestId('person-erase-reason').fill('e2e 客户申请删除');
  await page.getByTestId('person-erase-typed').fill(String(person));
  await ok.click();
  await page.getByTestId('person-pseudonym').waitFor();
  await page.getByTestId('person-no-traits').waitFor();
  const erased = (await api('GET', `/api/v1/persons/${person}/profile`, adminBasic)).json;
  assert.ok(erased.pseudonym, JSON.stringify(erased));
  assert.deepEqual(erased.traits, []);
});

test('customer 360: a person with nothing but an identifier shows empty states, not errors; a viewer gets no buttons', async () => {
  const bare = (await api('POST', '/api/v1/identity/evidence', adminBasic, {
    identifiers: [{ type: 'member_no', value: `BARE${RUN}` }], source: 'e2e',
  })).json.personId;
  await signInAfresh('admin', ADMIN_PASSWORD);
  await page.goto(BASE + `/persons/${bare}`);
  await page.getByTestId('person-no-traits').waitFor();
  assert.match(await page.getByTestId('person-spend').innerText(), /¥0\.00/);
  await page.getByTestId('person-loyalty').waitFor();
  await page.getByRole('tab', { name: '时间线' }).click();
  await page.getByTestId('timeline-empty').waitFor();
  await page.getByRole('tab', { name: '授权' }).click();
  for (const purpose of ['marketing', 'sms', 'wechat', 'data_sharing']) await page.getByTestId(`consent-${purpose}`).getByText('未决定').waitFor();
  await page.getByTestId('consent-change-sms').waitFor(); // the admin may change it
  assert.equal(await page.locator('.ant-message-error').count(), 0);

  // a viewer reads the same page but gets no button to change consents, export or erase
  const viewer = `e2e-viewer-${RUN}`;
  assert.equal((await api('POST', '/api/v1/users', adminBasic, { username: viewer, password: 'viewer-pw-1', role: 'viewer' })).status, 201);
  try {
    await signInAfresh(viewer, 'viewer-pw-1');
    await page.goto(BASE + `/persons/${bare}?tab=consents`);
    await page.getByTestId('consent-sms').getByText('未决定').waitFor();
    assert.equal(await page.getByTestId('consent-change-sms').count(), 0);
    assert.equal(await page.getByTestId('person-export').count(), 0);
    assert.equal(await page.getByTestId('person-erase').count(), 0);
  } finally {
    await signInAfresh('admin', ADMIN_PASSWORD);
  }
});

// ---- the member center (mobile H5) ---------------------------------------------------------------

test('member center: a member signs in with the SMS code from the outbox, sees the card with a QR code, redeems in the mall', async () => {
  const memberPhone = `136${String(Date.now()).slice(-8)}`;
  const program = (await api('GET', '/api/v1/loyalty/programs', adminBasic)).json[0].code;
  const item = `tea${RUN}`.slice(0, 30);
  assert.equal((await api('POST', `/api/v1/loyalty/programs/${program}/mall/items`, adminBasic, { code: item, name: '白茶礼盒', points: 100, stock: 5 })).status, 201);

  const m = await context.newPage();
  await m.setViewportSize({ width: 390, height: 844 });
  try {
    await m.goto(BASE + '/m');
    await m.waitForURL(/\/m\/login/);
    await m.getByTestId('member-phone').fill(memberPhone);
    await m.getByTestId('member-send-code').click();
    await m.getByText(/秒后重发/).waitFor();
    // development: no SMS provider, so the code is held in the outbox, where an operator reads it
    const held = (await api('GET', '/api/v1/messages?status=held', adminBasic)).json.items;
    const sms = held.find((x) => x.recipientMasked === `${memberPhone.slice(0, 3)}****${memberPhone.slice(7)}`);
    assert.ok(sms, JSON.stringify(held));
    const code = sms.body.match(/(\d{6})/)[1];
    await shot('member-login', m);
    await m.getByTestId('member-code').fill(code);
    await m.getByTestId('member-sign-in').click();
    await m.waitForURL(/\/m$/);
    await m.getByTestId('member-qr').waitFor();

    // the operator grants points to the person OneID knows by that phone; the card follows
    const person = (await api('GET', `/api/v1/persons/lookup?type=phone&value=${memberPhone}`, adminBasic)).json.personId;
    const granted = await api('POST', `/api/v1/loyalty/programs/${program}/members/${person}/adjustments`, adminBasic,
      { idempotencyKey: `e2e-m-${RUN}`, points: 250, reason: '新会员礼' });
    assert.equal(granted.status, 200, JSON.stringify(granted.json));
    await m.reload();
    await m.getByTestId('member-available').getByText('250').waitFor();
    await shot('member-card', m);

    await m.getByText('积分商城').click();
    await m.getByTestId(`redeem-${item}`).click();
    const redeemed = m.getByText('兑换成功').waitFor({ timeout: 30_000 }); // a toast: watched from before the click
    await m.getByTestId('member-redeem-ok').click();
    await redeemed;
    await m.getByTestId(`mall-${item}`).getByText('库存 4').waitFor();
    await m.getByText('积分明细').click();
    await m.getByTestId('member-points').getByText('-100').waitFor();
    await m.getByTestId('member-points').getByText(/新会员礼/).waitFor();
    await shot('member-points', m);
    assert.equal((await api('GET', `/api/v1/loyalty/programs/${program}/members/${person}`, adminBasic)).json.available, 150);

    await m.getByTestId('member-logout').click();
    await m.waitForURL(/\/m\/login/);
  } finally {
    await m.close();
  }
});

test('the operator reads the message outbox in the console', async () => {
  await page.goto(BASE + '/messages');
  await page.getByTestId('messages-table').getByText('member_sign_in_code').first().waitFor();
  await shot('messages');
});

// ---- dashboard, coupons and segments ---------------------------------------------------------------

const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;

test('dashboard: the figures are the API\'s for the range, by day and by week, with every chart drawn', async () => {
  await page.goto(BASE + '/dashboard');
  const expected = (await api('GET', '/api/v1/analytics/dashboard', adminBasic)).json;
  assert.ok(expected.gmv.paidFen >= 12990, JSON.stringify(expected.gmv)); // the order posted above was paid today
  await page.getByTestId('dash-gmv').getByText(yuan(expected.gmv.paidFen)).waitFor();
  assert.match(await page.getByTestId('dash-members-total').innerText(), new RegExp(String(expected.members.total).replace(/\B(?=(\d{3})+(?!\d))/g, ',?')));
  for (const chart of ['chart-growth', 'chart-gmv', 'chart-channel-share', 'chart-membership', 'chart-tiers', 'chart-aipl']) {
    await page.getByTestId(chart).locator('canvas').waitFor();
  }
  const weekly = page.waitForResponse((r) => r.url().includes('/api/v1/analytics/dashboard') && r.url().includes('granularity=week'));
  await page.getByTestId('dash-granularity').getByText('按周').click();
  const body = await (await weekly).json();
  assert.equal(body.granularity, 'WEEK');
  assert.ok(body.gmv.series.length <= 6, `30 days are at most 6 weeks: ${body.gmv.series.length}`);
  assert.ok(body.gmv.paidFen >= expected.gmv.paidFen);
  await page.getByTestId('dash-gmv').getByText(yuan(body.gmv.paidFen)).waitFor();
  if (SHOTS) {
    await page.waitForTimeout(600); // the charts' entrance animation
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
  }
});

const couponCode = `e2e-${RUN}`;

test('coupons: an operator creates a 满减 template and grants it to a member; stock and stats follow', async () => {
  await page.getByTestId('side-menu').getByText('优惠券').click();
  await page.waitForURL(/\/coupons$/);
  await page.getByTestId('coupon-create').click();
  await page.getByTestId('coupon-code').fill(couponCode);
  await page.getByTestId('coupon-name').fill('满 199 减 50');
  await page.getByTestId('coupon-kind').getByText('满减').click();
  await page.getByTestId('coupon-threshold').fill('199');
  await page.getByTestId('coupon-amount').fill('50');
  await page.getByTestId('coupon-total-stock').fill('100');
  await page.getByTestId('coupon-create-ok').click();
  const row = page.getByTestId('coupon-templates').locator('tr', { hasText: couponCode });
  await row.waitFor();
  assert.match(await row.innerText(), /满减[\s\S]*满 ¥199\.00 减 ¥50\.00/);
  const template = (await api('GET', `/api/v1/offers/templates/${couponCode}`, adminBasic)).json;
  assert.equal(template.kind, 'THRESHOLD');
  assert.equal(template.rule.thresholdFen, 19900);
  assert.equal(template.rule.amountOffFen, 5000);
  assert.equal(template.totalStock, 100);

  await page.getByTestId(`coupon-grant-${couponCode}`).click();
  await page.getByTestId('coupon-grant-person').fill(String(personA));
  await page.getByTestId('coupon-grant-ok').click();
  await page.getByTestId('coupon-granted').waitFor();
  const couponText = await page.getByTestId('coupon-granted').innerText();
  const wallet = (await api('GET', `/api/v1/offers/members/${personA}/coupons`, adminBasic)).json;
  const granted = wallet.find((c) => c.template === couponCode);
  assert.ok(granted, JSON.stringify(wallet));
  assert.ok(couponText.includes(granted.code), couponText);
  assert.match(granted.source, /^grant:.*admin$/);
  await page.getByTestId('coupon-grant-ok').click();
  await page.getByTestId(`coupon-stock-${couponCode}`).getByText('1 / 100').waitFor();

  await page.getByTestId(`coupon-stats-${couponCode}`).click();
  await page.getByTestId('coupon-stats').getByText('未使用').first().waitFor().catch(() => {}); // the pie's legend is drawn on canvas
  const stats = (await api('GET', `/api/v1/offers/templates/${couponCode}/stats`, adminBasic)).json;
  assert.equal(stats.issued, 1);
  assert.deepEqual(stats.byStatus, { ISSUED: 1 });
  await page.keyboard.press('Escape');
  await shot('coupons');
});

test('coupons: an operator lists the template in the claim center and unlists it', async () => {
  await page.getByRole('tab', { name: '领券中心' }).click();
  await page.getByTestId('center-template').click();
  await page.keyboard.type(couponCode);
  await page.locator('.ant-select-item-option', { hasText: couponCode }).click();
  await page.getByTestId('center-position').fill('3');
  await page.getByTestId('center-add').click();
  const row = page.getByTestId('center-list').locator('tr', { hasText: couponCode });
  await row.waitFor();
  assert.match(await row.innerText(), /3[\s\S]*满 199 减 50/);
  const listed = (await api('GET', '/api/v1/offers/claim-center', adminBasic)).json;
  assert.deepEqual(listed.filter((l) => l.template === couponCode).map((l) => l.position), [3]);
  await shot('coupons-claim-center');

  await page.getByTestId(`center-remove-${couponCode}`).click();
  await row.waitFor({ state: 'detached' });
  const after = (await api('GET', '/api/v1/offers/claim-center', adminBasic)).json;
  assert.equal(after.filter((l) => l.template === couponCode).length, 0);
  await page.getByRole('tab', { name: '券模板' }).click();
});

test('segments: the builder\'s live count follows each added condition, and the segment is saved with that count', async () => {
  const tag = `e2e_${RUN}`;
  assert.equal((await api('POST', '/api/v1/tags', adminBasic, { code: tag, name: `E2E ${RUN}`, kind: 'manual' })).status, 201);
  const assigned = await api('POST', `/api/v1/tags/${tag}/members`, adminBasic, { personIds: [personA, personB] });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.json));

  await page.getByTestId('side-menu').getByText('标签与人群').click();
  await page.waitForURL(/\/segments$/);
  await page.getByTestId('segment-new').click();
  const live = page.getByTestId('segment-live-count');
  const countIs = async (n) => page.waitForFunction(
    ([el, want]) => document.querySelector(el)?.getAttribute('data-count') === want, ['[data-testid="segment-live-count"]', String(n)]);
  assert.equal(await live.getAttribute('data-count'), ''); // nothing to count until a condition is added

  // the "add a condition" menu: click an item only once the menu is open (antd keeps a closing menu in the page)
  const addCondition = async (type) => {
    await page.getByTestId('segment-add').click();
    await page.locator(`.ant-dropdown:not(.ant-dropdown-hidden) [data-testid="segment-add-${type}"]`).click();
  };
  await addCondition('tag');
  await page.getByTestId('segment-tag-select').click();
  await page.keyboard.type(tag);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape'); // close the tag's option list
  await countIs(2);

  // personA holds a WeChat unionid, personB only a member number: adding "channel = wechat" leaves one
  await addCondition('channel');
  await page.getByTestId('segment-channel-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="wechat"]').click();
  await countIs(1);
  assert.equal(await live.getAttribute('data-count'), '1');
  await page.getByTestId('segment-condition').first().getByText('是', { exact: true }).click(); // negate the tag: everybody else on WeChat
  await page.getByTestId('segment-json').getByText('"not"').first().waitFor({ state: 'attached' });
  await page.waitForFunction((el) => /^\d+$/.test(document.querySelector(el)?.getAttribute('data-count') ?? '')
    && document.querySelector(el)?.getAttribute('data-count') !== '1', '[data-testid="segment-live-count"]');
  await page.getByTestId('segment-condition').first().getByText('不是', { exact: true }).click();
  await countIs(1);
  await shot('segments-builder');

  const code = `e2e_${RUN}_wechat`;
  await page.getByTestId('segment-code').fill(code);
  await page.getByTestId('segment-name').fill('E2E 微信标签人群');
  await page.getByTestId('segment-save').click();
  const row = page.getByTestId('segment-list').locator('tr', { hasText: code });
  await row.waitFor();
  const saved = (await api('GET', `/api/v1/segments/${code}`, adminBasic)).json;
  assert.deepEqual(saved.expression, { and: [{ tag }, { channel: 'wechat' }] });
  assert.equal(saved.count, 1);
  assert.match(await row.innerText(), /E2E 微信标签人群[\s\S]*1/);
  await shot('segments');
});
