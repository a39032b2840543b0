import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { get, post } from '../../api';
import { problemMessage } from '../../components/feedback';
import { useI18n } from '../../i18n';
import { CONSENT_PURPOSES, type ConsentsView, type ConsentView } from '../../opsApi';
import { at } from './format';
import { useAnswer } from './useAnswer';

interface Change {
  purpose: string;
  granted: boolean;
}

/** Consents per purpose (current decision, never decided = not granted) with their full history; admins and operators record a decision with a note. */
export function ConsentsTab({ personId, mayChange, onChanged }: { personId: number; mayChange: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, loading, reload } = useAnswer(useCallback(() => get<ConsentsView>(`/api/v1/persons/${personId}/consents`), [personId]));
  const [change, setChange] = useState<Change | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ note?: string }>();

  const current = new Map((data?.current ?? []).map((c) => [c.purpose, c]));
  const rows = CONSENT_PURPOSES.map((purpose) => ({ purpose, decision: current.get(purpose) }));
  const history = [...(data?.history ?? [])].reverse();

  const record = async (v: { note?: string }) => {
    if (!change) return;
    setSaving(true);
    try {
      await post(`/api/v1/persons/${personId}/consents`, { purpose: change.purpose, granted: change.granted, note: v.note || undefined });
      message.success(t('users.saved'));
      setChange(null);
      form.resetFields();
      await reload();
      onChanged();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Table
        rowKey="purpose"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={rows}
        data-testid="person-consents"
        onRow={(r) => ({ 'data-testid': `consent-${r.purpose}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('person.purpose'), dataIndex: 'purpose', render: (p: string) => t(`purpose.${p}`) },
          { title: t('common.status'), key: 'state', render: (_: unknown, r) => <ConsentState decision={r.decision} /> },
          { title: t('coupons.source'), key: 'source', render: (_: unknown, r) => r.decision?.source ?? '—' },
          { title: t('person.decidedAt'), key: 'at', render: (_: unknown, r) => at(r.decision?.occurredAt) },
          { title: t('person.note'), key: 'note', render: (_: unknown, r) => r.decision?.note ?? '' },
          ...(mayChange
            ? [
                {
                  title: t('common.actions'),
                  key: 'change',
                  render: (_: unknown, r: { purpose: string; decision?: ConsentView }) => {
                    const granted = r.decision?.granted ?? false;
                    return (
                      <Button size="small" danger={granted} onClick={() => setChange({ purpose: r.purpose, granted: !granted })} data-testid={`consent-change-${r.purpose}`}>
                        {granted ? t('person.withdraw') : t('person.grant')}
                      </Button>
                    );
                  },
                },
              ]
            : []),
        ]}
      />
      <div>
        <Typography.Title level={5}>{t('person.consentHistory')}</Typography.Title>
        <Table<ConsentView>
          rowKey={(c) => `${c.purpose}|${c.occurredAt}|${c.granted}|${c.source}|${c.note ?? ''}`}
          size="small"
          loading={loading}
          dataSource={history}
          data-testid="person-consent-history"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('person.decidedAt'), dataIndex: 'occurredAt', render: at },
            { title: t('person.purpose'), dataIndex: 'purpose', render: (p: string) => t(`purpose.${p}`) },
            { title: t('common.status'), key: 'state', render: (_: unknown, c) => <ConsentState decision={c} /> },
            { title: t('coupons.source'), dataIndex: 'source' },
            { title: t('audit.actor'), dataIndex: 'actor' },
            { title: t('person.note'), dataIndex: 'note' },
          ]}
        />
      </div>
      <Modal
        open={!!change}
        title={change && t(change.granted ? 'person.grantTitle' : 'person.withdrawTitle', { purpose: t(`purpose.${change.purpose}`) })}
        onCancel={() => setChange(null)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'consent-ok' } as Record<string, string>}
      >
        <Typography.Paragraph type="secondary">{t('person.consentHelp')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={record}>
          <Form.Item name="note" label={t('person.note')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} data-testid="consent-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function ConsentState({ decision }: { decision?: ConsentView }) {
  const { t } = useI18n();
  if (!decision) return <Tag>{t('person.undecided')}</Tag>;
  return decision.granted ? <Tag color="green">{t('person.granted')}</Tag> : <Tag color="red">{t('person.withdrawn')}</Tag>;
}
