import { createContext, useContext } from 'react';
import type { ConsoleSessionView } from './api/types';

export interface SessionContextValue {
  session: ConsoleSessionView;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in console');
  return value;
}

/** The `{ slug }` path parameter every workspace route takes. */
export function useWorkspacePath(): { slug: string } {
  return { slug: useSession().session.workspace };
}
