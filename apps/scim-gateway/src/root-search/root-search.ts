import { Injectable } from '@nestjs/common';
import { buildListResponse, type ListRequest, ScimError } from '@axis/scim';
import type { ScimPrincipal } from '../auth/scim-bearer.guard';
import { GroupSearch } from '../groups/list-groups/group-search';
import { UserSearch } from '../users/list-users/user-search';

/** One resource type's answer to a search, as its own `/.search` gives it. */
export interface TypeSearchAnswer {
  totalResults: number;
  Resources: unknown[];
}

export type TypeSearch = (request: ListRequest) => Promise<TypeSearchAnswer>;

/**
 * `POST /.search` at the root (RFC 7644 §3.4.3): Users, then Groups, each in its own order (its
 * sortBy when the type has that attribute, else creation order), paged as one list. A type that
 * does not know an attribute of the filter matches nothing (a Group has no `userName`); a filter
 * that neither type knows is the invalidFilter either would answer. Each type's search is the one
 * its own endpoint runs: the same compiler, read-your-writes wait and page budget.
 */
@Injectable()
export class RootSearch {
  constructor(
    private readonly users: UserSearch,
    private readonly groups: GroupSearch,
  ) {}

  search(principal: ScimPrincipal, request: ListRequest): Promise<Record<string, unknown>> {
    return searchAcrossTypes(request, [
      async (typeRequest) => listAnswerOf(await this.users.search(principal, typeRequest)),
      async (typeRequest) => listAnswerOf(await this.groups.search(principal.workspaceId, principal.endpoint, typeRequest)),
    ]);
  }
}

/** The total and the page of a type's ListResponse body. */
function listAnswerOf(body: Record<string, unknown>): TypeSearchAnswer {
  const { totalResults, Resources } = body;
  if (typeof totalResults !== 'number' || !Array.isArray(Resources)) throw new TypeError('A resource search answered something other than a ListResponse');
  return { totalResults, Resources };
}

/**
 * Pages across the types in order: a type is asked for the part of the page that falls in it, and
 * for its total alone (count 0) once the page is full. A page a type's budget cut short ends the
 * list there, so that the next page (its startIndex counted by the client) continues where this
 * one stopped. A sortBy is refused only when no type knows it, a filter only when no type does.
 */
export async function searchAcrossTypes(request: ListRequest, searches: readonly TypeSearch[]): Promise<Record<string, unknown>> {
  const resources: unknown[] = [];
  let totalResults = 0;
  let pageEnded = request.count === 0;
  let answered = 0;
  let sorted = false;
  let filterRefusal: ScimError | undefined;
  let sortRefusal: ScimError | undefined;
  for (const search of searches) {
    const skip = Math.max(0, request.startIndex - 1 - totalResults);
    const count = pageEnded ? 0 : request.count - resources.length;
    const outcome = await searchOneType(search, { ...request, startIndex: skip + 1, count });
    if (outcome instanceof ScimError) {
      filterRefusal ??= outcome;
      continue;
    }
    const { answer } = outcome;
    answered += 1;
    if (outcome.sortRefusal === undefined) sorted = true;
    else sortRefusal ??= outcome.sortRefusal;
    resources.push(...answer.Resources);
    const available = Math.min(count, Math.max(0, answer.totalResults - skip));
    if (answer.Resources.length < available || resources.length >= request.count) pageEnded = true;
    totalResults += answer.totalResults;
  }
  if (answered === 0 && filterRefusal !== undefined) throw filterRefusal;
  if (!sorted && sortRefusal !== undefined) throw sortRefusal;
  return { ...buildListResponse(resources, totalResults, request) };
}

/**
 * The type's answer; in its default order, with the refusal, when the type does not know the
 * sortBy. A filter the type cannot read is its refusal, returned.
 */
async function searchOneType(search: TypeSearch, request: ListRequest): Promise<{ answer: TypeSearchAnswer; sortRefusal?: ScimError } | ScimError> {
  try {
    return { answer: await search(request) };
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    if (error.scimType === 'invalidFilter') return error;
    if (error.scimType !== 'invalidValue' || request.sortBy === undefined || !/sort by/i.test(error.detail)) throw error;
    const { sortBy: _unknownToThisType, ...unsorted } = request;
    const outcome = await searchOneType(search, unsorted);
    return outcome instanceof ScimError ? outcome : { answer: outcome.answer, sortRefusal: error };
  }
}
