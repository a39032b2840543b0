import { MinusCircleOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Progress, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, get, post, type Balance, type LedgerEntry, type ProgramView } from '../api';
import { AccountList, Reconciliation } from './LoyaltyAccounts';
import { PointsImport } from './LoyaltyImport';
import { useAuth } from '../auth';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

/** Loyalty: the program (tiers, qualification, earning rules, versions) and member accounts with their explained ledger. */
export function LoyaltyPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [programs, setPrograms] = useState<ProgramView[]>([]);
  const [code, setCode] = useState<string | undefined>();
  const [params, setParams] = useSearchParams();
  const [tab, setTab] = useState(params.get('personId') ? 'members' : 'accounts');
  const { me } = useAuth();

  useEffect(() => {
    get<ProgramView[]>('/api/v1/loyalty/programs').then(
      (list) => {
        setPrograms(list);
        setCode((c) => c ?? list[0]?.code);
      },
      (e) => message.error(problemMessage(e, t('error.generic'))),
    );
  }, [message, t]);

  const program = programs.find((p) => p.code === code);

  return (
    <Card
      title={t('loyalty.title')}
      extra={
        <Select
          style={{ width: 220 }}
          value={code}
          onChange={setCode}
          placeholder={t('loyalty.program')}
          options={programs.map((p) => ({ value: p.code, label: `${p.name} (${p.code})` }))}
          data-testid="loyalty-program"
        />
      }
    >
      {!program ? (
        <Empty description={t('loyalty.noProgram')} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'accounts',
              label: t('loyalty.accounts'),
              children: <AccountList program={program} onOpen={(personId) => { setParams({ personId: String(personId) }); setTab('members'); }} />,
            },
            { key: 'members', label: t('loyalty.members'), children: <MemberAccount program={program} /> },
            { key: 'program', label: t('loyalty.configuration'), children: <ProgramDetail program={program} /> },
            { key: 'reconcile', label: t('loyalty.reconcile'), children: <Reconciliation program={program} /> },
            ...(me?.role === 'admin' || me?.role === 'operator' ? [{ key: 'import', label: t('loyalty.import'), children: <PointsImport program={program} /> }] : []),
          ]}
        />
      )}
    </Card>
  );
}

function ProgramDetail({ program }: { program: ProgramView }) {
  const { t } = useI18n();
  const q = program.config.qualification;
  const rules = program.config.earning?.rules ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label={t('loyalty.version')}>v{program.version}</Descriptions.Item>
        <Descriptions.Item label={t('loyalty.measure')}>{q?.measure}</Descriptions.Item>
        <Descriptions.Item label={t('loyalty.window')}>
          {q?.window}
          {q?.windowMonths ? ` · ${q.windowMonths}m` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('loyalty.downgrade')}>
          {q?.downgrade}
          {q?.graceDays ? ` · ${t('loyalty.grace', { n: q.graceDays })}` : ''}
        </Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={program.config.tiers}
        data-testid="loyalty-tiers"
        columns={[
          { title: t('loyalty.tier'), dataIndex: 'code', render: (c: string) => <Tag color="gold">{c}</Tag> },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('loyalty.threshold'), dataIndex: 'threshold', align: 'right' },
          { title: t('loyalty.multiplier'), dataIndex: 'multiplier', align: 'right', render: (m?: number) => (m ? `×${m}` : '—') },
        ]}
      />
      <Table
        rowKey={(r) => `${r.channel}|${r.shop}|${r.category}`}
        size="small"
        pagination={false}
        dataSource={rules}
        title={() => t('loyalty.earning')}
        columns={[
          { title: t('orders.channel'), dataIndex: 'channel', render: (v?: string) => v ?? t('channels.all') },
          { title: t('orders.shop'), dataIndex: 'shop', render: (v?: string) => v ?? '*' },
          { title: t('orders.category'), dataIndex: 'category', render: (v?: string) => v ?? '*' },
          { title: t('loyalty.perYuan'), dataIndex: 'pointsPerYuan', align: 'right' },
        ]}
      />
      <details>
        <summary>{t('loyalty.rawConfig')}</summary>
        <Typography.Paragraph copyable style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 12 }}>
          {JSON.stringify(program.config, null, 2)}
        </Typography.Paragraph>
      </details>
    </Space>
  );
}

function MemberAccount({ program }: { program: ProgramView }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const personId = params.get('personId');
  const [balance, setBalance] = useState<Balance | null>(null);
  const [entries, setEntries] = useState<LedgerEntry[]>([]);
  const [loading, setLoading] = useState(false);
  const [missing, setMissing] = useState(false);
  const [adjusting, setAdjusting] = useState(false);
  const [form] = Form.useForm<{ points: number; reason: string }>();
  const mayChange = me?.role === 'admin' || me?.role === 'operator';

  const load = useCallback(async () => {
    if (!personId) return;
    setLoading(true);
    try {
      const base = `/api/v1/loyalty/programs/${program.code}/members/${personId}`;
      const [b, e] = await Promise.all([get<Balance>(base), get<LedgerEntry[]>(`${base}/entries?limit=200`)]);
      setBalance(b);
      setEntries(e);
      setMissing(false);
    } catch (e) {
      setBalance(null);
      setEntries([]);
      const notFound = e instanceof ApiError && e.problem.status === 404;
      setMissing(notFound);
      if (!notFound) message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [personId, program.code, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const adjust = async (v: { points: number; reason: string }) => {
    try {
      await post(`/api/v1/loyalty/programs/${program.code}/members/${personId}/adjustments`, {
        idempotencyKey: `console-${crypto.randomUUID()}`,
        points: v.points,
        reason: v.reason,
      });
      setAdjusting(false);
      message.success(t('users.saved'));
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const progress = balance?.progress;
  const percent = progress && progress.toNext > 0 ? Math.round((100 * progress.value) / (progress.value + progress.toNext)) : 100;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Form layout="inline" initialValues={{ personId }} onFinish={(v) => setParams({ personId: String(v.personId) })}>
        <Form.Item name="personId" label="OneID" rules={[{ required: true }]}>
          <Input style={{ width: 180 }} data-testid="loyalty-person" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="loyalty-find">
          {t('persons.find')}
        </Button>
        {personId && (
          <Link to={`/persons/${personId}`} style={{ marginLeft: 16, lineHeight: '32px' }}>
            {t('loyalty.toPerson')}
          </Link>
        )}
        {personId && mayChange && (balance || missing) && (
          <Button style={{ marginLeft: 16 }} icon={<MinusCircleOutlined />} onClick={() => setAdjusting(true)} data-testid="loyalty-adjust">
            {t('loyalty.adjust')}
          </Button>
        )}
      </Form>
      {missing && <Empty description={t('loyalty.noAccount')} data-testid="loyalty-no-account" />}
      {balance && (
        <>
          <Row gutter={24}>
            <Col span={6}>
              <Statistic title={t('loyalty.available')} value={balance.available} data-testid="loyalty-available" />
            </Col>
            <Col span={6}>
              <Statistic title={t('loyalty.pending')} value={balance.pending} />
            </Col>
            <Col span={6}>
              <Statistic title={t('loyalty.growth')} value={balance.growth} />
            </Col>
            <Col span={6}>
              <Statistic title={t('loyalty.tier')} value={`${balance.tierName} (${balance.tier})`} />
            </Col>
          </Row>
          {progress && (
            <Card size="small">
              <Typography.Text>{progress.summary}</Typography.Text>
              {progress.nextTier && <Progress percent={percent} format={() => `${progress.value} / ${progress.value + progress.toNext}`} />}
              {balance.expiringSoon.length > 0 && (
                <div>
                  {t('loyalty.expiring')}:{' '}
                  {balance.expiringSoon.map((x) => (
                    <Tag color="orange" key={x.expiresOn}>
                      {x.expiresOn}: {x.points}
                    </Tag>
                  ))}
                </div>
              )}
            </Card>
          )}
          <Table<LedgerEntry>
            rowKey="id"
            size="small"
            loading={loading}
            dataSource={entries}
            data-testid="loyalty-entries"
            pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
            columns={[
              { title: t('audit.at'), dataIndex: 'occurredAt', width: 150, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
              { title: t('loyalty.entryType'), dataIndex: 'type', width: 110, render: (v: string) => <Tag>{v}</Tag> },
              { title: t('loyalty.points'), dataIndex: 'points', align: 'right', width: 90, render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : 'success'}>{v > 0 ? `+${v}` : v}</Typography.Text> },
              {
                title: t('loyalty.why'),
                key: 'why',
                render: (_: unknown, e: LedgerEntry) => (
                  <span>
                    {e.orderKey && <Tag color="blue">{e.orderKey}</Tag>}
                    {e.rule && <Tag>{e.rule}</Tag>}
                    {e.multiplier && <Tag>×{e.multiplier}</Tag>}
                    {e.reason}
                    {e.actor && <Typography.Text type="secondary"> · {e.actor}</Typography.Text>}
                  </span>
                ),
              },
              { title: t('loyalty.availableAfter'), dataIndex: 'available', align: 'right', width: 90 },
              { title: t('loyalty.pendingAfter'), dataIndex: 'pending', align: 'right', width: 90 },
            ]}
          />
        </>
      )}
      <Modal open={adjusting} title={t('loyalty.adjust')} onCancel={() => setAdjusting(false)} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'loyalty-adjust-ok' } as Record<string, string>}>
        <Form form={form} layout="vertical" onFinish={adjust}>
          <Form.Item name="points" label={t('loyalty.points')} rules={[{ required: true }]} extra={t('loyalty.adjustHelp')}>
            <InputNumber style={{ width: '100%' }} data-testid="loyalty-adjust-points" />
          </Form.Item>
          <Form.Item name="reason" label={t('loyalty.reason')} rules={[{ required: true, max: 500 }]}>
            <Input.TextArea rows={2} data-testid="loyalty-adjust-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
