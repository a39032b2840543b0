import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { get, query, yuan, ORDER_CHANNELS, ORDER_STATUSES, type OrderPage, type OrderView, type PersonView } from '../api';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

interface Filter {
  channel?: string;
  shop?: string;
  status?: string;
  buyerType?: string;
  buyerValue?: string;
  range?: [Dayjs, Dayjs];
}

const STATUS_COLORS: Record<string, string> = { PAID: 'blue', SHIPPED: 'cyan', DELIVERED: 'geekblue', COMPLETED: 'green', CANCELLED: 'default', CLOSED: 'default' };

/** Orders from every channel, newest first, filtered by channel, shop, status, buyer and date; one order in a drawer. */
export function OrdersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Filter>();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(0);
  const [size, setSize] = useState(20);
  const [data, setData] = useState<OrderPage>({ items: [], total: 0, page: 0, size: 20 });
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<OrderView | null>(null);
  const [params, setParams] = useSearchParams();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(
        await get<OrderPage>(
          '/api/v1/orders' +
            query({
              channel: filter.channel,
              shop: filter.shop,
              status: filter.status,
              buyerType: filter.buyerValue ? filter.buyerType : undefined,
              buyerValue: filter.buyerValue,
              from: filter.range?.[0]?.format('YYYY-MM-DD'),
              to: filter.range?.[1]?.format('YYYY-MM-DD'),
              page,
              size,
            }),
        ),
      );
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [filter, page, size, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const show = useCallback(
    async (id: number | string) => {
      try {
        setOpen(await get<OrderView>(`/api/v1/orders/${id}`));
      } catch (e) {
        message.error(problemMessage(e, t('error.generic')));
      }
    },
    [message, t],
  );

  // a deep link to one order (the customer page's timeline links here): ?order=<id> opens its drawer
  const linked = params.get('order');
  useEffect(() => {
    if (linked) show(linked);
  }, [linked, show]);

  const close = () => {
    setOpen(null);
    if (linked) setParams({}, { replace: true });
  };

  return (
    <Card
      title={t('orders.title')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={load}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        initialValues={{ buyerType: 'taobao_ouid' }}
        onFinish={(v) => {
          setPage(0);
          setFilter(v);
        }}
        data-testid="orders-filter"
      >
        <Form.Item name="channel">
          <Select allowClear placeholder={t('orders.channel')} style={{ width: 140 }} options={ORDER_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} data-testid="orders-channel" />
        </Form.Item>
        <Form.Item name="shop">
          <Input allowClear placeholder={t('orders.shop')} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder={t('common.status')} style={{ width: 150 }} options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orderStatus.${s}`) }))} />
        </Form.Item>
        <Form.Item name="buyerType">
          <Input placeholder={t('orders.buyerType')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="buyerValue">
          <Input allowClear placeholder={t('orders.buyerValue')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="orders-search">
            {t('persons.find')}
          </Button>
        </Form.Item>
      </Form>
      <Table<OrderView>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data.items}
        data-testid="orders-table"
        onRow={(o) => ({ onClick: () => show(o.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page + 1,
          pageSize: size,
          total: data.total,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, s) => {
            setPage(s !== size ? 0 : p - 1);
            setSize(s);
          },
        }}
        columns={[
          { title: t('orders.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          { title: t('orders.channel'), dataIndex: 'channel', width: 100, render: (c: string) => t(`channel.${c}`) },
          { title: t('orders.shop'), dataIndex: 'shopId', width: 120 },
          { title: t('orders.number'), dataIndex: 'platformOrderId' },
          { title: t('common.status'), dataIndex: 'status', width: 110, render: (s: string) => <Tag color={STATUS_COLORS[s]}>{t(`orderStatus.${s}`)}</Tag> },
          { title: t('orders.paid'), dataIndex: 'paidFen', align: 'right', width: 110, render: yuan },
          { title: t('orders.refunded'), dataIndex: 'refundedFen', align: 'right', width: 110, render: (v: number) => (v ? <Typography.Text type="danger">{yuan(v)}</Typography.Text> : '—') },
          { title: t('orders.buyers'), dataIndex: 'buyers', render: (b: OrderView['buyers']) => b.map((i) => <Tag key={i.type + i.value}>{i.type}</Tag>) },
        ]}
      />
      <Drawer width={720} open={!!open} onClose={close} title={open && `${t(`channel.${open.channel}`)} · ${open.platformOrderId}`}>
        {open && <OrderDetail order={open} />}
      </Drawer>
    </Card>
  );
}

function OrderDetail({ order }: { order: OrderView }) {
  const { t } = useI18n();
  const [persons, setPersons] = useState<Record<string, number | null>>({});

  useEffect(() => {
    let live = true;
    Promise.all(
      order.buyers.map((b) =>
        get<PersonView>('/api/v1/persons/lookup' + query({ type: b.type, scope: b.scope, value: b.value })).then(
          (p) => [b.type + b.value, p.personId] as const,
          () => [b.type + b.value, null] as const,
        ),
      ),
    ).then((pairs) => live && setPersons(Object.fromEntries(pairs)));
    return () => {
      live = false;
    };
  }, [order]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Descriptions size="small" column={2} bordered data-testid="order-detail">
        <Descriptions.Item label={t('common.status')}>
          {t(`orderStatus.${order.status}`)} <Typography.Text type="secondary">({order.rawStatus})</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('orders.shop')}>{order.shopId}</Descriptions.Item>
        <Descriptions.Item label={t('orders.paid')}>{yuan(order.paidFen)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.discount')}>{yuan(order.discountFen)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.shipping')}>{yuan(order.shippingFen)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.refunded')}>{yuan(order.refundedFen)}</Descriptions.Item>
        <Descriptions.Item label={t('orders.createdAt')}>{dayjs(order.createdAt).format('YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
        <Descriptions.Item label={t('orders.paidAt')}>{order.paidAt && dayjs(order.paidAt).format('YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
        <Descriptions.Item label={t('orders.buyers')} span={2}>
          {order.buyers.map((b) => {
            const person = persons[b.type + b.value];
            return (
              <div key={b.type + b.value}>
                <Tag>{b.type}</Tag>
                {b.scope && <Typography.Text type="secondary">{b.scope} · </Typography.Text>}
                {b.value} {person && <Link to={`/persons/${person}`}>→ OneID {person}</Link>}
              </div>
            );
          })}
        </Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="lineId"
        size="small"
        pagination={false}
        dataSource={order.lines}
        columns={[
          { title: 'SKU', dataIndex: 'sku' },
          { title: t('orders.item'), dataIndex: 'title' },
          { title: t('orders.category'), dataIndex: 'category' },
          { title: t('orders.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('orders.paid'), dataIndex: 'paidFen', align: 'right', render: yuan },
          { title: t('orders.refundStatus'), dataIndex: 'refundStatus' },
        ]}
      />
      {order.refunds.length > 0 && (
        <Table
          rowKey="refundId"
          size="small"
          pagination={false}
          dataSource={order.refunds}
          columns={[
            { title: t('orders.refundId'), dataIndex: 'refundId' },
            { title: 'line', dataIndex: 'lineId' },
            { title: t('common.status'), dataIndex: 'state' },
            { title: t('orders.refunded'), dataIndex: 'amountFen', align: 'right', render: yuan },
            { title: t('audit.at'), dataIndex: 'modifiedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          ]}
        />
      )}
      {order.rawPayload ? (
        <details>
          <summary>{t('orders.raw')}</summary>
          <Typography.Paragraph copyable style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 12 }}>
            {order.rawPayload}
          </Typography.Paragraph>
        </details>
      ) : (
        <Typography.Text type="secondary">{t('orders.rawHidden')}</Typography.Text>
      )}
    </Space>
  );
}
