import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ConnectionState } from './api/browser-bridge.js';
import { bridge } from './api/bridge.js';
import { ProjectsScreen } from './components/projects-screen.js';
import { AppResumeBanner } from './components/resume-banner.js';
import { ResultsScreen } from './components/results-screen.js';
import { RunScreen } from './components/run-screen.js';
import { SettingsScreen } from './components/settings-screen.js';
import { useRunStore } from './live/run-store.js';
import type { Route } from './navigation.js';
import { useNavigation } from './navigation.js';
import { invalidateForEvents, useHostInfo } from './queries.js';

export function App() {
  const client = useQueryClient();
  const apply = useRunStore((store) => store.apply);
  const route = useNavigation((nav) => nav.route);

  useEffect(
    () =>
      bridge.onEvent((events) => {
        apply(events);
        invalidateForEvents(client, events);
      }),
    [apply, client],
  );

  return (
    <div className="app">
      <Header route={route} />
      <ConnectionNotice />
      <AppResumeBanner />
      <main className="content" id="content">
        <Screen route={route} />
      </main>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'projects':
      return <ProjectsScreen />;
    case 'run':
      return <RunScreen key={route.sessionId} sessionId={route.sessionId} />;
    case 'results':
      return <ResultsScreen key={route.projectId} projectId={route.projectId} />;
    case 'settings':
      return <SettingsScreen />;
  }
}

function Header({ route }: { route: Route }) {
  const go = useNavigation((nav) => nav.go);
  const hostInfo = useHostInfo();
  const current = route.screen === 'settings' ? 'settings' : 'projects';
  return (
    <header className="app-header">
      <span className="brand" aria-label="Repograph">
        Repograph
      </span>
      <nav aria-label="Main">
        <button
          data-testid="nav-projects"
          aria-label="Projects"
          aria-current={current === 'projects' ? 'page' : undefined}
          className={current === 'projects' ? 'nav-link active' : 'nav-link'}
          onClick={() => go({ screen: 'projects' })}
        >
          Projects
        </button>
        <button
          data-testid="nav-settings"
          aria-label="Settings"
          aria-current={current === 'settings' ? 'page' : undefined}
          className={current === 'settings' ? 'nav-link active' : 'nav-link'}
          onClick={() => go({ screen: 'settings' })}
        >
          Settings
        </button>
      </nav>
      <span className="muted host-info">{hostInfo.data ? `${hostInfo.data.kind} · v${hostInfo.data.version}` : ''}</span>
    </header>
  );
}

function ConnectionNotice() {
  const [state, setState] = useState<ConnectionState>(() => bridge.connectionState());
  useEffect(() => bridge.onConnectionChange(setState), []);
  if (state !== 'reconnecting' && state !== 'closed') return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="connection-lost">
      {state === 'reconnecting'
        ? 'Lost the connection to the Repograph host; reconnecting… If the host was stopped, start it again (repograph serve).'
        : 'The connection to the Repograph host is closed: reload the page.'}
    </div>
  );
}
