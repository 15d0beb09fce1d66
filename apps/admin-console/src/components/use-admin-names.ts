import { api } from '../api/client';
import { dataOf } from '../api/data';
import { useWorkspacePath } from '../session';
import { useLoad } from './use-load';

/**
 * Who `admin:<key prefix>` is: the admin keys' descriptions name the admins. Records that keep only
 * the actor (tokens' and keys' "created by", role mappings' "changed by") are shown with the name.
 */
export function useAdminNames(): (actor: string) => string | null {
  const path = useWorkspacePath();
  const keys = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/admin-keys', { params: { path } })), path.slug);
  const names = new Map<string, string>((keys.data?.items ?? []).flatMap((key) => (key.description ? [[`admin:${key.prefix}`, key.description] as const] : [])));
  return (actor) => names.get(actor) ?? null;
}
