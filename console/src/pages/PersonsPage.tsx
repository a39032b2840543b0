import { SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, get, post, query, type ConflictView, type IdentifierTypeView, type PersonView } from '../api';
import { useAuth } from '../auth';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

/** Person search by any identifier (or by OneID), and the conflicts that guards kept apart. */
export function PersonsPage() {
  const { t } = useI18n();
  return (
    <Card title={t('persons.title')}>
      <Tabs
        items={[
          { key: 'search', label: t('persons.search'), children: <PersonSearch /> },
          { key: 'conflicts', label: t('persons.conflicts'), children: <Conflicts /> },
        ]}
      />
    </Card>
  );
}

function PersonSearch() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [types, setTypes] = useState<IdentifierTypeView[]>([]);
  const [form] = Form.useForm<{ type: string; scope?: string; value: string }>();

  useEffect(() => {
    get<IdentifierTypeView[]>('/api/v1/identity/types').then(setTypes, () => setTypes([]));
  }, []);

  const search = async (v: { type: string; scope?: string; value: string }) => {
    const value = v.value.trim();
    if (v.type === 'person_id') {
      navigate(`/persons/${encodeURIComponent(value)}`);
      return;
    }
    try {
      const person = await get<PersonView>('/api/v1/persons/lookup' + query({ type: v.type, scope: v.scope?.trim(), value }));
      navigate(`/persons/${person.personId}`);
    } catch (e) {
      if (e instanceof ApiError && e.problem.status === 404) message.warning(t('persons.notFound'));
      else message.error(problemMessage(e, t('error.generic')));
    }
  };

  const scoped = Form.useWatch('type', form);
  const scopeKind = types.find((x) => x.name === scoped)?.scopeKind;

  return (
    <Form form={form} layout="inline" initialValues={{ type: 'phone' }} onFinish={search} data-testid="person-search">
      <Form.Item name="type" label={t('persons.type')}>
        <Select
          style={{ width: 220 }}
          showSearch
          data-testid="person-search-type"
          options={[{ value: 'person_id', label: `OneID (${t('persons.personId')})` }, ...types.map((x) => ({ value: x.name, label: x.name }))]}
        />
      </Form.Item>
      {scopeKind && scopeKind !== 'global' && (
        <Form.Item name="scope" label={t('persons.scope')} rules={[{ required: true }]}>
          <Input style={{ width: 160 }} placeholder={scopeKind} />
        </Form.Item>
      )}
      <Form.Item name="value" label={t('persons.value')} rules={[{ required: true }]}>
        <Input style={{ width: 260 }} data-testid="person-search-value" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="person-search-submit">
          {t('persons.find')}
        </Button>
      </Form.Item>
    </Form>
  );
}

function Conflicts() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [rows, setRows] = useState<ConflictView[]>([]);
  const [loading, setLoading] = useState(false);
  const mayChange = me?.role === 'admin' || me?.role === 'operator';

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await get<ConflictView[]>('/api/v1/identity/conflicts' + query({ status, limit: 500 })));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [status, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      message.success(t('users.saved'));
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        value={status}
        onChange={setStatus}
        style={{ width: 160 }}
        options={[
          { value: 'open', label: t('persons.conflictsOpen') },
          { value: 'all', label: t('persons.conflictsAll') },
        ]}
      />
      <Table<ConflictView>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        data-testid="conflicts"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('audit.at'), dataIndex: 'foundAt', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          { title: 'A', dataIndex: 'personA', render: (id: number) => <Link to={`/persons/${id}`}>{id}</Link> },
          { title: 'B', dataIndex: 'personB', render: (id: number) => <Link to={`/persons/${id}`}>{id}</Link> },
          { title: t('persons.type'), dataIndex: 'type' },
          { title: t('ingest.reason'), dataIndex: 'reason' },
          { title: t('common.status'), dataIndex: 'resolution', render: (v?: string) => (v ? <Tag>{v}</Tag> : <Tag color="orange">{t('persons.conflictsOpen')}</Tag>) },
          ...(mayChange
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, c: ConflictView) =>
                    !c.resolvedAt && (
                      <Space>
                        <Popconfirm title={t('persons.mergeConfirm')} onConfirm={() => act(() => post('/api/v1/persons/merge', { personIds: [c.personA, c.personB], note: `conflict ${c.id}` }))}>
                          <Button size="small">{t('persons.merge')}</Button>
                        </Popconfirm>
                        <Button size="small" onClick={() => act(() => post(`/api/v1/identity/conflicts/${c.id}/dismiss`))}>
                          {t('persons.keepApart')}
                        </Button>
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
