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
import * as tl2 from 'authentik-api-2026.2/dist/models/PaginatedTaskList';
import * as tk2 from 'authentik-api-2026.2/dist/models/Task';
import * as le2 from 'authentik-api-2026.2/dist/models/LogEvent';
import * as tl5 from 'authentik-api-2026.5/dist/models/PaginatedTaskList';
import * as tk5 from 'authentik-api-2026.5/dist/models/Task';
import * as le5 from 'authentik-api-2026.5/dist/models/LogEvent';
import * as tl8 from 'authentik-api-2026.8/dist/models/PaginatedTaskList';
import * as tk8 from 'authentik-api-2026.8/dist/models/Task';
import * as le8 from 'authentik-api-2026.8/dist/models/LogEvent';
import { VerifyError, type Source } from './source';
import { isRecord } from '../base/records';

/** A BlueprintInstance as verify uses it. */
export interface Instance {
  /** The instance's primary key: its apply tasks carry it as rel_obj_id. */
  pk: string;
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
  '2026.2': { list: bp2, status: st2, instance: in2, pagination: pg2, tasks: tl2, task: tk2, log: le2 },
  '2026.5': { list: bp5, status: st5, instance: in5, pagination: pg5, tasks: tl5, task: tk5, log: le5 },
  '2026.8': { list: bp8, status: st8, instance: in8, pagination: pg8, tasks: tl8, task: tk8, log: le8 },
} as const;

type Models = (typeof MODELS)[keyof typeof MODELS];

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
    return {
      pk: String(r.pk),
      name: r.name,
      path: raw.path,
      status: String(raw.status),
      lastAppliedHash: r.lastAppliedHash,
      enabled: r.enabled !== false,
    };
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

/**
 * The apply task's actor: django_dramatiq_postgres names an actor `<module>.<function>`, and
 * apply_blueprint (authentik/blueprints/v1/tasks.py) runs with the instance as its rel_obj, so its
 * tasks carry the instance's pk as rel_obj_id. The admin UI lists them the same way
 * (web/src/admin/blueprints/BlueprintListPage.ts, ak-task-list with relObjId).
 */
export const APPLY_ACTOR = 'authentik.blueprints.v1.tasks.apply_blueprint';
/** Log levels worth showing in a finding (LogLevelEnum): what made the apply fail. */
const SHOWN_LEVELS = new Set(['critical', 'exception', 'error', 'warn', 'warning']);
const MAX_MESSAGES = 3;

/** A task message as a finding shows it: one line, control characters replaced, at most 160 characters (as the Python check). */
export function taskMessage(event: string): string {
  const one = event
    .replace(/\s+/g, ' ')
    .trim()
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f]/g, '?');
  const chars = Array.from(one);
  return chars.length > 160 ? `${chars.slice(0, 160).join('')}…` : one;
}

/**
 * The latest apply task's warning and error messages for a BlueprintInstance: the task list
 * `/api/v3/tasks/tasks/` (TaskViewSet, authentik/tasks/api/tasks.py; TasksApi.tasksTasksList in
 * @goauthentik/api 2026.2, 2026.5 and 2026.8 alike), filtered by actor_name and rel_obj_id, newest
 * first; each task serialises its messages as `logs` (LogEventSerializer). Validated with the minor's models.
 */
export async function applyTaskMessages(get: Source, base: URL, minor: string, instancePk: string): Promise<string[]> {
  const m = modelsOf(minor);
  const query = `actor_name=${APPLY_ACTOR}&rel_obj_id=${encodeURIComponent(instancePk)}&ordering=-mtime&page=1&page_size=1`;
  const json = await get(new URL(`/api/v3/tasks/tasks/?${query}`, base).href);
  const bad = () =>
    new VerifyError('GET /api/v3/tasks/tasks/: does not match the Task list schema; is this an Authentik server of the configured minor?');
  if (!isRecord(json) || !Array.isArray(json.results) || !isRecord(json.pagination)) throw bad();
  let page: ReturnType<Models['tasks']['PaginatedTaskListFromJSON']>;
  try {
    page = m.tasks.PaginatedTaskListFromJSON(json);
  } catch {
    throw bad();
  }
  if (
    !m.tasks.instanceOfPaginatedTaskList(page) ||
    !page.results.every((t) => m.task.instanceOfTask(t) && t.logs.every((l) => m.log.instanceOfLogEvent(l)))
  )
    throw bad();
  const [task] = page.results;
  return (task?.logs ?? [])
    .filter((l) => SHOWN_LEVELS.has(String(l.logLevel)) && typeof l.event === 'string')
    .slice(0, MAX_MESSAGES)
    .map((l) => taskMessage(l.event));
}
