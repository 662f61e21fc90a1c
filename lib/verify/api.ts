// The answers verify reads, checked against the official @goauthentik/api models of the
// configured minor (their FromJSON and instanceOf functions and enums): a response that does not
// match is a VerifyError, never a guess. Pagination follows `pagination.next` to the last page.
import * as bp2 from 'authentik-api-2026.2/dist/models/PaginatedBlueprintInstanceList';
import * as st2 from 'authentik-api-2026.2/dist/models/BlueprintInstanceStatusEnum';
import * as in2 from 'authentik-api-2026.2/dist/models/BlueprintInstance';
import * as pg2 from 'authentik-api-2026.2/dist/models/Pagination';
import * as bp5 from 'authentik-api-2026.5/dist/models/PaginatedBlueprintInstanceList';
import * as st5 from 'authentik-api-2026.5/dist/models/BlueprintInstanceStatusEnum';
import * as in5 from 'authentik-api-2026.5/dist/models/BlueprintInstance';
import * as pg5 from 'authentik-api-2026.5/dist/models/Pagination';
import * as bp8 from 'authentik-api-2026.8/dist/models/PaginatedBlueprintInstanceList';
import * as st8 from 'authentik-api-2026.8/dist/models/BlueprintInstanceStatusEnum';
import * as in8 from 'authentik-api-2026.8/dist/models/BlueprintInstance';
import * as pg8 from 'authentik-api-2026.8/dist/models/Pagination';
import { VerifyError, type Source } from './source';

/** A BlueprintInstance as verify uses it. */
export interface Instance {
  name: string;
  path: string;
  status: string;
  lastAppliedHash: string;
  enabled: boolean;
}

interface Page {
  next: number;
  results: Instance[];
}

/** The @goauthentik/api models of each supported minor. */
export const MODELS = {
  '2026.2': { list: bp2, status: st2, instance: in2, pagination: pg2 },
  '2026.5': { list: bp5, status: st5, instance: in5, pagination: pg5 },
  '2026.8': { list: bp8, status: st8, instance: in8, pagination: pg8 },
} as const;

type Models = (typeof MODELS)[keyof typeof MODELS];
import { isRecord } from '../base/records';

function modelsOf(minor: string): Models {
  const m = (MODELS as Record<string, Models>)[minor];
  if (!m) throw new VerifyError(`Authentik ${minor}: verify knows the API of ${Object.keys(MODELS).join(', ')} only`);
  return m;
}

/** One page of /api/v3/managed/blueprints/, validated; `what` names it in messages. */
function parsePage(json: unknown, models: Models, what: string): Page {
  const bad = (why: string) => new VerifyError(`${what}: ${why}; is this an Authentik server of the configured minor?`);
  if (!isRecord(json) || !Array.isArray(json.results) || !isRecord(json.pagination)) throw bad('not a paginated blueprint list');
  let page: ReturnType<Models['list']['PaginatedBlueprintInstanceListFromJSON']>;
  try {
    page = models.list.PaginatedBlueprintInstanceListFromJSON(json);
  } catch {
    throw bad('does not match the BlueprintInstance list schema');
  }
  if (!models.list.instanceOfPaginatedBlueprintInstanceList(page) || !models.pagination.instanceOfPagination(page.pagination))
    throw bad('does not match the BlueprintInstance list schema');
  const results = page.results.map((r, i) => {
    const raw = (json.results as unknown[])[i];
    if (!isRecord(raw) || !models.instance.instanceOfBlueprintInstance(r) || typeof raw.path !== 'string')
      throw bad(`result ${i} is not a BlueprintInstance`);
    if (!models.status.instanceOfBlueprintInstanceStatusEnum(raw.status))
      throw bad(`result ${i} has an unknown status ${String(raw.status)}`);
    return { name: r.name, path: raw.path, status: String(raw.status), lastAppliedHash: r.lastAppliedHash, enabled: r.enabled !== false };
  });
  return { next: page.pagination.next, results };
}

/** Every BlueprintInstance, over all pages (a bounded number, so a server cannot keep verify paging forever). */
export async function blueprintInstances(get: Source, base: URL, minor: string, maxPages = 1000): Promise<Instance[]> {
  const models = modelsOf(minor);
  const out: Instance[] = [];
  for (let page = 1; page > 0;) {
    if (page > maxPages) throw new VerifyError(`${base.origin}: more than ${maxPages} pages of blueprint instances`);
    const url = new URL(`/api/v3/managed/blueprints/?page=${page}&page_size=100`, base).href;
    const p = parsePage(await get(url), models, `GET /api/v3/managed/blueprints/ page ${page}`);
    out.push(...p.results);
    // Authentik's pagination: `next` is the next page number, 0 on the last page.
    if (p.next !== 0 && p.next <= page) throw new VerifyError(`${base.origin}: pagination goes back from page ${page} to ${p.next}`);
    page = p.next;
  }
  return out;
}
