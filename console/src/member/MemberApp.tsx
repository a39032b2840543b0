import { CrownOutlined, FileSearchOutlined, GiftOutlined, HistoryOutlined, LogoutOutlined, ShopOutlined, TagsOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Form, Input, List, Result, Space, Spin, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';
import { memberApi, memberImage, memberSession, type Card as MemberCard, type MallItem, type Me, type Membership, type PointsEntry } from './memberApi';
import { useMember } from './memberHooks';
import { JoinInvitation, MemberClaimBody, MemberCouponsBody, MemberJoinBody } from './MemberPages';
import { useMemberText } from './memberText';

/**
 * The member center (mobile H5) under /m: sign-in with a one-time code, member card, join, points
 * history, coupons (claim center and my coupons), order claims, points mall.
 */
export function MemberApp() {
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', minHeight: '100vh', background: '#f5f5f5' }} data-testid="member-app">
      <Routes>
        <Route path="login" element={<MemberLogin />} />
        <Route element={<Signed />}>
          <Route index element={<MemberHomeBody />} />
          <Route path="points" element={<MemberPointsBody />} />
          <Route path="mall" element={<MemberMallBody />} />
          <Route path="coupons" element={<MemberCouponsBody />} />
          <Route path="claim" element={<MemberClaimBody />} />
          <Route path="join" element={<MemberJoinBody />} />
        </Route>
        <Route path="*" element={<Navigate to="/m" replace />} />
      </Routes>
    </div>
  );
}

function Signed() {
  const location = useLocation();
  if (!memberSession.token()) return <Navigate to={`/m/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <MemberShell />;
}

function MemberShell() {
  const { t } = useI18n();
  const { mt, language, setLanguage } = useMemberText();
  const navigate = useNavigate();
  const tab = (to: string, icon: ReactNode, label: string) => (
    <NavLink
      to={to}
      end
      data-testid={`member-tab-${to.split('/')[2] ?? 'card'}`}
      style={({ isActive }) => ({ flex: 1, textAlign: 'center', padding: 8, color: isActive ? '#1677ff' : '#595959' })}
    >
      <div style={{ fontSize: 20 }}>{icon}</div>
      <div style={{ fontSize: 12 }}>{label}</div>
    </NavLink>
  );
  return (
    <div style={{ paddingBottom: 72 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '12px 16px', background: '#fff' }}>
        <Typography.Text strong>{t('member.title')}</Typography.Text>
        <span>
        <Button type="text" size="small" onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')} data-testid="member-language">
          {mt('m.lang')}
        </Button>
        <Button
          type="text"
          size="small"
          icon={<LogoutOutlined />}
          data-testid="member-logout"
          onClick={async () => {
            await memberApi('POST', '/api/v1/member/auth/logout', {}).catch(() => undefined);
            memberSession.clear();
            navigate('/m/login');
          }}
        >
          {t('account.logout')}
        </Button>
        </span>
      </div>
      <Outlet />
      <nav style={{ position: 'fixed', bottom: 0, left: 0, right: 0, maxWidth: 480, margin: '0 auto', display: 'flex', background: '#fff', borderTop: '1px solid #f0f0f0' }}>
        {tab('/m', <CrownOutlined />, t('member.card'))}
        {tab('/m/points', <HistoryOutlined />, t('member.points'))}
        {tab('/m/coupons', <TagsOutlined />, mt('m.tab.coupons'))}
        {tab('/m/claim', <FileSearchOutlined />, mt('m.tab.claim'))}
        {tab('/m/mall', <GiftOutlined />, t('member.mall'))}
      </nav>
    </div>
  );
}

function MemberLogin() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [wait, setWait] = useState(0);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const sendCode = async () => {
    try {
      const phone = await form.validateFields(['phone']).then((v) => v.phone);
      const sent = await memberApi<{ resendAfterSeconds: number; phone: string }>('POST', '/api/v1/member/auth/code', { phone });
      message.success(t('member.codeSent', { phone: sent.phone }));
      setWait(sent.resendAfterSeconds);
    } catch (e) {
      if (e instanceof ApiError) message.error(problemMessage(e, t('error.generic')));
    }
  };

  const verify = async (v: { phone: string; code: string }) => {
    try {
      const signed = await memberApi<{ token: string }>('POST', '/api/v1/member/auth/verify', { phone: v.phone, code: v.code });
      memberSession.set(signed.token);
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/m') ? next : '/m', { replace: true });
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <div style={{ padding: '48px 24px' }}>
      <Typography.Title level={3} style={{ textAlign: 'center' }}>
        <img src="/pond.svg" alt="" width={32} style={{ verticalAlign: -6, marginRight: 8 }} />
        {t('member.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        {t('member.signInHelp')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={verify} size="large">
        <Form.Item name="phone" label={t('member.phone')} rules={[{ required: true, pattern: /^(\+?86)?1[3-9]\d{9}$/, message: t('member.phoneInvalid') }]}>
          <Input inputMode="tel" maxLength={14} placeholder="13800138000" data-testid="member-phone" />
        </Form.Item>
        <Form.Item label={t('member.code')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="code" noStyle rules={[{ required: true, len: 6 }]}>
              <Input inputMode="numeric" maxLength={6} data-testid="member-code" />
            </Form.Item>
            <Button onClick={sendCode} disabled={wait > 0} data-testid="member-send-code">
              {wait > 0 ? t('member.resendIn', { n: wait }) : t('member.sendCode')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Button type="primary" htmlType="submit" block data-testid="member-sign-in">
          {t('login.submit')}
        </Button>
      </Form>
    </div>
  );
}

const loadCard = () => memberApi<MemberCard>('GET', '/api/v1/member/card');
const loadMe = () => memberApi<Me>('GET', '/api/v1/member/me');
const loadMembership = () => memberApi<Membership>('GET', '/api/v1/member/membership');

function MemberHomeBody() {
  const { t } = useI18n();
  const { data: card, error, reload } = useMember(loadCard);
  const { data: me } = useMember(loadMe);
  const { data: membership } = useMember(loadMembership);
  const { mt } = useMemberText();
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    if (!card) return;
    let url: string | null = null;
    memberImage('/api/v1/member/card/qr.png?code=' + encodeURIComponent(card.memberCode)).then((u) => {
      url = u;
      setQr(u);
    }, () => setQr(null));
    // the code lives five minutes: refresh it a little before
    const timer = setTimeout(reload, Math.max(10_000, dayjs(card.codeExpiresAt).diff(dayjs()) - 30_000));
    return () => {
      clearTimeout(timer);
      if (url) URL.revokeObjectURL(url);
    };
  }, [card, reload]);

  if (error) return <Result status="info" title={t('member.noProgram')} />;
  if (!card) return <Spin style={{ width: '100%', marginTop: 80 }} />;
  const b = card.balance;
  const link = (to: string, icon: ReactNode, label: string, testId: string) => (
    <Link to={to} style={{ flex: 1, textAlign: 'center', color: '#262626' }} data-testid={testId}>
      <div style={{ fontSize: 22, color: '#fa541c' }}>{icon}</div>
      <div style={{ fontSize: 12 }}>{label}</div>
    </Link>
  );
  return (
    <Space direction="vertical" style={{ width: '100%', padding: 16, boxSizing: 'border-box' }} size="middle">
      {membership && !membership.member && <JoinInvitation membership={membership} />}
      <Card style={{ background: 'linear-gradient(135deg,#1f3b73,#3c6fd1)', color: '#fff', borderRadius: 16 }} data-testid="member-card">
        <Typography.Text style={{ color: '#dbe6ff' }}>{card.name}</Typography.Text>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', marginTop: 8 }}>
          <div>
            <Tag color="gold" style={{ fontSize: 14 }} data-testid="member-tier">
              {b ? `${b.tierName} · ${b.tier}` : t('member.notJoined')}
            </Tag>
            <div style={{ marginTop: 12, color: '#dbe6ff' }}>{me?.phone}</div>
          </div>
          <Statistic title={<span style={{ color: '#dbe6ff' }}>{t('loyalty.available')}</span>} value={b?.available ?? 0} valueStyle={{ color: '#fff' }} data-testid="member-available" />
        </div>
        {b?.progress && <div style={{ marginTop: 12, color: '#dbe6ff', fontSize: 12 }}>{b.progress}</div>}
      </Card>
      <Card size="small" styles={{ body: { display: 'flex', padding: '12px 4px' } }}>
        {link('/m/coupons', <TagsOutlined />, mt('m.links.coupons'), 'member-link-coupons')}
        {link('/m/coupons?tab=available', <ShopOutlined />, mt('m.links.myCoupons'), 'member-link-my-coupons')}
        {link('/m/claim', <FileSearchOutlined />, mt('m.links.claim'), 'member-link-claim')}
      </Card>
      <Card title={t('member.code.title')} size="small" style={{ textAlign: 'center' }}>
        {qr ? <img src={qr} alt={card.memberCode} width={200} height={200} data-testid="member-qr" /> : <Spin />}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
          {t('member.code.help')}
        </Typography.Paragraph>
      </Card>
      {b && (
        <Card size="small">
          <Space size="large">
            <Statistic title={t('loyalty.pending')} value={b.pending} />
            <Statistic title={t('loyalty.growth')} value={b.growth} />
          </Space>
          {b.expiringSoon.map((x) => (
            <div key={x.expiresOn}>
              <Tag color="orange">{t('member.expiring', { n: x.points, date: x.expiresOn })}</Tag>
            </div>
          ))}
        </Card>
      )}
    </Space>
  );
}

const PAGE = 30;
const loadPoints = () => memberApi<PointsEntry[]>('GET', `/api/v1/member/points?limit=${PAGE}`);

/** 积分明细: every entry explained — what caused it, pending or available, when it expires. */
function MemberPointsBody() {
  const { t } = useI18n();
  const { mt } = useMemberText();
  const { message } = App.useApp();
  const { data } = useMember(loadPoints);
  const { data: card } = useMember(loadCard);
  const [more, setMore] = useState<PointsEntry[]>([]);
  const [done, setDone] = useState(false);
  if (!data) return <Spin style={{ width: '100%', marginTop: 80 }} />;
  const entries = [...data, ...more];
  const loadMore = async () => {
    try {
      const next = await memberApi<PointsEntry[]>('GET', `/api/v1/member/points?limit=${PAGE}&before=${entries[entries.length - 1].id}`);
      setMore([...more, ...next]);
      if (next.length < PAGE) setDone(true);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };
  const title = (e: PointsEntry) => {
    const kind = mt(`m.kind.${e.kind}`, undefined, e.kind);
    if (e.kind === 'event' && e.reference) return `${kind} · ${mt(`m.event.${e.reference}`, undefined, e.reference)}`;
    return e.reference ? `${kind} · ${e.reference}` : kind;
  };
  const state = (e: PointsEntry) => {
    if (!e.state) return null;
    const date = (at?: string | null) => (at ? dayjs(at).format('YYYY-MM-DD') : '');
    if (e.state === 'pending')
      return <Tag color="blue">{e.pendingUntil ? mt('m.state.pendingUntil', { date: date(e.pendingUntil) }) : mt('m.state.pending')}</Tag>;
    if (e.state === 'available' && e.expiringSoon) return <Tag color="orange">{mt('m.state.expiringSoon', { date: date(e.expiresAt) })}</Tag>;
    if (e.state === 'available')
      return (
        <>
          <Tag color="green">{mt('m.state.available')}</Tag>
          {e.expiresAt && <span style={{ color: '#8c8c8c' }}>{mt('m.state.expiresOn', { date: date(e.expiresAt) })}</span>}
        </>
      );
    return <Tag>{mt(`m.state.${e.state}`)}</Tag>;
  };
  const b = card?.balance;
  const expiring = b?.expiringSoon.reduce((sum, x) => sum + x.points, 0) ?? 0;
  return (
    <div style={{ padding: 16 }}>
      {b && (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="member-points-summary">
          <div style={{ display: 'flex', justifyContent: 'space-around', textAlign: 'center' }}>
            <Statistic title={mt('m.points.summary.available')} value={b.available} />
            <Statistic title={mt('m.points.summary.pending')} value={b.pending} />
            <Statistic title={mt('m.points.summary.expiring')} value={expiring} valueStyle={expiring > 0 ? { color: '#fa8c16' } : undefined} />
          </div>
        </Card>
      )}
      <List
        style={{ background: '#fff', borderRadius: 8 }}
        dataSource={entries}
        locale={{ emptyText: <Empty description={t('member.noPoints')} /> }}
        data-testid="member-points"
        loadMore={
          entries.length >= PAGE && !done ? (
            <div style={{ textAlign: 'center', padding: 12 }}>
              <Button onClick={loadMore} size="small">
                {mt('m.points.more')}
              </Button>
            </div>
          ) : null
        }
        renderItem={(e) => (
          <List.Item
            style={{ padding: '12px 16px' }}
            data-testid={`points-entry-${e.kind}`}
            extra={
              <Typography.Text strong type={e.points < 0 ? 'danger' : 'success'}>
                {e.points > 0 ? `+${e.points}` : e.points}
              </Typography.Text>
            }
          >
            <List.Item.Meta
              title={title(e)}
              description={
                <span style={{ fontSize: 12 }}>
                  {e.explanation && <div>{e.explanation}</div>}
                  <div>
                    {dayjs(e.occurredAt).format('YYYY-MM-DD HH:mm')}
                    {e.orderKey && e.reference !== e.orderKey && <Tag style={{ marginLeft: 8 }}>{e.orderKey}</Tag>}
                  </div>
                  <div style={{ marginTop: 4 }}>{state(e)}</div>
                </span>
              }
            />
          </List.Item>
        )}
      />
    </div>
  );
}

const loadMall = () => memberApi<MallItem[]>('GET', '/api/v1/member/mall');

function MemberMallBody() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const { data, reload } = useMember(loadMall);
  if (!data) return <Spin style={{ width: '100%', marginTop: 80 }} />;
  const redeem = (item: MallItem) =>
    modal.confirm({
      title: t('member.redeemConfirm', { name: item.name, points: item.points }),
      okButtonProps: { 'data-testid': 'member-redeem-ok' } as Record<string, string>,
      onOk: async () => {
        try {
          await memberApi('POST', `/api/v1/member/mall/${encodeURIComponent(item.code)}/redeem`, { requestId: crypto.randomUUID() });
          message.success(t('member.redeemed'));
          reload();
        } catch (e) {
          message.error(problemMessage(e, t('error.generic')));
        }
      },
    });
  return (
    <List
      style={{ margin: 16 }}
      grid={{ gutter: 12, column: 2 }}
      dataSource={data}
      locale={{ emptyText: <Empty description={t('member.mallEmpty')} /> }}
      data-testid="member-mall"
      renderItem={(item) => (
        <List.Item>
          <Card size="small" title={item.name} data-testid={`mall-${item.code}`}>
            <div>
              <Typography.Text strong>{item.points}</Typography.Text> {t('loyalty.points')}
              {item.cashFen > 0 && ` + ¥${(item.cashFen / 100).toFixed(2)}`}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('member.stock', { n: item.stock })}
            </Typography.Text>
            <Button block type="primary" size="small" style={{ marginTop: 8 }} disabled={item.stock <= 0 || item.cashFen > 0} onClick={() => redeem(item)} data-testid={`redeem-${item.code}`}>
              {item.stock <= 0 ? t('member.soldOut') : item.cashFen > 0 ? t('member.redeemAtCheckout') : t('member.redeem')}
            </Button>
          </Card>
        </List.Item>
      )}
    />
  );
}
