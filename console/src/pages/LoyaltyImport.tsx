import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Space, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { post, type ProgramView } from '../api';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

interface Row {
  personId?: number;
  /** A member named by an identifier that OneID resolves (a phone, a unionid…) instead of a person id. */
  identifier?: { type: string; scope?: string; value: string };
  businessId: string;
  points: number;
  reason?: string;
  occurredAt?: string;
}

interface BadRow {
  line: number;
  field: string;
  reason: string;
}

/** Rows the API takes at once; a larger file is sent in several requests (each idempotent). */
const PER_REQUEST = 100_000;

/** RFC 4180 CSV: quoted fields (with "" inside), commas and CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Points in bulk from a CSV file (a migration, a campaign's award), through POST /programs/{p}/imports. */
export function PointsImport({ program }: { program: ProgramView }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [source, setSource] = useState('import');
  const [file, setFile] = useState<File | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ rows: number; posted: number; replayed: number; bad: BadRow[] } | null>(null);

  const run = async () => {
    if (!file) return;
    setRunning(true);
    setResult(null);
    try {
      const lines = parseCsv(await file.text()).filter((r) => r.some((f) => f.trim() !== ''));
      const header = (lines[0] ?? []).map((h) => h.trim().toLowerCase().replace(/_/g, ''));
      const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
      const at = {
        person: col('personid'), phone: col('phone', '手机号', '手机'), idType: col('identifiertype'), idScope: col('identifierscope'),
        idValue: col('identifier'), business: col('businessid'), points: col('points'), reason: col('reason'), time: col('occurredat'),
      };
      const bad: BadRow[] = [];
      const rows: Row[] = [];
      const lineOf: number[] = [];
      const memberColumnOf: string[] = []; // the column that named each row's member, for the API's answers
      lines.slice(1).forEach((r, i) => {
        const line = i + 2;
        const cell = (k: number) => (k >= 0 ? (r[k] ?? '').trim() : '');
        const person = cell(at.person);
        const phone = cell(at.phone);
        const idValue = cell(at.idValue);
        const points = cell(at.points);
        const time = cell(at.time);
        if (person !== '' && !/^\d+$/.test(person)) return bad.push({ line, field: 'person_id', reason: t('loyalty.importNotNumber', { v: person }) });
        if (person === '' && phone === '' && idValue === '') return bad.push({ line, field: 'person_id', reason: t('loyalty.importNoMember') });
        if (!/^-?\d+$/.test(points)) return bad.push({ line, field: 'points', reason: t('loyalty.importNotNumber', { v: points }) });
        const when = time === '' ? undefined : dayjs(time.replace(' ', 'T'));
        if (when && !when.isValid()) return bad.push({ line, field: 'occurred_at', reason: t('loyalty.importNotTime', { v: time }) });
        // a person id, when the file has one, is the member; else the phone or identifier
        const memberColumn = person !== '' ? 'person_id' : phone !== '' ? 'phone' : 'identifier';
        const identifier = memberColumn === 'phone' ? { type: 'phone', value: phone }
          : memberColumn === 'identifier' ? { type: cell(at.idType), scope: cell(at.idScope) || undefined, value: idValue } : undefined;
        rows.push({ personId: person === '' ? undefined : Number(person), identifier, businessId: cell(at.business), points: Number(points),
          reason: cell(at.reason) || undefined, occurredAt: when?.toISOString() });
        lineOf.push(line);
        memberColumnOf.push(memberColumn);
      });
      // the API's field of a rejected row, as the file's column
      const column = (field: string, row: number) => {
        const f = field.replace(/^earnings\[\d+\]\./, '');
        if (f === 'identifier.type') return 'identifier_type';
        if (f.startsWith('identifier')) return memberColumnOf[row];
        return f.replace(/([A-Z])/g, '_$1').toLowerCase();
      };
      let posted = 0;
      let replayed = 0;
      for (let from = 0; from < rows.length; from += PER_REQUEST) {
        const r = await post<{ posted: number; replayed: number; rejected: { index: number; field: string; reason: string }[] }>(
          `/api/v1/loyalty/programs/${program.code}/imports`, { source, earnings: rows.slice(from, from + PER_REQUEST) });
        posted += r.posted;
        replayed += r.replayed;
        r.rejected.forEach((x) =>
          bad.push({ line: lineOf[from + x.index], field: column(x.field, from + x.index), reason: x.reason }));
      }
      bad.sort((a, b) => a.line - b.line);
      setResult({ rows: lines.length - 1, posted, replayed, bad });
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary">{t('loyalty.importHelp')}</Typography.Paragraph>
      <Space wrap>
        <span data-testid="loyalty-import-source">
          <Input addonBefore={t('loyalty.importSource')} value={source} onChange={(e) => setSource(e.target.value)} style={{ width: 260 }} />
        </span>
        <span data-testid="loyalty-import-file">
          <Upload accept=".csv,text/csv" maxCount={1} beforeUpload={(f) => { setFile(f); setResult(null); return false; }}
            onRemove={() => setFile(null)}>
            <Button icon={<UploadOutlined />}>{t('loyalty.importChoose')}</Button>
          </Upload>
        </span>
        <Button type="primary" disabled={!file || !source.trim()} loading={running} onClick={run} data-testid="loyalty-import-run">
          {t('loyalty.importRun')}
        </Button>
      </Space>
      {result && (
        <Alert type={result.bad.length ? 'warning' : 'success'} showIcon data-testid="loyalty-import-result"
          message={t('loyalty.importResult', { rows: result.rows, posted: result.posted, replayed: result.replayed, bad: result.bad.length })} />
      )}
      {result && result.bad.length > 0 && (
        <Table<BadRow>
          rowKey={(b) => `${b.line}|${b.field}`}
          size="small"
          dataSource={result.bad}
          pagination={{ pageSize: 20 }}
          data-testid="loyalty-import-bad"
          columns={[
            { title: t('loyalty.importLine'), dataIndex: 'line', width: 90 },
            { title: t('loyalty.importColumn'), dataIndex: 'field', width: 140 },
            { title: t('loyalty.importReason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </Space>
  );
}
