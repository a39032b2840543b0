import { App, Alert, Button, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { get, query, type ProgramView } from '../api';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

interface AccountRow {
  accountId: number;
  personId: number;
  available: number;
  pending: number;
  growth: number;
  tier: string;
  tierName?: string;
  tierSince?: string;
  joinedAt: string;
  joinChannel?: string;
}

interface Drift {
  accountId: number;
  personId: number;
  what: string;
  stored: number;
  recomputed: number;
}

interface ConnectLine {
  connector: string;
  bindingId: number;
  personId: number;
  channel: string;
  shop: string;
  points: number;
  tier: string;
  ackedPoints?: number;
  ackedTier?: string;
  ackedAt?: string;
  pending: number;
  dead: number;
  status: string;
}

/** A program's accounts, newest member first, paged through the API, filtered by tier. */
export function AccountList({ program, onOpen }: { program: ProgramView; onOpen: (personId: number) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [tier, setTier] = useState<string | undefined>();
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [data, setData] = useState<{ items: AccountRow[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await get(`/api/v1/loyalty/programs/${program.code}/accounts${query({ tier, offset: (page.current - 1) * page.size, limit: page.size })}`));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [program.code, tier, page, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        style={{ width: 220 }}
        placeholder={t('loyalty.tier')}
        value={tier}
        onChange={(v) => { setTier(v); setPage((p) => ({ ...p, current: 1 })); }}
        options={program.config.tiers.map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))}
      />
      <Table<AccountRow>
        rowKey="accountId"
        size="small"
        loading={loading}
        dataSource={data.items}
        data-testid="loyalty-accounts"
        onRow={(r) => ({ onClick: () => onOpen(r.personId), style: { cursor: 'pointer' } })}
        pagination={{ current: page.current, pageSize: page.size, total: data.total, showTotal: (n) => t('common.total', { n }), onChange: (current, size) => setPage({ current, size }) }}
        columns={[
          { title: 'OneID', dataIndex: 'personId' },
          { title: t('loyalty.tier'), dataIndex: 'tier', render: (c: string, r) => <Tag color="gold">{r.tierName ?? c}</Tag> },
          { title: t('loyalty.available'), dataIndex: 'available', align: 'right' },
          { title: t('loyalty.pending'), dataIndex: 'pending', align: 'right' },
          { title: t('loyalty.growth'), dataIndex: 'growth', align: 'right' },
          { title: t('loyalty.joinChannel'), dataIndex: 'joinChannel', render: (v?: string) => v ?? '—' },
          { title: t('loyalty.joinedAt'), dataIndex: 'joinedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
        ]}
      />
    </Space>
  );
}

/** Reconciliation: the ledger recomputed page by page (drifts listed), and member-connect's channel acknowledgements next to our state. */
export function Reconciliation({ program }: { program: ProgramView }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [running, setRunning] = useState(false);
  const [checked, setChecked] = useState<number | null>(null);
  const [drifts, setDrifts] = useState<Drift[]>([]);
  const [lines, setLines] = useState<ConnectLine[] | null>(null);
  const [onlyDiffering, setOnlyDiffering] = useState(true);

  const run = async () => {
    setRunning(true);
    setDrifts([]);
    setChecked(0);
    try {
      let after: number | null = 0;
      let n = 0;
      const found: Drift[] = [];
      while (after !== null) {
        const r: { checked: number; drifts: Drift[]; nextAfter?: number } =
          await get(`/api/v1/loyalty/programs/${program.code}/reconciliation?after=${after}&limit=500`);
        n += r.checked;
        found.push(...r.drifts);
        setChecked(n);
        setDrifts([...found]);
        after = r.nextAfter ?? null;
      }
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setRunning(false);
    }
  };

  useEffect(() => {
    get<ConnectLine[]>(`/api/v1/loyalty/programs/${program.code}/connect/report?onlyDiffering=${onlyDiffering}`).then(setLines, () => setLines(null));
  }, [program.code, onlyDiffering]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary">{t('loyalty.reconcileHelp')}</Typography.Paragraph>
      <Space>
        <Button type="primary" loading={running} onClick={run} data-testid="loyalty-reconcile">
          {t('loyalty.reconcileRun')}
        </Button>
        {checked !== null && <Typography.Text>{t('loyalty.reconcileChecked', { n: checked })}</Typography.Text>}
        {running && <Progress type="circle" size={24} percent={99} showInfo={false} />}
      </Space>
      {checked !== null && !running && drifts.length === 0 && <Alert type="success" showIcon message={t('loyalty.reconcileClean')} data-testid="loyalty-reconcile-clean" />}
      {drifts.length > 0 && (
        <Table<Drift>
          rowKey={(d) => `${d.accountId}|${d.what}`}
          size="small"
          dataSource={drifts}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: 'OneID', dataIndex: 'personId' },
            { title: t('loyalty.drift'), dataIndex: 'what' },
            { title: t('loyalty.stored'), dataIndex: 'stored', align: 'right' },
            { title: t('loyalty.recomputed'), dataIndex: 'recomputed', align: 'right' },
          ]}
        />
      )}
      <Typography.Title level={5}>{t('loyalty.connectReport')}</Typography.Title>
      <Select style={{ width: 200 }} value={onlyDiffering} onChange={setOnlyDiffering}
        options={[{ value: true, label: t('loyalty.onlyDiffering') }, { value: false, label: t('persons.conflictsAll') }]} />
      <Table<ConnectLine>
        rowKey={(l) => `${l.connector}|${l.bindingId}`}
        size="small"
        dataSource={lines ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('loyalty.connector'), dataIndex: 'connector' },
          { title: 'OneID', dataIndex: 'personId' },
          { title: t('orders.channel'), key: 'c', render: (_: unknown, l) => `${l.channel} / ${l.shop}` },
          { title: t('loyalty.points'), key: 'p', render: (_: unknown, l) => `${l.points} ↔ ${l.ackedPoints ?? '—'}` },
          { title: t('loyalty.tier'), key: 't', render: (_: unknown, l) => `${l.tier} ↔ ${l.ackedTier ?? '—'}` },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'in_sync' ? 'green' : s === 'drift' || s === 'failed' ? 'red' : 'blue'}>{s}</Tag> },
        ]}
      />
    </Space>
  );
}
