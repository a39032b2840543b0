import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { App, Button, Input, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { get, post } from '../../api';
import { problemMessage } from '../../components/feedback';
import { useI18n } from '../../i18n';
import type { ErasureView } from '../../opsApi';

/**
 * Data-subject rights, for admins (the API refuses everyone else and audits both): export everything
 * about the person as one JSON file, and erase their personal data after typing the OneID to confirm.
 */
export function PrivacyActions({ personId, erased, onErased }: { personId: number; erased: boolean; onErased: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');

  const download = async () => {
    setExporting(true);
    try {
      const document = await get<unknown>(`/api/v1/persons/${personId}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }));
      const a = window.document.createElement('a');
      a.href = url;
      a.download = `person-${personId}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setExporting(false);
    }
  };

  const erase = async () => {
    try {
      const done = await post<ErasureView>(`/api/v1/persons/${personId}/erasure`, { reason: reason || undefined });
      message.success(t('person.erased', { pseudonym: done.pseudonym, identifiers: done.identifiersErased, orders: done.ordersScrubbed, traits: done.traitsErased, events: done.eventsScrubbed }));
      onErased();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Space>
      <Button icon={<DownloadOutlined />} loading={exporting} onClick={download} data-testid="person-export">
        {t('person.export')}
      </Button>
      <Popconfirm
        title={t('person.eraseTitle')}
        description={
          <Space direction="vertical" style={{ maxWidth: 360 }}>
            <Typography.Text type="secondary">{t('person.eraseHelp')}</Typography.Text>
            <Input.TextArea rows={2} maxLength={500} placeholder={t('person.eraseReason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="person-erase-reason" />
            <Input placeholder={t('person.eraseType', { id: personId })} value={typed} onChange={(e) => setTyped(e.target.value.trim())} data-testid="person-erase-typed" />
          </Space>
        }
        okText={t('person.erase')}
        okButtonProps={{ danger: true, disabled: typed !== String(personId), ...({ 'data-testid': 'person-erase-ok' } as Record<string, string>) }}
        onConfirm={erase}
        onOpenChange={(open) => {
          if (!open) setTyped('');
        }}
      >
        <Button danger icon={<DeleteOutlined />} data-testid="person-erase">
          {erased ? t('person.eraseAgain') : t('person.erase')}
        </Button>
      </Popconfirm>
    </Space>
  );
}
