// End-to-end tests of the member center (mobile H5 at /m) in a real browser (Debian's chromium driven by
// playwright-core, a phone-sized viewport) against a running, packaged Pond. Run by
// server/src/test/java/io/pond/ConsoleE2EIT.java with every e2e/*.test.mjs; by hand:
//   POND_URL=http://localhost:18091 POND_ADMIN_PASSWORD=… node --test e2e/member.test.mjs
// POND_E2E_SCREENSHOTS=DIR saves screenshots of the member pages there (docs/screenshots in the repo).
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

const adminBasic = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
const phone = `139${String(Date.now()).slice(-8)}`;
const orderNumber = `E2E${RUN}`.toUpperCase();
const template = `e2e-mc-${RUN}`;

let context;
let m;
let profile;
let program;

async function api(method, path, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { Authorization: adminBasic, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function shot(name) {
  if (!SHOTS) return;
  await m.waitForTimeout(300); // let antd finish its entrance animations
  await m.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function eventually(check, what) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await check()) return;
    assert.ok(Date.now() < deadline, `not within 20 s: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  // the member center shows the first program: make sure it has a join gift
  const programs = (await api('GET', '/api/v1/loyalty/programs')).json;
  if (programs.length === 0) {
    const created = await api('POST', '/api/v1/loyalty/programs', { code: `e2e-m-${RUN}`, name: 'E2E 会员计划', config: { earning: { events: { join_gift: { points: 100 } } } } });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    program = created.json;
  } else {
    program = programs[0];
    if (!program.config.earning.events?.join_gift) {
      const config = { ...program.config, earning: { ...program.config.earning, events: { ...program.config.earning.events, join_gift: { points: 100 } } } };
      const updated = await api('PUT', `/api/v1/loyalty/programs/${program.code}`, config);
      assert.equal(updated.status, 200, JSON.stringify(updated.json));
      program = updated.json;
    }
  }
  // a coupon in the claim center, one per member
  const created = await api('POST', '/api/v1/offers/templates', {
    code: template, name: '会员满100减20', kind: 'threshold', thresholdFen: 10000, amountOffFen: 2000, totalStock: 100, perMemberLimit: 1, validDays: 30,
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  assert.equal((await api('PUT', `/api/v1/offers/claim-center/${template}`, {})).status, 200);
  // a points-mall item the join gift pays for, and one that needs cash (bought at a checkout, not here)
  const gift = await api('POST', `/api/v1/loyalty/programs/${program.code}/mall/items`, { code: `mug-${RUN}`, name: '会员马克杯', points: 60, stock: 5 });
  assert.equal(gift.status, 201, JSON.stringify(gift.json));
  const cash = await api('POST', `/api/v1/loyalty/programs/${program.code}/mall/items`, { code: `bag-${RUN}`, name: '帆布袋', points: 50, cashFen: 990, stock: 5 });
  assert.equal(cash.status, 201, JSON.stringify(cash.json));
  // an order the member placed on Taobao, known to Pond (pushed like a channel would)
  const now = new Date().toISOString();
  const order = await api('POST', '/api/v1/orders', {
    channel: 'taobao', shopId: 'flagship', orderId: orderNumber, status: 'PAID', modifiedAt: now, paidFen: 12800, paidAt: now,
    buyers: [{ type: 'taobao_open_uid', scope: 'app-1', value: `buyer-${RUN}` }],
  });
  assert.equal(order.status, 200, JSON.stringify(order.json));

  profile = mkdtempSync(join(tmpdir(), 'pond-e2e-member-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(20_000);
  m = context.pages()[0] ?? (await context.newPage());
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('a person signs in with the SMS code from the outbox and is invited to join', async () => {
  await m.goto(BASE + '/m/points');
  await m.waitForURL(/\/m\/login/);
  await m.getByTestId('member-phone').fill(phone);
  await m.getByTestId('member-send-code').click();
  await m.getByText(/秒后重发/).waitFor();
  // development: no SMS provider, so the code is held in the outbox, where an operator reads it
  const held = (await api('GET', '/api/v1/messages?status=held&limit=100')).json.items;
  const sms = held.find((x) => x.recipientMasked === `${phone.slice(0, 3)}****${phone.slice(7)}`);
  assert.ok(sms, JSON.stringify(held));
  await m.getByTestId('member-code').fill(sms.body.match(/(\d{6})/)[1]);
  await m.getByTestId('member-sign-in').click();
  await m.waitForURL(/\/m\/points$/); // back where the person was going
  await m.getByTestId('member-tab-card').click();
  await m.getByTestId('member-join-cta').getByText('入会即送 100 积分').waitFor();
  await m.getByTestId('member-qr').waitFor();
  await shot('member-home');
});

test('the person joins with the marketing consent and gets the join gift on the card', async () => {
  await m.getByTestId('member-join-open').click();
  await m.waitForURL(/\/m\/join$/);
  await m.getByTestId('member-join-gift').getByText('入会礼：100 积分').waitFor();
  await m.getByTestId('member-join-consent').click();
  await shot('member-join');
  await m.getByTestId('member-join-submit').click();
  await m.getByTestId('member-joined').waitFor();
  await m.getByText('已获得入会礼 100 积分').waitFor();
  await m.getByTestId('member-join-to-card').click();
  await m.getByTestId('member-available').getByText('100').waitFor();
  assert.equal(await m.getByTestId('member-join-cta').count(), 0);
  await shot('member-card-joined');

  const person = (await api('GET', `/api/v1/persons/lookup?type=phone&value=${phone}`)).json.personId;
  const membership = (await api('GET', `/api/v1/loyalty/programs/${program.code}/members/${person}/membership`)).json;
  assert.equal(membership.joinChannel, 'member_center');
  const consents = (await api('GET', `/api/v1/persons/${person}/consents`)).json;
  assert.match(JSON.stringify(consents), /marketing/);
});

test('the member claims a Taobao order and the points are credited, pending until it completes', async () => {
  await m.getByTestId('member-tab-claim').click();
  await m.waitForURL(/\/m\/claim$/);
  await m.getByText('淘宝/天猫', { exact: true }).click();
  await m.getByTestId('member-claim-order').fill(orderNumber);
  await m.getByTestId('member-claim-submit').click();
  const row = m.getByTestId(`member-claim-${orderNumber}`);
  await row.waitFor();
  // credited at once when Pond has the order, else held until it arrives: either way it ends credited
  await eventually(async () => {
    if (/已到账/.test(await row.innerText())) return true;
    await m.reload();
    await row.waitFor();
    return false;
  }, 'the claim is credited');
  await row.getByText('+128 积分（订单完成后可用）').waitFor();
  await shot('member-claim');
});

test('the points history explains each entry: the claimed order pending, the join gift available', async () => {
  await m.getByTestId('member-tab-points').click();
  await m.waitForURL(/\/m\/points$/);
  const claimed = m.getByTestId('points-entry-claim');
  await claimed.getByText(`订单换积分 · taobao ${orderNumber}`).waitFor();
  await claimed.getByText('+128').waitFor();
  await claimed.getByText(/待生效/).waitFor();
  const gift = m.getByTestId('points-entry-event');
  await gift.getByText('活动奖励 · 入会礼').waitFor();
  await gift.getByText('可用', { exact: true }).waitFor();
  await m.getByTestId('member-points-summary').getByText('128').waitFor();
  await shot('member-history');
});

test('the member claims a coupon once from the claim center and finds it in my coupons', async () => {
  await m.getByTestId('member-tab-coupons').click();
  await m.waitForURL(/\/m\/coupons$/);
  const offered = m.getByTestId(`claimable-${template}`);
  await offered.getByText('会员满100减20').waitFor();
  await offered.getByText('满 100 元可用').waitFor();
  await m.getByTestId(`claim-${template}`).click();
  await m.getByText('领取成功').waitFor();
  await offered.getByText('已领取').waitFor();
  assert.equal(await m.getByTestId(`claim-${template}`).isDisabled(), true);
  await shot('member-coupons');

  await m.getByTestId('member-coupon-tabs').getByText('可使用').click();
  await m.getByTestId('member-coupons-available').getByTestId(`coupon-${template}`).waitFor();
  await shot('member-my-coupons');
  const person = (await api('GET', `/api/v1/persons/lookup?type=phone&value=${phone}`)).json.personId;
  const coupons = (await api('GET', `/api/v1/offers/members/${person}/coupons`)).json;
  assert.equal(coupons.filter((c) => c.template === template).length, 1);
});

test('the member redeems a points-mall item with the join gift; points and stock go down', async () => {
  await m.getByTestId('member-tab-mall').click();
  await m.waitForURL(/\/m\/mall$/);
  const mug = m.getByTestId(`mall-mug-${RUN}`);
  await mug.getByText('库存 5').waitFor();
  assert.equal(await m.getByTestId(`redeem-bag-${RUN}`).isDisabled(), true, 'points + cash items are bought at a checkout');
  await m.getByTestId(`redeem-bag-${RUN}`).getByText('下单时积分抵现').waitFor();
  await m.getByTestId(`redeem-mug-${RUN}`).click();
  await m.getByTestId('member-redeem-ok').click();
  await m.getByText('兑换成功').waitFor();
  await mug.getByText('库存 4').waitFor();
  const items = (await api('GET', `/api/v1/loyalty/programs/${program.code}/mall/items`)).json;
  assert.equal(items.find((i) => i.code === `mug-${RUN}`).stock, 4);
  const person = (await api('GET', `/api/v1/persons/lookup?type=phone&value=${phone}`)).json.personId;
  await eventually(async () => {
    const balance = (await api('GET', `/api/v1/loyalty/programs/${program.code}/members/${person}`)).json;
    return balance.available === 40;
  }, 'the join gift of 100 points pays 60 for the mug');
  await shot('member-mall');
});

test('the member center speaks English too', async () => {
  await m.getByTestId('member-tab-coupons').click();
  await m.waitForURL(/\/m\/coupons$/);
  await m.getByTestId('member-language').click();
  await m.getByTestId('member-coupon-tabs').getByText('Usable').waitFor();
  await m.getByTestId('member-language').click();
  await m.getByTestId('member-coupon-tabs').getByText('可使用').waitFor();
});
