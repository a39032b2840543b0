import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Empty, Form, Input, Modal, Popconfirm, Radio, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, get, post, put, session } from '../api';
import { useAuth } from '../auth';
import { EChart, type ChartOption } from '../components/EChart';
import { problemMessage } from '../components/feedback';
import { useI18n, type MessageKey } from '../i18n';
import { AIPL_STAGES, type AiplFlow, type AiplView, type CountView, type ExportPage, type OverlapView, type SegmentView, type TagView } from '../opsApi';
import { fromExpression, newGroup, toExpression, type Group } from '../segments/expression';
import { SegmentBuilder } from '../segments/SegmentBuilder';

/** Segments: saved segments with counts, the visual builder with a live count, overlap, samples and exports; tags; AIPL stages and flow. */
export function SegmentsPage() {
  const { t } = useI18n();
  const [tags, setTags] = useState<TagView[]>([]);
  const [segments, setSegments] = useState<SegmentView[]>([]);
  const { message } = App.useApp();

  const load = useCallback(async () => {
    try {
      const [tg, sg] = await Promise.all([get<TagView[]>('/api/v1/tags'), get<SegmentView[]>('/api/v1/segments')]);
      setTags(tg);
      setSegments(sg);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  }, [message, t]);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <Card title={t('segments.title')}>
      <Tabs
        items={[
          { key: 'segments', label: t('segments.segments'), children: <Segments segments={segments} tags={tags} reload={load} /> },
          { key: 'tags', label: t('segments.tags'), children: <Tags tags={tags} reload={load} /> },
          { key: 'aipl', label: 'AIPL', children: <Aipl /> },
        ]}
      />
    </Card>
  );
}

function Segments({ segments, tags, reload }: { segments: SegmentView[]; tags: TagView[]; reload: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const mayChange = me?.role === 'admin' || me?.role === 'operator';
  const mayRead = mayChange || me?.role === 'analyst';
  const [editing, setEditing] = useState<SegmentView | 'new' | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [overlap, setOverlap] = useState<OverlapView | null>(null);
  const [sample, setSample] = useState<{ code: string; view: CountView } | null>(null);
  const [exporting, setExporting] = useState<SegmentView | null>(null);

  const remove = async (code: string) => {
    try {
      await api('DELETE', `/api/v1/segments/${code}`);
      reload();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const compare = async () => {
    try {
      setOverlap(await post<OverlapView>('/api/v1/segments/overlap', { segments: selected }));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const showSample = async (code: string) => {
    try {
      setSample({ code, view: await get<CountView>(`/api/v1/segments/${code}/sample?size=20`) });
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  if (editing) {
    return (
      <SegmentEditor
        segment={editing === 'new' ? null : editing}
        tags={tags}
        segments={segments}
        onClose={(saved) => {
          setEditing(null);
          if (saved) reload();
        }}
      />
    );
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {mayChange && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="segment-new">
            {t('segments.new')}
          </Button>
        )}
        <Button disabled={selected.length < 2} onClick={compare} data-testid="segment-overlap">
          {t('segments.overlap')} ({selected.length})
        </Button>
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {t('common.refresh')}
        </Button>
      </Space>
      <Table<SegmentView>
        rowKey="code"
        size="small"
        dataSource={segments}
        data-testid="segment-list"
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String).slice(0, 20)) }}
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('segments.code'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          { title: t('segments.count'), dataIndex: 'count', align: 'right', render: (n: number) => <Typography.Text strong>{n.toLocaleString()}</Typography.Text> },
          { title: t('segments.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          { title: t('keys.createdBy'), dataIndex: 'createdBy' },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_: unknown, s) => (
              <Space size={4} wrap>
                {mayChange && <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>{t('segments.edit')}</Button>}
                {mayRead && <Button size="small" onClick={() => showSample(s.code)}>{t('segments.sample')}</Button>}
                {mayRead && <Button size="small" icon={<DownloadOutlined />} onClick={() => setExporting(s)} data-testid={`segment-export-${s.code}`}>{t('segments.export')}</Button>}
                {mayChange && (
                  <Popconfirm title={t('segments.deleteConfirm')} onConfirm={() => remove(s.code)}>
                    <Button size="small" danger icon={<DeleteOutlined />} />
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={overlap !== null} footer={null} onCancel={() => setOverlap(null)} title={t('segments.overlap')} width={640}>
        {overlap && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="segment-overlap-result">
            <Typography.Text>
              {t('segments.union', { n: overlap.union.toLocaleString(), all: overlap.all.toLocaleString() })}
            </Typography.Text>
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.a}|${r.b}`}
              dataSource={overlap.pairs}
              columns={[
                { title: 'A', dataIndex: 'a', render: (a: string) => `${a} (${overlap.counts[a]})` },
                { title: 'B', dataIndex: 'b', render: (b: string) => `${b} (${overlap.counts[b]})` },
                { title: 'A ∩ B', dataIndex: 'both', align: 'right' },
                {
                  title: t('segments.overlapShare'),
                  key: 'share',
                  align: 'right',
                  render: (_: unknown, r: { a: string; b: string; both: number }) =>
                    `${((100 * r.both) / Math.max(1, Math.min(overlap.counts[r.a], overlap.counts[r.b]))).toFixed(1)}%`,
                },
              ]}
            />
          </Space>
        )}
      </Modal>
      <Modal open={sample !== null} footer={null} onCancel={() => setSample(null)} title={`${t('segments.sample')} · ${sample?.code ?? ''}`}>
        {sample && (
          <Space wrap data-testid="segment-sample">
            {sample.view.sample.length === 0 && <Empty />}
            {sample.view.sample.map((p) => (
              <Link key={p} to={`/persons/${p}`}>
                <Tag>{p}</Tag>
              </Link>
            ))}
          </Space>
        )}
      </Modal>
      <ExportModal segment={exporting} onClose={() => setExporting(null)} />
    </Space>
  );
}

function SegmentEditor({ segment, tags, segments, onClose }: { segment: SegmentView | null; tags: TagView[]; segments: SegmentView[]; onClose: (saved: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const initial = useMemo(() => (segment ? fromExpression(segment.expression) : newGroup()), [segment]);
  const [tree, setTree] = useState<Group>(initial ?? newGroup());
  const [form] = Form.useForm<{ code: string; name: string }>();

  const save = async (v: { code: string; name: string }) => {
    const expression = toExpression(tree);
    if (!expression) {
      message.error(t('segments.addToCount'));
      return;
    }
    try {
      if (segment) await put(`/api/v1/segments/${segment.code}`, { name: v.name, expression });
      else await post('/api/v1/segments', { code: v.code, name: v.name, expression });
      message.success(t('users.saved'));
      onClose(true);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="segment-editor">
      {segment && !initial && <Typography.Text type="warning">{t('segments.cannotShow')}</Typography.Text>}
      <Form form={form} layout="inline" initialValues={{ code: segment?.code, name: segment?.name }} onFinish={save}>
        <Form.Item name="code" label={t('segments.code')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_:.-]{0,99}$/ }]}>
          <Input disabled={!!segment} style={{ width: 200 }} placeholder="high_value_tea" data-testid="segment-code" />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input style={{ width: 260 }} data-testid="segment-name" />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="segment-save">
          {t('common.save')}
        </Button>
        <Button style={{ marginLeft: 8 }} onClick={() => onClose(false)}>
          {t('common.cancel')}
        </Button>
      </Form>
      <SegmentBuilder value={tree} onChange={setTree} context={{ tags, segments, editing: segment?.code }} />
    </Space>
  );
}

/** Downloads every page of a segment's members (masked or hashed phones) as one CSV or JSON file. */
function ExportModal({ segment, onClose }: { segment: SegmentView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [phone, setPhone] = useState<'masked' | 'hashed'>('masked');
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState(0);

  const run = async () => {
    if (!segment) return;
    setBusy(true);
    setRows(0);
    try {
      let after: string | null = null;
      const csv: string[] = [];
      const json: Record<string, unknown>[] = [];
      do {
        const url = `/api/v1/segments/${segment.code}/export?format=${format}&phone=${phone}&limit=10000${after ? `&after=${after}` : ''}`;
        const response = await fetch(url, { headers: { Authorization: `Bearer ${session.token()}` } });
        if (!response.ok) {
          const problem = await response.json().catch(() => ({ status: response.status, code: 'http_' + response.status }));
          throw new ApiError(problem);
        }
        if (format === 'csv') {
          const text = await response.text();
          const lines = text.split('\n').filter(Boolean);
          csv.push(...(csv.length ? lines.slice(1) : lines));
          after = response.headers.get('X-Next-After');
        } else {
          const page = (await response.json()) as ExportPage;
          json.push(...page.rows);
          after = page.nextAfter == null ? null : String(page.nextAfter);
        }
        setRows(format === 'csv' ? Math.max(0, csv.length - 1) : json.length);
      } while (after);
      const blob = format === 'csv'
        ? new Blob(['\ufeff' + csv.join('\n') + '\n'], { type: 'text/csv;charset=utf-8' })
        : new Blob([JSON.stringify({ segment: segment.code, phone, rows: json }, null, 1)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${segment.code}-${dayjs().format('YYYYMMDD-HHmm')}.${format}`;
      a.click();
      URL.revokeObjectURL(a.href);
      message.success(t('segments.exported'));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={segment !== null} title={`${t('segments.export')} · ${segment?.name ?? ''}`} onCancel={onClose} onOk={run} confirmLoading={busy}
      okText={t('segments.download')} okButtonProps={{ 'data-testid': 'segment-export-ok' } as Record<string, string>}>
      <Space direction="vertical">
        <Typography.Text type="secondary">{t('segments.exportHelp', { n: segment?.count ?? 0 })}</Typography.Text>
        <Radio.Group value={format} onChange={(e) => setFormat(e.target.value)} options={[{ value: 'csv', label: 'CSV' }, { value: 'json', label: 'JSON' }]} />
        <Radio.Group value={phone} onChange={(e) => setPhone(e.target.value)} options={[{ value: 'masked', label: t('segments.phoneMasked') }, { value: 'hashed', label: t('segments.phoneHashed') }]} />
        {busy && <Typography.Text>{t('segments.exportProgress', { n: rows })}</Typography.Text>}
      </Space>
    </Modal>
  );
}

function Tags({ tags, reload }: { tags: TagView[]; reload: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const mayChange = me?.role === 'admin' || me?.role === 'operator';
  const [kind, setKind] = useState<string>('all');
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ code: string; name: string; personIds?: string }>();
  const shown = kind === 'all' ? tags : tags.filter((x) => x.kind === kind);

  const create = async (v: { code: string; name: string; personIds?: string }) => {
    try {
      await post('/api/v1/tags', { code: v.code, name: v.name, kind: 'manual' });
      const ids = (v.personIds ?? '').split(/[\s,，]+/).filter(Boolean).map(Number);
      if (ids.length) await post(`/api/v1/tags/${v.code}/members`, { personIds: ids });
      setCreating(false);
      form.resetFields();
      reload();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const refresh = async () => {
    try {
      await post('/api/v1/tags/refresh');
      message.success(t('segments.refreshed'));
      reload();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} optionType="button"
          options={['all', 'manual', 'rule', 'model'].map((k) => ({ value: k, label: `${t(`tagKind.${k}` as MessageKey)} (${k === 'all' ? tags.length : tags.filter((x) => x.kind === k).length})` }))} />
        {mayChange && <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('segments.newTag')}</Button>}
        {mayChange && <Button icon={<ReloadOutlined />} onClick={refresh}>{t('segments.refreshTags')}</Button>}
      </Space>
      <Table<TagView>
        rowKey="code"
        size="small"
        dataSource={shown}
        data-testid="tag-list"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('segments.code'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          { title: t('segments.kind'), dataIndex: 'kind', render: (k: string) => <Tag color={k === 'model' ? 'purple' : k === 'rule' ? 'blue' : 'default'}>{t(`tagKind.${k}` as MessageKey)}</Tag> },
          { title: t('segments.members'), dataIndex: 'members', align: 'right', sorter: (a, b) => a.members - b.members, render: (n: number) => n.toLocaleString() },
          { title: t('segments.refreshedAt'), dataIndex: 'refreshedAt', render: (v?: string) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—') },
          { title: t('segments.rule'), dataIndex: 'expression', render: (e?: unknown) => (e ? <Typography.Text code style={{ fontSize: 11 }}>{JSON.stringify(e).slice(0, 80)}</Typography.Text> : null) },
        ]}
      />
      <Modal open={creating} title={t('segments.newTag')} onCancel={() => setCreating(false)} onOk={() => form.submit()}>
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="code" label={t('segments.code')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="personIds" label="OneID" extra={t('coupons.listHelp')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function Aipl() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [now, setNow] = useState<AiplView | null>(null);
  const [days, setDays] = useState<AiplView[]>([]);
  const [from, setFrom] = useState<string | undefined>();
  const [flow, setFlow] = useState<AiplFlow | null>(null);

  const load = useCallback(async () => {
    try {
      const [n, d] = await Promise.all([get<AiplView>('/api/v1/aipl'), get<AiplView[]>('/api/v1/aipl/snapshots')]);
      setNow(n);
      setDays(d);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  }, [message, t]);
  useEffect(() => {
    load();
  }, [load]);

  useEffect(() => {
    if (!from) return;
    get<AiplFlow>(`/api/v1/aipl/flow?from=${from}`).then(setFlow, (e) => message.error(problemMessage(e, t('error.generic'))));
  }, [from, message, t]);

  const snapshot = async () => {
    try {
      await post('/api/v1/aipl/snapshots');
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const chart = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 56, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map((d) => d.day) },
    yAxis: { type: 'value' },
    series: AIPL_STAGES.map((s) => ({ name: t(`aipl.${s}`), type: 'line', stack: 'aipl', areaStyle: {}, data: days.map((d) => d.counts[s] ?? 0) })),
  }), [days, t]);

  const stages = ['none', ...AIPL_STAGES] as const;
  const label = (s: string) => (s === 'none' ? t('aipl.none') : t(`aipl.${s}` as MessageKey));

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="aipl">
      <Row gutter={16}>
        {AIPL_STAGES.map((s) => (
          <Col span={6} key={s}>
            <Card size="small">
              <Typography.Text type="secondary">{t(`aipl.${s}`)}</Typography.Text>
              <div style={{ fontSize: 24, fontWeight: 600 }} data-testid={`aipl-${s}`}>{(now?.counts[s] ?? 0).toLocaleString()}</div>
            </Card>
          </Col>
        ))}
      </Row>
      <Space wrap>
        <Typography.Text>{t('aipl.flowFrom')}</Typography.Text>
        <Select style={{ width: 180 }} value={from} onChange={setFrom} placeholder={t('aipl.pickSnapshot')}
          options={days.filter((d) => d.day !== now?.day).map((d) => ({ value: d.day, label: d.day }))} />
        <Typography.Text>→ {now?.day}</Typography.Text>
        {(me?.role === 'admin' || me?.role === 'operator') && <Button onClick={snapshot}>{t('aipl.snapshotNow')}</Button>}
      </Space>
      {flow && (
        <Table
          size="small"
          pagination={false}
          rowKey="from"
          data-testid="aipl-flow"
          dataSource={stages.map((s) => ({ from: s, ...(flow.transitions[s] ?? {}) }))}
          columns={[
            { title: `${flow.from} \\ ${flow.to}`, dataIndex: 'from', render: (s: string) => <Typography.Text strong>{label(s)}</Typography.Text> },
            ...stages.map((s) => ({ title: label(s), dataIndex: s, align: 'right' as const, render: (n?: number) => (n ? n.toLocaleString() : '·') })),
          ]}
        />
      )}
      {days.length > 0 ? <EChart option={chart} height={260} /> : <Empty description={t('aipl.noSnapshots')} />}
    </Space>
  );
}
