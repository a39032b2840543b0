import { LockOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback } from 'react';
import { Link } from 'react-router';
import { get, getOrNull, yuan, type Balance, type ProgramView } from '../../api';
import { CouponTable } from '../../components/CouponTable';
import { useI18n } from '../../i18n';
import type { MetricsView, PersonTags, ProfileView, TraitView, WalletCoupon } from '../../opsApi';
import { at, epochDay } from './format';
import { useAnswer } from './useAnswer';

/** The profile at a glance: traits, computed metrics, tags, loyalty accounts and coupons. */
export function OverviewTab({ personId, profile }: { personId: number; profile: ProfileView | null }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Row gutter={24}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('person.traits')}>
            <Traits traits={profile?.traits ?? []} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('person.metrics')} extra={profile?.metrics?.computedAt && <Typography.Text type="secondary">{t('person.computedAt', { at: at(profile.metrics.computedAt) })}</Typography.Text>}>
            {profile && !profile.metrics ? <Alert type="info" showIcon message={t('person.metricsAllChannels')} /> : <Metrics metrics={profile?.metrics} />}
          </Card>
        </Col>
      </Row>
      <Tags personId={personId} />
      <Loyalty personId={personId} />
      <Coupons personId={personId} />
    </Space>
  );
}

function Traits({ traits }: { traits: TraitView[] }) {
  const { t } = useI18n();
  if (traits.length === 0) return <Empty description={t('person.noTraits')} data-testid="person-no-traits" />;
  return (
    <Table<TraitView>
      rowKey="name"
      size="small"
      pagination={false}
      dataSource={traits}
      data-testid="person-traits"
      columns={[
        { title: t('person.trait'), dataIndex: 'name', render: (n: string, r) => (r.pii ? <Tooltip title={t('person.pii')}><span>{n} <LockOutlined /></span></Tooltip> : n) },
        { title: t('person.value'), dataIndex: 'value', render: (v: string) => <Typography.Text style={{ maxWidth: 260 }} ellipsis={{ tooltip: v }}>{v}</Typography.Text> },
        { title: t('coupons.source'), dataIndex: 'source', render: (s: string) => <Tag>{s}</Tag> },
        { title: t('person.observedAt'), dataIndex: 'observedAt', render: at },
      ]}
    />
  );
}

function Metrics({ metrics }: { metrics?: MetricsView }) {
  const { t } = useI18n();
  const m = metrics?.metrics ?? {};
  const count = m.order_count ?? 0;
  const rate = m.refund_rate_permille;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="person-metrics">
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title={t('person.orderCount')} value={count} />
        </Col>
        <Col span={6}>
          <Statistic title={t('person.spend')} value={yuan(m.spend_fen ?? 0)} data-testid="person-spend" />
        </Col>
        <Col span={6}>
          <Statistic title={t('person.aov')} value={yuan(m.aov_fen)} />
        </Col>
        <Col span={6}>
          <Statistic title={t('person.clv')} value={yuan(m.clv_fen)} />
        </Col>
      </Row>
      <Descriptions size="small" column={2} labelStyle={{ whiteSpace: 'nowrap' }}>
        <Descriptions.Item label={t('person.firstOrder')}>{epochDay(m.first_order_day)}</Descriptions.Item>
        <Descriptions.Item label={t('person.lastOrder')}>{epochDay(m.last_order_day)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.refunded')}>{yuan(m.refunded_fen ?? 0)}</Descriptions.Item>
        <Descriptions.Item label={t('person.refundRate')}>{rate == null ? '—' : `${(rate / 10).toFixed(1)}%`}</Descriptions.Item>
        <Descriptions.Item label={t('person.rfm')} span={2}>
          {m.rfm_r == null ? (
            '—'
          ) : (
            <Space size={4} data-testid="person-rfm">
              <Tag color="blue">R {m.rfm_r}</Tag>
              <Tag color="green">F {m.rfm_f}</Tag>
              <Tag color="gold">M {m.rfm_m}</Tag>
            </Space>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('person.favourites')} span={2}>
          {metrics?.favouriteChannel ? t(`channel.${metrics.favouriteChannel}`) : '—'} · {metrics?.favouriteCategory ?? '—'}
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

function Tags({ personId }: { personId: number }) {
  const { t } = useI18n();
  const { data } = useAnswer(useCallback(() => get<PersonTags>(`/api/v1/tags/persons/${personId}?limit=20`), [personId]));
  return (
    <Card size="small" title={t('segments.tags')} data-testid="person-tags">
      {!data || data.tags.length === 0 ? (
        <Typography.Text type="secondary">{t('person.noTags')}</Typography.Text>
      ) : (
        <Space wrap data-testid="person-tags-held">
          {data.tags.map((h) => (
            <Tooltip key={h.tag} title={`${h.kind} · ${t('person.since', { at: at(h.since) })}`}>
              <Tag color={h.kind === 'manual' ? 'purple' : h.kind === 'rule' ? 'cyan' : 'magenta'}>{h.tag}</Tag>
            </Tooltip>
          ))}
        </Space>
      )}
      {data && data.history.length > 0 && (
        <details style={{ marginTop: 8 }}>
          <summary>{t('person.tagHistory')}</summary>
          {data.history.map((h) => (
            <div key={`${h.tag}|${h.at}|${h.action}`}>
              <Typography.Text type="secondary">{at(h.at)}</Typography.Text> {h.action} <Tag>{h.tag}</Tag> {h.source}
            </div>
          ))}
        </details>
      )}
    </Card>
  );
}

interface Account {
  program: ProgramView;
  balance: Balance | null;
}

function Loyalty({ personId }: { personId: number }) {
  const { t } = useI18n();
  const { data } = useAnswer(
    useCallback(async () => {
      const programs = await get<ProgramView[]>('/api/v1/loyalty/programs');
      return Promise.all(programs.map(async (program): Promise<Account> => ({ program, balance: await getOrNull<Balance>(`/api/v1/loyalty/programs/${program.code}/members/${personId}`) })));
    }, [personId]),
  );
  return (
    <Card size="small" title={t('menu.loyalty')} extra={<Link to={`/loyalty?personId=${personId}`}>{t('person.openLoyalty')}</Link>} data-testid="person-loyalty">
      {!data || data.length === 0 ? (
        <Typography.Text type="secondary">{t('loyalty.noProgram')}</Typography.Text>
      ) : (
        data.map(({ program, balance }) => (
          <Row key={program.code} gutter={16} style={{ marginBottom: 8 }}>
            <Col span={6}>
              <Statistic title={program.name} value={balance ? `${balance.tierName} (${balance.tier})` : t('person.notMember')} valueStyle={{ fontSize: 18 }} />
            </Col>
            {balance && (
              <>
                <Col span={6}>
                  <Statistic title={t('loyalty.available')} value={balance.available} valueStyle={{ fontSize: 18 }} data-testid={`person-points-${program.code}`} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('loyalty.pending')} value={balance.pending} valueStyle={{ fontSize: 18 }} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('loyalty.growth')} value={balance.growth} valueStyle={{ fontSize: 18 }} />
                </Col>
              </>
            )}
          </Row>
        ))
      )}
    </Card>
  );
}

function Coupons({ personId }: { personId: number }) {
  const { t } = useI18n();
  const { data } = useAnswer(useCallback(() => get<WalletCoupon[]>(`/api/v1/offers/members/${personId}/coupons`), [personId]));
  return (
    <Card size="small" title={t('coupons.wallet')}>
      {!data || data.length === 0 ? <Typography.Text type="secondary">{t('person.noCoupons')}</Typography.Text> : <CouponTable coupons={data} testId="person-coupons" />}
    </Card>
  );
}
