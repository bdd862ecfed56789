// State-based routing: a handful of screens, no URLs to keep in sync.
import { create } from 'zustand';

export type Route =
  | { screen: 'projects' }
  | { screen: 'run'; sessionId: string }
  | { screen: 'results'; projectId: string; sessionId: string | null }
  | { screen: 'settings' };

interface Navigation {
  route: Route;
  go(route: Route): void;
}

export const useNavigation = create<Navigation>((set) => ({
  route: { screen: 'projects' },
  go: (route) => set({ route }),
}));
