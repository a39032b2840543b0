import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

/** The console's words. zh-CN is the default; every key must exist in both languages (checked by the type). */
const zh = {
  'app.name': '鱼塘 Pond',
  'app.tagline': '私域客户数据平台与全域会员',
  'login.title': '登录运营控制台',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '用户名或密码错误',
  'login.expired': '登录已过期，请重新登录',
  'menu.users': '用户与权限',
  'menu.keys': 'API 密钥',
  'menu.sources': '数据源',
  'menu.audit': '审计日志',
  'menu.account': '账号',
  'account.logout': '退出登录',
  'account.role': '角色',
  'account.channels': '渠道范围',
  'account.session': '会话有效期至',
  'language.switch': 'English',
  'role.admin': '管理员',
  'role.operator': '运营',
  'role.analyst': '分析师',
  'role.viewer': '只读',
  'channels.all': '全部渠道',
  'common.create': '新建',
  'common.cancel': '取消',
  'common.ok': '确定',
  'common.save': '保存',
  'common.refresh': '刷新',
  'common.actions': '操作',
  'common.createdAt': '创建时间',
  'common.name': '名称',
  'common.status': '状态',
  'common.active': '正常',
  'common.total': '共 {n} 条',
  'common.copied': '已复制',
  'common.copy': '复制',
  'common.newer': '较新',
  'common.older': '较早',
  'common.notFound': '页面不存在',
  'common.backHome': '返回首页',
  'users.title': '用户与权限',
  'users.create': '新建用户',
  'users.username': '用户名',
  'users.password': '初始密码',
  'users.role': '角色',
  'users.channels': '渠道范围',
  'users.channelsHelp': '留空表示可查看全部渠道的数据',
  'users.disabled': '已停用',
  'users.editAccess': '修改权限',
  'users.resetPassword': '重置密码',
  'users.newPassword': '新密码',
  'users.disable': '停用',
  'users.enable': '启用',
  'users.disableConfirm': '停用后该用户无法登录，其会话立即失效。确定停用？',
  'users.created': '用户已创建',
  'users.saved': '已保存',
  'users.passwordReset': '密码已重置，该用户的会话已失效',
  'keys.title': 'API 密钥',
  'keys.create': '新建密钥',
  'keys.kind': '类型',
  'keys.kind.server': '服务端密钥',
  'keys.kind.write': '写入密钥',
  'keys.source': '数据源',
  'keys.role': '角色',
  'keys.prefix': '前缀',
  'keys.createdBy': '创建者',
  'keys.revoked': '已吊销',
  'keys.revoke': '吊销',
  'keys.revokeConfirm': '吊销后使用该密钥的请求将被拒绝。确定吊销？',
  'keys.secretTitle': '请立即复制密钥',
  'keys.secretHelp': '密钥只显示这一次，Pond 只保存其哈希值。',
  'keys.kindHelp': '写入密钥用于 SDK 上报事件；服务端密钥用于调用管理 API。',
  'sources.title': '数据源',
  'sources.create': '新建数据源',
  'sources.name': '数据源名称',
  'sources.keys': '有效写入密钥',
  'sources.keyName': '密钥名称',
  'sources.help': '新建数据源会同时创建它的第一个写入密钥。',
  'audit.title': '审计日志',
  'audit.at': '时间',
  'audit.actor': '操作者',
  'audit.action': '动作',
  'audit.target': '对象',
  'audit.detail': '详情',
  'audit.chart': '本页动作分布',
  'error.generic': '请求失败',
  'error.forbidden': '当前角色无权执行此操作',
};

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  'app.name': 'Pond',
  'app.tagline': 'Private-domain CDP and omni-channel membership',
  'login.title': 'Sign in to the operations console',
  'login.username': 'User name',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'The user name or password is wrong',
  'login.expired': 'Your session has ended; please sign in again',
  'menu.users': 'Users & access',
  'menu.keys': 'API keys',
  'menu.sources': 'Sources',
  'menu.audit': 'Audit log',
  'menu.account': 'Account',
  'account.logout': 'Sign out',
  'account.role': 'Role',
  'account.channels': 'Channel scope',
  'account.session': 'Session valid until',
  'language.switch': '中文',
  'role.admin': 'Admin',
  'role.operator': 'Operator',
  'role.analyst': 'Analyst',
  'role.viewer': 'Viewer',
  'channels.all': 'All channels',
  'common.create': 'Create',
  'common.cancel': 'Cancel',
  'common.ok': 'OK',
  'common.save': 'Save',
  'common.refresh': 'Refresh',
  'common.actions': 'Actions',
  'common.createdAt': 'Created',
  'common.name': 'Name',
  'common.status': 'Status',
  'common.active': 'Active',
  'common.total': '{n} in total',
  'common.copied': 'Copied',
  'common.copy': 'Copy',
  'common.newer': 'Newer',
  'common.older': 'Older',
  'common.notFound': 'This page does not exist',
  'common.backHome': 'Back to the start',
  'users.title': 'Users & access',
  'users.create': 'New user',
  'users.username': 'User name',
  'users.password': 'Initial password',
  'users.role': 'Role',
  'users.channels': 'Channel scope',
  'users.channelsHelp': 'Leave empty to see data of every channel',
  'users.disabled': 'Disabled',
  'users.editAccess': 'Change access',
  'users.resetPassword': 'Reset password',
  'users.newPassword': 'New password',
  'users.disable': 'Disable',
  'users.enable': 'Enable',
  'users.disableConfirm': 'The user will no longer be able to sign in and their sessions end now. Disable?',
  'users.created': 'User created',
  'users.saved': 'Saved',
  'users.passwordReset': "Password reset; the user's sessions have ended",
  'keys.title': 'API keys',
  'keys.create': 'New key',
  'keys.kind': 'Kind',
  'keys.kind.server': 'Server key',
  'keys.kind.write': 'Write key',
  'keys.source': 'Source',
  'keys.role': 'Role',
  'keys.prefix': 'Prefix',
  'keys.createdBy': 'Created by',
  'keys.revoked': 'Revoked',
  'keys.revoke': 'Revoke',
  'keys.revokeConfirm': 'Requests with this key will be refused from now on. Revoke?',
  'keys.secretTitle': 'Copy the key now',
  'keys.secretHelp': 'The key is shown this once; Pond keeps only its hash.',
  'keys.kindHelp': 'Write keys send events from SDKs; server keys call the management API.',
  'sources.title': 'Sources',
  'sources.create': 'New source',
  'sources.name': 'Source name',
  'sources.keys': 'Active write keys',
  'sources.keyName': 'Key name',
  'sources.help': 'A new source is created together with its first write key.',
  'audit.title': 'Audit log',
  'audit.at': 'Time',
  'audit.actor': 'Actor',
  'audit.action': 'Action',
  'audit.target': 'Target',
  'audit.detail': 'Detail',
  'audit.chart': 'Actions on this page',
  'error.generic': 'The request failed',
  'error.forbidden': 'Your role does not allow this',
};

export type Language = 'zh-CN' | 'en';
const dictionaries: Record<Language, Record<Key, string>> = { 'zh-CN': zh, en };
const STORAGE_KEY = 'pond.language';

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: Key, values?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh-CN';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, values) => {
        let text = dictionaries[language][key] ?? key;
        for (const [name, v] of Object.entries(values ?? {})) text = text.replace(`{${name}}`, String(v));
        return text;
      },
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

export type { Key as MessageKey };
