import type { Settings } from '../../../shared/settings.js';

interface TargetSelectProps {
  settings: Settings | undefined;
  value: string;
  onChange(value: string): void;
}

export function TargetSelect({ settings, value, onChange }: TargetSelectProps) {
  const connections = settings?.neo4jConnections ?? [];
  return (
    <label className="field">
      <span>Target</span>
      <select data-testid="target-select" aria-label="Graph target" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="embedded">Embedded store (on this machine)</option>
        {connections.map((connection) => (
          <option key={connection.name} value={`neo4j:${connection.name}`}>
            Neo4j: {connection.name} ({connection.uri}
            {connection.database ? `, ${connection.database}` : ''})
          </option>
        ))}
      </select>
    </label>
  );
}
