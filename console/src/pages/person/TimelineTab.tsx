import { EditOutlined, GiftOutlined, MessageOutlined, RollbackOutlined, SafetyCertificateOutlined, ShoppingOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { get, query, yuan } from '../../api';
import { problemMessage } from '../../components/feedback';
import { useI18n } from '../../i18n';
import { TIMELINE_KINDS, type TimelineItem, type TimelinePage } from '../../opsApi';
import { at } from './format';

const PAGE_SIZE = 20;

const LOOK: Record<string, { icon: ReactNode; color: string }> = {
  event: { icon: <ThunderboltOutlined />, color: 'gray' },
  order: { icon: <ShoppingOutlined />, color: 'blue' },
  refund: { icon: <RollbackOutlined />, color: 'red' },
  points: { icon: <GiftOutlined />, color: 'gold' },
  message: { icon: <MessageOutlined />, color: 'cyan' },
  consent: { icon: <SafetyCertificateOutlined />, color: 'green' },
  trait: { icon: <EditOutlined />, color: 'purple' },
};

/** Everything that happened to the person, newest first, a page at a time ("load more"), filtered by kind. */
export function TimelineTab({ personId, version }: { personId: number; version: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [kinds, setKinds] = useState<string[]>([...TIMELINE_KINDS]);
  const [items, setItems] = useState<TimelineItem[]>([]);
  const [page, setPage] = useState(0);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (next: number) => {
      setLoading(true);
      try {
        const answer = await get<TimelinePage>(`/api/v1/persons/${personId}/timeline` + query({ page: next, size: PAGE_SIZE, kinds: kinds.join(',') }));
        setItems((before) => (next === 0 ? answer.items : [...before, ...answer.items]));
        setPage(next);
        setMore(answer.more);
      } catch (e) {
        message.error(problemMessage(e, t('error.generic')));
      } finally {
        setLoading(false);
      }
    },
    [personId, kinds, message, t],
  );

  useEffect(() => {
    if (kinds.length > 0) load(0);
    else {
      setItems([]);
      setMore(false);
    }
  }, [load, kinds, version]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Checkbox.Group value={kinds} onChange={(v) => setKinds(v as string[])} options={TIMELINE_KINDS.map((k) => ({ value: k, label: t(`timeline.${k}`) }))} data-testid="timeline-kinds" />
      {items.length === 0 && !loading ? (
        <Empty description={t('person.noTimeline')} data-testid="timeline-empty" />
      ) : (
        <Timeline
          data-testid="person-timeline"
          items={items.map((item, i) => ({
            key: `${item.kind}|${item.at}|${i}`,
            dot: LOOK[item.kind]?.icon,
            color: LOOK[item.kind]?.color ?? 'gray',
            children: (
              <div data-testid={`timeline-${item.kind}`}>
                <Typography.Text type="secondary">{at(item.at)}</Typography.Text> <Tag color={item.kind === 'event' ? undefined : LOOK[item.kind]?.color}>{t(`timeline.${item.kind}`)}</Tag>
                <Entry item={item} />
              </div>
            ),
          }))}
        />
      )}
      {more && (
        <Button onClick={() => load(page + 1)} loading={loading} data-testid="timeline-more">
          {t('person.loadMore')}
        </Button>
      )}
    </Space>
  );
}

/** The one line of an entry, by kind (the API's own summary for kinds it adds later). */
function Entry({ item }: { item: TimelineItem }) {
  const { t } = useI18n();
  const d = item.detail as Record<string, string | number | boolean | null>;
  switch (item.kind) {
    case 'order':
      return (
        <span>
          {t(`channel.${d.channel}`)} · <Link to={`/orders?order=${d.orderId}`}>{String(d.platformOrderId)}</Link> · {t(`orderStatus.${d.status}`)} · {yuan(d.paidFen as number)}
          {(d.refundedFen as number) > 0 && <Typography.Text type="danger"> ({t('orders.refunded')} {yuan(d.refundedFen as number)})</Typography.Text>}
        </span>
      );
    case 'refund':
      return (
        <span>
          <Link to={`/orders?order=${d.orderId}`}>{String(d.refundId)}</Link> · {String(d.state)} · <Typography.Text type="danger">{yuan(d.amountFen as number)}</Typography.Text>
        </span>
      );
    case 'points':
      return (
        <span>
          {String(d.program)} · {t(`pointsKind.${d.kind}`)} {d.kind === 'tier' ? String(d.detail) : `${(d.points as number) > 0 ? '+' : ''}${d.points}`}
          {d.kind !== 'tier' && d.detail && <Typography.Text type="secondary"> · {String(d.detail)}</Typography.Text>}
        </span>
      );
    case 'message':
      return (
        <span>
          {String(d.channel)} · {String(d.purpose)} · {String(d.recipient)} · {String(d.status)}
          {d.body && <Typography.Text type="secondary"> · {String(d.body)}</Typography.Text>}
        </span>
      );
    case 'consent':
      return (
        <span>
          {t(`purpose.${d.purpose}`)} · {d.granted ? t('person.granted') : t('person.withdrawn')} · {String(d.source)}
          {d.note && <Typography.Text type="secondary"> · {String(d.note)}</Typography.Text>}
        </span>
      );
    case 'trait':
      return (
        <span>
          {String(d.name)} {d.removed ? t('person.removed') : <>= {String(d.value)}</>} · {String(d.source)}
        </span>
      );
    case 'event':
      return (
        <span>
          {String(d.type)}
          {d.event && <Typography.Text strong> {String(d.event)}</Typography.Text>} <Typography.Text type="secondary">· {String(d.protocol)}</Typography.Text>
        </span>
      );
    default:
      return <span>{item.summary}</span>;
  }
}
