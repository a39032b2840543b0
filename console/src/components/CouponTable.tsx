import { SendOutlined } from '@ant-design/icons';
import { Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { yuan } from '../api';
import { useI18n } from '../i18n';
import type { WalletCoupon } from '../opsApi';

/** A member's coupons (the coupons page's wallet and the customer page): code, template, state, validity, use. */
export function CouponTable({ coupons, testId }: { coupons: WalletCoupon[]; testId: string }) {
  const { t } = useI18n();
  return (
    <Table<WalletCoupon>
      rowKey="id"
      size="small"
      dataSource={coupons}
      data-testid={testId}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('coupons.couponCode'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
        { title: t('coupons.template'), dataIndex: 'templateName' },
        { title: t('coupons.kind'), dataIndex: 'kind', render: (k: string) => t(`coupons.kind.${k.toLowerCase()}` as 'coupons.kind.fixed') },
        { title: t('common.status'), key: 's', render: (_: unknown, c) => <Tag icon={<SendOutlined />}>{c.expired && c.status === 'ISSUED' ? t('couponStatus.EXPIRED') : t(`couponStatus.${c.status}` as 'couponStatus.ISSUED')}</Tag> },
        { title: t('coupons.source'), dataIndex: 'source' },
        { title: t('coupons.validity'), key: 'v', render: (_: unknown, c) => `${dayjs(c.validFrom).format('YYYY-MM-DD')} ~ ${dayjs(c.validUntil).format('YYYY-MM-DD')}` },
        { title: t('coupons.order'), dataIndex: 'orderKey' },
        { title: t('orders.discount'), dataIndex: 'discountFen', render: (v?: number) => (v == null ? '—' : yuan(v)) },
      ]}
    />
  );
}
