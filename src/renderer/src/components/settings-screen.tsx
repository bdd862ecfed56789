import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ConnectionInfo, Neo4jConnectionInput, SettingsInput } from '../../../shared/api.js';
import { settingsInputSchema } from '../../../shared/api.js';
import type { Settings } from '../../../shared/settings.js';
import { api } from '../api/bridge.js';
import { errorMessage, formatBytes } from '../format.js';
import { queryKeys, useSettings } from '../queries.js';

interface ConnectionDraft {
  key: number;
  name: string;
  uri: string;
  username: string;
  database: string;
  /** Empty keeps the stored password. */
  password: string;
  hasPassword: boolean;
}

interface SettingsDraft {
  workers: string;
  maxFilesPerWorkUnit: string;
  targetFilesPerWorkUnit: string;
  batchSize: string;
  embeddedBatchSize: string;
  maxFileBytes: string;
  maxAttempts: string;
  unitTimeoutMinutes: string;
  extraIgnore: string;
  connections: ConnectionDraft[];
}

let nextKey = 1;

function draftFrom(settings: Settings): SettingsDraft {
  return {
    workers: String(settings.workers),
    maxFilesPerWorkUnit: String(settings.maxFilesPerWorkUnit),
    targetFilesPerWorkUnit: String(settings.targetFilesPerWorkUnit),
    batchSize: String(settings.batchSize),
    embeddedBatchSize: String(settings.embeddedBatchSize),
    maxFileBytes: String(settings.maxFileBytes),
    maxAttempts: String(settings.maxAttempts),
    unitTimeoutMinutes: String(settings.unitTimeoutMs / 60_000),
    extraIgnore: settings.extraIgnore.join('\n'),
    connections: settings.neo4jConnections.map((c) => ({ ...c, key: nextKey++, password: '' })),
  };
}

function connectionInput(draft: ConnectionDraft): Neo4jConnectionInput {
  const input: Neo4jConnectionInput = { name: draft.name.trim(), uri: draft.uri.trim(), username: draft.username.trim(), database: draft.database.trim() };
  if (draft.password !== '') input.password = draft.password;
  return input;
}

/** Numbers are parsed loosely here; settingsInputSchema decides what is valid. */
export function settingsInputFrom(draft: SettingsDraft): unknown {
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  return {
    workers: number(draft.workers),
    maxFilesPerWorkUnit: number(draft.maxFilesPerWorkUnit),
    targetFilesPerWorkUnit: number(draft.targetFilesPerWorkUnit),
    batchSize: number(draft.batchSize),
    embeddedBatchSize: number(draft.embeddedBatchSize),
    maxFileBytes: number(draft.maxFileBytes),
    maxAttempts: number(draft.maxAttempts),
    unitTimeoutMs: Math.round(number(draft.unitTimeoutMinutes) * 60_000),
    extraIgnore: draft.extraIgnore.split('\n').map((line) => line.trim()).filter((line) => line !== ''),
    neo4jConnections: draft.connections.map(connectionInput),
  };
}

const FIELD_LABELS: Record<string, string> = {
  workers: 'Workers',
  maxFilesPerWorkUnit: 'Max files per work unit',
  targetFilesPerWorkUnit: 'Target files per work unit',
  batchSize: 'Batch size (Neo4j)',
  embeddedBatchSize: 'Batch size (local store)',
  maxFileBytes: 'Size cap',
  maxAttempts: 'Attempts per unit',
  unitTimeoutMs: 'Unit timeout',
  extraIgnore: 'Extra ignore patterns',
  name: 'name',
  uri: 'URI',
  username: 'user',
  database: 'database',
  password: 'password',
};

/** `neo4jConnections.1.uri` reads as `Neo4j connection 2, URI`. */
function issueLabel(path: readonly PropertyKey[]): string {
  const [first, index, field] = path;
  if (first === 'neo4jConnections' && typeof index === 'number') {
    return `Neo4j connection ${index + 1}${typeof field === 'string' ? `, ${FIELD_LABELS[field] ?? field}` : ''}`;
  }
  return typeof first === 'string' ? (FIELD_LABELS[first] ?? first) : 'Settings';
}

export function SettingsScreen() {
  const settings = useSettings();
  return (
    <div className="screen">
      <h1>Settings</h1>
      {settings.isPending ? <p className="muted">Loading…</p> : null}
      {settings.error ? <p className="error-text" role="alert">{errorMessage(settings.error)}</p> : null}
      {settings.data ? <SettingsForm settings={settings.data} /> : null}
    </div>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(() => draftFrom(settings));
  const [issues, setIssues] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (input: SettingsInput) => api.saveSettings(input),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.settings, saved);
      setDraft(draftFrom(saved));
    },
  });

  function update<K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]): void {
    setDraft((d) => ({ ...d, [key]: value }));
    save.reset();
  }

  function updateConnection(key: number, patch: Partial<ConnectionDraft>): void {
    update('connections', draft.connections.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    const parsed = settingsInputSchema.safeParse(settingsInputFrom(draft));
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((issue) => `${issueLabel(issue.path)}: ${issue.message}`));
      return;
    }
    setIssues([]);
    save.mutate(parsed.data);
  }

  const sizeBytes = Number(draft.maxFileBytes);
  return (
    <form onSubmit={submit} aria-label="Settings" noValidate>
      <section className="panel" aria-labelledby="neo4j-settings-heading">
        <div className="panel-head">
          <h2 id="neo4j-settings-heading">Neo4j connections</h2>
          <button
            type="button"
            data-testid="add-connection"
            aria-label="Add a Neo4j connection"
            onClick={() =>
              update('connections', [
                ...draft.connections,
                { key: nextKey++, name: draft.connections.length === 0 ? 'default' : '', uri: 'bolt://localhost:7687', username: 'neo4j', database: 'neo4j', password: '', hasPassword: false },
              ])
            }
          >
            Add connection
          </button>
        </div>
        {draft.connections.length === 0 ? <p className="muted">None yet. The embedded store needs no setup.</p> : null}
        {draft.connections.map((connection) => (
          <ConnectionEditor
            key={connection.key}
            connection={connection}
            onChange={(patch) => updateConnection(connection.key, patch)}
            onRemove={() => update('connections', draft.connections.filter((c) => c.key !== connection.key))}
          />
        ))}
      </section>

      <section className="panel" aria-labelledby="parsing-settings-heading">
        <h2 id="parsing-settings-heading">Parsing</h2>
        <div className="field-grid">
          <NumberField label="Workers" testId="settings-workers" value={draft.workers} onChange={(v) => update('workers', v)} hint="Parallel worker processes" />
          <NumberField label="Max files per work unit" testId="settings-max-files" value={draft.maxFilesPerWorkUnit} onChange={(v) => update('maxFilesPerWorkUnit', v)} hint="Larger folders are split" />
          <NumberField label="Target files per work unit" testId="settings-target-files" value={draft.targetFilesPerWorkUnit} onChange={(v) => update('targetFilesPerWorkUnit', v)} hint="Small folders are packed up to this" />
          <NumberField label="Batch size (Neo4j)" testId="settings-batch-size" value={draft.batchSize} onChange={(v) => update('batchSize', v)} hint="Nodes and edges per Neo4j write" />
          <NumberField
            label="Batch size (local store)"
            testId="settings-embedded-batch-size"
            value={draft.embeddedBatchSize}
            onChange={(v) => update('embeddedBatchSize', v)}
            hint="Nodes and edges per write to the embedded store"
          />
          <NumberField
            label="Size cap (bytes)"
            testId="settings-max-file-bytes"
            value={draft.maxFileBytes}
            onChange={(v) => update('maxFileBytes', v)}
            hint={Number.isFinite(sizeBytes) && sizeBytes > 0 ? `Larger files are skipped (${formatBytes(sizeBytes)})` : 'Larger files are skipped'}
          />
          <NumberField label="Attempts per unit" testId="settings-max-attempts" value={draft.maxAttempts} onChange={(v) => update('maxAttempts', v)} hint="Before a unit counts as failed" />
          <NumberField label="Unit timeout (minutes)" testId="settings-unit-timeout" value={draft.unitTimeoutMinutes} onChange={(v) => update('unitTimeoutMinutes', v)} hint="A worker over it is restarted" />
        </div>
        <label className="field">
          <span>Extra ignore patterns (gitignore syntax, one per line)</span>
          <textarea
            data-testid="settings-extra-ignore"
            aria-label="Extra ignore patterns, one per line"
            rows={4}
            spellCheck={false}
            value={draft.extraIgnore}
            onChange={(e) => update('extraIgnore', e.target.value)}
          />
        </label>
      </section>

      {issues.length > 0 ? (
        <ul className="banner banner-error" role="alert" data-testid="settings-issues">
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
      {save.error ? <p className="error-text" role="alert">{errorMessage(save.error)}</p> : null}
      <div className="row">
        <button type="submit" className="primary" data-testid="save-settings" aria-label="Save settings" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        {save.isSuccess ? <span role="status" data-testid="settings-saved">Saved.</span> : null}
      </div>
    </form>
  );
}

function NumberField({ label, value, onChange, hint, testId }: { label: string; value: string; onChange(value: string): void; hint: string; testId: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" inputMode="numeric" min={1} data-testid={testId} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} />
      <small className="muted">{hint}</small>
    </label>
  );
}

type TestOutcome = { ok: true; info: ConnectionInfo } | { ok: false; message: string };

function ConnectionEditor({ connection, onChange, onRemove }: { connection: ConnectionDraft; onChange(patch: Partial<ConnectionDraft>): void; onRemove(): void }) {
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const test = useMutation({
    mutationFn: () => api.testConnection(connectionInput(connection)),
    onMutate: () => setOutcome(null),
    onSuccess: (info) => setOutcome({ ok: true, info }),
    onError: (error) => setOutcome({ ok: false, message: errorMessage(error) }),
  });
  const label = connection.name || 'new connection';
  return (
    <fieldset className="connection" data-testid="neo4j-connection">
      <legend>{label}</legend>
      <div className="field-grid">
        <TextField label="Name" testId="neo4j-name" value={connection.name} onChange={(name) => onChange({ name })} />
        <TextField label="URI" testId="neo4j-uri" value={connection.uri} onChange={(uri) => onChange({ uri })} placeholder="bolt://localhost:7687" />
        <TextField label="User" testId="neo4j-user" value={connection.username} onChange={(username) => onChange({ username })} />
        <TextField label="Database" testId="neo4j-database" value={connection.database} onChange={(database) => onChange({ database })} placeholder="neo4j" />
        <TextField
          label="Password"
          testId="neo4j-password"
          type="password"
          value={connection.password}
          onChange={(password) => onChange({ password })}
          placeholder={connection.hasPassword ? 'Stored: leave empty to keep it' : 'Not set'}
        />
      </div>
      <div className="row">
        <button type="button" data-testid="neo4j-test-button" aria-label={`Test the connection ${label}`} disabled={test.isPending} onClick={() => test.mutate()}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="quiet" aria-label={`Remove the connection ${label}`} onClick={onRemove}>
          Remove
        </button>
        {outcome ? (
          <span data-testid="neo4j-test-result" role="status" data-ok={outcome.ok} className={outcome.ok ? 'ok-text' : 'error-text'}>
            {outcome.ok
              ? `Connected: Neo4j ${outcome.info.serverVersion} ${outcome.info.edition} at ${outcome.info.address}, database ${outcome.info.database}`
              : outcome.message}
          </span>
        ) : null}
      </div>
    </fieldset>
  );
}

function TextField(props: { label: string; value: string; onChange(value: string): void; testId: string; type?: string; placeholder?: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        data-testid={props.testId}
        aria-label={props.label}
        value={props.value}
        placeholder={props.placeholder}
        spellCheck={false}
        autoComplete={props.type === 'password' ? 'new-password' : 'off'}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
