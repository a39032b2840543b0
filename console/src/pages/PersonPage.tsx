import { App, Card, Empty, Space, Tabs, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { get, getOrNull, type GraphView, type PersonView } from '../api';
import { useAuth } from '../auth';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';
import type { ProfileView } from '../opsApi';
import { ConsentsTab } from './person/ConsentsTab';
import { IdentityTab } from './person/IdentityTab';
import { OverviewTab } from './person/OverviewTab';
import { PrivacyActions } from './person/PrivacyActions';
import { TimelineTab } from './person/TimelineTab';

const TABS = ['overview', 'identity', 'timeline', 'consents'] as const;

/**
 * One person (OneID), the member 360: profile (traits, metrics, tags, loyalty, coupons), the identity
 * graph with its evidence and merges, the timeline, consents; export and erasure for admins. A
 * merged-away person shows only its identifiers and a link to the survivor.
 */
export function PersonPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [person, setPerson] = useState<PersonView | null>(null);
  const [graph, setGraph] = useState<GraphView | null>(null);
  const [profile, setProfile] = useState<ProfileView | null>(null);
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0); // bumped when something the timeline shows changed here
  const mayChange = me?.role === 'admin' || me?.role === 'operator';
  const tab = TABS.find((k) => k === params.get('tab')) ?? 'overview';

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const p = await get<PersonView>(`/api/v1/persons/${id}`);
      setPerson(p);
      const [g, pr] = p.mergedInto ? [null, null] : await Promise.all([get<GraphView>(`/api/v1/persons/${id}/graph`), getOrNull<ProfileView>(`/api/v1/persons/${id}/profile`)]);
      setGraph(g);
      setProfile(pr);
    } catch (e) {
      setPerson(null);
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [id, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const changed = useCallback(async () => {
    setVersion((v) => v + 1);
    setProfile(await getOrNull<ProfileView>(`/api/v1/persons/${id}/profile`).catch(() => null));
  }, [id]);

  if (!person) return <Card loading={loading}>{!loading && <Empty description={t('persons.notFound')} />}</Card>;

  const identity = <IdentityTab person={person} graph={graph} mayChange={mayChange} reload={load} />;
  return (
    <Card
      title={
        <span data-testid="person-title">
          OneID {person.personId} {person.mergedInto && <Tag color="orange">{t('persons.mergedInto')} <Link to={`/persons/${person.mergedInto}`}>{person.mergedInto}</Link></Tag>}
          {profile?.pseudonym && (
            <Tooltip title={t('person.erasedHelp')}>
              <Tag color="volcano" data-testid="person-pseudonym">
                {t('person.erasedAs', { pseudonym: profile.pseudonym })}
              </Tag>
            </Tooltip>
          )}
        </span>
      }
      extra={
        !person.mergedInto && (
          <Space>
            {profile &&
              Object.entries(profile.consents)
                .filter(([, granted]) => granted)
                .map(([purpose]) => (
                  <Tag key={purpose} color="green">
                    {t(`purpose.${purpose}`)}
                  </Tag>
                ))}
            {me?.role === 'admin' && <PrivacyActions personId={person.personId} erased={!!profile?.pseudonym} onErased={() => load().then(() => setVersion((v) => v + 1))} />}
          </Space>
        )
      }
    >
      {person.mergedInto ? (
        identity
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          data-testid="person-tabs"
          items={[
            { key: 'overview', label: t('person.tab.overview'), children: <OverviewTab personId={person.personId} profile={profile} /> },
            { key: 'identity', label: t('person.tab.identity'), children: identity },
            { key: 'timeline', label: t('person.tab.timeline'), children: <TimelineTab personId={person.personId} version={version} /> },
            { key: 'consents', label: t('person.tab.consents'), children: <ConsentsTab personId={person.personId} mayChange={mayChange} onChanged={changed} /> },
          ]}
        />
      )}
    </Card>
  );
}
