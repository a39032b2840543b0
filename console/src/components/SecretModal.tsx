import { Alert, Modal, Typography } from 'antd';
import { useI18n } from '../i18n';

/** Shows a just-created secret, the one time it can be seen. */
export function SecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open={secret !== null} title={t('keys.secretTitle')} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }}
      okButtonProps={{ 'data-testid': 'secret-ok' } as Record<string, string>}
    >
      <Alert type="warning" showIcon message={t('keys.secretHelp')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph code copyable={{ text: secret ?? '' }} data-testid="new-secret" style={{ fontSize: 15 }}>
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
