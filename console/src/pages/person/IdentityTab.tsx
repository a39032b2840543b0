import { App, Button, Col, Empty, Form, InputNumber, Modal, Popconfirm, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { post, type GraphView, type MergeView, type PersonView } from '../../api';
import { EChart } from '../../components/EChart';
import { problemMessage } from '../../components/feedback';
import { useI18n } from '../../i18n';
import { at } from './format';

const TYPE_COLORS: Record<string, string> = {
  phone: '#cf1322',
  email: '#d4380d',
  wechat_unionid: '#389e0d',
  wechat_openid: '#7cb305',
  login_id: '#1677ff',
  member_no: '#531dab',
  anonymous_id: '#8c8c8c',
  device_id: '#595959',
  cookie_id: '#bfbfbf',
};

/** Identifiers, the identity graph drawn with its evidence, merges (split one) and merge by hand. */
export function IdentityTab({ person, graph, mayChange, reload }: { person: PersonView; graph: GraphView | null; mayChange: boolean; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [merging, setMerging] = useState(false);
  const [form] = Form.useForm<{ other: number }>();

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      message.success(t('users.saved'));
      await reload();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const option = useMemo(() => {
    if (!graph) return {};
    const degree = new Map<number, number>();
    graph.edges.forEach((e) => {
      degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
      degree.set(e.to, (degree.get(e.to) ?? 0) + 1);
    });
    return {
      tooltip: {
        formatter: (p: { dataType: string; data: Record<string, string> }) =>
          p.dataType === 'edge' ? `${p.data.kind} · ${p.data.via}<br/>${at(p.data.occurredAt)}` : `${p.data.type}${p.data.scope ? ` (${p.data.scope})` : ''}<br/>${p.data.value}`,
      },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          force: { repulsion: 220, edgeLength: 110 },
          label: { show: true, position: 'right', formatter: (p: { data: { type: string } }) => p.data.type, fontSize: 11 },
          edgeLabel: { show: graph.edges.length <= 30, formatter: (p: { data: { kind: string } }) => p.data.kind, fontSize: 10 },
          lineStyle: { color: '#999', curveness: 0.1 },
          data: graph.nodes.map((n) => ({
            id: String(n.id),
            name: String(n.id),
            type: n.type,
            scope: n.scope,
            value: n.value,
            symbolSize: 18 + Math.min(20, 3 * (degree.get(n.id) ?? 0)),
            itemStyle: { color: TYPE_COLORS[n.type] ?? '#13c2c2' },
          })),
          links: graph.edges.map((e) => ({ source: String(e.from), target: String(e.to), kind: e.kind, via: e.source, occurredAt: e.occurredAt })),
        },
      ],
    };
  }, [graph]);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {mayChange && !person.mergedInto && (
        <Button onClick={() => setMerging(true)} data-testid="person-merge">
          {t('persons.mergeByHand')}
        </Button>
      )}
      <Row gutter={24}>
        <Col xs={24} lg={10}>
          <Table
            rowKey={(i) => `${i.type}|${i.scope ?? ''}|${i.value}`}
            size="small"
            pagination={false}
            dataSource={person.identifiers}
            data-testid="person-identifiers"
            columns={[
              { title: t('persons.type'), dataIndex: 'type', render: (v: string) => <Tag color={TYPE_COLORS[v]}>{v}</Tag> },
              { title: t('persons.scope'), dataIndex: 'scope' },
              { title: t('persons.value'), dataIndex: 'value', render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
              { title: t('persons.attachedAt'), dataIndex: 'attachedAt', render: (v?: string) => v && at(v) },
            ]}
          />
        </Col>
        <Col xs={24} lg={14}>
          <Typography.Title level={5}>{t('persons.graph')}</Typography.Title>
          {graph && graph.nodes.length > 0 ? <EChart option={option} height={360} testId="person-graph" /> : <Empty />}
        </Col>
      </Row>
      {graph && (
        <>
          <Typography.Title level={5}>{t('persons.merges')}</Typography.Title>
          <Table<MergeView>
            rowKey="id"
            size="small"
            dataSource={graph.merges}
            pagination={false}
            data-testid="person-merges"
            columns={[
              { title: t('audit.at'), dataIndex: 'mergedAt', render: (v: string) => at(v) },
              { title: t('persons.survivor'), dataIndex: 'survivor', render: (v: number) => <Link to={`/persons/${v}`}>{v}</Link> },
              { title: t('persons.mergedPerson'), dataIndex: 'merged', render: (v: number) => <Link to={`/persons/${v}`}>{v}</Link> },
              { title: t('persons.evidence'), key: 'evidence', render: (_: unknown, m: MergeView) => `${m.kind} · ${m.source} · #${m.evidence}` },
              { title: t('persons.identifierCount'), dataIndex: 'identifiers' },
              {
                title: t('common.status'),
                key: 'state',
                render: (_: unknown, m: MergeView) =>
                  m.splitAt ? (
                    <Tag>{t('persons.splitAt', { at: at(m.splitAt), by: m.splitBy ?? '' })}</Tag>
                  ) : mayChange && m.survivor === person.personId ? (
                    <Popconfirm title={t('persons.splitConfirm')} onConfirm={() => act(() => post(`/api/v1/persons/${person.personId}/split`, { mergeId: m.id }))}>
                      <Button size="small" danger data-testid={`split-${m.id}`}>
                        {t('persons.split')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Tag color="green">{t('common.active')}</Tag>
                  ),
              },
            ]}
          />
        </>
      )}
      <Modal
        open={merging}
        title={t('persons.mergeByHand')}
        onCancel={() => setMerging(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'person-merge-ok' } as Record<string, string>}
      >
        <Typography.Paragraph type="secondary">{t('persons.mergeHelp')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            act(async () => {
              await post('/api/v1/persons/merge', { personIds: [person.personId, v.other], note: 'console' });
              setMerging(false);
            })
          }
        >
          <Form.Item name="other" label={t('persons.otherPerson')} rules={[{ required: true }]}>
            <InputNumber min={1} style={{ width: '100%' }} data-testid="person-merge-other" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
